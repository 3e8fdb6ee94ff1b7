import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestMaster, json, type TestMaster } from '../helpers/master.js'

let master: TestMaster
beforeEach(async () => {
  master = await createTestMaster()
})
afterEach(async () => {
  await master.cleanup()
})

describe('status', () => {
  // Every tenant has the system job scheduler.purge, due at 03:17 UTC after the suite was set up.
  it('shows the last run and, per tenant, what is due now, running and failing', async () => {
    const before = json(await master.cli(['status', '--json', '--now', '2026-03-07T12:00:00Z']))
    expect(before.lastRun).toBe(null)
    expect(before.tenants).toEqual([{ slug: 'default', ok: true, jobs: 1, active: 1, paused: 0, dueNow: 0, running: 0, failing: 0, lastRunAt: null }])

    const add = (name: string, sql: string, extra: string[] = []) =>
      master.cli(['jobs', 'add', '--name', name, '--cron', '0 13 * * *', '--handler', 'sql', '--config', JSON.stringify({ sql }), '--now', '2026-03-07T12:00:00Z', ...extra])
    await add('ok', 'select 1')
    await add('broken', 'select 1/0', ['--retries', '0'])
    await add('later', 'select 1', ['--paused'])
    expect(json(await master.cli(['status', '--json', '--now', '2026-03-07T13:00:10Z'])).tenants[0]).toMatchObject({ jobs: 4, active: 4, paused: 1, dueNow: 2, failing: 0 })

    await master.cli(['run', '--now', '2026-03-07T13:00:10Z'])
    const after = json(await master.cli(['status', '--json', '--now', '2026-03-07T13:00:20Z']))
    expect(after.lastRun).toMatchObject({ status: 'failed', clockAt: '2026-03-07T13:00:10.000Z', counts: { succeeded: 1, failed: 1 }, tenantsTotal: 1 })
    expect(after.tenants[0]).toMatchObject({ slug: 'default', ok: true, dueNow: 0, running: 0, failing: 1, lastRunAt: expect.stringMatching(/^20/) })

    const text = await master.cli(['status', '--now', '2026-03-07T13:00:20Z'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^last run: failed, started/)
    expect(text.stdout).toMatch(/TENANT\s+JOBS\s+ACTIVE\s+PAUSED\s+DUE NOW\s+RUNNING\s+FAILING\s+LAST RUN\ndefault\s+4\s+4\s+1\s+0\s+0\s+1/)
  })
})
