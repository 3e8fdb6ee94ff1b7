import { longestStoredMs } from '../duration.js'
import type { AttemptStatus } from '../store/executions.js'
import { legacyRunner, mapLegacyStatus, type Converted } from './convert.js'
import { instantOf, pluginCronKey, presentText, scheduleKey, textOf, type LegacyRecord } from './tables.js'

/** A job_history row as a `cron_job_executions` row of its migrated job. */
export interface LegacyExecution {
  readonly job_id: string
  readonly scheduled_for: Date
  readonly attempt: 1
  readonly trigger: 'legacy'
  readonly status: AttemptStatus
  readonly started_at: Date | null
  readonly finished_at: Date | null
  readonly duration_ms: number | null
  readonly result: Record<string, unknown>
  readonly error: string | null
  readonly runner: string
}

/**
 * The legacy schedules a job_history row may belong to. The legacy app wrote various source_type
 * spellings, so the row is matched on its ids alone: an Akeneo schedule by `source_id`, a plugin
 * cron by `source_id` (the plugin) and `job_name` (the cron's name).
 */
export function historyScheduleKeys(row: LegacyRecord): string[] {
  const sourceId = presentText(row, 'source_id')
  if (sourceId === null) return []
  const keys = [scheduleKey('akeneo_schedules', sourceId)]
  const jobName = presentText(row, 'job_name')
  if (jobName !== null) keys.push(scheduleKey('plugin_cron', pluginCronKey(sourceId, jobName)))
  return keys
}

/** What identifies a history row to a person: its id, and whose it is. */
export function describeHistoryRow(row: LegacyRecord): string {
  return `source_type ${textOf(row, 'source_type') ?? '-'}, source_id ${textOf(row, 'source_id') ?? '-'}, job_name ${textOf(row, 'job_name') ?? '-'}`
}

export function convertHistoryRow(row: LegacyRecord, jobId: string): Converted<LegacyExecution> {
  const id = presentText(row, 'id')
  if (id === null) return { ok: false, reason: 'the row has no id' }
  const legacyStatus = textOf(row, 'status')
  const status = mapLegacyStatus(legacyStatus)
  if (status === undefined) {
    return { ok: false, reason: legacyStatus === null ? 'status is missing' : `unknown status "${legacyStatus}"` }
  }
  const startedAt = instantOf(row, 'started_at')
  const completedAt = instantOf(row, 'completed_at')
  const slot = startedAt ?? completedAt
  if (slot === null) return { ok: false, reason: 'it has neither started_at nor completed_at' }
  const finished = status === 'abandoned' ? null : completedAt
  const duration = startedAt && finished ? finished.getTime() - startedAt.getTime() : null
  return {
    ok: true,
    value: {
      job_id: jobId,
      scheduled_for: slot,
      attempt: 1,
      trigger: 'legacy',
      status,
      started_at: startedAt,
      finished_at: finished,
      duration_ms: duration !== null && duration >= 0 && duration <= longestStoredMs ? duration : null,
      result: {
        legacy_history_id: id,
        original_table: 'job_history',
        legacy_status: legacyStatus,
        job_name: textOf(row, 'job_name'),
        source_type: textOf(row, 'source_type'),
        source_id: textOf(row, 'source_id'),
        result: row.result ?? null,
      },
      error: textOf(row, 'error_message') ?? statusNote(legacyStatus!, status),
      runner: legacyRunner,
    },
  }
}

/** Says why an attempt without an error message did not finish. */
function statusNote(legacyStatus: string, status: AttemptStatus): string | null {
  if (status === 'abandoned') return `still "${legacyStatus}" in the legacy scheduler when it was migrated`
  if (status === 'cancelled' && !/cancel|abort/i.test(legacyStatus)) {
    return `still "${legacyStatus}" (never started) when the legacy scheduler was replaced`
  }
  return null
}
