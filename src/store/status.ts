import type { TenantDb } from '../db/tenant-connections.js'

export interface TenantJobCounts {
  jobs: number
  active: number
  paused: number
  /** Active jobs whose slot has come (or a retry whose time has come). */
  due_now: number
  running: number
  /** Active jobs whose last attempts failed (consecutive failures > 0). */
  failing: number
  last_run_at: Date | null
}

/** What `status` shows of one tenant, in one statement. */
export async function selectTenantJobCounts(db: TenantDb, now: Date): Promise<TenantJobCounts> {
  const [row] = await db.sql<TenantJobCounts[]>`
    select
      count(*)::int as jobs,
      count(*) filter (where is_active)::int as active,
      count(*) filter (where is_active and is_paused)::int as paused,
      (count(*) filter (where is_active and not is_paused and next_run_at <= ${now})
        + (select count(*) from ${db.table('cron_job_executions')} where retry_at <= ${now}))::int as due_now,
      (select count(*) from ${db.table('cron_job_executions')} where status = 'running')::int as running,
      count(*) filter (where is_active and consecutive_failures > 0)::int as failing,
      max(last_run_at) as last_run_at
    from ${db.table('cron_jobs')}`
  return row!
}
