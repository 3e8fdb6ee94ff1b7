import { tenantSearchPath } from '../db/tenant-connections.js'
import { UsageError } from '../errors.js'
import type { Handler } from './types.js'

const maxRowsKept = 20

/**
 * Runs the job's `configuration.sql` in the tenant database, in a transaction where the slot,
 * the job id and the attempt are readable through current_setting('scheduler.…'), with the
 * tenant's schema first on the search path and statement_timeout at the job's timeout. Values
 * in `configuration.params` are bound as parameters ($1, $2, …), never spliced into the text.
 *
 * begin, the settings, the statement and commit are sent at once on a reserved connection: one
 * round trip per job. When the statement fails, PostgreSQL turns the commit into a rollback.
 */
export const sqlHandler: Handler = async ({ job, sql, schema, scheduledFor, attempt, signal }) => {
  const { sql: statement, params = [] } = job.configuration as { sql?: unknown; params?: unknown }
  if (typeof statement !== 'string' || statement.trim() === '') {
    throw new UsageError(`job "${job.name}": the sql handler needs configuration.sql, a statement to run`)
  }
  if (!Array.isArray(params)) throw new UsageError(`job "${job.name}": configuration.params must be an array`)
  const statementTimeoutMs = Math.max(1, job.timeout_ms)
  const reserved = await sql.reserve()
  try {
    // Queries start when awaited; execute() sends all four now, in one write.
    const begin = reserved.unsafe('begin').execute()
    const settings = reserved`select
      set_config('scheduler.job_id', ${job.id}, true),
      set_config('scheduler.scheduled_for', ${scheduledFor.toISOString()}, true),
      set_config('scheduler.attempt', ${String(attempt)}, true),
      set_config('statement_timeout', ${String(statementTimeoutMs)}, true),
      set_config('search_path', coalesce(${schema === null ? null : tenantSearchPath(schema)}::text, current_setting('search_path')), true)`.execute()
    const query = reserved.unsafe(statement, params as never[]).execute()
    const commit = reserved.unsafe('commit').execute()
    const cancel = () => void query.cancel()
    signal.addEventListener('abort', cancel, { once: true })
    try {
      const [, , rows] = await Promise.all([begin, settings, query])
      await commit
      return { rowCount: rows.count ?? rows.length, rows: rows.slice(0, maxRowsKept) }
    } finally {
      signal.removeEventListener('abort', cancel)
      // Settles as ROLLBACK when anything before it failed; the connection is clean after it.
      await commit.catch(() => {})
    }
  } finally {
    reserved.release()
  }
}
