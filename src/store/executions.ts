import type { TenantDb } from '../db/tenant-connections.js'

export type AttemptStatus = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled' | 'skipped' | 'missed' | 'abandoned'
export type Trigger = 'schedule' | 'catchup' | 'retry' | 'manual' | 'legacy'

export interface ExecutionRow {
  id: string
  job_id: string
  scheduled_for: Date
  attempt: number
  trigger: Trigger
  status: AttemptStatus
  covered_slots: number
  started_at: Date | null
  finished_at: Date | null
  duration_ms: number | null
  lateness_ms: number | null
  timeout_at: Date | null
  retry_at: Date | null
  result: unknown
  error: string | null
  runner: string | null
  run_id: string | null
  owner_id: string | null
  created_at: Date
}

/** A slot that was passed over (paused, overlap, catch-up): recorded so history can say why. */
export async function insertPassedOverSlot(
  db: TenantDb,
  slot: { jobId: string; scheduledFor: Date; status: 'skipped' | 'missed'; coveredSlots: number; error: string; ownerId: string | null; at: Date },
): Promise<void> {
  await db.sql`
    insert into ${db.table('cron_job_executions')}
      (job_id, scheduled_for, attempt, trigger, status, covered_slots, finished_at, error, owner_id)
    values (${slot.jobId}, ${slot.scheduledFor}, 1, 'schedule', ${slot.status}, ${slot.coveredSlots}, ${slot.at}, ${slot.error}, ${slot.ownerId})
    on conflict do nothing`
}

export async function selectJobHistory(db: TenantDb, jobId: string, limit: number): Promise<ExecutionRow[]> {
  return db.sql<ExecutionRow[]>`
    select * from ${db.table('cron_job_executions')}
    where job_id = ${jobId}
    order by coalesce(started_at, finished_at, created_at) desc, scheduled_for desc, attempt desc
    limit ${limit}`
}

/** A manual attempt: its own row, its slot the moment of the trigger. */
export async function insertManualAttempt(
  db: TenantDb,
  attempt: { jobId: string; scheduledFor: Date; runner: string; timeoutAt: Date; ownerId: string | null },
): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`
    insert into ${db.table('cron_job_executions')}
      (job_id, scheduled_for, attempt, trigger, status, started_at, lateness_ms, timeout_at, runner, owner_id)
    values (${attempt.jobId}, ${attempt.scheduledFor}, 1, 'manual', 'running', ${attempt.scheduledFor}, 0,
      ${attempt.timeoutAt}, ${attempt.runner}, ${attempt.ownerId})
    returning id`
  return row!.id
}
