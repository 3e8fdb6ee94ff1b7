import type { JobRow, JobValues } from '../store/jobs.js'
import { applySourceType, managedColumns, type DesiredJob, type JobsFile, type ManagedColumn } from './apply-file.js'
import { computeNextRunAt, passedOverSlots } from './index.js'
import { changesSchedule } from './input.js'

export type ApplyAction = 'create' | 'update' | 'unchanged' | 'remove' | 'keep'

/** What applying a file does to one job of a tenant. */
export interface PlannedChange {
  action: ApplyAction
  name: string
  /** The row as it is (update, unchanged, remove, keep). */
  existing?: JobRow
  /** The columns to write (create: all of them; update: the changed ones, plus next_run_at when it moves). */
  values?: JobValues
  /** update: the columns that differ, with their old and new values. */
  diff?: Partial<Record<ManagedColumn, { from: unknown; to: unknown }>>
  /** next_run_at is set by this change (a new job, a new schedule, a resume). */
  nextRunAt?: Date | null
  /** A paused job resumed: its passed-over slots are recorded `skipped`, like `jobs resume`. */
  resumed?: { scheduledFor: Date; coveredSlots: number }
  /** keep: why a job of the source that the file no longer lists stays. */
  reason?: string
}

export interface TenantPlan {
  changes: PlannedChange[]
  /** Jobs of the file whose name is taken by a job from elsewhere: nothing is written while there are any. */
  conflicts: string[]
}

export interface PlanOptions {
  tenant: string
  now: Date
  prune?: boolean | undefined
  /** Take over a job of the same name created another way (by hand, by the legacy migration, by another file). */
  adopt?: boolean | undefined
}

/**
 * Compares a file with the jobs of a tenant that share a name with it or come from its source.
 * Pure: the same rows and clock give the same plan.
 */
export function planTenant(file: JobsFile, rows: readonly JobRow[], options: PlanOptions): TenantPlan {
  const byName = new Map(rows.map((row) => [row.name, row]))
  const listed = new Set(file.jobs.map((job) => job.name))
  const changes: PlannedChange[] = []
  const conflicts: string[] = []
  for (const job of file.jobs) {
    const existing = byName.get(job.name)
    if (!existing) {
      const nextRunAt = computeNextRunAt(job, options.now)
      changes.push({ action: 'create', name: job.name, values: { ...job, next_run_at: nextRunAt }, nextRunAt })
    } else if (existing.source_type === 'system') {
      conflicts.push(`job "${job.name}" in tenant "${options.tenant}" is the scheduler's own system job: `
        + 'a jobs file cannot take it over; change it with `jobs update` and leave it out of the file')
    } else if (!isOfSource(existing, file.source) && !options.adopt) {
      conflicts.push(`job "${job.name}" already exists in tenant "${options.tenant}" and is not from source "${file.source}": `
        + `${describeSource(existing)}; rename it in the file, remove it, or pass --adopt to take it over`)
    } else {
      changes.push(planUpdate(job, existing, options.now))
    }
  }
  for (const row of rows) {
    if (listed.has(row.name) || !isOfSource(row, file.source)) continue
    if (!options.prune) continue
    changes.push(row.is_system
      ? { action: 'keep', name: row.name, existing: row, reason: 'a system job is never removed: edit it, or stop it with `jobs disable`' }
      : { action: 'remove', name: row.name, existing: row })
  }
  return { changes, conflicts }
}

function planUpdate(job: DesiredJob, existing: JobRow, now: Date): PlannedChange {
  const values: JobValues = {}
  const diff: PlannedChange['diff'] = {}
  for (const column of managedColumns) {
    if (sameValue(job[column], existing[column])) continue
    ;(values as Record<string, unknown>)[column] = job[column]
    diff[column] = { from: existing[column], to: job[column] }
  }
  if (Object.keys(values).length === 0) return { action: 'unchanged', name: job.name, existing }
  const change: PlannedChange = { action: 'update', name: job.name, existing, values, diff }
  const resumes = existing.is_paused && !job.is_paused && existing.is_active
  // An edit never fires a slot that lies in the past: a new schedule, or a resume, counts from now.
  if (changesSchedule(values, existing) || resumes) {
    change.nextRunAt = values.next_run_at = computeNextRunAt(job, now)
  }
  if (resumes) {
    // The old schedule's slots were passed over while it was paused.
    const passed = passedOverSlots(existing, now)
    if (passed) change.resumed = passed
  }
  return change
}

export function isOfSource(row: Pick<JobRow, 'source_type' | 'source_name'>, source: string): boolean {
  return row.source_type === applySourceType && row.source_name === source
}

function describeSource(row: JobRow): string {
  if (row.source_type === applySourceType) return `it belongs to the jobs file source "${row.source_name}"`
  if (row.source_type === 'manual') return 'it was added by hand (source type "manual")'
  return `it comes from source type "${row.source_type}"${row.source_name ? ` ("${row.source_name}")` : ''}`
}

/** Column equality as the database sees it: instants by time, jsonb whatever the key order. */
function sameValue(wanted: unknown, current: unknown): boolean {
  if (wanted instanceof Date || current instanceof Date) {
    return wanted instanceof Date && current instanceof Date && wanted.getTime() === current.getTime()
  }
  if (typeof wanted === 'object' && wanted !== null) return canonicalJson(wanted) === canonicalJson(current)
  return wanted === current
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (inner && typeof inner === 'object' && !Array.isArray(inner)
    ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : inner))
}

export function countActions(changes: readonly PlannedChange[]): Record<ApplyAction, number> {
  const counts: Record<ApplyAction, number> = { create: 0, update: 0, unchanged: 0, remove: 0, keep: 0 }
  for (const change of changes) counts[change.action]++
  return counts
}
