import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Sql } from '../../src/db/connect.js'
import type { TenantDb } from '../../src/db/tenant-connections.js'
import { createTestMaster, json, type TestMaster } from '../helpers/master.js'

const fixtures = fileURLToPath(new URL('../fixtures/legacy/', import.meta.url))
const now = '2026-03-07T12:00:00Z'
const id = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`
const akeneo = (n: number) => id('5c000000', n)
const acmePlugin = (n: number) => id('f1000000', n)

let master: TestMaster
let handlersPath: string
let storeMapPath: string

beforeEach(async () => {
  master = await createTestMaster()
  handlersPath = path.join(master.dataDir, 'handlers.mjs')
  // purgeCache and executeTokenRefresh stay unregistered: plan must say so.
  writeFileSync(handlersPath, `const ok = async () => ({ ok: true })
export default { akeneoImport: ok, syncInventory: ok, buildReport: ok, ping: ok, cleanup: ok, dupHandler: ok, legacyInline: ok }
`)
  storeMapPath = path.join(master.dataDir, 'store-map.json')
  writeFileSync(storeMapPath, JSON.stringify({ [id('d0000000', 1)]: 'globex' }))
})
afterEach(async () => {
  await master.cleanup()
})

async function inMaster<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  const scheduler = await master.open()
  try {
    return await work(scheduler.master.sql)
  } finally {
    await scheduler.close()
  }
}

/** The legacy tables: the master's in its own schema, each tenant's in its database (server) or schema (embedded). */
async function loadFixtures(): Promise<void> {
  for (const slug of ['acme', 'globex']) expect((await master.addTenant(slug)).code).toBe(0)
  await inMaster((sql) => sql.unsafe(readFileSync(path.join(fixtures, 'master.sql'), 'utf8')))
  for (const slug of ['acme', 'globex']) {
    await master.withTenant(slug, (db) => db.sql.begin(async (tx) => {
      await tx`select set_config('search_path', ${db.schema ?? 'public'}, true)`
      await tx.unsafe(readFileSync(path.join(fixtures, 'tenant-tables.sql'), 'utf8'))
      await tx.unsafe(readFileSync(path.join(fixtures, `tenant-${slug}.sql`), 'utf8'))
    }))
  }
}

/** The jobs made from legacy rows (a tenant may hold others, e.g. the scheduler's own upkeep). */
async function legacyJobs(slug: string): Promise<any[]> {
  return json<any[]>(await master.cli(['jobs', 'list', '--tenant', slug, '--json'])).filter((job) => job.metadata.legacy_id !== undefined)
}

function legacy(args: string[], options: { storeMap?: boolean } = {}) {
  return master.cli(['legacy', ...args, '--now', now, '--handlers', handlersPath, ...(options.storeMap === false ? [] : ['--store-map', storeMapPath])])
}

type Table = {
  table: string; location: string; found: number; alreadyMigrated: number; toMigrate: number; migrated: number; cannotMigrate: number
  problems: { id: string; reason: string }[]; samples: { id: string; from: string; to: string }[]; notes: string[]
}
type Report = { tenants: { tenant: string; ok: boolean; tables: Table[] }[]; master: any; summary: Record<string, number> }

function table(report: Report, tenant: string, name: string, location = 'tenant'): Table {
  const found = report.tenants.find((entry) => entry.tenant === tenant)?.tables.find((entry) => entry.table === name && entry.location === location)
  if (!found) throw new Error(`no ${name} (${location}) for ${tenant} in ${JSON.stringify(report)}`)
  return found
}

function counts(entry: Table) {
  return [entry.found, entry.alreadyMigrated, entry.toMigrate, entry.migrated, entry.cannotMigrate]
}

function reasons(entry: Table): Record<string, string> {
  return Object.fromEntries(entry.problems.map((problem) => [problem.id, problem.reason]))
}

const tables = (db: TenantDb | { sql: Sql; schema: null }) => db.sql<{ name: string }[]>`
  select tablename as name from pg_tables where schemaname = coalesce(${db.schema}::text, current_schema()) order by 1`
const names = (rows: { name: string }[]) => rows.map((row) => row.name)

describe('legacy plan / migrate / verify / drop', () => {
  it('moves the legacy tables tenant by tenant, idempotently, and drops only what is verified', async () => {
    await loadFixtures()

    // plan without the file: the store only the file maps is reported, never dropped.
    const unmappedPlan = json<Report>(await legacy(['plan', '--json'], { storeMap: false }))
    expect(unmappedPlan.master.akeneoSchedules.unmapped.map((row: { id: string }) => row.id)).toEqual([akeneo(11), akeneo(12), akeneo(13)])
    expect(unmappedPlan.master.akeneoSchedules.unmapped[0].reason).toMatch(/tenant_id "initrode", which is no tenant/)
    expect(unmappedPlan.master.akeneoSchedules.unmapped[2].reason).toMatch(/neither the stores table nor a --store-map file/)

    const planned = await legacy(['plan', '--json'])
    expect(planned.code).toBe(0)
    const plan = json<Report>(planned)
    expect(plan.tenants.map((tenant) => tenant.tenant)).toEqual(['acme', 'default', 'globex'])
    expect(counts(table(plan, 'acme', 'akeneo_schedules', 'master'))).toEqual([8, 0, 5, 0, 3])
    expect(reasons(table(plan, 'acme', 'akeneo_schedules', 'master'))).toEqual({
      [akeneo(5)]: 'schedule_time "25:00" is not a time of day (00:00 to 23:59)',
      [akeneo(6)]: 'schedule_time "9" is not HH:MM',
      [akeneo(15)]: 'timezone "Mars/Olympus" is not an IANA zone name',
    })
    expect(counts(table(plan, 'acme', 'plugin_cron'))).toEqual([6, 0, 3, 0, 3])
    const pluginReasons = reasons(table(plan, 'acme', 'plugin_cron'))
    expect(pluginReasons[`${acmePlugin(2)}/cleanup`]).toMatch(/invalid cron_schedule/)
    expect(pluginReasons[`${acmePlugin(2)}/weekly-digest`]).toMatch(/timezone "Mars\/Olympus"/)
    expect(pluginReasons[`${acmePlugin(3)}/inline-only`]).toMatch(/only handler_code, and code stored in a row is never run/)
    expect(table(plan, 'acme', 'plugin_cron').notes).toEqual([expect.stringMatching(/handler "purgeCache" is not registered \(1 job\)/)])
    expect(counts(table(plan, 'acme', 'job_history'))).toEqual([6, 0, 4, 0, 2])
    expect(reasons(table(plan, 'acme', 'job_history'))).toEqual({
      [id('4a000000', 4)]: expect.stringMatching(/its schedule \(plugin_cron:f1000000-0000-4000-8000-000000000002\/cleanup\) cannot be migrated: invalid cron_schedule/),
      [id('4a000000', 5)]: expect.stringMatching(/belongs to no legacy schedule \(source_type system/),
    })
    expect(counts(table(plan, 'acme', 'cron_job_types'))).toEqual([3, 2, 0, 0, 1])
    expect(reasons(table(plan, 'acme', 'cron_job_types')).token_refresh).toMatch(/no handler "executeTokenRefresh" is registered/)
    expect(counts(table(plan, 'globex', 'akeneo_schedules', 'master'))).toEqual([5, 0, 3, 0, 2])
    expect(Object.keys(reasons(table(plan, 'globex', 'akeneo_schedules', 'master')))).toEqual([akeneo(7), akeneo(8)])
    expect(counts(table(plan, 'globex', 'akeneo_schedules'))).toEqual([3, 0, 2, 0, 1])
    expect(reasons(table(plan, 'globex', 'akeneo_schedules'))[id('6c000000', 2)]).toMatch(/unknown schedule_type "hourly"/)
    expect(counts(table(plan, 'globex', 'plugin_cron'))).toEqual([3, 0, 1, 0, 2])
    expect(table(plan, 'globex', 'plugin_cron').problems).toEqual([0, 1].map(() => ({
      id: 'f2000000-0000-4000-8000-000000000001/dup', reason: '2 rows of plugin_cron share this plugin_id and cron_name: remove all but one' })))
    expect(counts(table(plan, 'globex', 'job_history'))).toEqual([3, 0, 2, 0, 1])
    expect(reasons(table(plan, 'globex', 'job_history'))[id('4b000000', 2)]).toBe('unknown status "weird"')
    expect(plan.tenants.find((tenant) => tenant.tenant === 'default')!.tables).toEqual([])
    expect(plan.master.akeneoSchedules).toMatchObject({ found: 15, byTenant: { acme: 8, globex: 5 } })
    expect(plan.master.jobQueue).toMatchObject({ found: 4, unfinished: 2, byStatus: { completed: 1, failed: 1, pending: 1, running: 1 } })
    expect(plan.summary).toEqual({ found: 37, alreadyMigrated: 2, toMigrate: 20, migrated: 0, cannotMigrate: 15, unmapped: 2, tenantsFailed: 0 })
    expect(table(plan, 'acme', 'akeneo_schedules', 'master').problems).toHaveLength(3)
    expect(table(plan, 'acme', 'akeneo_schedules', 'master').samples[0]).toEqual({ id: akeneo(1), from: 'daily 09:30', to: '"30 9 * * *" (UTC)' })

    const people = await legacy(['plan', '--tenant', 'acme'])
    expect(people.code).toBe(0)
    expect(people.stdout).toMatch(/^tenant acme: 23 found, 2 already migrated, 12 to migrate, 0 migrated now, 9 cannot migrate$/m)
    expect(people.stdout).toContain(`acme akeneo_schedules (master) ${akeneo(5)}: schedule_time "25:00" is not a time of day`)
    expect(people.stdout).toContain(`acme akeneo_schedules (master) ${akeneo(2)}: weekly 23:05 -> "5 23 * * 1" (Europe/Berlin)`)
    expect(people.stdout).toMatch(/^plan: 23 found, .* 1 tenant, 0 failed$/m)
    expect(people.stdout).not.toMatch(/globex|job_queue/)

    // A dry run writes nothing.
    const dry = json<Report>(await legacy(['migrate', '--dry-run', '--json']))
    expect(dry.summary).toMatchObject({ toMigrate: 20, migrated: 0 })
    expect(await legacyJobs('acme')).toEqual([])

    const first = await legacy(['migrate', '--json'])
    expect(first.code).toBe(1) // rows were left behind: something needs a look
    const migrated = json<Report>(first)
    expect(migrated.summary).toEqual({ found: 37, alreadyMigrated: 2, toMigrate: 20, migrated: 20, cannotMigrate: 15, unmapped: 2, tenantsFailed: 0 })
    expect(counts(table(migrated, 'globex', 'akeneo_schedules'))).toEqual([3, 0, 2, 2, 1])

    const second = json<Report>(await legacy(['migrate', '--json']))
    expect(second.summary).toEqual({ found: 37, alreadyMigrated: 22, toMigrate: 0, migrated: 0, cannotMigrate: 15, unmapped: 2, tenantsFailed: 0 })

    const acmeJobs = await legacyJobs('acme')
    const globexJobs = await legacyJobs('globex')
    expect(acmeJobs).toHaveLength(8)
    expect(globexJobs).toHaveLength(5)
    const job = (jobs: any[], legacyId: string) => jobs.find((entry) => entry.metadata.legacy_id === legacyId)
    expect(job(acmeJobs, akeneo(1))).toMatchObject({
      name: `Akeneo products import ${akeneo(1)}`, cronExpression: '30 9 * * *', timezone: 'UTC', runAt: null, handler: 'akeneoImport',
      jobType: 'akeneo_import', sourceType: 'integration', sourceId: akeneo(1), sourceName: 'akeneo', storeId: id('a0000000', 1),
      isActive: true, isPaused: false, lastRunAt: '2026-03-06T09:30:04.000Z', nextRunAt: '2026-03-08T09:30:00.000Z',
      configuration: { import_type: 'products', filters: { family: 'shoes' }, options: { locale: 'en_US' }, store_id: id('a0000000', 1), credit_cost: 0.25 },
      metadata: { original_table: 'akeneo_schedules', legacy_location: 'master', migrated_at: '2026-03-07T12:00:00.000Z', legacy_row: { schedule_time: '09:30' } },
    })
    expect(job(acmeJobs, akeneo(2))).toMatchObject({ cronExpression: '5 23 * * 1', timezone: 'Europe/Berlin', nextRunAt: '2026-03-09T22:05:00.000Z' })
    expect(job(acmeJobs, akeneo(3))).toMatchObject({ cronExpression: '0 0 1 * *', isPaused: true, nextRunAt: '2026-04-01T00:00:00.000Z' })
    expect(job(acmeJobs, akeneo(4))).toMatchObject({ cronExpression: null, runAt: '2026-03-10T14:00:00.000Z', nextRunAt: '2026-03-10T14:00:00.000Z' })
    expect(job(acmeJobs, akeneo(14))).toMatchObject({ cronExpression: null, runAt: '2026-03-01T08:00:00.000Z', nextRunAt: null })
    const report = job(acmeJobs, `${acmePlugin(1)}/nightly-report`)
    expect(report).toMatchObject({
      name: `plugin ${acmePlugin(1)}: nightly-report`, cronExpression: '0 2 * * *', timezone: 'America/New_York', handler: 'buildReport',
      jobType: 'plugin_job', sourceType: 'plugin', sourceId: acmePlugin(1), runCount: 30, successCount: 27, failureCount: 3, consecutiveFailures: 1,
      lastStatus: 'failed', lastError: 'timeout after 300s', configuration: { plugin_id: acmePlugin(1), handler_params: { format: 'pdf' }, priority: 10 },
    })
    expect(JSON.stringify(report.configuration)).not.toContain('curl')
    expect(report.metadata.legacy_row.handler_code).toContain('curl evil.example')
    expect(job(acmeJobs, `${acmePlugin(3)}/disabled-task`)).toMatchObject({ isActive: false, handler: 'purgeCache' })
    expect(job(globexJobs, akeneo(9))).toMatchObject({ cronExpression: null, runAt: '2026-03-08T06:15:00.000Z' })
    expect(job(globexJobs, akeneo(10))).toMatchObject({ cronExpression: '45 7 * * *', isActive: false })
    expect(job(globexJobs, akeneo(13))).toMatchObject({ cronExpression: '0 12 * * *', storeId: id('d0000000', 1) })
    expect(job(globexJobs, id('6c000000', 1))).toMatchObject({ cronExpression: '0 18 * * *', timezone: 'Europe/Paris', metadata: { legacy_location: 'tenant' } })
    expect(job(globexJobs, 'f2000000-0000-4000-8000-000000000001/ping')).toMatchObject({ cronExpression: '@hourly', timezone: 'UTC', lastStatus: 'succeeded', runCount: 10 })

    const executions = (slug: string) => master.withTenant(slug, (db) => db.sql<{ legacy: string; job: string; status: string; trigger: string; scheduled_for: Date; finished_at: Date | null; duration_ms: number | null; error: string | null; result: any }[]>`
      select e.result->>'legacy_history_id' as legacy, j.metadata->>'legacy_id' as job, e.status, e.trigger, e.scheduled_for, e.finished_at, e.duration_ms, e.error, e.result
      from ${db.table('cron_job_executions')} e join ${db.table('cron_jobs')} j on j.id = e.job_id
      where e.trigger = 'legacy' order by 1`)
    const acmeRuns = await executions('acme')
    expect(acmeRuns.map((run) => [run.legacy, run.job, run.status, run.trigger])).toEqual([
      [id('4a000000', 1), `${acmePlugin(1)}/sync-inventory`, 'succeeded', 'legacy'],
      [id('4a000000', 2), `${acmePlugin(1)}/sync-inventory`, 'failed', 'legacy'],
      [id('4a000000', 3), akeneo(1), 'succeeded', 'legacy'],
      [id('4a000000', 6), `${acmePlugin(1)}/nightly-report`, 'abandoned', 'legacy'],
    ])
    expect(acmeRuns[0]).toMatchObject({ duration_ms: 2500, result: { legacy_history_id: id('4a000000', 1), original_table: 'job_history', result: { synced: 50 } } })
    expect(acmeRuns[1]!.error).toBe('HTTP 500 from warehouse')
    expect(acmeRuns[3]!.finished_at).toBeNull()
    const globexRuns = await executions('globex')
    expect(globexRuns.map((run) => [run.legacy, run.status])).toEqual([[id('4b000000', 1), 'succeeded'], [id('4b000000', 3), 'succeeded']])
    expect(globexRuns[0]!.scheduled_for.toISOString()).toBe('2026-03-07T11:00:01.000Z')

    // Verify names what is left; drop refuses all of it and drops nothing.
    const failing = await legacy(['verify', '--json'])
    expect(failing.code).toBe(1)
    const verdict = json(failing)
    expect(verdict.passed).toBe(false)
    expect(verdict.master.akeneoSchedules.problems.map((problem: { id: string }) => problem.id).sort()).toEqual(
      [akeneo(5), akeneo(6), akeneo(7), akeneo(8), akeneo(11), akeneo(12), akeneo(15)])
    expect(verdict.master.jobQueue.notes[0]).toMatch(/2 rows are still pending \(1\) or running \(1\)/)
    const refusedPreview = await legacy(['drop', '--json'])
    expect(refusedPreview.code).toBe(1)
    expect(json(refusedPreview).summary).toEqual({ dropped: 0, wouldDrop: 0, refused: 8, targetsFailed: 0 })
    const refused = await legacy(['drop', '--yes'])
    expect(refused.code).toBe(1)
    expect(refused.stdout).toMatch(/refused acme \S+plugin_cron: 3 of 6 rows are not verified/)
    expect(refused.stdout).toMatch(/refused master public\.job_queue: 2 rows are still pending \(1\) or running \(1\)/)
    expect(refused.stdout).toContain(`  ${id('9a000000', 3)}: pending akeneo_import job, created 2026-03-06T07:59:00.000Z, run_at 2026-03-06T08:00:00.000Z`)
    expect(refused.stdout).toMatch(/^drop: 0 tables dropped, 8 refused, 0 failed$/m)
    expect(names(await master.withTenant('acme', tables))).toEqual(expect.arrayContaining(['cron_job_types', 'job_history', 'plugin_cron']))

    // The operator fixes the bad rows, maps the stores and lets the queue drain.
    await inMaster(async (sql) => {
      await sql`update akeneo_schedules set schedule_time = '05:00' where id = ${akeneo(5)}`
      await sql`delete from akeneo_schedules where id = ${akeneo(6)}`
      await sql`update akeneo_schedules set schedule_time = '07:00' where id = ${akeneo(7)}`
      await sql`update akeneo_schedules set schedule_time = '08:00' where id = ${akeneo(8)}`
      await sql`update akeneo_schedules set options = ${sql.json({ timezone: 'Europe/Rome' })} where id = ${akeneo(15)}`
      await sql`update stores set tenant_id = 'acme' where id = ${id('c0000000', 1)}`
      await sql`insert into stores (id, tenant_id, name) values (${id('e0000000', 1)}, 'globex', 'Globex outlet')`
      await sql`update job_queue set status = 'completed' where status in ('pending', 'running')`
    })
    await master.withTenant('acme', async (db) => {
      await db.sql`update ${db.table('plugin_cron')} set cron_schedule = '0 1 * * *' where cron_name = 'cleanup'`
      await db.sql`delete from ${db.table('plugin_cron')} where cron_name = 'weekly-digest'`
      await db.sql`update ${db.table('plugin_cron')} set handler_method = 'legacyInline', handler_code = null where cron_name = 'inline-only'`
      await db.sql`delete from ${db.table('job_history')} where id = ${id('4a000000', 5)}`
      await db.sql`delete from ${db.table('cron_job_types')} where type_name = 'token_refresh'`
    })
    await master.withTenant('globex', async (db) => {
      await db.sql`delete from ${db.table('plugin_cron')} where cron_name = 'dup' and description = 'Second copy'`
      await db.sql`update ${db.table('job_history')} set status = 'failed' where id = ${id('4b000000', 2)}`
      await db.sql`delete from ${db.table('akeneo_schedules')} where id = ${id('6c000000', 2)}`
    })
    const third = await legacy(['migrate', '--json'])
    expect(third.code).toBe(0)
    expect(json<Report>(third).summary).toEqual({ found: 33, alreadyMigrated: 22, toMigrate: 11, migrated: 11, cannotMigrate: 0, unmapped: 0, tenantsFailed: 0 })

    const passing = await legacy(['verify'])
    expect(passing.stdout).toMatch(/^tenant acme: verified: 20 of 20 rows$/m)
    expect(passing.stdout).toMatch(/^verify passed/m)
    expect(passing.code).toBe(0)

    // The legacy app enqueued one more job meanwhile: everything else goes, the queue stays.
    await inMaster((sql) => sql`insert into job_queue (id, type, status, run_at, created_at) values
      (${id('9a000000', 5)}, 'send_email', 'pending', '2026-03-07T12:05:00Z', '2026-03-07T11:59:00Z')`)
    const partly = await legacy(['drop', '--yes', '--json'])
    expect(partly.code).toBe(1)
    const dropped = json(partly)
    expect(dropped.summary).toEqual({ dropped: 7, wouldDrop: 0, refused: 1, targetsFailed: 0 })
    const masterTarget = dropped.targets.find((target: { target: string }) => target.target === 'master')
    expect(masterTarget.tables).toMatchObject([
      { table: 'akeneo_schedules', action: 'dropped', types: [expect.stringMatching(/\.enum_akeneo_schedules_schedule_type$/)] },
      { table: 'job_queue', action: 'refused', reasons: ['1 row is still pending (1): let them finish or move them first'], rows: [{ id: id('9a000000', 5) }] },
    ])
    for (const slug of ['acme', 'globex']) {
      const left = names(await master.withTenant(slug, tables))
      for (const gone of ['akeneo_schedules', 'plugin_cron', 'job_history', 'cron_job_types']) expect(left).not.toContain(gone)
      expect(left).toEqual(expect.arrayContaining(['cron_jobs', 'cron_job_executions']))
    }
    const masterState = await inMaster(async (sql) => ({
      tables: names(await tables({ sql, schema: null })),
      types: (await sql<{ typname: string }[]>`select typname from pg_type where typname = 'enum_akeneo_schedules_schedule_type'`).length,
    }))
    expect(masterState.tables).toEqual(expect.arrayContaining(['job_queue', 'stores']))
    expect(masterState.tables).not.toContain('akeneo_schedules')
    expect(masterState.types).toBe(0)
    expect(await legacyJobs('acme')).toHaveLength(13)
    expect(await executions('acme')).toHaveLength(5)

    await inMaster((sql) => sql`update job_queue set status = 'completed'`)
    const rest = await legacy(['drop', '--yes'])
    expect(rest.stdout).toMatch(/^master: dropped public\.job_queue$/m)
    expect(rest.code).toBe(0)
    expect(names(await inMaster((sql) => tables({ sql, schema: null })))).not.toContain('job_queue')
    expect((await legacy(['verify'])).code).toBe(0)
  }, 300_000)

  it('limits a run to one tenant and leaves the master tables alone', async () => {
    await loadFixtures()
    const plan = json<Report>(await legacy(['plan', '--tenant', 'globex', '--json']))
    expect(plan.master).toBeNull()
    expect(plan.tenants.map((tenant) => tenant.tenant)).toEqual(['globex'])
    const migrated = json<Report>(await legacy(['migrate', '--tenant', 'globex', '--json']))
    expect(migrated.summary.migrated).toBe(8)
    expect(await legacyJobs('acme')).toEqual([])
    const preview = await legacy(['drop', '--tenant', 'globex'])
    expect(preview.code).toBe(1)
    expect(preview.stdout).toMatch(/note: the master tables .* are dropped only by a run without --tenant/)
    expect(preview.stdout).not.toMatch(/^master:/m)
  }, 120_000)

  it("says when there is nothing to migrate, and reads an application's own stores table without tenant_id as no mapping", async () => {
    await inMaster((sql) => sql`create table stores (id uuid primary key, name text not null)`)
    const plan = await master.cli(['legacy', 'plan'])
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stdout).toMatch(/no legacy tables found .* nothing to migrate; is this the right master database\?/)
  })

  it('refuses a bad --store-map with exit 2, naming the problem', async () => {
    writeFileSync(storeMapPath, JSON.stringify({ [id('d0000000', 1)]: 'nobody' }))
    const unknown = await legacy(['plan'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/--store-map maps store "d0000000-0000-4000-8000-000000000001" to unknown tenant "nobody"; known tenants: default/)
    writeFileSync(storeMapPath, '[1, 2]')
    const notObject = await legacy(['plan'])
    expect(notObject.code).toBe(2)
    expect(notObject.stderr).toMatch(/invalid --store-map .* it must be a JSON object/)
    const missing = await master.cli(['legacy', 'verify', '--store-map', path.join(master.dataDir, 'nope.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/cannot read --store-map/)
  })
})
