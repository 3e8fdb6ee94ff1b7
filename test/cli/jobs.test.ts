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

const userJobs = () => listUserJobs(master)

describe('jobs add / list / show', () => {
  it('adds a job, computing next_run_at in its zone, and lists it as JSON', async () => {
    const added = await master.cli(['jobs', 'add', '--name', 'nightly', '--cron', '30 2 * * *', '--tz', 'America/New_York',
      '--handler', 'sql', '--config', '{"sql":"select 1"}', '--retries', '2', '--timeout', '90s', '--now', now, '--json'])
    expect(added.stderr).toBe('')
    expect(added.code).toBe(0)
    const job = json(added)
    // 2026-03-08 02:30 does not exist in New York: a fixed-time job runs at the gap's end, 03:00 EDT.
    expect(job).toMatchObject({ name: 'nightly', cronExpression: '30 2 * * *', timezone: 'America/New_York', handler: 'sql',
      configuration: { sql: 'select 1' }, maxRetries: 2, timeoutMs: 90_000, isActive: true, isPaused: false,
      nextRunAt: '2026-03-08T07:00:00.000Z' })

    const listed = await userJobs()
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ name: 'nightly', nextRunAt: '2026-03-08T07:00:00.000Z' })

    const shown = await master.cli(['jobs', 'show', 'nightly'])
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('2026-03-08 03:00')
    expect(shown.stdout).toContain('America/New_York')
  })

  it('adds a one-off job with --at and keeps policies', async () => {
    const job = json(await master.cli(['jobs', 'add', '--name', 'once', '--at', '2026-04-01T09:15:00+02:00', '--handler', 'sql',
      '--catchup', 'none', '--overlap', 'allow', '--retry-delay', '1h30m', '--paused', '--json']))
    expect(job).toMatchObject({ runAt: '2026-04-01T07:15:00.000Z', nextRunAt: '2026-04-01T07:15:00.000Z', cronExpression: null,
      catchupPolicy: 'none', overlapPolicy: 'allow', retryDelayMs: 5_400_000, isPaused: true })
  })

  it.each([
    [['--cron', '61 * * * *'], /61/],
    [['--cron', 'not a cron'], /not a cron/],
    [['--cron', '0 0 * * *', '--tz', 'Mars/Olympus'], /invalid timezone "Mars\/Olympus".*IANA/],
    [['--cron', '0 0 * * *', '--timeout', '10 minutes'], /invalid --timeout "10 minutes".*90s/],
    [['--cron', '0 0 * * *', '--config', '{"sql": '], /invalid JSON in --config/],
    [['--cron', '0 0 * * *', '--config', '[1]'], /--config: it must be a JSON object/],
    [['--cron', '0 0 * * *', '--catchup', 'sometimes'], /"sometimes": use one of latest, all, none/],
    [['--cron', '0 0 * * *', '--retries', '-1'], /--retries "-1"/],
    [['--at', 'tomorrow'], /invalid --at .*"tomorrow"/],
    [['--cron', '0 0 * * *', '--at', '2026-04-01T09:15:00Z'], /either a cron expression or --at/],
    [[], /needs a schedule/],
    [['--cron', '0 0 31 2 *'], /cron expression "0 0 31 2 \*" of job "bad" never matches a date/],
  ])('refuses bad input %j with exit 2, naming the value, writing nothing', async (args, message) => {
    const result = await master.cli(['jobs', 'add', '--name', 'bad', '--handler', 'sql', ...args])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(await userJobs()).toEqual([])
  })

  it('refuses a duplicate name and an unknown tenant', async () => {
    expect((await master.cli(['jobs', 'add', '--name', 'a', '--cron', '@hourly', '--handler', 'sql'])).code).toBe(0)
    const duplicate = await master.cli(['jobs', 'add', '--name', 'a', '--cron', '@daily', '--handler', 'sql'])
    expect(duplicate.code).toBe(2)
    expect(duplicate.stderr).toMatch(/a job named "a" already exists/)
    const unknown = await master.cli(['jobs', 'list', '--tenant', 'nope'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown tenant "nope"; known tenants: default/)
    const job = json(await master.cli(['jobs', 'show', 'a', '--json']))
    expect(job.cronExpression).toBe('@hourly')
  })
})

describe('jobs add with a handlers module', () => {
  it('refuses a handler the module and the built-ins do not register', async () => {
    const handlers = fileURLToPath(new URL('../fixtures/handlers.mjs', import.meta.url))
    const refused = await master.cli(['jobs', 'add', '--name', 'x', '--cron', '@daily', '--handler', 'echoo', '--handlers', handlers])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/unknown handler "echoo"; registered: echo, exec, hang, http, scheduler.purge, sql/)
    expect((await master.cli(['jobs', 'add', '--name', 'x', '--cron', '@daily', '--handler', 'echo', '--handlers', handlers])).code).toBe(0)
  })
})

describe('jobs update / pause / resume / enable / disable / remove', () => {
  it('recomputes next_run_at from now when the schedule changes, and only then', async () => {
    await master.cli(['jobs', 'add', '--name', 'j', '--cron', '0 9 * * *', '--handler', 'sql', '--now', now])
    const described = json(await master.cli(['jobs', 'update', 'j', '--description', 'morning', '--now', '2026-03-09T00:00:00Z', '--json']))
    expect(described.nextRunAt).toBe('2026-03-08T09:00:00.000Z')
    const moved = json(await master.cli(['jobs', 'update', 'j', '--cron', '0 18 * * *', '--tz', 'Europe/Berlin', '--now', '2026-03-09T00:00:00Z', '--json']))
    expect(moved).toMatchObject({ description: 'morning', cronExpression: '0 18 * * *', nextRunAt: '2026-03-09T17:00:00.000Z' })
    const bad = await master.cli(['jobs', 'update', 'j', '--tz', 'Nowhere/Land'])
    expect(bad.code).toBe(2)
    expect(json(await master.cli(['jobs', 'show', 'j', '--json'])).timezone).toBe('Europe/Berlin')
  })

  it('pauses, and resumes from now recording the passed-over slots as skipped', async () => {
    await master.cli(['jobs', 'add', '--name', 'hourly', '--cron', '0 * * * *', '--handler', 'sql', '--now', now])
    expect(json(await master.cli(['jobs', 'pause', 'hourly', '--json'])).isPaused).toBe(true)
    const resumed = json(await master.cli(['jobs', 'resume', 'hourly', '--now', '2026-03-07T17:30:00Z', '--json']))
    expect(resumed).toMatchObject({ isPaused: false, nextRunAt: '2026-03-07T18:00:00.000Z' })
    const disabled = json(await master.cli(['jobs', 'disable', 'hourly', '--json']))
    expect(disabled.isActive).toBe(false)
    expect(json(await master.cli(['jobs', 'enable', 'hourly', '--now', '2026-03-07T18:10:00Z', '--json'])).nextRunAt).toBe('2026-03-07T19:00:00.000Z')
    const removed = await master.cli(['jobs', 'remove', 'hourly'])
    expect(removed.code).toBe(0)
    expect(await userJobs()).toEqual([])
    const again = await master.cli(['jobs', 'remove', 'hourly'])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/unknown job "hourly"/)
  })
})
