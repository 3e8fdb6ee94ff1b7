import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_SECOND } from './calendar.js'
import type { CompiledCron } from './parse.js'
import { findLocal } from './search.js'
import type { ZoneClock } from './zone.js'

/** Far enough for 29 February across a skipped leap year (2096 -> 2104); impossible dates give up here. */
const HORIZON = 8 * 366 * MS_PER_DAY

/**
 * First run strictly after `after` (UTC milliseconds), or null within the horizon.
 *
 * Time is walked span by span, a span being a stretch with one UTC offset; inside a span wall
 * clock and UTC move together. Wildcard jobs (and 6-field ones) run whenever the wall clock
 * matches, so they skip a spring-forward gap and run in both passes of a repeated hour. Fixed-time
 * jobs follow cronie: a time inside a gap runs once when the gap ends, and a repeated time runs in
 * the first pass only.
 */
export function nextRun(cron: CompiledCron, clock: ZoneClock, after: number): number | null {
  const unit = cron.hasSeconds ? MS_PER_SECOND : MS_PER_MINUTE
  const fixed = cron.isFixedTime
  const limit = after + HORIZON
  let span = clock.spanAt(after)
  let from = Math.floor((after + span.offset) / unit) * unit + unit
  // Inside the second pass of a repeated hour the first pass already ran these wall-clock times.
  if (fixed && span.previousOffset > span.offset) from = Math.max(from, span.start + span.previousOffset)

  for (;;) {
    const local = findLocal(cron, from, span.end + span.offset)
    if (local !== null) return local - span.offset
    if (fixed && span.nextOffset > span.offset && findLocal(cron, span.end + span.offset, span.end + span.nextOffset) !== null) {
      return span.end
    }
    if (span.end > limit) return null
    const offsetBefore = span.offset
    span = clock.spanAt(span.end)
    from = span.start + (fixed ? Math.max(offsetBefore, span.offset) : span.offset)
  }
}
