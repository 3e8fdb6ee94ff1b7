import { describe, expect, test } from 'vitest'
import { UsageError } from '../../../src/errors.js'
import { assertTimezone, explainCron, formatInZone, isValidTimezone, nextOccurrences, parseCron } from '../../../src/cron/index.js'

interface BadExpression {
  readonly expr: string
  /** Every one of these must appear in the message. */
  readonly mentions: readonly string[]
  readonly why: string
}

const badExpressions: BadExpression[] = [
  { expr: '61 * * * *', mentions: ['invalid cron expression "61 * * * *": minute field "61" is out of range 0-59'], why: 'the message from the contract, verbatim' },
  { expr: '* 24 * * *', mentions: ['hour field "24"', '0-23'], why: 'hour out of range' },
  { expr: '0 0 0 * *', mentions: ['day-of-month field "0"', '1-31'], why: 'day-of-month starts at 1' },
  { expr: '0 0 32 * *', mentions: ['day-of-month field "32"', '1-31'], why: 'day-of-month too large' },
  { expr: '0 0 * 13 *', mentions: ['month field "13"', '1-12'], why: 'month too large' },
  { expr: '0 0 * * 8', mentions: ['day-of-week field "8"', '0-7'], why: 'day-of-week too large' },
  { expr: '0 0 * FOO *', mentions: ['month field "FOO"', 'JAN-DEC'], why: 'unknown month name' },
  { expr: '0 0 * * MON-FRY', mentions: ['day-of-week field "MON-FRY"', 'SUN-SAT'], why: 'unknown weekday name in a range' },
  { expr: '0 0 * * MONDAY', mentions: ['day-of-week field "MONDAY"'], why: 'only three-letter names' },
  { expr: '5,61 * * * *', mentions: ['minute field "5,61"', '61', '0-59'], why: 'bad value inside a list names the field and the value' },
  { expr: '5-1 * * * *', mentions: ['minute field "5-1"', 'reversed'], why: 'reversed range' },
  { expr: '*/0 * * * *', mentions: ['minute field "*/0"', 'step'], why: 'step 0' },
  { expr: '*/ * * * *', mentions: ['minute field "*/"', 'step'], why: 'missing step' },
  { expr: '1,,2 * * * *', mentions: ['minute field "1,,2"', 'empty'], why: 'empty list item' },
  { expr: '1, * * * *', mentions: ['minute field "1,"', 'empty'], why: 'trailing comma' },
  { expr: 'abc * * * *', mentions: ['minute field "abc"', '0-59'], why: 'garbage' },
  { expr: '1-2-3 * * * *', mentions: ['minute field "1-2-3"'], why: 'double range' },
  { expr: '? * * * *', mentions: ['minute field "?"', 'day-of-month and day-of-week'], why: '? only in day fields' },
  { expr: '0 0 L * L', mentions: ['day-of-week field "L"'], why: 'bare L is only for day-of-month' },
  { expr: '0 0 * * MON#6', mentions: ['day-of-week field "MON#6"', '1-5'], why: '#6 does not exist' },
  { expr: '0 0 * * MON#', mentions: ['day-of-week field "MON#"', '1-5'], why: '# without a number' },
  { expr: '0 0 32W * *', mentions: ['day-of-month field "32W"', '1-31'], why: 'W day out of range' },
  { expr: '0 0 L-31 * *', mentions: ['day-of-month field "L-31"', '1-30'], why: 'L-n offset too large' },
  { expr: '0 0 1W * 1W', mentions: ['day-of-week field "1W"'], why: 'W only in day-of-month' },
  { expr: '0 0 5L * *', mentions: ['day-of-month field "5L"'], why: 'nL only in day-of-week' },
  { expr: '60 * * * * *', mentions: ['second field "60"', '0-59'], why: 'seconds out of range' },
  { expr: '* * * *', mentions: ['"* * * *"', 'expected 5 fields', 'got 4'], why: 'too few fields' },
  { expr: '* * * * * * *', mentions: ['expected 5 fields', 'got 7'], why: 'too many fields' },
  { expr: '', mentions: ['invalid cron expression ""', 'empty'], why: 'empty' },
  { expr: '   ', mentions: ['invalid cron expression ""', 'empty'], why: 'only whitespace' },
  { expr: '@fortnightly', mentions: ['"@fortnightly"', '@daily'], why: 'unknown nickname' },
  { expr: '@reboot', mentions: ['"@reboot"'], why: '@reboot is not a schedule' },
  { expr: '@daily 5', mentions: ['"@daily 5"'], why: 'nickname with extra text' },
]

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('invalid expressions', () => {
  test.each(badExpressions)('"$expr": $why', ({ expr, mentions }) => {
    for (const run of [() => parseCron(expr), () => parseCron(expr, 'Europe/Berlin'), () => explainCron(expr), () => nextOccurrences(expr, { from: new Date(), count: 1 })]) {
      const error = thrown(run)
      expect(error).toBeInstanceOf(UsageError)
      const message = (error as UsageError).message
      expect(message).toContain(`invalid cron expression "${expr.trim()}"`)
      for (const mention of mentions) expect(message).toContain(mention)
    }
  })
})

describe('timezones', () => {
  test.each(['UTC', 'Etc/UTC', 'Etc/GMT+5', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'])('accepts %s', (zone) => {
    expect(isValidTimezone(zone)).toBe(true)
    expect(assertTimezone(zone)).toBe(zone)
    expect(parseCron('0 0 * * *', zone).timezone).toBe(zone)
  })

  test.each(['Mars/Olympus', '', 'America/NewYork', '+05:30', ' UTC', 'Europe/Berlin '])('rejects "%s" naming it', (zone) => {
    expect(isValidTimezone(zone)).toBe(false)
    for (const run of [() => assertTimezone(zone), () => parseCron('0 0 * * *', zone), () => formatInZone(new Date(), zone), () => nextOccurrences('* * * * *', { timezone: zone, from: new Date(), count: 1 })]) {
      const error = thrown(run)
      expect(error).toBeInstanceOf(UsageError)
      expect((error as Error).message).toContain(`invalid timezone "${zone}"`)
    }
  })

  test('the message from the contract, verbatim', () => {
    expect(() => assertTimezone('Mars/Olympus')).toThrow('invalid timezone "Mars/Olympus": use an IANA name like "Europe/Berlin"')
  })
})

describe('nextOccurrences arguments', () => {
  test('count 0 gives no runs', () => {
    expect(nextOccurrences('* * * * *', { from: new Date('2026-01-01T00:00:00Z'), count: 0 })).toEqual([])
  })

  test.each([-1, 1.5, Number.NaN])('count %s is a UsageError', (count) => {
    expect(() => nextOccurrences('* * * * *', { from: new Date('2026-01-01T00:00:00Z'), count })).toThrow(UsageError)
  })

  test('next() refuses an invalid Date', () => {
    expect(() => parseCron('* * * * *').next(new Date('nope'))).toThrow(TypeError)
  })
})
