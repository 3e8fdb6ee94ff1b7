import { UsageError } from '../errors.js'
import { nextRun } from './next.js'
import { compileCron } from './parse.js'
import { zoneClock } from './zone.js'

export { explainCron } from './explain.js'
export { formatInZone } from './format.js'
export { assertTimezone, isValidTimezone } from './zone.js'

export interface CronSchedule {
  /** As given, trimmed. */
  readonly expression: string
  readonly timezone: string
  readonly hasSeconds: boolean
  /** Neither minute nor hour starts with `*` (5-field only): decides the daylight-saving behaviour. */
  readonly isFixedTime: boolean
  /** First run strictly after `after`, or null when none exists within about eight years. */
  next(after: Date): Date | null
}

/** Throws UsageError for an invalid expression or timezone. */
export function parseCron(expression: string, timezone = 'UTC'): CronSchedule {
  const clock = zoneClock(timezone)
  const cron = compileCron(expression)
  return {
    expression: cron.expression,
    timezone,
    hasSeconds: cron.hasSeconds,
    isFixedTime: cron.isFixedTime,
    next(after: Date): Date | null {
      const time = after instanceof Date ? after.getTime() : Number.NaN
      if (!Number.isFinite(time)) throw new TypeError('CronSchedule.next() needs a valid Date')
      const found = nextRun(cron, clock, time)
      return found === null ? null : new Date(found)
    },
  }
}

/** Up to `count` runs strictly after `from`; fewer when the schedule runs out (impossible dates). */
export function nextOccurrences(expression: string, options: { timezone?: string; from: Date; count: number }): Date[] {
  const { count } = options
  if (!Number.isInteger(count) || count < 0) throw new UsageError(`invalid count ${String(count)}: expected a whole number of 0 or more`)
  const schedule = parseCron(expression, options.timezone)
  const runs: Date[] = []
  let after = options.from
  while (runs.length < count) {
    const run = schedule.next(after)
    if (run === null) break
    runs.push(run)
    after = run
  }
  return runs
}
