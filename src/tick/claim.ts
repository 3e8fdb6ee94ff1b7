import type { TenantDb } from '../db/tenant-connections.js'
import { storedMs } from '../duration.js'
import { insertExecutions, type NewExecution } from '../store/executions.js'
import { advanceClaimedJobs, selectDueJobsForUpdate, selectDueRetriesForUpdate, type JobAdvance } from '../store/tick.js'
import type { JobRow } from '../store/jobs.js'
import type { ClaimedAttempt } from './execute.js'
import { planDueSlots } from './plan.js'

export interface ClaimedBatch {
  attempts: ClaimedAttempt[]
  /** Slots recorded without running: overlap skips, catch-up `none` misses. */
  skipped: number
  missed: number
  /** Jobs whose row cannot be scheduled (bad expression or zone): each failed alone. */
  failedRows: number
  /** The batch was full: more work may be due. */
  more: boolean
}

export interface ClaimOptions {
  now: Date
  runId: string | null
  runner: string
  batchSize: number
}

/**
 * Claims one batch of due work in one transaction: locks due jobs and due retries (skipping rows
 * another runner holds), records every attempt as `running` and every passed-over slot, moves
 * next_run_at forward, and commits before any handler runs.
 */
export async function claimDueBatch(db: TenantDb, options: ClaimOptions): Promise<ClaimedBatch> {
  return db.sql.begin(async (sql) => claimInTransaction({ ...db, sql: sql as unknown as TenantDb['sql'] }, options)) as Promise<ClaimedBatch>
}

export async function claimInTransaction(tx: TenantDb, { now, runId, runner, batchSize }: ClaimOptions): Promise<ClaimedBatch> {
  const [jobs, retries] = await Promise.all([selectDueJobsForUpdate(tx, now, batchSize), selectDueRetriesForUpdate(tx, now, batchSize)])
  const rows: NewExecution[] = []
  const advances: JobAdvance[] = []
  const retriesTaken: string[] = []
  const jobsById = new Map<string, JobRow>()
  const batch: ClaimedBatch = { attempts: [], skipped: 0, missed: 0, failedRows: 0, more: jobs.length === batchSize || retries.length === batchSize }
  const attemptRow = (job: JobRow, scheduledFor: Date, attempt: number, trigger: NewExecution['trigger'], coveredSlots: number): NewExecution => ({
    job_id: job.id, scheduled_for: scheduledFor, attempt, trigger, status: 'running', covered_slots: coveredSlots,
    started_at: now, finished_at: null, lateness_ms: storedMs(now.getTime() - scheduledFor.getTime()),
    timeout_at: new Date(now.getTime() + job.timeout_ms), error: null, runner, run_id: runId, owner_id: job.owner_id,
  })

  for (const job of jobs) {
    jobsById.set(job.id, job)
    const plan = planDueSlots(job, now, { hasRunningAttempt: job.has_running_attempt })
    advances.push({ id: job.id, next_run_at: plan.nextRunAt, error: plan.error ?? null })
    if (plan.error) {
      batch.failedRows++
      rows.push({ ...attemptRow(job, job.next_run_at!, 1, 'schedule', 0), status: 'failed', finished_at: now, timeout_at: null, error: plan.error })
      continue
    }
    for (const slot of plan.attempts) rows.push(attemptRow(job, slot.scheduledFor, 1, slot.trigger, slot.coveredSlots))
    for (const slot of plan.passedOver) {
      batch[slot.status]++
      rows.push({ ...attemptRow(job, slot.scheduledFor, 1, 'schedule', slot.coveredSlots), status: slot.status, finished_at: now, timeout_at: null, error: slot.reason })
    }
  }
  for (const retry of retries) {
    // While an attempt of the job still runs, a retry waits rather than overlapping it.
    if (retry.has_running_attempt && retry.overlap_policy === 'skip') continue
    jobsById.set(retry.id, retry)
    retriesTaken.push(retry.retry_of)
    rows.push(attemptRow(retry, retry.retry_scheduled_for, retry.retry_attempt, 'retry', 0))
  }

  const inserted = await insertExecutions(tx, rows)
  await advanceClaimedJobs(tx, advances, retriesTaken)
  const running = new Map(rows.filter((row) => row.status === 'running').map((row) => [slotKey(row.job_id, row.scheduled_for, row.attempt), row]))
  for (const row of inserted) {
    const planned = running.get(slotKey(row.job_id, row.scheduled_for, row.attempt))
    if (!planned) continue
    batch.attempts.push({ id: row.id, job: jobsById.get(row.job_id)!, scheduledFor: planned.scheduled_for, attempt: row.attempt, trigger: planned.trigger })
  }
  return batch
}

function slotKey(jobId: string, scheduledFor: Date, attempt: number): string {
  return `${jobId}|${scheduledFor.getTime()}|${attempt}`
}
