// The benchmark behind `npm run bench`: it prints figures, it asserts nothing.
//
//   single  one tenant, 100,000 active jobs of which 10,000 are due: jobs/s end to end with a
//           no-op JavaScript handler and with the sql handler (`select 1`), and the scheduler's
//           own queries per job (every query postgres.js sends, counted through its debug hook)
//   fanout  100 tenant databases x 100 due jobs: total time, per-tenant p50/p95, peak connections
//   idle    one tenant with 1,000 / 10,000 / 100,000 jobs and none due: time spent on the tenant
//
// Each figure is the median of several runs. It needs a PostgreSQL server: BENCH_DATABASE_URL,
// else postgres://postgres@127.0.0.1:5432/postgres. It creates databases named us_bench_* and
// drops them at the end. `node bench/run.js single` runs one scenario.
import { performance } from 'node:perf_hooks'
import postgres from 'postgres'
import { HandlerRegistry, Scheduler, addTenant, loadConfig, migrate, runOnce } from '../dist/index.js'

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const repeats = Number(process.env.BENCH_REPEATS ?? 3)
const slot = new Date('2026-03-07T13:00:00Z')
const now = new Date('2026-03-07T13:00:30Z')
const prefix = `us_bench_${process.pid}`
const noop = new HandlerRegistry({ noop: () => null })

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
const created = []

function urlOf(database) {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

async function createDatabase(name, template) {
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`)
  created.push(name)
  return urlOf(name)
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]
const round = (value, digits = 0) => Number(value.toFixed(digits))

/** A migrated master database of its own, with an open scheduler that counts its queries. */
async function openMaster(name) {
  const url = await createDatabase(name)
  const config = await loadConfig({ databaseUrl: url }, { env: {} })
  const migrating = await Scheduler.open(config, { forMigration: true })
  await migrate(migrating)
  await migrating.close()
  const counter = { queries: 0 }
  const scheduler = await Scheduler.open(config, { onQuery: () => counter.queries++ })
  return { scheduler, counter, url }
}

/** `total` hourly jobs in a tenant's cron_jobs, the first `due` of them due at the slot. */
async function insertJobs(sql, { total, due, handler, configuration }) {
  await sql`
    insert into cron_jobs (name, cron_expression, timezone, handler, configuration, next_run_at)
    select 'job-' || n, '0 * * * *', 'UTC', ${handler}, ${sql.json(configuration)},
           case when n <= ${due} then ${slot} else ${slot}::timestamptz + interval '1 hour' end
    from generate_series(1, ${total}) as n`
  await sql`analyze cron_jobs`
}

/** Puts the due jobs back before the slot and forgets what ran, for the next repeat. */
async function resetJobs(sql, due) {
  await sql`delete from cron_job_executions`
  await sql`update cron_jobs set next_run_at = ${slot}, last_run_at = null where name::text in (select 'job-' || n from generate_series(1, ${due}) as n)`
  await sql`vacuum analyze cron_jobs`
  await sql`vacuum analyze cron_job_executions`
}

async function single() {
  const total = 100_000
  const due = 10_000
  const { scheduler, counter, url } = await openMaster(`${prefix}_single`)
  try {
    await addTenant(scheduler, { slug: 'main' })
    const tenantSql = postgres(url, { max: 1, onnotice: () => {} })
    await insertJobs(tenantSql, { total, due, handler: 'noop', configuration: {} })
    const measure = async (scheduler, handlers) => {
      const seconds = []
      const queries = []
      for (let i = 0; i < repeats; i++) {
        await resetJobs(tenantSql, due)
        counter.queries = 0
        const started = performance.now()
        const summary = await runOnce(scheduler, { now, handlers })
        seconds.push((performance.now() - started) / 1000)
        queries.push(counter.queries)
        if (summary.totals.succeeded !== due) throw new Error(`expected ${due} succeeded, got ${JSON.stringify(summary.totals)}`)
      }
      return { jobsPerSecond: round(due / median(seconds)), seconds: round(median(seconds), 2), queriesPerJob: round(median(queries) / due, 4) }
    }
    const javascript = await measure(scheduler, noop)
    // Counting queries makes postgres.js capture a stack per query: the sql handler runs uncounted.
    await tenantSql`update cron_jobs set handler = 'sql', configuration = ${tenantSql.json({ sql: 'select 1' })}`
    const uncounted = await Scheduler.open(await loadConfig({ databaseUrl: url }, { env: {} }))
    const sqlHandler = await measure(uncounted, undefined).finally(() => uncounted.close())
    await tenantSql.end()
    return {
      scenario: 'single', jobs: total, due,
      noopHandler: { ...javascript, target: '>= 10000 jobs/s, <= 0.01 queries/job' },
      sqlSelect1: { jobsPerSecond: sqlHandler.jobsPerSecond, seconds: sqlHandler.seconds, target: '>= 4000 jobs/s' },
    }
  } finally {
    await scheduler.close()
  }
}

async function fanout() {
  const tenants = 100
  const duePerTenant = 100
  const { scheduler } = await openMaster(`${prefix}_fanout`)
  const tenantUrls = []
  try {
    const templateName = `${prefix}_tenant_template`
    const templateUrl = await createDatabase(templateName)
    await addTenant(scheduler, { slug: 'template', databaseUrl: templateUrl })
    await scheduler.master.sql`update tenants set is_active = false where slug = 'template'`
    await scheduler.tenants.closeAll()
    await admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${templateName}'`)
    for (let i = 1; i <= tenants; i++) {
      const url = await createDatabase(`${prefix}_t${i}`, templateName)
      tenantUrls.push(url)
      await addTenant(scheduler, { slug: `t${i}`, databaseUrl: url, migrate: false })
      const sql = postgres(url, { max: 1, onnotice: () => {} })
      await insertJobs(sql, { total: duePerTenant, due: duePerTenant, handler: 'noop', configuration: {} })
      await sql.end()
    }
    const totals = []
    const p50s = []
    const p95s = []
    const peaks = []
    for (let i = 0; i < repeats; i++) {
      for (const url of tenantUrls) {
        const sql = postgres(url, { max: 1, onnotice: () => {} })
        await sql`delete from cron_job_executions`
        await sql`update cron_jobs set next_run_at = ${slot} where not is_system`
        await sql.end()
      }
      let peak = 0
      let sampling = true
      const sampler = (async () => {
        while (sampling) {
          const [row] = await admin`select count(*)::int as n from pg_stat_activity where datname like ${`${prefix}_%`}`
          peak = Math.max(peak, row.n)
          await new Promise((resolve) => setTimeout(resolve, 2))
        }
      })()
      const started = performance.now()
      const summary = await runOnce(scheduler, { now, handlers: noop })
      totals.push(performance.now() - started)
      sampling = false
      await sampler
      if (summary.totals.succeeded !== tenants * duePerTenant) throw new Error(`expected ${tenants * duePerTenant} succeeded, got ${JSON.stringify(summary.totals)}`)
      const durations = summary.tenants.map((tenant) => tenant.durationMs)
      p50s.push(percentile(durations, 50))
      p95s.push(percentile(durations, 95))
      peaks.push(peak)
    }
    const pool = scheduler.config.tenantPoolSize
    return {
      scenario: 'fanout', tenants, duePerTenant,
      totalMs: round(median(totals)), tenantP50Ms: median(p50s), tenantP95Ms: median(p95s),
      peakConnections: Math.max(...peaks),
      bound: `4 tenants at once x ${pool} per tenant pool + ${pool} master = ${4 * pool + pool}`,
    }
  } finally {
    await scheduler.close()
  }
}

async function idle() {
  const rows = []
  for (const total of [1_000, 10_000, 100_000]) {
    const { scheduler, url } = await openMaster(`${prefix}_idle_${total}`)
    try {
      await addTenant(scheduler, { slug: 'main' })
      const sql = postgres(url, { max: 1, onnotice: () => {} })
      await insertJobs(sql, { total, due: 0, handler: 'noop', configuration: {} })
      await sql.end()
      const tenantMs = []
      const runMs = []
      for (let i = 0; i < Math.max(repeats, 5); i++) {
        const started = performance.now()
        const summary = await runOnce(scheduler, { now, handlers: noop })
        runMs.push(performance.now() - started)
        tenantMs.push(summary.tenants[0].durationMs)
      }
      rows.push({ jobs: total, tenantMs: median(tenantMs), runMs: round(median(runMs), 1) })
    } finally {
      await scheduler.close()
    }
  }
  return { scenario: 'idle', target: 'under 50 ms per tenant, flat from 1,000 to 100,000 jobs', rows }
}

const scenarios = { single, fanout, idle }
const chosen = process.argv.slice(2)
for (const name of chosen) if (!scenarios[name]) throw new Error(`unknown scenario "${name}": use ${Object.keys(scenarios).join(', ')}`)

try {
  const [{ version }] = await admin`select current_setting('server_version') as version`
  console.log(JSON.stringify({ node: process.version, postgres: version, repeats, cores: (await import('node:os')).cpus().length }))
  for (const name of chosen.length ? chosen : Object.keys(scenarios)) console.log(JSON.stringify(await scenarios[name]()))
} catch (error) {
  if (error?.code === 'ECONNREFUSED') {
    console.error(`bench: no PostgreSQL answers at ${new URL(serverUrl).host}; start one or set BENCH_DATABASE_URL`)
    process.exitCode = 3
  } else throw error
} finally {
  for (const name of created.reverse()) await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.end()
}
