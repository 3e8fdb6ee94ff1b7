import { formatInZone, nextOccurrences, parseCron } from '../cron/index.js'

/**
 * The schedule a legacy row stands for, as `verify` compares it with a `cron_jobs` row:
 * - `cron`: a recurring job;
 * - `at`: a one-off job at a known instant (an Akeneo `once` with its `next_run`);
 * - `daily-time`: a one-off job at "the next HH:MM" (an Akeneo `once` with only its time): the
 *   instant depends on when it was migrated, so any occurrence of that wall-clock time matches.
 */
export type ExpectedSchedule =
  | { readonly kind: 'cron'; readonly expression: string; readonly timezone: string }
  | { readonly kind: 'at'; readonly runAt: Date; readonly timezone: string }
  | { readonly kind: 'daily-time'; readonly hour: number; readonly minute: number; readonly timezone: string }

/** The schedule columns of a `cron_jobs` row. */
export interface JobSchedule {
  readonly cron_expression: string | null
  readonly run_at: Date | null
  readonly timezone: string
}

/** How many upcoming runs two spellings of a cron expression must share to count as the same. */
const comparedRuns = 24

/** The cron expression that fires every day at a wall-clock time. */
export function dailyAt(hour: number, minute: number): string {
  return `${minute} ${hour} * * *`
}

/** Why a job's schedule is not the expected one; undefined when it is equivalent. */
export function scheduleDifference(job: JobSchedule, expected: ExpectedSchedule, now: Date): string | undefined {
  if (job.timezone !== expected.timezone) return `runs in zone ${job.timezone}, the legacy row in ${expected.timezone}`
  if (expected.kind === 'cron') {
    if (job.cron_expression === null) return `is a one-off job, the legacy row is "${expected.expression}"`
    return sameCron(job.cron_expression, expected.expression, expected.timezone, now)
      ? undefined : `runs "${job.cron_expression}", the legacy row "${expected.expression}"`
  }
  if (job.run_at === null) return `runs "${job.cron_expression}", the legacy row is a one-off job`
  if (expected.kind === 'at') {
    return job.run_at.getTime() === expected.runAt.getTime()
      ? undefined : `runs once at ${job.run_at.toISOString()}, the legacy row at ${expected.runAt.toISOString()}`
  }
  // Any occurrence of the daily time: the slot just before run_at's next one is run_at itself.
  const daily = parseCron(dailyAt(expected.hour, expected.minute), expected.timezone)
  return daily.next(new Date(job.run_at.getTime() - 1000))?.getTime() === job.run_at.getTime()
    ? undefined : `runs once at ${formatInZone(job.run_at, expected.timezone)}, the legacy row at ${clock(expected.hour, expected.minute)}`
}

/** The same expression, or two spellings with the same upcoming runs ("5 9 * * 1" and "05 09 * * MON"). */
function sameCron(actual: string, expected: string, timezone: string, now: Date): boolean {
  if (actual.trim().split(/\s+/).join(' ') === expected) return true
  try {
    const a = nextOccurrences(actual, { timezone, from: now, count: comparedRuns })
    const b = nextOccurrences(expected, { timezone, from: now, count: comparedRuns })
    return a.length === b.length && a.every((run, index) => run.getTime() === b[index]!.getTime())
  } catch {
    return false
  }
}

export function sameExpectedSchedule(a: ExpectedSchedule, b: ExpectedSchedule): boolean {
  if (a.kind !== b.kind || a.timezone !== b.timezone) return false
  if (a.kind === 'cron' && b.kind === 'cron') return a.expression === b.expression
  if (a.kind === 'at' && b.kind === 'at') return a.runAt.getTime() === b.runAt.getTime()
  return a.kind === 'daily-time' && b.kind === 'daily-time' && a.hour === b.hour && a.minute === b.minute
}

/** For people: `"30 9 * * *" (UTC)`, `once at 2026-03-10 15:00 CET (2026-03-10T14:00:00.000Z)`; `runAt` is a one-off's instant. */
export function describeExpected(schedule: ExpectedSchedule, runAt: Date | null = null): string {
  if (schedule.kind === 'cron') return `"${schedule.expression}" (${schedule.timezone})`
  if (schedule.kind === 'daily-time' && runAt === null) return `once at the next ${clock(schedule.hour, schedule.minute)} (${schedule.timezone})`
  const at = schedule.kind === 'at' ? schedule.runAt : runAt!
  return `once at ${formatInZone(at, schedule.timezone)} (${at.toISOString()})`
}

export function clock(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
}
