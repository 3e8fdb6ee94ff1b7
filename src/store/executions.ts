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

/** A row as the scheduler records it: an attempt, or a slot passed over. */
export type NewExecution = Pick<ExecutionRow,
  'job_id' | 'scheduled_for' | 'attempt' | 'trigger' | 'status' | 'covered_slots' | 'started_at' | 'finished_at' | 'lateness_ms'
  | 'timeout_at' | 'error' | 'runner' | 'run_id' | 'owner_id'>

export type InsertedExecution = Pick<ExecutionRow, 'id' | 'job_id' | 'scheduled_for' | 'attempt'>

/**
 * Records attempts and passed-over slots in one statement (the batch travels as one jsonb
 * parameter); a scheduled slot another runner already holds is left out.
 */
export async function insertExecutions(db: TenantDb, rows: NewExecution[]): Promise<InsertedExecution[]> {
  if (rows.length === 0) return []
  return db.sql<InsertedExecution[]>`
    insert into ${db.table('cron_job_executions')}
      (job_id, scheduled_for, attempt, trigger, status, covered_slots, started_at, finished_at, lateness_ms,
       timeout_at, error, runner, run_id, owner_id)
    select job_id, scheduled_for, attempt, trigger, status, covered_slots, started_at, finished_at, lateness_ms,
       timeout_at, error, runner, run_id, owner_id
    from jsonb_to_recordset(${db.sql.json(rows as never)}::jsonb) as r(
      job_id uuid, scheduled_for timestamptz, attempt integer, trigger text, status text, covered_slots integer,
      started_at timestamptz, finished_at timestamptz, lateness_ms integer, timeout_at timestamptz, error text,
      runner text, run_id uuid, owner_id text)
    on conflict do nothing
    returning id, job_id, scheduled_for, attempt`
}

/** A slot that was passed over (paused, overlap, catch-up): recorded so history can say why. */
export async function insertPassedOverSlot(
  db: TenantDb,
  slot: { jobId: string; scheduledFor: Date; status: 'skipped' | 'missed'; coveredSlots: number; error: string; ownerId: string | null; at: Date },
): Promise<void> {
  await insertExecutions(db, [{
    job_id: slot.jobId, scheduled_for: slot.scheduledFor, attempt: 1, trigger: 'schedule', status: slot.status, covered_slots: slot.coveredSlots,
    started_at: null, finished_at: slot.at, lateness_ms: null, timeout_at: null, error: slot.error, runner: null, run_id: null, owner_id: slot.ownerId,
  }])
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
  const [row] = await insertExecutions(db, [{
    job_id: attempt.jobId, scheduled_for: attempt.scheduledFor, attempt: 1, trigger: 'manual', status: 'running', covered_slots: 0,
    started_at: attempt.scheduledFor, finished_at: null, lateness_ms: 0, timeout_at: attempt.timeoutAt, error: null,
    runner: attempt.runner, run_id: null, owner_id: attempt.ownerId,
  }])
  return row!.id
}
