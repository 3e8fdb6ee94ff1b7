import type { TenantDb } from '../db/tenant-connections.js'

type Tables = Pick<TenantDb, 'sql' | 'table'>

/**
 * Deletes up to `limit` finished executions older than `cutoff`, keeping each job's newest
 * `keepPerJob` rows however old, and any row a retry still waits on. One short statement: rows
 * another session holds are skipped. Returns how many were deleted.
 */
export async function deleteOldExecutions(db: Tables, options: { cutoff: Date; keepPerJob: number; limit: number }): Promise<number> {
  const executions = db.table('cron_job_executions')
  const rows = await db.sql`
    with doomed as (
      select e.id from ${executions} e
      where e.status <> 'running' and e.finished_at < ${options.cutoff} and e.retry_at is null
        and e.id not in (
          select k.id from ${executions} k where k.job_id = e.job_id order by k.created_at desc limit ${options.keepPerJob}
        )
      limit ${options.limit}
      for update skip locked
    )
    delete from ${executions} where id in (select id from doomed)`
  return rows.count
}

/** Removes one-off jobs that ran their last attempt before `cutoff` (with their history). */
export async function deleteFinishedOneOffJobs(db: Tables, options: { cutoff: Date }): Promise<number> {
  const rows = await db.sql`
    delete from ${db.table('cron_jobs')}
    where cron_expression is null and not is_active and not is_system and last_run_at < ${options.cutoff}`
  return rows.count
}
