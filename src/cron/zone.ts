import { UsageError } from '../errors.js'
import { MS_PER_DAY, MS_PER_SECOND, daysFromCivil, utcYearOf } from './calendar.js'

/**
 * UTC offsets of an IANA zone. Intl is the only source of zone rules without a dependency, but it
 * costs about a microsecond per call, so each UTC year is scanned once into a short list of
 * transitions and every later lookup is plain arithmetic.
 */

const wallClockFormatters = new Map<string, Intl.DateTimeFormat>()

function wallClockFormatter(timezone: string): Intl.DateTimeFormat | undefined {
  let formatter = wallClockFormatters.get(timezone)
  if (formatter) return formatter
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  } catch {
    return undefined
  }
  wallClockFormatters.set(timezone, formatter)
  return formatter
}

export function isValidTimezone(timezone: string): boolean {
  // Newer engines also take "+05:30"; refuse it everywhere so behaviour does not depend on Node.
  return typeof timezone === 'string' && timezone !== '' && !/^[+-]|\s/.test(timezone) && wallClockFormatter(timezone) !== undefined
}

export function assertTimezone(timezone: string): string {
  if (!isValidTimezone(timezone)) {
    throw new UsageError(`invalid timezone "${String(timezone)}": use an IANA name like "Europe/Berlin"`, {
      hint: 'see the "TZ identifier" column of https://en.wikipedia.org/wiki/List_of_tz_database_time_zones',
    })
  }
  return timezone
}

/** A stretch of time with one UTC offset; bounds may also be UTC new year (same offset both sides). */
export interface Span {
  readonly start: number
  readonly end: number
  readonly offset: number
  /** Offset just before start. */
  readonly previousOffset: number
  /** Offset from end on. */
  readonly nextOffset: number
}

interface YearTable {
  readonly start: number
  readonly end: number
  readonly startOffset: number
  /** Transition instants strictly inside the year, ascending, and the offset from each on. */
  readonly times: readonly number[]
  readonly offsets: readonly number[]
}

export class ZoneClock {
  private readonly years = new Map<number, YearTable>()

  constructor(
    readonly timezone: string,
    private readonly formatter: Intl.DateTimeFormat,
  ) {}

  spanAt(instant: number): Span {
    const year = utcYearOf(instant)
    const table = this.year(year)
    let i = -1
    while (i + 1 < table.times.length && (table.times[i + 1] ?? Infinity) <= instant) i++
    const offset = i >= 0 ? (table.offsets[i] ?? 0) : table.startOffset
    const previousOffset = i > 0 ? (table.offsets[i - 1] ?? 0) : i === 0 ? table.startOffset : this.lastOffset(year - 1)
    const hasNext = i + 1 < table.times.length
    return {
      start: i >= 0 ? (table.times[i] ?? table.start) : table.start,
      end: hasNext ? (table.times[i + 1] ?? table.end) : table.end,
      offset,
      previousOffset,
      nextOffset: hasNext ? (table.offsets[i + 1] ?? 0) : this.year(year + 1).startOffset,
    }
  }

  private lastOffset(year: number): number {
    const table = this.year(year)
    return table.offsets[table.offsets.length - 1] ?? table.startOffset
  }

  private year(year: number): YearTable {
    let table = this.years.get(year)
    if (!table) {
      table = this.scanYear(year)
      this.years.set(year, table)
    }
    return table
  }

  /**
   * Samples the offset once a day and bisects each change to the second. Assumes at most one
   * transition per UTC day, which holds for every zone in current use.
   */
  private scanYear(year: number): YearTable {
    const start = daysFromCivil(year, 1, 1) * MS_PER_DAY
    const end = daysFromCivil(year + 1, 1, 1) * MS_PER_DAY
    const startOffset = this.rawOffset(start)
    const times: number[] = []
    const offsets: number[] = []
    let before = start
    let beforeOffset = startOffset
    while (before < end) {
      const after = Math.min(before + MS_PER_DAY, end)
      const afterOffset = this.rawOffset(after)
      if (afterOffset !== beforeOffset) {
        let low = before
        let high = after
        while (high - low > MS_PER_SECOND) {
          const middle = low + Math.floor((high - low) / 2 / MS_PER_SECOND) * MS_PER_SECOND
          if (this.rawOffset(middle) === beforeOffset) low = middle
          else high = middle
        }
        // A change exactly at new year belongs to the next year's startOffset.
        if (high < end) {
          times.push(high)
          offsets.push(this.rawOffset(high))
        }
      }
      before = after
      beforeOffset = afterOffset
    }
    return { start, end, startOffset, times, offsets }
  }

  private rawOffset(instant: number): number {
    const [month = 1, day = 1, year = 1970, hour = 0, minute = 0, second = 0] = (this.formatter.format(instant).match(/\d+/g) ?? []).map(Number)
    const local = daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * MS_PER_SECOND
    return local - Math.floor(instant / MS_PER_SECOND) * MS_PER_SECOND
  }
}

const clocks = new Map<string, ZoneClock>()

export function zoneClock(timezone: string): ZoneClock {
  let clock = clocks.get(timezone)
  if (!clock) {
    assertTimezone(timezone)
    const formatter = wallClockFormatter(timezone)
    if (!formatter) throw new Error(`unreachable: no formatter for ${timezone}`)
    clock = new ZoneClock(timezone, formatter)
    clocks.set(timezone, clock)
  }
  return clock
}
