import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { binPath, createTestMaster, json, serverMode, type TestMaster } from '../helpers/master.js'

let master: TestMaster
beforeEach(async () => {
  master = await createTestMaster()
})
afterEach(async () => {
  await master.cleanup()
})

const added = '2026-03-07T12:00:00Z'
const handlersModule = fileURLToPath(new URL('../fixtures/handlers.mjs', import.meta.url))

async function addJob(name: string, schedule: string[], extra: string[] = []): Promise<void> {
  const config = extra.includes('--config') ? [] : ['--config', '{"sql":"select 1"}']
  const result = await master.cli(['jobs', 'add', '--name', name, ...schedule, '--handler', 'sql', '--now', added, ...config, ...extra])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
}

async function run(now: string, extra: string[] = []) {
  const result = await master.cli(['run', '--now', now, '--json', ...extra])
  return { ...result, summary: result.stdout ? json(result) : undefined }
}

async function history(name: string, tenant = 'default') {
  return json(await master.cli(['jobs', 'history', name, '--tenant', tenant, '--limit', '1000', '--json'])) as any[]
}

/** Every execution row of a tenant, oldest slot first. */
function executions(tenant = 'default') {
  return master.withTenant(tenant, (db) => db.sql<{ job: string; scheduled_for: Date; attempt: number; trigger: string; status: string; covered_slots: number }[]>`
    select j.name as job, e.scheduled_for, e.attempt, e.trigger, e.status, e.covered_slots
    from ${db.table('cron_job_executions')} e join ${db.table('cron_jobs')} j on j.id = e.job_id
    order by j.name, e.scheduled_for, e.attempt`)
}

function job(name: string, tenant = 'default') {
  return master.withTenant(tenant, async (db) => (await db.sql`select * from ${db.table('cron_jobs')} where name = ${name}`)[0]!)
}

describe('run: one execution per slot', () => {
  it('four runs started at once with the same --now run every due slot exactly once', async () => {
    await master.addTenant('acme')
    for (const tenant of ['default', 'acme']) {
      await addJob('every-10', ['--cron', '*/10 * * * *', '--catchup', 'all', '--tenant', tenant])
      await addJob('hourly', ['--cron', '@hourly', '--tenant', tenant])
    }
    const now = '2026-03-07T13:05:00Z'
    const runs = await Promise.all([1, 2, 3, 4].map(() => run(now)))
    for (const result of runs) expect(result.code, result.stderr).toBe(0)
    const succeeded = runs.reduce((sum, result) => sum + result.summary.totals.succeeded, 0)
    // Per tenant: every-10 has six slots (12:10 … 13:00), hourly one (13:00).
    expect(succeeded).toBe(14)
    for (const tenant of ['default', 'acme']) {
      const rows = await executions(tenant)
      expect(rows.map((row) => `${row.job} ${row.scheduled_for.toISOString()} ${row.attempt} ${row.status}`)).toEqual([
        ...['12:10', '12:20', '12:30', '12:40', '12:50', '13:00'].map((hm) => `every-10 2026-03-07T${hm}:00.000Z 1 succeeded`),
        'hourly 2026-03-07T13:00:00.000Z 1 succeeded',
      ])
      expect((await job('every-10', tenant)).next_run_at.toISOString()).toBe('2026-03-07T13:10:00.000Z')
    }
    // The same tick again finds nothing left to do.
    const again = await run(now)
    expect(again.summary.totals).toMatchObject({ succeeded: 0, failed: 0, skipped: 0, missed: 0 })
  })

  it.skipIf(!serverMode)('after a run is killed with SIGKILL, the next run marks its attempt abandoned and retries the slot', async () => {
    await addJob('slow-first', ['--cron', '0 13 * * *'], ['--config',
      JSON.stringify({ sql: "select pg_sleep(case when current_setting('scheduler.attempt') = '1' then 60 else 0 end)" })])
    const now = '2026-03-07T13:00:05Z'
    const child = spawn(process.execPath, [binPath, 'run', '--now', now], { env: { PATH: process.env.PATH ?? '', ...master.env }, stdio: 'ignore' })
    const sql = master.sql()
    for (let i = 0; i < 200; i++) {
      const [row] = await sql`select count(*)::int as n from cron_job_executions where status = 'running'`
      if (row!.n === 1) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL')
    await exited

    const next = await run(now)
    expect(next.code, next.stderr).toBe(0)
    expect(next.summary.totals).toMatchObject({ abandoned: 1, succeeded: 1 })
    const rows = await history('slow-first')
    expect(rows.map((row) => [row.scheduledFor, row.attempt, row.trigger, row.status])).toEqual([
      ['2026-03-07T13:00:00.000Z', 2, 'retry', 'succeeded'],
      ['2026-03-07T13:00:00.000Z', 1, 'schedule', 'abandoned'],
    ])
  })
})

describe('run: a bad row or tenant fails alone', () => {
  it('fails a job whose row holds a bad expression or zone with a clear last_error; the rest run', async () => {
    await addJob('good', ['--cron', '0 13 * * *'])
    await addJob('bad-cron', ['--cron', '0 13 * * *'])
    await addJob('bad-zone', ['--cron', '0 13 * * *'])
    await master.withTenant('default', async (db) => {
      await db.sql`update ${db.table('cron_jobs')} set cron_expression = '0 25 * * *' where name = 'bad-cron'`
      await db.sql`update ${db.table('cron_jobs')} set timezone = 'Mars/Olympus' where name = 'bad-zone'`
    })
    const result = await run('2026-03-07T13:00:10Z')
    expect(result.code).toBe(1)
    expect(result.summary.totals).toMatchObject({ succeeded: 1, failed: 2 })
    expect((await job('bad-cron')).last_error).toMatch(/hour field "25" is out of range 0-23/)
    expect((await job('bad-zone')).last_error).toMatch(/timezone "Mars\/Olympus"/)
    expect(await job('good')).toMatchObject({ last_status: 'succeeded', consecutive_failures: 0 })
  })

  it('reports a tenant it cannot serve, without its password, and still runs the others (exit 1)', async () => {
    await addJob('j', ['--cron', '0 13 * * *'])
    await master.addTenant('broken')
    const admin = await master.open()
    try {
      if (serverMode) {
        await admin.master.sql`update tenants set database_url = 'postgres://u:hunter2@127.0.0.1:1/nowhere' where slug = 'broken'`
      } else {
        await admin.master.sql`drop schema broken cascade`
      }
    } finally {
      await admin.close()
    }
    const result = await run('2026-03-07T13:00:10Z')
    expect(result.code).toBe(1)
    const broken = result.summary.tenants.find((tenant: any) => tenant.slug === 'broken')
    expect(broken.ok).toBe(false)
    expect(broken.error).toMatch(serverMode ? /127\.0\.0\.1:1/ : /not migrated|schema/)
    expect(result.stdout + result.stderr).not.toContain('hunter2')
    expect(result.summary.tenants.find((tenant: any) => tenant.slug === 'default')).toMatchObject({ ok: true, succeeded: 1 })
  })
})

describe('run: catch-up, overlap, retries, timeouts, one-off jobs', () => {
  it('applies each catch-up policy to the slots missed since the last tick', async () => {
    await addJob('latest', ['--cron', '0 * * * *'])
    await addJob('all', ['--cron', '0 * * * *', '--catchup', 'all'])
    await addJob('none-late', ['--cron', '0 * * * *', '--catchup', 'none'])
    await addJob('none-in-grace', ['--cron', '2 * * * *', '--catchup', 'none'])
    const result = await run('2026-03-07T17:06:00Z')
    expect(result.code, result.stderr).toBe(0)
    // latest 1 + all 5 + none-in-grace 1 ran; none-late's 5 slots and none-in-grace's older 5 were missed.
    expect(result.summary.totals).toMatchObject({ succeeded: 7, missed: 2 })

    const latest = await history('latest')
    expect(latest).toHaveLength(1)
    expect(latest[0]).toMatchObject({ scheduledFor: '2026-03-07T17:00:00.000Z', trigger: 'catchup', status: 'succeeded', coveredSlots: 4 })
    expect(latest[0].latenessMs).toBe(360_000)
    const all = await history('all')
    expect(all.map((row) => [row.scheduledFor.slice(11, 16), row.trigger])).toEqual([
      ['17:00', 'schedule'], ['16:00', 'catchup'], ['15:00', 'catchup'], ['14:00', 'catchup'], ['13:00', 'catchup'],
    ])
    expect(await history('none-late')).toMatchObject([{ scheduledFor: '2026-03-07T17:00:00.000Z', status: 'missed', coveredSlots: 4 }])
    const inGrace = await history('none-in-grace')
    expect(inGrace.map((row) => [row.scheduledFor.slice(11, 16), row.status, row.coveredSlots])).toEqual([
      ['17:02', 'succeeded', 0], ['16:02', 'missed', 4],
    ])
    for (const name of ['latest', 'all', 'none-late']) expect((await job(name)).next_run_at.toISOString()).toBe('2026-03-07T18:00:00.000Z')
  })

  it('catches up a job down for months, capped at 100 slots, recording lateness beyond what an integer holds', async () => {
    await master.cli(['jobs', 'add', '--name', 'nightly', '--cron', '0 0 * * *', '--catchup', 'all', '--handler', 'sql', '--config', '{"sql":"select 1"}', '--now', '2025-11-01T00:30:00Z'])
    const result = await run('2026-03-07T00:30:00Z')
    expect(result.code, result.stderr).toBe(0)
    expect(result.summary.totals.succeeded).toBe(100)
    const rows = await history('nightly')
    expect(rows.at(-1)).toMatchObject({ scheduledFor: '2025-11-02T00:00:00.000Z', latenessMs: 2_147_483_647 })
    expect((await job('nightly')).next_run_at.toISOString()).toBe('2026-02-10T00:00:00.000Z')
    expect((await run('2026-03-07T00:30:00Z')).summary.totals.succeeded).toBe(26)
  })

  it('skips a slot while an earlier attempt still runs, unless overlap is allowed', async () => {
    await addJob('skip', ['--cron', '0 * * * *'])
    await addJob('allow', ['--cron', '0 * * * *', '--overlap', 'allow'])
    await master.withTenant('default', (db) => db.sql`
      insert into ${db.table('cron_job_executions')} (job_id, scheduled_for, trigger, status, started_at, timeout_at, runner)
      select id, '2026-03-07T12:00:00Z', 'manual', 'running', '2026-03-07T12:00:00Z', '2026-03-07T23:00:00Z', 'elsewhere:1'
      from ${db.table('cron_jobs')}`)
    const result = await run('2026-03-07T13:00:30Z')
    expect(result.summary.totals).toMatchObject({ succeeded: 1, skipped: 1 })
    expect((await history('skip'))[0]).toMatchObject({ scheduledFor: '2026-03-07T13:00:00.000Z', status: 'skipped', error: expect.stringMatching(/still running/) })
    expect((await history('allow'))[0]).toMatchObject({ scheduledFor: '2026-03-07T13:00:00.000Z', status: 'succeeded' })
    expect((await job('skip')).next_run_at.toISOString()).toBe('2026-03-07T14:00:00.000Z')
  })

  it('retries a failed slot after its delay, doubling, up to its limit, as the same slot', async () => {
    await addJob('divide', ['--cron', '0 13 * * *'], ['--config', '{"sql":"select 1/0"}', '--retries', '2', '--retry-delay', '1m'])
    const first = await run('2026-03-07T13:00:10Z')
    expect(first.code).toBe(1)
    expect(first.summary.totals.failed).toBe(1)
    expect((await run('2026-03-07T13:01:00Z')).summary.totals.failed).toBe(0) // the retry is due at 13:01:10
    expect((await run('2026-03-07T13:01:20Z')).summary.totals.failed).toBe(1) // attempt 2; attempt 3 waits 2m
    expect((await run('2026-03-07T13:02:30Z')).summary.totals.failed).toBe(0)
    expect((await run('2026-03-07T13:03:30Z')).summary.totals.failed).toBe(1)
    expect((await run('2026-03-07T13:30:00Z')).summary.totals.failed).toBe(0) // the limit is reached
    const rows = await history('divide')
    expect(rows.map((row) => [row.scheduledFor, row.attempt, row.trigger, row.status])).toEqual([
      ['2026-03-07T13:00:00.000Z', 3, 'retry', 'failed'],
      ['2026-03-07T13:00:00.000Z', 2, 'retry', 'failed'],
      ['2026-03-07T13:00:00.000Z', 1, 'schedule', 'failed'],
    ])
    expect(rows[0].error).toMatch(/division by zero/)
    expect(rows[2].retryAt).toBe(null)
    expect(await job('divide')).toMatchObject({ failure_count: 3, consecutive_failures: 3, last_status: 'failed', run_count: 3 })
    expect((await job('divide')).next_run_at.toISOString()).toBe('2026-03-08T13:00:00.000Z')
  })

  it('ends an attempt past its timeout as timed_out even when the handler ignores its signal', async () => {
    await master.cli(['jobs', 'add', '--name', 'hang', '--cron', '0 13 * * *', '--handler', 'hang', '--timeout', '1s', '--retries', '0', '--now', added])
    const result = await master.cli(['run', '--now', '2026-03-07T13:00:00Z', '--json', '--handlers', handlersModule])
    expect(result.code).toBe(1)
    expect(json(result).totals.timedOut).toBe(1)
    expect((await history('hang'))[0]).toMatchObject({ status: 'timed_out', error: 'timed out after 1000 ms' })
  })

  it.skipIf(!serverMode)('cancels the statement of a sql job past its timeout', async () => {
    await addJob('sleepy', ['--cron', '0 13 * * *'], ['--config', '{"sql":"select pg_sleep(30)"}', '--timeout', '1s', '--retries', '0'])
    const started = Date.now()
    const result = await run('2026-03-07T13:00:00Z')
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(result.code).toBe(1)
    expect(result.summary.totals.timedOut).toBe(1)
    expect((await history('sleepy'))[0]).toMatchObject({ status: 'timed_out', error: expect.stringMatching(/timed out after 1000 ms/) })
    const [sleeping] = await master.sql()`select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(30)%' and pid <> pg_backend_pid()`
    expect(sleeping!.n).toBe(0)
  })

  it('gives an application handler its tenant, slot, attempt and idempotency key', async () => {
    await master.cli(['jobs', 'add', '--name', 'echo', '--cron', '0 13 * * *', '--handler', 'echo', '--now', added])
    expect((await master.cli(['run', '--now', '2026-03-07T13:00:00Z', '--handlers', handlersModule])).code).toBe(0)
    const [row] = await history('echo')
    const id = (await job('echo')).id
    expect(row.result).toEqual({ tenant: 'default', slot: '2026-03-07T13:00:00.000Z', attempt: 1, key: `default:${id}:2026-03-07T13:00:00.000Z` })
  })

  it('runs a one-off job once and leaves it inactive with its outcome', async () => {
    await addJob('once', ['--at', '2026-03-07T15:30:00Z'])
    expect((await run('2026-03-07T15:00:00Z')).summary.totals.succeeded).toBe(0)
    expect((await run('2026-03-07T15:30:00Z')).summary.totals.succeeded).toBe(1)
    expect((await run('2026-03-08T15:30:00Z')).summary.totals.succeeded).toBe(0)
    expect(await job('once')).toMatchObject({ is_active: false, last_status: 'succeeded', next_run_at: null, run_count: 1 })
  })
})

describe('run: window, dry run, shards, manual triggers', () => {
  it('with --window, starts each slot inside the window at its time', async () => {
    await addJob('five', ['--cron', '*/5 * * * *'])
    const result = await run('2026-03-07T12:02:00Z', ['--window', '55m'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.summary.totals.succeeded).toBe(11)
    const rows = await history('five')
    expect(rows.map((row) => row.scheduledFor.slice(11, 16)).reverse()).toEqual(
      ['12:05', '12:10', '12:15', '12:20', '12:25', '12:30', '12:35', '12:40', '12:45', '12:50', '12:55'])
    for (const row of rows) expect(row.latenessMs).toBe(0)
    // Nothing else falls inside the window: the run ends after its last slot.
    expect(result.summary.finishedAt).toBe('2026-03-07T12:55:00.000Z')
  })

  it('with --dry-run, prints what would run and changes nothing', async () => {
    await addJob('a', ['--cron', '0 13 * * *'])
    await addJob('b', ['--cron', '0 * * * *', '--catchup', 'all'])
    const before = await job('b')
    const result = await run('2026-03-07T14:00:00Z', ['--dry-run'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.summary).toMatchObject({ runId: null, dryRun: true })
    const planned = [...result.summary.planned].sort((x: any, y: any) => x.job.localeCompare(y.job) || x.scheduledFor.localeCompare(y.scheduledFor))
    expect(planned).toEqual([
      { tenant: 'default', job: 'a', scheduledFor: '2026-03-07T13:00:00.000Z', attempt: 1, trigger: 'schedule' },
      { tenant: 'default', job: 'b', scheduledFor: '2026-03-07T13:00:00.000Z', attempt: 1, trigger: 'catchup' },
      { tenant: 'default', job: 'b', scheduledFor: '2026-03-07T14:00:00.000Z', attempt: 1, trigger: 'schedule' },
    ])
    expect(await executions()).toEqual([])
    expect((await job('b')).next_run_at).toEqual(before.next_run_at)
    const text = await master.cli(['run', '--now', '2026-03-07T14:00:00Z', '--dry-run'])
    expect(text.stdout).toMatch(/would run:[\s\S]*default\s+a\s+2026-03-07T13:00:00.000Z/)
  })

  it('splits the tenants between shards: every tenant in exactly one', async () => {
    for (const slug of ['t1', 't2', 't3']) await master.addTenant(slug)
    const served = await Promise.all(['1/2', '2/2'].map(async (shard) =>
      (await run('2026-03-07T13:00:00Z', ['--shard', shard, '--dry-run'])).summary.tenants.map((tenant: any) => tenant.slug)))
    expect([...served[0], ...served[1]].sort()).toEqual(['default', 't1', 't2', 't3'])
    const again = (await run('2026-03-07T13:00:00Z', ['--shard', '1/2', '--dry-run'])).summary.tenants.map((tenant: any) => tenant.slug)
    expect(again).toEqual(served[0])
    const bad = await master.cli(['run', '--shard', '3/2'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/invalid --shard "3\/2"/)
  })

  it('runs a job by hand as a manual attempt that leaves the schedule alone', async () => {
    await addJob('hand', ['--cron', '0 13 * * *'], ['--config', '{"sql":"select current_setting(\'scheduler.attempt\') as attempt"}'])
    const triggered = await master.cli(['jobs', 'trigger', 'hand', '--now', '2026-03-07T12:30:00Z', '--json'])
    expect(triggered.code, triggered.stderr).toBe(0)
    expect(json(triggered)).toMatchObject({ job: 'hand', trigger: 'manual', status: 'succeeded', scheduledFor: '2026-03-07T12:30:00.000Z',
      result: { rowCount: 1, rows: [{ attempt: '1' }] } })
    expect((await job('hand')).next_run_at.toISOString()).toBe('2026-03-07T13:00:00.000Z')
    expect((await run('2026-03-07T13:00:00Z')).summary.totals.succeeded).toBe(1)
    expect((await history('hand')).map((row) => row.trigger)).toEqual(['schedule', 'manual'])

    await master.cli(['jobs', 'add', '--name', 'orphan', '--cron', '0 13 * * *', '--handler', 'not.registered', '--now', added])
    const refused = await master.cli(['jobs', 'trigger', 'orphan'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/cannot trigger job "orphan": unknown handler "not.registered"; registered: exec, http, scheduler.purge, sql/)
    expect(await history('orphan')).toEqual([])
  })

  it('prints a readable summary on a terminal and the JSON shape with --json', async () => {
    await addJob('j', ['--cron', '0 13 * * *'])
    const result = await run('2026-03-07T13:00:00Z')
    expect(Object.keys(result.summary)).toEqual(['runId', 'startedAt', 'finishedAt', 'tenants', 'totals'])
    expect(result.summary.tenants).toEqual([{ slug: 'default', ok: true, succeeded: 1, failed: 0, timedOut: 0, skipped: 0, missed: 0, cancelled: 0, abandoned: 0, durationMs: expect.any(Number) }])
    const text = await master.cli(['run', '--now', '2026-03-07T13:00:00Z'])
    expect(text.stdout).toMatch(/TENANT\s+OK\s+SUCCEEDED/)
    expect(text.stdout).toMatch(/^run [0-9a-f-]{36} from/m)
  })
})

describe.skipIf(!serverMode)('run: stopping', () => {
  it('on SIGTERM claims nothing more, aborts running handlers after the grace and records them cancelled', async () => {
    const dueNow = new Date(Date.now() - 1000).toISOString()
    await master.cli(['jobs', 'add', '--name', 'long', '--at', dueNow, '--handler', 'sql', '--config', '{"sql":"select pg_sleep(60)"}'])
    const child = spawn(process.execPath, [binPath, 'run', '--window', '10m', '--grace', '1s', '--json'], { env: { PATH: process.env.PATH ?? '', ...master.env } })
    let stdout = ''
    child.stdout.on('data', (chunk) => { stdout += chunk })
    const sql = master.sql()
    for (let i = 0; i < 200; i++) {
      const [row] = await sql`select count(*)::int as n from cron_job_executions where status = 'running'`
      if (row!.n === 1) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const started = Date.now()
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(JSON.parse(stdout).totals).toMatchObject({ cancelled: 1 })
    const [row] = await sql`select status, error from cron_job_executions`
    expect(row).toMatchObject({ status: 'cancelled' })
  })
})
