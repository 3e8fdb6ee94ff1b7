import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND, civilFromDays, daysFromCivil, daysInMonth, weekdayOfDays } from './calendar.js'
import type { CompiledCron } from './parse.js'

/**
 * First wall-clock time (as milliseconds of a UTC-like local timeline) in [from, before) that the
 * expression matches, or null. Works from the largest unit down so that a month, day or hour that
 * cannot match is skipped in one step.
 */
export function findLocal(cron: CompiledCron, from: number, before: number): number | null {
  const unit = cron.hasSeconds ? MS_PER_SECOND : MS_PER_MINUTE
  const start = Math.ceil(from / unit) * unit
  if (start >= before) return null

  let dayNumber = Math.floor(start / MS_PER_DAY)
  const civil = civilFromDays(dayNumber)
  let year = civil.year
  let month = civil.month
  let day = civil.day
  let rest = start - dayNumber * MS_PER_DAY
  let hour = Math.floor(rest / MS_PER_HOUR)
  rest -= hour * MS_PER_HOUR
  let minute = Math.floor(rest / MS_PER_MINUTE)
  let second = Math.floor((rest - minute * MS_PER_MINUTE) / MS_PER_SECOND)

  const { nextSecond, nextMinute, nextHour, nextMonth, days } = cron
  for (;;) {
    const allowedMonth = nextMonth[month] ?? -1
    if (allowedMonth !== month) {
      if (allowedMonth < 0) {
        year++
        month = 1
      } else {
        month = allowedMonth
      }
      day = 1
      hour = minute = second = 0
      if (daysFromCivil(year, month, 1) * MS_PER_DAY >= before) return null
      continue
    }

    const monthLength = daysInMonth(year, month)
    dayNumber = daysFromCivil(year, month, day)
    if (!days.everyDay) {
      let weekday = weekdayOfDays(dayNumber)
      const firstDay = day
      while (day <= monthLength && !days.matches(day, monthLength, weekday)) {
        day++
        weekday = weekday === 6 ? 0 : weekday + 1
      }
      if (day !== firstDay) {
        dayNumber += day - firstDay
        hour = minute = second = 0
      }
    }
    if (day > monthLength) {
      month++
      if (month > 12) {
        year++
        month = 1
      }
      day = 1
      hour = minute = second = 0
      if (daysFromCivil(year, month, 1) * MS_PER_DAY >= before) return null
      continue
    }
    const dayStart = dayNumber * MS_PER_DAY
    if (dayStart >= before) return null

    const allowedHour = nextHour[hour] ?? -1
    if (allowedHour < 0) {
      day++
      hour = minute = second = 0
      continue
    }
    if (allowedHour !== hour) {
      hour = allowedHour
      minute = second = 0
    }

    const allowedMinute = nextMinute[minute] ?? -1
    if (allowedMinute < 0) {
      hour++
      minute = second = 0
      continue
    }
    if (allowedMinute !== minute) {
      minute = allowedMinute
      second = 0
    }

    const allowedSecond = nextSecond[second] ?? -1
    if (allowedSecond < 0) {
      minute++
      second = 0
      continue
    }

    const found = dayStart + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + allowedSecond * MS_PER_SECOND
    return found < before ? found : null
  }
}
