import { describe, expect, it } from 'vitest'
import { scheduleDifference, type ExpectedSchedule } from '../../../src/legacy/schedule.js'

const now = new Date('2026-03-07T12:00:00Z')
const cron = (expression: string, timezone = 'UTC'): ExpectedSchedule => ({ kind: 'cron', expression, timezone })

describe('scheduleDifference', () => {
  it.each([
    { why: 'the same expression', job: { cron_expression: '30 9 * * *', run_at: null, timezone: 'UTC' }, expected: cron('30 9 * * *') },
    { why: 'another spelling with the same runs', job: { cron_expression: '05 09 * * MON', run_at: null, timezone: 'UTC' }, expected: cron('5 9 * * 1') },
    { why: 'the same instant', job: { cron_expression: null, run_at: new Date('2026-03-10T14:00:00Z'), timezone: 'UTC' },
      expected: { kind: 'at', runAt: new Date('2026-03-10T14:00:00Z'), timezone: 'UTC' } },
    { why: 'any day at the wall-clock time', job: { cron_expression: null, run_at: new Date('2026-03-20T10:15:00Z'), timezone: 'America/New_York' },
      expected: { kind: 'daily-time', hour: 6, minute: 15, timezone: 'America/New_York' } },
    { why: 'a time in the spring-forward gap runs at the gap end', job: { cron_expression: null, run_at: new Date('2026-03-08T07:00:00Z'), timezone: 'America/New_York' },
      expected: { kind: 'daily-time', hour: 2, minute: 30, timezone: 'America/New_York' } },
  ] as const)('equivalent: $why', ({ job, expected }) => {
    expect(scheduleDifference(job, expected as ExpectedSchedule, now)).toBeUndefined()
  })

  it.each([
    { why: 'another time', job: { cron_expression: '30 10 * * *', run_at: null, timezone: 'UTC' }, expected: cron('30 9 * * *'), reason: /runs "30 10 \* \* \*", the legacy row "30 9 \* \* \*"/ },
    { why: 'another zone', job: { cron_expression: '30 9 * * *', run_at: null, timezone: 'Europe/Berlin' }, expected: cron('30 9 * * *'), reason: /zone Europe\/Berlin, the legacy row in UTC/ },
    { why: 'a one-off for a recurring row', job: { cron_expression: null, run_at: now, timezone: 'UTC' }, expected: cron('30 9 * * *'), reason: /one-off/ },
    { why: 'a recurring job for a one-off row', job: { cron_expression: '30 9 * * *', run_at: null, timezone: 'UTC' },
      expected: { kind: 'at', runAt: now, timezone: 'UTC' }, reason: /the legacy row is a one-off/ },
    { why: 'another instant', job: { cron_expression: null, run_at: new Date('2026-03-10T15:00:00Z'), timezone: 'UTC' },
      expected: { kind: 'at', runAt: new Date('2026-03-10T14:00:00Z'), timezone: 'UTC' }, reason: /2026-03-10T15:00:00.000Z, the legacy row at 2026-03-10T14:00:00.000Z/ },
    { why: 'another wall-clock time', job: { cron_expression: null, run_at: new Date('2026-03-20T10:16:00Z'), timezone: 'America/New_York' },
      expected: { kind: 'daily-time', hour: 6, minute: 15, timezone: 'America/New_York' }, reason: /the legacy row at 06:15/ },
  ] as const)('different: $why', ({ job, expected, reason }) => {
    expect(scheduleDifference(job, expected as ExpectedSchedule, now)).toMatch(reason)
  })
})
