import type { TenantDb } from '../db/tenant-connections.js'
import type { AttemptStatus } from './executions.js'
import type { JobRow } from './jobs.js'

/**
 * Every statement of the tick. Batches travel as one jsonb parameter expanded with
 * jsonb_to_recordset: one round trip per batch whatever its size, and nulls and instants keep
 * their types. The planner guesses a recordset at 100 rows: the finish names its execution ids
 * as an array too (`id = any(...)`) so it reaches them by primary key rather than by a scan of
 * every running attempt.
 */

/** How long past its timeout a `running` attempt may stay before it is taken for abandoned. */
export const staleGraceMs = 60_000

export interface DueJob extends JobRow {
  has_running_attempt: boolean
}

export interface DueRetry extends DueJob {
  /** The failed attempt being retried. */
  retry_of: string
  retry_scheduled_for: Date
  retry_attempt: number
}

export async function selectDueJobsForUpdate(db: TenantDb, now: Date, limit: number): Promise<DueJob[]> {
  return db.sql<DueJob[]>`
    select j.*, exists (
      select 1 from ${db.table('cron_job_executions')} e where e.job_id = j.id and e.status = 'running'
    ) as has_running_attempt
    from ${db.table('cron_jobs')} j
    where j.is_active and not j.is_paused and j.next_run_at is not null and j.next_run_at <= ${now}
    order by j.next_run_at
    limit ${limit}
    for update of j skip locked`
}

export async function selectDueRetriesForUpdate(db: TenantDb, now: Date, limit: number): Promise<DueRetry[]> {
  return db.sql<DueRetry[]>`
    select j.*, f.id as retry_of, f.scheduled_for as retry_scheduled_for, f.attempt + 1 as retry_attempt,
      exists (
        select 1 from ${db.table('cron_job_executions')} e where e.job_id = j.id and e.status = 'running'
      ) as has_running_attempt
    from ${db.table('cron_job_executions')} f
    join ${db.table('cron_jobs')} j on j.id = f.job_id
    where f.retry_at is not null and f.retry_at <= ${now} and j.is_active and not j.is_paused
    order by f.retry_at
    limit ${limit}
    for update of f skip locked`
}

export interface JobAdvance {
  id: string
  next_run_at: Date | null
  /** The row could not be scheduled: the job is marked failed with this error. */
  error: string | null
}

/** Moves next_run_at of claimed jobs and takes the claimed retries off their failed attempts. */
export async function advanceClaimedJobs(db: TenantDb, advances: JobAdvance[], retriesTaken: string[]): Promise<void> {
  if (advances.length === 0 && retriesTaken.length === 0) return
  await db.sql`
    with advanced as (
      update ${db.table('cron_jobs')} j set
        next_run_at = r.next_run_at,
        last_status = case when r.error is null then j.last_status else 'failed' end,
        last_error = coalesce(r.error, j.last_error),
        failure_count = j.failure_count + (r.error is not null)::int,
        consecutive_failures = j.consecutive_failures + (r.error is not null)::int,
        updated_at = now()
      from jsonb_to_recordset(${db.sql.json(advances as never)}::jsonb) as r(id uuid, next_run_at timestamptz, error text)
      where j.id = r.id
      returning j.id
    ), taken as (
      update ${db.table('cron_job_executions')} set retry_at = null
      where id = any(${retriesTaken}::uuid[])
      returning id
    )
    select (select count(*) from advanced) as advanced, (select count(*) from taken) as taken`
}

export interface AttemptFinish {
  id: string
  status: AttemptStatus
  /** When the handler really started (the claim recorded when the slot was taken). */
  started_at: Date
  lateness_ms: number
  finished_at: Date
  duration_ms: number
  result: unknown
  error: string | null
  retry_at: Date | null
}

export interface JobOutcome {
  id: string
  runs: number
  successes: number
  failures: number
  /** A success came last but `added_failures`: consecutive failures restart from zero. */
  reset_failures: boolean
  added_failures: number
  last_status: AttemptStatus
  last_error: string | null
  last_run_at: Date
  last_duration_ms: number
  /** A one-off job whose last attempt is done and not to be retried. */
  deactivate: boolean
}

/**
 * Finishes attempts and folds them into their jobs' counters in one statement. An attempt that
 * is no longer `running` (another runner marked it abandoned) is left as it is, and so are the
 * counters of its job.
 */
export async function finishAttempts(db: TenantDb, finishes: AttemptFinish[], outcomes: JobOutcome[]): Promise<void> {
  if (finishes.length === 0) return
  await db.sql`
    with finished as (
      update ${db.table('cron_job_executions')} e set
        status = r.status, started_at = r.started_at, lateness_ms = r.lateness_ms, finished_at = r.finished_at,
        duration_ms = r.duration_ms, result = r.result, error = r.error, retry_at = r.retry_at
      from jsonb_to_recordset(${db.sql.json(finishes as never)}::jsonb) as r(
        id uuid, status text, started_at timestamptz, lateness_ms integer, finished_at timestamptz,
        duration_ms integer, result jsonb, error text, retry_at timestamptz)
      where e.id = r.id and e.status = 'running' and e.id = any(${finishes.map((finish) => finish.id)}::uuid[])
      returning e.job_id
    )
    update ${db.table('cron_jobs')} c set
      run_count = c.run_count + o.runs,
      success_count = c.success_count + o.successes,
      failure_count = c.failure_count + o.failures,
      consecutive_failures = case when o.reset_failures then 0 else c.consecutive_failures end + o.added_failures,
      last_status = o.last_status,
      last_error = o.last_error,
      last_run_at = greatest(c.last_run_at, o.last_run_at),
      last_duration_ms = o.last_duration_ms,
      is_active = c.is_active and not o.deactivate,
      updated_at = now()
    from jsonb_to_recordset(${db.sql.json(outcomes as never)}::jsonb) as o(
      id uuid, runs integer, successes integer, failures integer, reset_failures boolean, added_failures integer,
      last_status text, last_error text, last_run_at timestamptz, last_duration_ms integer, deactivate boolean)
    where c.id = o.id and c.id in (select job_id from finished)`
}

export interface RunningAttempt {
  id: string
  runner: string | null
}

export async function selectRunningAttemptsOfHost(db: TenantDb, host: string): Promise<RunningAttempt[]> {
  return db.sql<RunningAttempt[]>`
    select id, runner from ${db.table('cron_job_executions')}
    where status = 'running' and runner like ${`${host}:%`}`
}

/**
 * Marks `running` attempts abandoned when they are past their timeout plus grace, or when
 * their runner is known dead; each follows its job's retry policy (retried at once, as the
 * delay has passed with the timeout). Returns how many were abandoned.
 */
export async function abandonStaleAttempts(db: TenantDb, now: Date, deadAttemptIds: string[]): Promise<number> {
  const rows = await db.sql<{ abandoned: number }[]>`
    with abandoned as (
      update ${db.table('cron_job_executions')} e set
        status = 'abandoned',
        finished_at = ${now},
        duration_ms = least(2147483647, greatest(0, floor(extract(epoch from (${now}::timestamptz - e.started_at)) * 1000)))::int,
        error = 'the runner stopped before the attempt finished (' || coalesce(e.runner, 'unknown runner') || ')',
        retry_at = case when e.trigger <> 'manual' and e.attempt <= j.max_retries then ${now}::timestamptz end
      from ${db.table('cron_jobs')} j
      where j.id = e.job_id and e.status = 'running'
        and (e.timeout_at + ${`${staleGraceMs} milliseconds`}::interval < ${now} or e.id = any(${deadAttemptIds}::uuid[]))
      returning e.job_id, e.error
    ), counted as (
      update ${db.table('cron_jobs')} c set
        run_count = c.run_count + a.n,
        failure_count = c.failure_count + a.n,
        consecutive_failures = c.consecutive_failures + a.n,
        last_status = 'abandoned',
        last_error = a.error,
        updated_at = now()
      from (select job_id, count(*)::int as n, max(error) as error from abandoned group by job_id) a
      where c.id = a.job_id
      returning c.id
    )
    select (select count(*) from abandoned)::int as abandoned`
  return rows[0]?.abandoned ?? 0
}

/** The earliest moment anything of the tenant becomes due: its next slot or a pending retry. */
export async function selectNextDueAt(db: TenantDb): Promise<Date | null> {
  const [row] = await db.sql<{ at: Date | null }[]>`
    select least(
      (select min(next_run_at) from ${db.table('cron_jobs')} where is_active and not is_paused and next_run_at is not null),
      (select min(f.retry_at) from ${db.table('cron_job_executions')} f where f.retry_at is not null)
    ) as at`
  return row?.at ?? null
}
