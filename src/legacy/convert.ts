import { isValidTimezone, parseCron } from '../cron/index.js'
import type { AttemptStatus } from '../store/executions.js'
import type { JobRow } from '../store/jobs.js'
import { clock, dailyAt, describeExpected, type ExpectedSchedule } from './schedule.js'
import {
  booleanOf, countOf, instantOf, numberOf, objectOf, pluginCronKey, presentText, textOf,
  type LegacyLocation, type LegacyRecord, type ScheduleTable,
} from './tables.js'

/**
 * Pure conversions of legacy rows into `cron_jobs` and `cron_job_executions` values. Nothing is
 * guessed: a row that cannot be converted faithfully gives a reason instead of a default.
 *
 * Mapping (documented here, tested in test/unit/legacy):
 * - akeneo_schedules -> handler `akeneoImport` (the application's Akeneo import handler), job_type
 *   `akeneo_import`, source integration/<schedule id>/akeneo, configuration {import_type, filters,
 *   options, store_id, credit_cost}; daily/weekly/monthly + HH:MM -> "M H * * *" / "M H * * 1" /
 *   "M H 1 * *" in the row's zone (a `timezone` column or `options.timezone`, else UTC); `once` ->
 *   a one-off job at `next_run`, else at the next HH:MM; a `once` that already ran stays a
 *   one-off with nothing left to run. is_active -> is_active (null counts as inactive: the legacy
 *   scheduler only ran `is_active = true`), status 'paused' -> is_paused.
 * - plugin_cron -> handler = handler_method, job_type `plugin_job`, source plugin/<plugin_id>/plugin,
 *   configuration {plugin_id, handler_params, priority}; cron_schedule and timezone validated;
 *   is_enabled -> is_active; counters, last run, last status and last error carried over.
 *   handler_code is kept only in metadata.legacy_row, for the record: it never runs.
 * - every job's metadata: {original_table, legacy_id, legacy_location, migrated_at, legacy_row}.
 * - job_history -> an execution with trigger `legacy`, the original id in result.legacy_history_id.
 */

export const akeneoImportHandler = 'akeneoImport'
export const akeneoJobType = 'akeneo_import'
export const pluginJobType = 'plugin_job'
export const legacyRunner = 'legacy'

export type Converted<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string }

/** The columns a migrated job is inserted with. */
export type MigratedJob = Pick<JobRow,
  | 'name' | 'description' | 'cron_expression' | 'run_at' | 'timezone' | 'job_type' | 'handler' | 'configuration'
  | 'source_type' | 'source_id' | 'source_name' | 'store_id' | 'is_active' | 'is_paused' | 'is_system'
  | 'last_run_at' | 'next_run_at' | 'run_count' | 'success_count' | 'failure_count' | 'consecutive_failures'
  | 'last_status' | 'last_error' | 'metadata' | 'created_at'>

export interface JobConversion {
  readonly job: MigratedJob
  readonly schedule: ExpectedSchedule
  /** The legacy schedule and the new one, for people. */
  readonly from: string
  readonly to: string
}

export interface ConversionContext {
  /** The clock of the command: next runs are counted from it. */
  readonly now: Date
  readonly location: LegacyLocation
}

export interface ClockTime {
  readonly hour: number
  readonly minute: number
}

const scheduleTypes = ['daily', 'weekly', 'monthly', 'once'] as const
const handlerPattern = /^[A-Za-z_][\w.:-]{0,99}$/
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const maxJobName = 200

const ok = <T>(value: T): Converted<T> => ({ ok: true, value })
const fail = <T>(reason: string): Converted<T> => ({ ok: false, reason })

/** 'HH:MM' (or 'HH:MM:00', as a `time` column prints). Anything else is a reason, never midnight. */
export function parseScheduleTime(value: unknown): Converted<ClockTime> {
  if (value === null || value === undefined) return fail('schedule_time is missing')
  if (typeof value !== 'string') return fail(`schedule_time ${JSON.stringify(value)} is not text`)
  const text = value.trim()
  if (text === '') return fail('schedule_time is empty')
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text)
  if (!match) return fail(`schedule_time "${value}" is not HH:MM`)
  const hour = Number(match[1])
  const minute = Number(match[2])
  if (hour > 23 || minute > 59) return fail(`schedule_time "${value}" is not a time of day (00:00 to 23:59)`)
  if (match[3] !== undefined && match[3] !== '00') return fail(`schedule_time "${value}" has seconds; jobs run on whole minutes`)
  return ok({ hour, minute })
}

/** The legacy statuses of job_history (and plugin_cron.last_status) in the scheduler's words. */
export function mapLegacyStatus(value: string | null): AttemptStatus | undefined {
  if (value === null) return undefined
  return legacyStatuses[value.trim().toLowerCase()]
}

const legacyStatuses: Readonly<Record<string, AttemptStatus>> = {
  completed: 'succeeded', complete: 'succeeded', success: 'succeeded', succeeded: 'succeeded', successful: 'succeeded', done: 'succeeded', ok: 'succeeded',
  failed: 'failed', failure: 'failed', error: 'failed', errored: 'failed',
  timeout: 'timed_out', timed_out: 'timed_out', timedout: 'timed_out',
  cancelled: 'cancelled', canceled: 'cancelled', aborted: 'cancelled',
  // Never started: the legacy scheduler was replaced before it ran.
  pending: 'cancelled', queued: 'cancelled', scheduled: 'cancelled',
  // Started and never finished as far as the table knows.
  running: 'abandoned', started: 'abandoned', processing: 'abandoned', in_progress: 'abandoned',
  skipped: 'skipped',
}

/** The zone of an Akeneo schedule: a `timezone` column if the table has one, else options.timezone, else UTC. */
function akeneoZone(row: LegacyRecord): Converted<string> {
  const zone = presentText(row, 'timezone') ?? textOf(objectOf(row, 'options') ?? {}, 'timezone')?.trim() ?? 'UTC'
  return isValidTimezone(zone) ? ok(zone) : fail(`timezone "${zone}" is not an IANA zone name`)
}

interface AkeneoTiming {
  schedule: ExpectedSchedule
  cron_expression: string | null
  run_at: Date | null
  next_run_at: Date | null
  from: string
}

function akeneoTiming(row: LegacyRecord, zone: string, now: Date): Converted<AkeneoTiming> {
  const type = textOf(row, 'schedule_type')
  if (type === null) return fail('schedule_type is missing')
  if (!(scheduleTypes as readonly string[]).includes(type)) return fail(`unknown schedule_type "${type}": expected daily, weekly, monthly or once`)
  const nextRun = instantOf(row, 'next_run')
  const lastRun = instantOf(row, 'last_run')
  if (type === 'once' && (nextRun || lastRun)) {
    // A one-off at its recorded instant; one that already ran keeps the record and runs no more.
    const runAt = nextRun ?? lastRun!
    const finished = lastRun !== null && (nextRun === null || lastRun >= nextRun)
    return ok({ schedule: { kind: 'at', runAt, timezone: zone }, cron_expression: null, run_at: runAt, next_run_at: finished ? null : runAt,
      from: finished ? `once, already ran at ${lastRun.toISOString()}` : `once at next_run ${runAt.toISOString()}` })
  }
  const time = parseScheduleTime(row.schedule_time)
  if (!time.ok) return time
  const { hour, minute } = time.value
  const from = `${type} ${clock(hour, minute)}`
  if (type === 'once') {
    const runAt = parseCron(dailyAt(hour, minute), zone).next(now)
    return ok({ schedule: { kind: 'daily-time', hour, minute, timezone: zone }, cron_expression: null, run_at: runAt, next_run_at: runAt, from })
  }
  const expression = type === 'daily' ? `${minute} ${hour} * * *` : type === 'weekly' ? `${minute} ${hour} * * 1` : `${minute} ${hour} 1 * *`
  return ok({ schedule: { kind: 'cron', expression, timezone: zone }, cron_expression: expression, run_at: null,
    next_run_at: parseCron(expression, zone).next(now), from })
}

export function convertAkeneoSchedule(row: LegacyRecord, context: ConversionContext): Converted<JobConversion> {
  const id = presentText(row, 'id')
  if (id === null) return fail('the row has no id')
  const importType = presentText(row, 'import_type')
  if (importType === null) return fail('import_type is missing')
  const storeId = presentText(row, 'store_id')
  if (storeId !== null && !uuidPattern.test(storeId)) return fail(`store_id "${storeId}" is not a UUID`)
  const zone = akeneoZone(row)
  if (!zone.ok) return zone
  const timing = akeneoTiming(row, zone.value, context.now)
  if (!timing.ok) return timing
  const name = `Akeneo ${importType} import ${id}`
  if (name.length > maxJobName) return fail(`the job name "${name.slice(0, 40)}…" would be longer than ${maxJobName} characters`)
  const { schedule, cron_expression, run_at, next_run_at, from } = timing.value
  const job: MigratedJob = {
    name,
    description: `Scheduled ${importType} import from Akeneo PIM`,
    cron_expression, run_at, timezone: zone.value, next_run_at,
    job_type: akeneoJobType,
    handler: akeneoImportHandler,
    configuration: {
      import_type: importType,
      filters: objectOf(row, 'filters') ?? {},
      options: objectOf(row, 'options') ?? {},
      store_id: storeId,
      credit_cost: numberOf(row, 'credit_cost'),
    },
    source_type: 'integration', source_id: id, source_name: 'akeneo', store_id: storeId,
    is_active: booleanOf(row, 'is_active') === true,
    is_paused: textOf(row, 'status')?.trim().toLowerCase() === 'paused',
    is_system: false,
    last_run_at: instantOf(row, 'last_run'),
    run_count: 0, success_count: 0, failure_count: 0, consecutive_failures: 0, last_status: null, last_error: null,
    metadata: legacyMetadata('akeneo_schedules', id, row, context),
    created_at: instantOf(row, 'created_at') ?? context.now,
  }
  return ok({ job, schedule, from, to: describeExpected(schedule, run_at) })
}

export function convertPluginCron(row: LegacyRecord, context: ConversionContext): Converted<JobConversion> {
  const pluginId = presentText(row, 'plugin_id')
  const cronName = presentText(row, 'cron_name')
  if (pluginId === null) return fail('plugin_id is missing')
  if (cronName === null) return fail('cron_name is missing')
  const zone = presentText(row, 'timezone') ?? 'UTC'
  if (!isValidTimezone(zone)) return fail(`timezone "${zone}" is not an IANA zone name`)
  const expression = presentText(row, 'cron_schedule')
  if (expression === null) return fail('cron_schedule is missing')
  let nextRunAt: Date | null
  try {
    nextRunAt = parseCron(expression, zone).next(context.now)
  } catch (error) {
    return fail(`invalid cron_schedule: ${(error as Error).message}`)
  }
  const handler = presentText(row, 'handler_method')
  if (handler === null) {
    return fail(presentText(row, 'handler_code') !== null
      ? 'it has only handler_code, and code stored in a row is never run: register a handler and set handler_method'
      : 'handler_method is missing')
  }
  if (!handlerPattern.test(handler)) return fail(`handler_method "${handler}" is not a handler name (letters, digits and . _ : -)`)
  const name = `plugin ${pluginId}: ${cronName}`
  if (name.length > maxJobName) return fail(`the job name "${name.slice(0, 40)}…" would be longer than ${maxJobName} characters`)
  const lastStatus = textOf(row, 'last_status')
  const schedule: ExpectedSchedule = { kind: 'cron', expression: expression.split(/\s+/).join(' '), timezone: zone }
  const job: MigratedJob = {
    name,
    description: textOf(row, 'description'),
    cron_expression: schedule.expression, run_at: null, timezone: zone, next_run_at: nextRunAt,
    job_type: pluginJobType,
    handler,
    configuration: { plugin_id: pluginId, handler_params: objectOf(row, 'handler_params') ?? {}, priority: numberOf(row, 'priority') },
    source_type: 'plugin', source_id: pluginId, source_name: 'plugin', store_id: null,
    is_active: booleanOf(row, 'is_enabled') === true,
    is_paused: false,
    is_system: false,
    last_run_at: instantOf(row, 'last_run_at'),
    run_count: countOf(row, 'run_count'),
    success_count: countOf(row, 'success_count'),
    failure_count: countOf(row, 'failure_count'),
    consecutive_failures: countOf(row, 'consecutive_failures'),
    last_status: mapLegacyStatus(lastStatus) ?? lastStatus,
    last_error: textOf(row, 'last_error'),
    metadata: legacyMetadata('plugin_cron', pluginCronKey(pluginId, cronName), row, context),
    created_at: instantOf(row, 'created_at') ?? context.now,
  }
  return ok({ job, schedule, from: `"${expression}" (${zone})`, to: `${describeExpected(schedule)}, handler ${handler}` })
}

/** The identity of a schedule row, as kept in the migrated job's metadata; null when it has none. */
export function legacyIdOf(table: ScheduleTable, row: LegacyRecord): string | null {
  if (table === 'akeneo_schedules') return presentText(row, 'id')
  const pluginId = presentText(row, 'plugin_id')
  const cronName = presentText(row, 'cron_name')
  return pluginId !== null && cronName !== null ? pluginCronKey(pluginId, cronName) : null
}

function legacyMetadata(table: ScheduleTable, legacyId: string, row: LegacyRecord, context: ConversionContext): Record<string, unknown> {
  return {
    original_table: table,
    legacy_id: legacyId,
    legacy_location: context.location,
    migrated_at: context.now.toISOString(),
    legacy_row: row,
  }
}
