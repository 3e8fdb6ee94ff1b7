import { describe, expect, test } from 'vitest'
import { explainCron, formatInZone, parseCron } from '../../../src/cron/index.js'

describe('parseCron', () => {
  test.each([
    { expr: '30 2 * * *', fixed: true, seconds: false, why: 'plain fixed time' },
    { expr: '0 9-17 * * *', fixed: true, seconds: false, why: 'a range of hours is still fixed' },
    { expr: '0,30 1,2 * * *', fixed: true, seconds: false, why: 'lists are fixed' },
    { expr: '@daily', fixed: true, seconds: false, why: '@daily is 0 0 * * *' },
    { expr: '*/15 * * * *', fixed: false, seconds: false, why: 'minute starts with *' },
    { expr: '30 * * * *', fixed: false, seconds: false, why: 'hour starts with *' },
    { expr: '* 2 * * *', fixed: false, seconds: false, why: 'minute is *' },
    { expr: '0 */2 * * *', fixed: false, seconds: false, why: 'hour */2 starts with *' },
    { expr: '@hourly', fixed: false, seconds: false, why: '@hourly is 0 * * * *' },
    { expr: '0 30 2 * * *', fixed: false, seconds: true, why: 'expressions with seconds walk absolute time' },
  ])('$expr: isFixedTime $fixed ($why)', ({ expr, fixed, seconds }) => {
    const schedule = parseCron(expr, 'America/New_York')
    expect(schedule.isFixedTime).toBe(fixed)
    expect(schedule.hasSeconds).toBe(seconds)
  })

  test('keeps the trimmed expression and defaults to UTC', () => {
    const schedule = parseCron('  0 9 * * 1-5\t')
    expect(schedule.expression).toBe('0 9 * * 1-5')
    expect(schedule.timezone).toBe('UTC')
    expect(schedule.next(new Date('2026-01-02T09:00:00Z'))?.toISOString()).toBe('2026-01-05T09:00:00.000Z')
  })

  test('next() returns null for an impossible date', () => {
    expect(parseCron('0 0 30 2 *').next(new Date('2026-01-01T00:00:00Z'))).toBeNull()
  })
})

describe('explainCron', () => {
  test.each([
    { expr: '30 2 * * *', text: 'At 02:30, every day' },
    { expr: '*/15 * * * *', text: 'Every 15 minutes' },
    { expr: '0 9 * * 1-5', text: 'At 09:00 on Monday through Friday' },
    { expr: '0 0 L * *', text: 'At 00:00 on the last day of the month' },
    { expr: '* * * * *', text: 'Every minute' },
    { expr: '0 * * * *', text: 'At minute 0 past every hour' },
    { expr: '@daily', text: 'At 00:00, every day' },
    { expr: '@weekly', text: 'At 00:00 on Sunday' },
    { expr: '0,30 9 * * *', text: 'At 09:00 and 09:30, every day' },
    { expr: '*/5 9-17 * * mon-fri', text: 'Every 5 minutes from 09:00 through 17:59 on Monday through Friday' },
    { expr: '0 9 * * MON#1', text: 'At 09:00 on the first Monday of the month' },
    { expr: '0 18 * * 5L', text: 'At 18:00 on the last Friday of the month' },
    { expr: '0 0 1,15 * 1', text: 'At 00:00 on days 1 and 15 of the month, or on Monday' },
    { expr: '0 12 1 jan,jul *', text: 'At 12:00 on day 1 of the month in January and July' },
    { expr: '*/10 * * * * *', text: 'Every 10 seconds' },
    { expr: '30 0 9 * * *', text: 'At 09:00:30, every day' },
  ])('$expr -> $text', ({ expr, text }) => {
    expect(explainCron(expr)).toBe(text)
  })
})

describe('formatInZone', () => {
  test.each([
    { instant: '2026-03-08T07:00:00Z', zone: 'America/New_York', text: '2026-03-08 03:00 EDT' },
    { instant: '2026-03-08T06:59:00Z', zone: 'America/New_York', text: '2026-03-08 01:59 EST' },
    { instant: '2026-01-01T00:00:15Z', zone: 'Asia/Kolkata', text: '2026-01-01 05:30:15 +05:30' },
    { instant: '2026-01-01T00:00:00Z', zone: 'UTC', text: '2026-01-01 00:00 UTC' },
    { instant: '2026-07-01T12:00:00Z', zone: 'Europe/London', text: '2026-07-01 13:00 +01:00' },
    { instant: '2026-07-01T00:00:00Z', zone: 'Pacific/Chatham', text: '2026-07-01 12:45 +12:45' },
    { instant: '2026-07-01T12:00:00Z', zone: 'America/Sao_Paulo', text: '2026-07-01 09:00 -03:00' },
  ])('$instant in $zone -> $text', ({ instant, zone, text }) => {
    expect(formatInZone(new Date(instant), zone)).toBe(text)
  })
})
