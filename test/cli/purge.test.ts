import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestMaster, json, type TestMaster } from '../helpers/master.js'

let master: TestMaster
beforeEach(async () => {
  master = await createTestMaster()
})
afterEach(async () => {
  await master.cleanup()
})

describe('the system job scheduler.purge', () => {
  it('is installed in every tenant, editable, never removable', async () => {
    const shown = json(await master.cli(['jobs', 'show', 'scheduler.purge', '--json']))
    expect(shown).toMatchObject({ isSystem: true, handler: 'scheduler.purge', cronExpression: '17 3 * * *', configuration: { retentionDays: 30, keepPerJob: 10 } })
    const removed = await master.cli(['jobs', 'remove', 'scheduler.purge'])
    expect(removed.code).toBe(2)
    expect(removed.stderr).toMatch(/"scheduler.purge" is a system job: it can be edited or disabled, not removed/)
    const edited = json(await master.cli(['jobs', 'update', 'scheduler.purge', '--cron', '0 4 * * *', '--now', '2026-03-07T00:00:00Z', '--json']))
    expect(edited.nextRunAt).toBe('2026-03-07T04:00:00.000Z')
    // migrate keeps the edit.
    expect((await master.cli(['migrate'])).code).toBe(0)
    expect(json(await master.cli(['jobs', 'show', 'scheduler.purge', '--json'])).cronExpression).toBe('0 4 * * *')
  })

  it('deletes finished executions past the retention, keeping the newest of each job and pending retries, and old one-off jobs', async () => {
    await master.cli(['jobs', 'update', 'scheduler.purge', '--cron', '0 4 * * *', '--config', '{"retentionDays":30,"keepPerJob":2,"batchSize":2}', '--now', '2026-03-07T00:00:00Z'])
    await master.cli(['jobs', 'add', '--name', 'daily', '--cron', '0 12 * * *', '--handler', 'sql', '--config', '{"sql":"select 1"}', '--now', '2026-03-07T00:00:00Z'])
    await master.withTenant('default', async (db) => {
      const [job] = await db.sql<{ id: string }[]>`select id from ${db.table('cron_jobs')} where name = 'daily'`
      const row = (day: string, extra: { retry_at?: string; status?: string } = {}) => ({
        job_id: job!.id, scheduled_for: day, status: extra.status ?? 'succeeded', finished_at: day, created_at: day, retry_at: extra.retry_at ?? null,
      })
      const rows = [
        ...['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05'].map((day) => row(`${day}T12:00:00Z`)),
        row('2026-01-10T12:00:00Z', { status: 'failed', retry_at: '2026-03-08T00:00:00Z' }),
        row('2026-03-06T12:00:00Z'),
      ]
      await db.sql`insert into ${db.table('cron_job_executions')} ${db.sql(rows.map((item) => ({ ...item, trigger: 'schedule' })))}`
      await db.sql`insert into ${db.table('cron_jobs')} (name, run_at, handler, is_active, last_run_at, next_run_at) values
        ('old-once', '2026-01-01T00:00:00Z', 'sql', false, '2026-01-01T00:00:00Z', null),
        ('new-once', '2026-03-01T00:00:00Z', 'sql', false, '2026-03-01T00:00:00Z', null)`
    })

    const run = await master.cli(['run', '--now', '2026-03-07T04:00:00Z', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const [purge] = json(await master.cli(['jobs', 'history', 'scheduler.purge', '--json']))
    expect(purge).toMatchObject({ status: 'succeeded', result: { cutoff: '2026-02-05T04:00:00.000Z', executions: 5, oneOffJobs: 1, stoppedEarly: false } })
    const left = json(await master.cli(['jobs', 'history', 'daily', '--json']))
    expect(left.map((row: any) => [row.scheduledFor.slice(0, 10), row.status])).toEqual([['2026-03-06', 'succeeded'], ['2026-01-10', 'failed']])
    const names = json(await master.cli(['jobs', 'list', '--json'])).map((job: any) => job.name)
    expect(names).toContain('new-once')
    expect(names).not.toContain('old-once')
  })
})
