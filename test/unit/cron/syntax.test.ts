import { describe, test } from 'vitest'
import { checkRow, type Row } from './table.js'

// 2026 calendar facts used below: Jan 1 Thu, Feb 1 Sun, Mar 1 Sun, Apr 1 Wed, May 1 Fri,
// Jun 1 Mon, Jul 1 Wed, Aug 1 Sat, Sep 1 Tue. Jan 31 is a Saturday, Feb 28 a Saturday,
// May 31 a Sunday, Aug 15 a Saturday.
const U = 'UTC'

const dayRule: Row[] = [
  { expr: '0 0 */2 * 1', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-05T00:00:00Z', '2026-01-19T00:00:00Z', '2026-02-09T00:00:00Z', '2026-02-23T00:00:00Z'], why: 'day-of-month starts with *: odd days AND Mondays' },
  { expr: '0 0 1,15 * 1', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z', '2026-01-15T00:00:00Z', '2026-01-19T00:00:00Z', '2026-01-26T00:00:00Z', '2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z'], why: 'both restricted: the 1st, the 15th OR any Monday' },
  { expr: '0 0 13 * 5', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-02T00:00:00Z', '2026-01-09T00:00:00Z', '2026-01-13T00:00:00Z', '2026-01-16T00:00:00Z'], why: 'both restricted: the 13th OR Fridays' },
  { expr: '0 0 13 * */2', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-13T00:00:00Z', '2026-06-13T00:00:00Z'], why: 'day-of-week starts with *: the 13th AND Sun/Tue/Thu/Sat' },
  { expr: '0 0 ? * 1', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z'], why: '? in day-of-month is *: Mondays only' },
  { expr: '0 0 13 * ?', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-13T00:00:00Z', '2026-02-13T00:00:00Z'], why: '? in day-of-week is *: the 13th only' },
  { expr: '0 0 * * 1', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-05T00:00:00Z', '2026-01-12T00:00:00Z'], why: 'only day-of-week restricted' },
  { expr: '0 0 29 2 1', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-02-02T00:00:00Z', '2026-02-09T00:00:00Z'], why: 'Feb 29 OR Mondays in February: the Mondays exist' },
]

const names: Row[] = [
  { expr: '0 12 * jan,JUL mon-fri', tz: U, from: '2026-06-30T00:00:00Z', expected: ['2026-07-01T12:00:00Z', '2026-07-02T12:00:00Z', '2026-07-03T12:00:00Z', '2026-07-06T12:00:00Z'], why: 'names in any case, in lists and ranges' },
  { expr: '0 0 * * Sun', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z'], why: 'SUN' },
  { expr: '0 0 * * 7', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z'], why: '7 is Sunday' },
  { expr: '0 0 * * 0', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-04T00:00:00Z', '2026-01-11T00:00:00Z'], why: '0 is Sunday' },
  { expr: '0 0 * * 5-7', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z', '2026-01-09T00:00:00Z'], why: 'range ending in 7: Friday through Sunday' },
  { expr: '0 0 * * FRI-SUN', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z', '2026-01-09T00:00:00Z'], why: 'named range ending in SUN' },
  { expr: '0 0 1 Feb-Mar *', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z', '2027-02-01T00:00:00Z'], why: 'month name range' },
]

const nicknames: Row[] = [
  { expr: '@daily', tz: U, from: '2026-01-01T10:00:00Z', expected: ['2026-01-02T00:00:00Z'], why: '@daily' },
  { expr: '@MIDNIGHT', tz: U, from: '2026-01-01T10:00:00Z', expected: ['2026-01-02T00:00:00Z'], why: '@midnight, upper case' },
  { expr: '@hourly', tz: U, from: '2026-01-01T10:00:00Z', expected: ['2026-01-01T11:00:00Z'], why: '@hourly' },
  { expr: '@weekly', tz: U, from: '2026-01-01T10:00:00Z', expected: ['2026-01-04T00:00:00Z'], why: '@weekly is Sunday midnight' },
  { expr: '@monthly', tz: U, from: '2026-01-01T10:00:00Z', expected: ['2026-02-01T00:00:00Z'], why: '@monthly' },
  { expr: '@yearly', tz: U, from: '2026-01-01T10:00:00Z', expected: ['2027-01-01T00:00:00Z'], why: '@yearly' },
  { expr: '@Annually', tz: U, from: '2026-01-01T10:00:00Z', expected: ['2027-01-01T00:00:00Z'], why: '@annually, mixed case' },
]

const steps: Row[] = [
  { expr: '*/20 * * * *', tz: U, from: '2026-01-01T10:05:00Z', expected: ['2026-01-01T10:20:00Z', '2026-01-01T10:40:00Z', '2026-01-01T11:00:00Z'], why: '*/n' },
  { expr: '10-30/10 * * * *', tz: U, from: '2026-01-01T10:00:00Z', expected: ['2026-01-01T10:10:00Z', '2026-01-01T10:20:00Z', '2026-01-01T10:30:00Z', '2026-01-01T11:10:00Z'], why: 'a-b/n' },
  { expr: '45/5 * * * *', tz: U, from: '2026-01-01T10:00:00Z', expected: ['2026-01-01T10:45:00Z', '2026-01-01T10:50:00Z', '2026-01-01T10:55:00Z', '2026-01-01T11:45:00Z'], why: 'a/n runs from a to the end of the field' },
  { expr: '0 0 * */5 *', tz: U, from: '2026-01-15T00:00:00Z', expected: ['2026-01-16T00:00:00Z', '2026-01-17T00:00:00Z'], why: 'month */5 = Jan, Jun, Nov' },
  { expr: '0 0 1 */5 *', tz: U, from: '2026-01-15T00:00:00Z', expected: ['2026-06-01T00:00:00Z', '2026-11-01T00:00:00Z', '2027-01-01T00:00:00Z'], why: 'month */5 skips whole months' },
  { expr: '1,2,59 23 31 12 *', tz: U, from: '2026-06-01T00:00:00Z', expected: ['2026-12-31T23:01:00Z', '2026-12-31T23:02:00Z', '2026-12-31T23:59:00Z', '2027-12-31T23:01:00Z'], why: 'lists, across a year end' },
  { expr: ' 0\t9   * *  1-5 ', tz: U, from: '2026-01-02T09:00:00Z', expected: ['2026-01-05T09:00:00Z'], why: 'tabs and repeated spaces; strictly after from' },
  { expr: '*/5 * * * *', tz: U, from: '2026-01-01T10:04:59.999Z', expected: ['2026-01-01T10:05:00Z'], why: 'from with milliseconds' },
  { expr: '*/5 * * * *', tz: U, from: '2026-01-01T10:05:00Z', expected: ['2026-01-01T10:10:00Z'], why: 'from exactly on a run: strictly after' },
]

const extensions: Row[] = [
  { expr: '0 0 L * *', tz: U, from: '2026-01-15T00:00:00Z', expected: ['2026-01-31T00:00:00Z', '2026-02-28T00:00:00Z', '2026-03-31T00:00:00Z', '2026-04-30T00:00:00Z'], why: 'L: last day of each month' },
  { expr: '0 0 L 2 *', tz: U, from: '2027-06-01T00:00:00Z', expected: ['2028-02-29T00:00:00Z'], why: 'L in a leap February' },
  { expr: '0 0 L-2 * *', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-29T00:00:00Z', '2026-02-26T00:00:00Z'], why: 'L-2: two days before the last day' },
  { expr: '0 0 * * 5L', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-30T00:00:00Z', '2026-02-27T00:00:00Z', '2026-03-27T00:00:00Z'], why: '5L: last Friday' },
  { expr: '0 0 * * friL', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-30T00:00:00Z', '2026-02-27T00:00:00Z'], why: 'FRIL, any case' },
  { expr: '0 9 * * MON#1', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-05T09:00:00Z', '2026-02-02T09:00:00Z', '2026-03-02T09:00:00Z'], why: 'MON#1: first Monday' },
  { expr: '0 9 * * 1#1', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-05T09:00:00Z', '2026-02-02T09:00:00Z'], why: '1#1 = MON#1' },
  { expr: '0 9 * * 5#3', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-16T09:00:00Z', '2026-02-20T09:00:00Z', '2026-03-20T09:00:00Z'], why: 'third Friday' },
  { expr: '0 0 * * 2#5', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-03-31T00:00:00Z'], why: 'fifth Tuesday: January and February have none' },
  { expr: '0 0 1W * *', tz: U, from: '2026-07-15T00:00:00Z', expected: ['2026-08-03T00:00:00Z', '2026-09-01T00:00:00Z'], why: '1W: Sat Aug 1 -> Mon Aug 3 (never into July)' },
  { expr: '0 0 15W * *', tz: U, from: '2026-08-01T00:00:00Z', expected: ['2026-08-14T00:00:00Z', '2026-09-15T00:00:00Z'], why: '15W: Sat Aug 15 -> Fri 14; Tue Sep 15 itself' },
  { expr: '0 0 15W * *', tz: U, from: '2026-02-01T00:00:00Z', expected: ['2026-02-16T00:00:00Z'], why: '15W: Sun Feb 15 -> Mon 16' },
  { expr: '0 0 31W * *', tz: U, from: '2026-05-01T00:00:00Z', expected: ['2026-05-29T00:00:00Z', '2026-07-31T00:00:00Z'], why: '31W: Sun May 31 -> Fri 29 (not June 1); June has no 31st' },
  { expr: '0 0 LW * *', tz: U, from: '2026-05-01T00:00:00Z', expected: ['2026-05-29T00:00:00Z', '2026-06-30T00:00:00Z'], why: 'LW: last day Sunday May 31 -> Fri 29; Tue Jun 30' },
  { expr: '0 0 LW * *', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-30T00:00:00Z', '2026-02-27T00:00:00Z'], why: 'LW: last day Saturday -> Friday' },
]

const secondsAndLimits: Row[] = [
  { expr: '*/20 * * * * *', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-01T00:00:20Z', '2026-01-01T00:00:40Z', '2026-01-01T00:01:00Z'], why: '6 fields: seconds step' },
  { expr: '*/20 * * * * *', tz: U, from: '2026-01-01T00:00:10.500Z', expected: ['2026-01-01T00:00:20Z'], why: '6 fields: from with milliseconds' },
  { expr: '30 0 9 * * MON', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2026-01-05T09:00:30Z', '2026-01-12T09:00:30Z'], why: '6 fields: fixed second' },
  { expr: '0 0 29 2 *', tz: U, from: '2026-01-01T00:00:00Z', expected: ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z'], why: 'leap day' },
  { expr: '0 0 29 2 *', tz: U, from: '2096-03-01T00:00:00Z', expected: ['2104-02-29T00:00:00Z'], why: '2100 is not a leap year: eight years to the next' },
  { expr: '0 0 30 2 *', tz: U, from: '2026-01-01T00:00:00Z', expected: [], count: 3, why: 'February 30 never exists' },
  { expr: '0 0 31 4 *', tz: 'America/New_York', from: '2026-01-01T00:00:00Z', expected: [], count: 3, why: 'April 31 never exists' },
  { expr: '0 0 31 2,4,6,9,11 *', tz: U, from: '2026-01-01T00:00:00Z', expected: [], count: 1, why: 'no 31st in any of these months' },
]

describe('syntax', () => {
  test.each(dayRule)('day rule: $expr after $from: $why', checkRow)
  test.each(names)('names: $expr after $from: $why', checkRow)
  test.each(nicknames)('nicknames: $expr after $from: $why', checkRow)
  test.each(steps)('steps and lists: "$expr" after $from: $why', checkRow)
  test.each(extensions)('extensions: $expr after $from: $why', checkRow)
  test.each(secondsAndLimits)('seconds and limits: $expr after $from: $why', checkRow)
})
