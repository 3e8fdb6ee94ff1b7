import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestMaster, json, listUserJobs, type TestMaster } from '../helpers/master.js'

let master: TestMaster
beforeEach(async () => {
  master = await createTestMaster()
})
afterEach(async () => {
  await master.cleanup()
})

const now = '2026-03-07T12:00:00Z'

const nightly = { name: 'nightly', cron: '30 2 * * *', tz: 'America/New_York', handler: 'sql', configuration: { sql: 'select 1' }, timeout: '90s', retries: 2 }
const berlin = { name: 'berlin-report', cron: '0 9 * * 1', tz: 'Europe/Berlin', handler: 'http', configuration: { url: 'http://127.0.0.1:9/report' }, description: 'weekly' }
const once = { name: 'once', at: '2026-04-01T09:15:00+02:00', handler: 'sql', catchup: 'none', overlap: 'allow', retryDelay: '1h30m' }

/** Writes a jobs file into the test's own folder (the CLI's working directory) and returns its name. */
function writeJobsFile(name: string, content: unknown): string {
  writeFileSync(path.join(master.dataDir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  return name
}

async function apply(file: string, ...args: string[]) {
  const result = await master.cli(['jobs', 'apply', file, '--json', ...args])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  return json(result)
}

const listJobs = (tenant?: string) => listUserJobs(master, tenant)

const actions = (plan: any, tenant = 0) => Object.fromEntries(plan.tenants[tenant].jobs.map((job: any) => [job.name, job.action]))

describe('jobs apply', () => {
  it('creates the jobs of a file, each next run in its zone, and a second apply changes nothing', async () => {
    const file = writeJobsFile('billing.json', { source: 'billing', jobs: [nightly, berlin, once] })
    const first = await apply(file, '--now', now)
    expect(first).toMatchObject({ source: 'billing', dryRun: false, tenants: [{ tenant: 'default', applied: true, error: null }] })
    expect(actions(first)).toEqual({ nightly: 'create', 'berlin-report': 'create', once: 'create' })
    expect(first.tenants[0].counts).toMatchObject({ create: 3, update: 0, unchanged: 0, remove: 0 })

    const created = await listJobs()
    const byName = Object.fromEntries(created.map((job) => [job.name, job]))
    // 2026-03-08 02:30 does not exist in New York: the fixed-time job runs at the gap's end, 03:00 EDT.
    expect(byName.nightly).toMatchObject({ cronExpression: '30 2 * * *', timezone: 'America/New_York', handler: 'sql', configuration: { sql: 'select 1' },
      timeoutMs: 90_000, maxRetries: 2, sourceType: 'apply', sourceName: 'billing', nextRunAt: '2026-03-08T07:00:00.000Z' })
    // Monday 2026-03-09 09:00 in Berlin (CET) is 08:00Z.
    expect(byName['berlin-report']).toMatchObject({ description: 'weekly', nextRunAt: '2026-03-09T08:00:00.000Z' })
    expect(byName.once).toMatchObject({ cronExpression: null, runAt: '2026-04-01T07:15:00.000Z', nextRunAt: '2026-04-01T07:15:00.000Z',
      catchupPolicy: 'none', overlapPolicy: 'allow', retryDelayMs: 5_400_000, timeoutMs: 3_600_000 })

    const second = await apply(file, '--now', '2026-03-07T13:00:00Z')
    expect(actions(second)).toEqual({ nightly: 'unchanged', 'berlin-report': 'unchanged', once: 'unchanged' })
    expect(second.tenants[0]).toMatchObject({ applied: false, counts: { create: 0, update: 0, unchanged: 3, remove: 0 } })
    expect(await listJobs()).toEqual(created)

    const text = await master.cli(['jobs', 'apply', file])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/default\s+unchanged\s+nightly/)
    expect(text.stdout).toContain('tenant "default" (source "billing"): created 0, updated 0, removed 0; 3 unchanged')
  })

  it('keeps next_run_at on an edit that leaves the schedule, recomputes it from --now when the cron changes', async () => {
    const file = writeJobsFile('jobs.json', [nightly, berlin])
    await apply(file, '--now', now)

    writeJobsFile('jobs.json', [{ ...nightly, description: 'purge at night' }, berlin])
    const described = await apply(file, '--now', '2026-03-10T00:00:00Z')
    expect(actions(described)).toEqual({ nightly: 'update', 'berlin-report': 'unchanged' })
    expect(described.tenants[0].jobs[0]).toEqual({ action: 'update', name: 'nightly', changes: { description: { from: null, to: 'purge at night' } } })
    let jobs = await listJobs()
    expect(jobs.find((job) => job.name === 'nightly')).toMatchObject({ description: 'purge at night', nextRunAt: '2026-03-08T07:00:00.000Z' })

    writeJobsFile('jobs.json', [{ ...nightly, description: 'purge at night', cron: '0 18 * * *' }, berlin])
    const moved = await apply(file, '--now', '2026-03-10T00:00:00Z')
    // 18:00 in New York on 2026-03-10 (EDT since the 8th) is 22:00Z.
    expect(moved.tenants[0].jobs[0]).toMatchObject({ action: 'update', changes: { cron: { from: '30 2 * * *', to: '0 18 * * *' } },
      nextRunAt: '2026-03-10T22:00:00.000Z' })
    jobs = await listJobs()
    expect(jobs.find((job) => job.name === 'nightly')).toMatchObject({ cronExpression: '0 18 * * *', nextRunAt: '2026-03-10T22:00:00.000Z' })
    expect(jobs.find((job) => job.name === 'berlin-report')!.nextRunAt).toBe('2026-03-09T08:00:00.000Z')
    // The source defaults to the file's base name.
    expect(jobs.every((job) => job.sourceType === 'apply' && job.sourceName === 'jobs')).toBe(true)
  })

  it('pauses a job from the file, and a resume counts from --now, recording the passed-over slots as skipped', async () => {
    const hourly = { name: 'hourly', cron: '0 * * * *', handler: 'sql', paused: true }
    const file = writeJobsFile('jobs.json', [hourly])
    await apply(file, '--now', now)
    writeJobsFile('jobs.json', [{ ...hourly, paused: false }])
    const resumed = await apply(file, '--now', '2026-03-07T17:30:00Z')
    expect(resumed.tenants[0].jobs[0]).toMatchObject({ action: 'update', changes: { paused: { from: true, to: false } }, nextRunAt: '2026-03-07T18:00:00.000Z' })
    expect((await listJobs())[0]).toMatchObject({ isPaused: false, nextRunAt: '2026-03-07T18:00:00.000Z' })
    const history = json(await master.cli(['jobs', 'history', 'hourly', '--json']))
    // 13:00 to 17:00: one skipped row for 13:00 standing for four more.
    expect(history).toMatchObject([{ scheduledFor: '2026-03-07T13:00:00.000Z', status: 'skipped', coveredSlots: 4, error: 'the job was paused' }])
  })

  it('prunes with --prune only the jobs of its own source, never a job added by hand or by another file', async () => {
    const system = { name: 'system-purge', cron: '@daily', handler: 'sql', isSystem: true }
    const file = writeJobsFile('billing.json', { source: 'billing', jobs: [nightly, berlin, system] })
    await apply(file, '--now', now)
    writeJobsFile('other.json', { source: 'other', jobs: [{ name: 'other-job', cron: '@daily', handler: 'sql' }] })
    await apply('other.json', '--now', now)
    expect((await master.cli(['jobs', 'add', '--name', 'by-hand', '--cron', '@hourly', '--handler', 'sql'])).code).toBe(0)

    writeJobsFile('billing.json', { source: 'billing', jobs: [nightly] })
    const withoutPrune = await apply(file, '--now', now)
    expect(actions(withoutPrune)).toEqual({ nightly: 'unchanged' })
    expect((await listJobs()).map((job) => job.name)).toEqual(['berlin-report', 'by-hand', 'nightly', 'other-job', 'system-purge'])

    const dry = await apply(file, '--prune', '--dry-run', '--now', now)
    expect(actions(dry)).toEqual({ nightly: 'unchanged', 'berlin-report': 'remove', 'system-purge': 'keep' })
    expect((await listJobs()).map((job) => job.name)).toEqual(['berlin-report', 'by-hand', 'nightly', 'other-job', 'system-purge'])

    const pruned = await master.cli(['jobs', 'apply', file, '--prune', '--now', now])
    expect(pruned.code).toBe(0)
    expect(pruned.stdout).toMatch(/default\s+remove\s+berlin-report\s+0 9 \* \* 1 \(Europe\/Berlin\)/)
    // A system job is editable, not removable: the file gives it up but it stays.
    expect(pruned.stdout).toMatch(/default\s+keep\s+system-purge\s+a system job is never removed/)
    expect(pruned.stdout).toContain('created 0, updated 0, removed 1; 1 unchanged, 1 kept')
    expect((await listJobs()).map((job) => job.name)).toEqual(['by-hand', 'nightly', 'other-job', 'system-purge'])
  })

  it('prints the plan and writes nothing with --dry-run', async () => {
    const file = writeJobsFile('jobs.json', [nightly, once])
    const text = await master.cli(['jobs', 'apply', file, '--dry-run', '--now', now])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/default\s+create\s+nightly\s+30 2 \* \* \* \(America\/New_York\), next 2026-03-08 03:00 EDT/)
    expect(text.stdout).toContain('would create 2, update 0, remove 0; 0 unchanged (dry run: nothing written)')
    expect(await listJobs()).toEqual([])

    await apply(file, '--now', now)
    writeJobsFile('jobs.json', [{ ...nightly, tz: 'UTC' }])
    const plan = await apply(file, '--dry-run', '--prune', '--now', now)
    expect(plan).toMatchObject({ dryRun: true, tenants: [{ applied: false }] })
    expect(actions(plan)).toEqual({ nightly: 'update', once: 'remove' })
    expect(plan.tenants[0].jobs[0]).toMatchObject({ changes: { tz: { from: 'America/New_York', to: 'UTC' } }, nextRunAt: '2026-03-08T02:30:00.000Z' })
    const jobs = await listJobs()
    expect(jobs.map((job) => [job.name, job.timezone, job.nextRunAt])).toEqual([
      ['nightly', 'America/New_York', '2026-03-08T07:00:00.000Z'], ['once', 'UTC', '2026-04-01T07:15:00.000Z']])
  })

  it('applies to every active tenant with --all-tenants, and wants --tenant when there are several', async () => {
    expect((await master.addTenant('acme')).code).toBe(0)
    const file = writeJobsFile('jobs.json', [nightly])
    const ambiguous = await master.cli(['jobs', 'apply', file])
    expect(ambiguous.code).toBe(2)
    expect(ambiguous.stderr).toMatch(/--tenant is required when there are several tenants; known tenants: acme, default/)

    const one = await apply(file, '--tenant', 'acme', '--now', now)
    expect(one.tenants.map((tenant: any) => tenant.tenant)).toEqual(['acme'])
    expect(await listJobs('default')).toEqual([])

    const all = await apply(file, '--all-tenants', '--now', now)
    expect(all.tenants.map((tenant: any) => [tenant.tenant, tenant.jobs[0].action])).toEqual([['acme', 'unchanged'], ['default', 'create']])
    for (const tenant of ['acme', 'default']) {
      expect((await listJobs(tenant)).map((job) => [job.name, job.nextRunAt])).toEqual([['nightly', '2026-03-08T07:00:00.000Z']])
    }
  })

  it('writes a tenant in one transaction: a tenant that fails mid-way has nothing written, the others still apply', async () => {
    expect((await master.addTenant('acme')).code).toBe(0)
    // A trigger in acme refuses the second job, after the first was inserted.
    await master.withTenant('acme', async (db) => {
      const table = db.schema ? `${db.schema}.cron_jobs` : 'cron_jobs'
      const fn = db.schema ? `${db.schema}.refuse_boom` : 'refuse_boom'
      await db.sql.unsafe(`create function ${fn}() returns trigger language plpgsql as $$
        begin if new.name = 'boom' then raise exception 'boom refused'; end if; return new; end $$`)
      await db.sql.unsafe(`create trigger refuse_boom before insert on ${table} for each row execute function ${fn}()`)
    })
    const file = writeJobsFile('jobs.json', [nightly, { name: 'boom', cron: '@daily', handler: 'sql' }])
    const result = await master.cli(['jobs', 'apply', file, '--all-tenants', '--json', '--now', now])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/tenant "acme": boom refused/)
    expect(json(result).tenants).toMatchObject([
      { tenant: 'acme', applied: false, error: 'boom refused' },
      { tenant: 'default', applied: true, error: null },
    ])
    expect(await listJobs('acme')).toEqual([])
    expect((await listJobs('default')).map((job) => job.name)).toEqual(['boom', 'nightly'])
  })

  it('refuses a job of the same name added by hand, writing nothing, unless --adopt takes it over', async () => {
    expect((await master.cli(['jobs', 'add', '--name', 'nightly', '--cron', '@hourly', '--handler', 'sql', '--now', now])).code).toBe(0)
    const file = writeJobsFile('jobs.json', [berlin, nightly])
    const refused = await master.cli(['jobs', 'apply', file, '--now', now])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/job "nightly" already exists in tenant "default" and is not from source "jobs": it was added by hand.*--adopt/)
    expect((await listJobs()).map((job) => [job.name, job.sourceType])).toEqual([['nightly', 'manual']])

    const adopted = await apply(file, '--adopt', '--now', now)
    expect(actions(adopted)).toEqual({ 'berlin-report': 'create', nightly: 'update' })
    expect((await listJobs()).find((job) => job.name === 'nightly')).toMatchObject({
      sourceType: 'apply', sourceName: 'jobs', cronExpression: '30 2 * * *', nextRunAt: '2026-03-08T07:00:00.000Z' })
    expect(actions(await apply(file, '--now', now))).toEqual({ 'berlin-report': 'unchanged', nightly: 'unchanged' })
  })

  it("never takes over the scheduler's own system job, even with --adopt", async () => {
    const file = writeJobsFile('jobs.json', [{ name: 'scheduler.purge', cron: '@daily', handler: 'sql', configuration: { sql: 'select 1' } }])
    const refused = await master.cli(['jobs', 'apply', file, '--adopt', '--now', now])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/job "scheduler.purge" in tenant "default" is the scheduler's own system job/)
    expect(json(await master.cli(['jobs', 'show', 'scheduler.purge', '--json']))).toMatchObject({ handler: 'scheduler.purge', isSystem: true, sourceType: 'system' })
  })

  it('refuses a handler the configured handlers module does not register', async () => {
    const handlers = fileURLToPath(new URL('../fixtures/handlers.mjs', import.meta.url))
    const file = writeJobsFile('jobs.json', [{ name: 'e', cron: '@daily', handler: 'echo' }, { name: 'x', cron: '@daily', handler: 'echoo' }])
    const refused = await master.cli(['jobs', 'apply', file, '--handlers', handlers])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/jobs file "jobs.json": job "x": unknown handler "echoo"; registered: echo, exec, hang, http, /)
    expect(await listJobs()).toEqual([])
  })

  it.each([
    ['bad JSON', '[{"name": "a", "cron": "@daily",', /invalid JSON in jobs file "bad.json"/],
    ['an unknown zone', [nightly, { ...berlin, tz: 'Mars/Olympus' }], /invalid timezone "Mars\/Olympus" for job "berlin-report".*IANA/],
    ['a duplicate name', [nightly, berlin, { ...nightly, cron: '@daily' }], /duplicate job name "nightly" \(jobs #1 and #3\)/],
    ['a bad cron', [nightly, { ...berlin, cron: '61 * * * *' }], /job "berlin-report".*61/],
    ['a bad duration', [{ ...nightly, timeout: '10 minutes' }], /invalid "timeout" of job "nightly" "10 minutes".*90s/],
    ['an unknown field', [{ ...nightly, tzz: 'UTC' }], /unknown field "tzz" in job "nightly"/],
    ['a job without a schedule', [{ name: 'lazy', handler: 'sql' }], /job "lazy" needs a schedule/],
    ['a wrong shape', { jobs: 'nightly' }, /"jobs" must be an array of jobs/],
  ])('refuses a file with %s: exit 2, naming the value, nothing written in any tenant', async (_what, content, message) => {
    const file = writeJobsFile('bad.json', content)
    const result = await master.cli(['jobs', 'apply', file, '--all-tenants'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error: jobs file "bad.json"|^error: invalid JSON in jobs file "bad.json"/)
    expect(result.stderr).toMatch(message)
    expect(result.stdout).toBe('')
    expect(await listJobs()).toEqual([])
  })

  it('refuses a missing file with exit 2', async () => {
    const result = await master.cli(['jobs', 'apply', 'nowhere.json'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/cannot read jobs file "nowhere.json": no such file/)
    expect(await listJobs()).toEqual([])
  })
})
