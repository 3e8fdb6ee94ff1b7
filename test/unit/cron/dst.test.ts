import { describe, test } from 'vitest'
import { checkRow, type Row } from './table.js'

// Transitions used below (2026):
//   America/New_York    03-08 07:00Z 02:00 EST -> 03:00 EDT;        11-01 06:00Z 02:00 EDT -> 01:00 EST
//   Europe/London       03-29 01:00Z 01:00 GMT -> 02:00 BST;        10-25 01:00Z 02:00 BST -> 01:00 GMT
//   Australia/Sydney    04-04 16:00Z 03:00 +11 -> 02:00 +10;        10-03 16:00Z 02:00 +10 -> 03:00 +11
//   Australia/Lord_Howe 04-04 15:00Z 02:00 +11 -> 01:30 +10:30;     10-03 15:30Z 02:00 +10:30 -> 02:30 +11
//   Pacific/Chatham     04-04 14:00Z 03:45 +13:45 -> 02:45 +12:45;  09-26 14:00Z 02:45 +12:45 -> 03:45 +13:45

const NY = 'America/New_York'
const LONDON = 'Europe/London'
const SYDNEY = 'Australia/Sydney'
const LORD_HOWE = 'Australia/Lord_Howe'
const CHATHAM = 'Pacific/Chatham'
const KOLKATA = 'Asia/Kolkata'

const newYork: Row[] = [
  { expr: '30 2 * * *', tz: NY, from: '2026-03-07T12:00:00Z', expected: ['2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z'], why: 'fixed 02:30 is in the gap: runs once at 03:00 EDT, then 02:30 EDT' },
  { expr: '0,30 2 * * *', tz: NY, from: '2026-03-07T12:00:00Z', expected: ['2026-03-08T07:00:00Z', '2026-03-09T06:00:00Z', '2026-03-09T06:30:00Z'], why: 'two fixed times in the gap collapse into one run at the gap end' },
  { expr: '0 2,3 * * *', tz: NY, from: '2026-03-07T12:00:00Z', expected: ['2026-03-08T07:00:00Z', '2026-03-09T06:00:00Z', '2026-03-09T07:00:00Z'], why: 'the gap run of 02:00 and the real 03:00 are the same instant: one run' },
  { expr: '30 2,3 * * *', tz: NY, from: '2026-03-07T12:00:00Z', expected: ['2026-03-08T07:00:00Z', '2026-03-08T07:30:00Z'], why: 'the gap run at 03:00 does not swallow 03:30' },
  { expr: '0,30 1,2 * * *', tz: NY, from: '2026-03-08T05:00:00Z', expected: ['2026-03-08T06:00:00Z', '2026-03-08T06:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T05:00:00Z'], why: 'lists are fixed: 01:00 and 01:30 EST, then 02:00 and 02:30 collapse at 03:00 EDT' },
  { expr: '30 2 * * *', tz: NY, from: '2026-03-08T06:59:00Z', expected: ['2026-03-08T07:00:00Z'], why: 'a minute before the gap ends the gap run is still due' },
  { expr: '30 2 * * *', tz: NY, from: '2026-03-08T07:00:00Z', expected: ['2026-03-09T06:30:00Z'], why: 'from the gap run itself: strictly after, so the next day' },
  { expr: '*/15 * * * *', tz: NY, from: '2026-03-08T06:30:00Z', expected: ['2026-03-08T06:45:00Z', '2026-03-08T07:00:00Z', '2026-03-08T07:15:00Z'], why: 'wildcard follows real time: 01:45 EST, 03:00 EDT, 03:15 EDT' },
  { expr: '30 * * * *', tz: NY, from: '2026-03-08T05:00:00Z', expected: ['2026-03-08T05:30:00Z', '2026-03-08T06:30:00Z', '2026-03-08T07:30:00Z'], why: 'wildcard hour: 00:30, 01:30 EST, no 02:30, 03:30 EDT' },
  { expr: '* 2 * * *', tz: NY, from: '2026-03-08T05:00:00Z', expected: ['2026-03-09T06:00:00Z', '2026-03-09T06:01:00Z'], why: 'wildcard minute in hour 2: nothing on the spring day, nothing caught up' },
  { expr: '30 1 * * *', tz: NY, from: '2026-11-01T04:00:00Z', expected: ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z'], why: 'fixed 01:30 runs at the first occurrence (EDT) only' },
  { expr: '0,30 1,2 * * *', tz: NY, from: '2026-11-01T04:00:00Z', expected: ['2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T07:00:00Z', '2026-11-01T07:30:00Z'], why: 'fixed lists skip the second pass of 01:xx' },
  { expr: '30 * * * *', tz: NY, from: '2026-11-01T04:00:00Z', expected: ['2026-11-01T04:30:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-01T07:30:00Z'], why: 'wildcard runs 01:30 in both passes (EDT and EST)' },
  { expr: '*/20 1 * * *', tz: NY, from: '2026-11-01T04:00:00Z', expected: ['2026-11-01T05:00:00Z', '2026-11-01T05:20:00Z', '2026-11-01T05:40:00Z', '2026-11-01T06:00:00Z', '2026-11-01T06:20:00Z', '2026-11-01T06:40:00Z', '2026-11-02T06:00:00Z'], why: 'wildcard minute in the repeated hour: six runs' },
  { expr: '30 1 * * *', tz: NY, from: '2026-11-01T06:10:00Z', expected: ['2026-11-02T06:30:00Z'], why: 'from the second pass (01:10 EST): the fixed job already ran at 01:30 EDT' },
  { expr: '0,30 1,2 * * *', tz: NY, from: '2026-11-01T06:10:00Z', expected: ['2026-11-01T07:00:00Z', '2026-11-01T07:30:00Z'], why: 'from the second pass: 01:30 EST is skipped, 02:00 EST runs' },
  { expr: '30 * * * *', tz: NY, from: '2026-11-01T06:10:00Z', expected: ['2026-11-01T06:30:00Z', '2026-11-01T07:30:00Z'], why: 'from the second pass: the wildcard runs 01:30 EST' },
  { expr: '*/20 1 * * *', tz: NY, from: '2026-11-01T06:10:00Z', expected: ['2026-11-01T06:20:00Z', '2026-11-01T06:40:00Z', '2026-11-02T06:00:00Z'], why: 'from the second pass: wildcard minutes continue in EST' },
  { expr: '30 1 * * *', tz: NY, from: '2026-11-01T06:00:00Z', expected: ['2026-11-02T06:30:00Z'], why: 'from the exact fall-back instant the fixed job is done for the day' },
  { expr: '45 1 * * *', tz: NY, from: '2026-11-01T05:50:00Z', expected: ['2026-11-02T06:45:00Z'], why: 'from the first pass after 01:45 EDT: no second run at 01:45 EST' },
  { expr: '10 * * * *', tz: NY, from: '2026-11-01T05:50:00Z', expected: ['2026-11-01T06:10:00Z', '2026-11-01T07:10:00Z'], why: 'from 01:50 EDT the wildcard next runs at 01:10 EST, earlier on the wall clock' },
]

const london: Row[] = [
  { expr: '30 1 * * *', tz: LONDON, from: '2026-03-28T12:00:00Z', expected: ['2026-03-29T01:00:00Z', '2026-03-30T00:30:00Z'], why: 'fixed 01:30 in the gap runs at 02:00 BST' },
  { expr: '30 * * * *', tz: LONDON, from: '2026-03-29T00:00:00Z', expected: ['2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z', '2026-03-29T02:30:00Z'], why: 'wildcard: 00:30 GMT, no 01:30, 02:30 BST' },
  { expr: '30 1 * * *', tz: LONDON, from: '2026-10-24T12:00:00Z', expected: ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z'], why: 'fixed 01:30 runs once, at 01:30 BST' },
  { expr: '*/30 1 * * *', tz: LONDON, from: '2026-10-24T12:00:00Z', expected: ['2026-10-25T00:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:00:00Z', '2026-10-25T01:30:00Z', '2026-10-26T01:00:00Z'], why: 'wildcard runs in both passes of 01:xx' },
  { expr: '30 1 * * *', tz: LONDON, from: '2026-10-25T01:05:00Z', expected: ['2026-10-26T01:30:00Z'], why: 'from the second pass (01:05 GMT): fixed job not again' },
  { expr: '30 * * * *', tz: LONDON, from: '2026-10-25T01:05:00Z', expected: ['2026-10-25T01:30:00Z', '2026-10-25T02:30:00Z'], why: 'from the second pass: wildcard runs 01:30 GMT' },
]

const sydney: Row[] = [
  { expr: '30 2 * * *', tz: SYDNEY, from: '2026-04-04T00:00:00Z', expected: ['2026-04-04T15:30:00Z', '2026-04-05T16:30:00Z'], why: 'fall back: fixed 02:30 at the first (+11) occurrence, then +10' },
  { expr: '30 * * * *', tz: SYDNEY, from: '2026-04-04T14:00:00Z', expected: ['2026-04-04T14:30:00Z', '2026-04-04T15:30:00Z', '2026-04-04T16:30:00Z', '2026-04-04T17:30:00Z'], why: 'fall back: wildcard runs 02:30 twice' },
  { expr: '30 2 * * *', tz: SYDNEY, from: '2026-04-04T16:10:00Z', expected: ['2026-04-05T16:30:00Z'], why: 'from the second pass (02:10 +10): fixed job waits for the next day' },
  { expr: '30 * * * *', tz: SYDNEY, from: '2026-04-04T16:10:00Z', expected: ['2026-04-04T16:30:00Z'], why: 'from the second pass: wildcard runs 02:30 +10' },
  { expr: '30 2 * * *', tz: SYDNEY, from: '2026-10-03T00:00:00Z', expected: ['2026-10-03T16:00:00Z', '2026-10-04T15:30:00Z'], why: 'spring forward: fixed 02:30 runs at 03:00 +11' },
  { expr: '*/30 * * * *', tz: SYDNEY, from: '2026-10-03T15:00:00Z', expected: ['2026-10-03T15:30:00Z', '2026-10-03T16:00:00Z', '2026-10-03T16:30:00Z'], why: 'spring forward: wildcard 01:30 +10, 03:00 +11, 03:30 +11' },
]

const lordHowe: Row[] = [
  { expr: '15 2 * * *', tz: LORD_HOWE, from: '2026-10-03T00:00:00Z', expected: ['2026-10-03T15:30:00Z', '2026-10-04T15:15:00Z'], why: '30-minute gap: fixed 02:15 runs at 02:30 +11' },
  { expr: '0,15 2 * * *', tz: LORD_HOWE, from: '2026-10-03T00:00:00Z', expected: ['2026-10-03T15:30:00Z', '2026-10-04T15:00:00Z', '2026-10-04T15:15:00Z'], why: '02:00 and 02:15 both in the gap: one run at 02:30' },
  { expr: '45 2 * * *', tz: LORD_HOWE, from: '2026-10-03T00:00:00Z', expected: ['2026-10-03T15:45:00Z'], why: '02:45 is after the gap and exists: runs normally' },
  { expr: '0 * * * *', tz: LORD_HOWE, from: '2026-10-03T14:00:00Z', expected: ['2026-10-03T14:30:00Z', '2026-10-03T16:00:00Z'], why: 'wildcard: 01:00 +10:30, no 02:00, 03:00 +11' },
  { expr: '*/15 * * * *', tz: LORD_HOWE, from: '2026-10-03T15:00:00Z', expected: ['2026-10-03T15:15:00Z', '2026-10-03T15:30:00Z', '2026-10-03T15:45:00Z'], why: 'wildcard: 01:45 +10:30, then 02:30 and 02:45 +11' },
  { expr: '45 1 * * *', tz: LORD_HOWE, from: '2026-04-04T12:00:00Z', expected: ['2026-04-04T14:45:00Z', '2026-04-05T15:15:00Z'], why: 'half-hour fall back: fixed 01:45 at the first (+11) occurrence only' },
  { expr: '45 * * * *', tz: LORD_HOWE, from: '2026-04-04T14:00:00Z', expected: ['2026-04-04T14:45:00Z', '2026-04-04T15:15:00Z', '2026-04-04T16:15:00Z'], why: 'half-hour fall back: wildcard runs 01:45 in both passes' },
  { expr: '45 1 * * *', tz: LORD_HOWE, from: '2026-04-04T15:05:00Z', expected: ['2026-04-05T15:15:00Z'], why: 'from the second pass (01:35 +10:30): fixed job not again' },
  { expr: '45 * * * *', tz: LORD_HOWE, from: '2026-04-04T15:05:00Z', expected: ['2026-04-04T15:15:00Z', '2026-04-04T16:15:00Z'], why: 'from the second pass: wildcard runs 01:45 +10:30' },
]

const chatham: Row[] = [
  { expr: '0 3 * * *', tz: CHATHAM, from: '2026-09-26T00:00:00Z', expected: ['2026-09-26T14:00:00Z', '2026-09-27T13:15:00Z'], why: 'gap 02:45-03:44: fixed 03:00 runs at 03:45 +13:45' },
  { expr: '0,30 3 * * *', tz: CHATHAM, from: '2026-09-26T00:00:00Z', expected: ['2026-09-26T14:00:00Z', '2026-09-27T13:15:00Z'], why: '03:00 and 03:30 both in the gap: one run' },
  { expr: '30 2 * * *', tz: CHATHAM, from: '2026-09-26T00:00:00Z', expected: ['2026-09-26T13:45:00Z'], why: '02:30 is before the gap: +12:45 as usual' },
  { expr: '0 * * * *', tz: CHATHAM, from: '2026-09-26T13:00:00Z', expected: ['2026-09-26T13:15:00Z', '2026-09-26T14:15:00Z'], why: 'wildcard: 02:00 +12:45, no 03:00, 04:00 +13:45' },
  { expr: '*/15 * * * *', tz: CHATHAM, from: '2026-09-26T13:30:00Z', expected: ['2026-09-26T13:45:00Z', '2026-09-26T14:00:00Z', '2026-09-26T14:15:00Z'], why: 'wildcard: 02:30, then 03:45 and 04:00 +13:45' },
  { expr: '0 3 * * *', tz: CHATHAM, from: '2026-04-04T00:00:00Z', expected: ['2026-04-04T13:15:00Z', '2026-04-05T14:15:00Z'], why: 'fall back: fixed 03:00 at the first (+13:45) occurrence only' },
  { expr: '0 * * * *', tz: CHATHAM, from: '2026-04-04T12:00:00Z', expected: ['2026-04-04T12:15:00Z', '2026-04-04T13:15:00Z', '2026-04-04T14:15:00Z', '2026-04-04T15:15:00Z'], why: 'fall back: wildcard runs 03:00 in both passes' },
  { expr: '0 3 * * *', tz: CHATHAM, from: '2026-04-04T14:05:00Z', expected: ['2026-04-05T14:15:00Z'], why: 'from the second pass (02:50 +12:45): fixed job not again' },
  { expr: '0 * * * *', tz: CHATHAM, from: '2026-04-04T14:05:00Z', expected: ['2026-04-04T14:15:00Z', '2026-04-04T15:15:00Z'], why: 'from the second pass: wildcard runs 03:00 +12:45' },
]

const kolkata: Row[] = [
  { expr: '30 2 * * *', tz: KOLKATA, from: '2026-03-08T00:00:00Z', expected: ['2026-03-08T21:00:00Z', '2026-03-09T21:00:00Z'], why: 'no DST: 02:30 +05:30 is 21:00Z the day before' },
  { expr: '0 9 * * 1-5', tz: KOLKATA, from: '2026-01-01T00:00:00Z', expected: ['2026-01-01T03:30:00Z', '2026-01-02T03:30:00Z', '2026-01-05T03:30:00Z'], why: 'weekdays at 09:00 IST, skipping the weekend' },
  { expr: '*/45 * * * *', tz: KOLKATA, from: '2026-01-01T00:00:00Z', expected: ['2026-01-01T00:15:00Z', '2026-01-01T00:30:00Z', '2026-01-01T01:15:00Z'], why: 'local minutes 0 and 45 under a half-hour offset' },
  { expr: '0 0 * * *', tz: KOLKATA, from: '2026-01-01T00:00:00Z', expected: ['2026-01-01T18:30:00Z'], why: 'local midnight is 18:30Z' },
]

const seconds: Row[] = [
  { expr: '0 30 2 * * *', tz: NY, from: '2026-03-07T12:00:00Z', expected: ['2026-03-09T06:30:00Z'], why: 'seconds field walks absolute time: nothing in the gap' },
  { expr: '0 30 1 * * *', tz: NY, from: '2026-11-01T04:00:00Z', expected: ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-02T06:30:00Z'], why: 'seconds field: both passes of the repeated hour' },
]

describe('daylight saving and offsets', () => {
  test.each([...newYork, ...london, ...sydney, ...lordHowe, ...chatham, ...kolkata, ...seconds])('$expr in $tz after $from: $why', checkRow)
})
