import { describe, expect, it } from 'vitest'
import { convertHistoryRow, historyScheduleKeys } from '../../../src/legacy/history.js'
import { instantOf } from '../../../src/legacy/tables.js'

const jobId = '33333333-3333-4333-8333-333333333333'
const base = {
  id: '44444444-4444-4444-8444-444444444444',
  job_name: 'sync-inventory',
  source_type: 'plugin',
  source_id: '22222222-2222-4222-8222-222222222222',
  status: 'completed',
  started_at: '2026-03-07T11:45:00+00:00',
  completed_at: '2026-03-07T11:45:02.500+00:00',
  error_message: null,
  result: { synced: 50 },
}

describe('convertHistoryRow', () => {
  it('copies a finished run as a legacy attempt, the original id and result in its result', () => {
    const result = convertHistoryRow(base, jobId)
    if (!result.ok) throw new Error(result.reason)
    expect(result.value).toEqual({
      job_id: jobId, scheduled_for: new Date('2026-03-07T11:45:00Z'), attempt: 1, trigger: 'legacy', status: 'succeeded',
      started_at: new Date('2026-03-07T11:45:00Z'), finished_at: new Date('2026-03-07T11:45:02.500Z'), duration_ms: 2500,
      result: { legacy_history_id: base.id, original_table: 'job_history', legacy_status: 'completed', job_name: 'sync-inventory',
        source_type: 'plugin', source_id: base.source_id, result: { synced: 50 } },
      error: null, runner: 'legacy',
    })
  })

  it.each([
    { why: 'a failure keeps its message', row: { status: 'failed', error_message: 'HTTP 500' }, status: 'failed', error: 'HTTP 500', finished: true },
    { why: 'a run still going is abandoned, never left running for the tick to recover and retry', row: { status: 'running', completed_at: null }, status: 'abandoned', error: /still "running"/, finished: false },
    { why: 'a queued run that never started is cancelled', row: { status: 'pending', started_at: null, completed_at: null } },
    { why: 'a cancelled run says no more than it did', row: { status: 'cancelled' }, status: 'cancelled', error: null, finished: true },
    { why: 'only completed_at: the slot is when it finished', row: { started_at: null }, status: 'succeeded', error: null, finished: true, slot: '2026-03-07T11:45:02.500Z' },
  ])('$why', ({ row, status, error, finished, slot }) => {
    const result = convertHistoryRow({ ...base, ...row }, jobId)
    if (status === undefined) {
      expect(result).toEqual({ ok: false, reason: 'it has neither started_at nor completed_at' })
      return
    }
    if (!result.ok) throw new Error(result.reason)
    expect(result.value.status).toBe(status)
    if (error instanceof RegExp) expect(result.value.error).toMatch(error)
    else expect(result.value.error).toBe(error)
    expect(result.value.finished_at !== null).toBe(finished)
    if (slot) expect(result.value.scheduled_for.toISOString()).toBe(slot)
  })

  it.each([
    [{ status: 'exploded' }, 'unknown status "exploded"'],
    [{ status: null }, 'status is missing'],
    [{ started_at: null, completed_at: null }, 'it has neither started_at nor completed_at'],
    [{ id: null }, 'the row has no id'],
  ])('refuses %j', (row, reason) => {
    expect(convertHistoryRow({ ...base, ...row }, jobId)).toEqual({ ok: false, reason })
  })
})

describe('historyScheduleKeys', () => {
  it('matches on ids: an Akeneo schedule by source_id, a plugin cron by source_id and job_name', () => {
    expect(historyScheduleKeys(base)).toEqual([`akeneo_schedules:${base.source_id}`, `plugin_cron:${base.source_id}/sync-inventory`])
    expect(historyScheduleKeys({ ...base, job_name: null })).toEqual([`akeneo_schedules:${base.source_id}`])
    expect(historyScheduleKeys({ ...base, source_id: null })).toEqual([])
  })
})

describe('instantOf', () => {
  it.each([
    ['2026-03-01T09:00:00+00:00', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T10:00:00+01:00', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01T09:00:00', '2026-03-01T09:00:00.000Z'],
    ['2026-03-01 09:00:00', '2026-03-01T09:00:00.000Z'],
    ['not a time', null],
    [null, null],
  ])('%j -> %j (a timestamp without zone is UTC)', (value, expected) => {
    expect(instantOf({ at: value }, 'at')?.toISOString() ?? null).toBe(expected)
  })
})
