import { longestStoredMs } from '../duration.js'

/**
 * The tables the unified scheduler replaces, as they exist in production:
 *
 * master database
 *   akeneo_schedules  id uuid, store_id uuid, import_type, schedule_type (a Postgres enum:
 *                     daily | weekly | monthly | once), schedule_time 'HH:MM', filters jsonb,
 *                     options jsonb, credit_cost numeric, is_active, status ('active' | 'paused' | ...),
 *                     last_run, next_run, created_at, updated_at
 *   job_queue         id, type, payload jsonb, status (pending | running | completed | failed),
 *                     run_at, attempts, created_at
 *   stores            id, tenant_id: which tenant a store (and so an Akeneo schedule) belongs to
 * tenant databases
 *   plugin_cron       plugin_id, cron_name, description, cron_schedule, timezone, handler_method,
 *                     handler_code, handler_params jsonb, priority, is_enabled, last_run_at,
 *                     next_run_at, run_count, success_count, failure_count, consecutive_failures,
 *                     last_status, last_error
 *   job_history       id, job_name, source_type, source_id, status, started_at, completed_at,
 *                     error_message, result jsonb
 *   cron_job_types    type_name, description, handler_name
 *   akeneo_schedules  possibly, a tenant copy of the master table
 *
 * Rows are read as `to_jsonb(row)`: the code sees exactly what the table holds (extra columns of a
 * newer app version included) and the original row can be kept in the migrated job's metadata.
 */

export type LegacyTable = 'akeneo_schedules' | 'plugin_cron' | 'job_history' | 'cron_job_types' | 'job_queue'

/** Where a legacy table lives: the master database, or a tenant's. */
export type LegacyLocation = 'master' | 'tenant'

/** The tables of each location, in the order they are reported and dropped. */
export const masterLegacyTables = ['akeneo_schedules', 'job_queue'] as const satisfies readonly LegacyTable[]
export const tenantLegacyTables = ['akeneo_schedules', 'plugin_cron', 'job_history', 'cron_job_types'] as const satisfies readonly LegacyTable[]

/** The tables whose rows become `cron_jobs` rows. */
export type ScheduleTable = 'akeneo_schedules' | 'plugin_cron'

/** A legacy row as `to_jsonb` gives it: instants as ISO strings, numerics as numbers, jsonb as values. */
export type LegacyRecord = Readonly<Record<string, unknown>>

/** The job_queue states that still hold work: the table is not dropped while any row has one. */
export const unfinishedQueueStatuses = ['pending', 'running'] as const

/** Text of a column: strings as they are, numbers as digits; null for null, missing or other types. */
export function textOf(row: LegacyRecord, column: string): string | null {
  const value = row[column]
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

/** Text that is present and not blank, trimmed. */
export function presentText(row: LegacyRecord, column: string): string | null {
  const value = textOf(row, column)?.trim()
  return value ? value : null
}

export function booleanOf(row: LegacyRecord, column: string): boolean | null {
  const value = row[column]
  return typeof value === 'boolean' ? value : null
}

/** A counter column: a whole number, 0 when null or unreadable (the legacy default). */
export function countOf(row: LegacyRecord, column: string): number {
  const value = typeof row[column] === 'string' ? Number(row[column]) : row[column]
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= longestStoredMs ? value : 0
}

export function numberOf(row: LegacyRecord, column: string): number | null {
  const value = typeof row[column] === 'string' ? Number(row[column]) : row[column]
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/**
 * An instant column. `timestamptz` arrives with its offset; a `timestamp` without zone is taken
 * as UTC, which is how the legacy app wrote them.
 */
export function instantOf(row: LegacyRecord, column: string): Date | null {
  const value = row[column]
  if (typeof value !== 'string' || value.trim() === '') return null
  const text = value.trim()
  const zoned = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text) || !/T|\s\d/.test(text) ? text : `${text}Z`
  const instant = new Date(zoned.replace(' ', 'T'))
  return Number.isNaN(instant.getTime()) ? null : instant
}

/** A jsonb object column; null when null or not an object. */
export function objectOf(row: LegacyRecord, column: string): Record<string, unknown> | null {
  const value = row[column]
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

/** The identity of a plugin_cron row: it has no id column, a plugin names its crons uniquely. */
export function pluginCronKey(pluginId: string, cronName: string): string {
  return `${pluginId}/${cronName}`
}

/** The identity of a legacy schedule across locations: an Akeneo schedule is the same wherever it is copied. */
export function scheduleKey(table: ScheduleTable, legacyId: string): string {
  return `${table}:${legacyId}`
}
