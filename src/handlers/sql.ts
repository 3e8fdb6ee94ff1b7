import type { Handler } from './types.js'
import { UsageError } from '../errors.js'

const maxRowsKept = 20

/**
 * Runs the job's `configuration.sql` in the tenant database, in a transaction where the slot,
 * the job id and the attempt are readable through current_setting('scheduler.…'). Values in
 * `configuration.params` are bound as parameters ($1, $2, …), never spliced into the text.
 */
export const sqlHandler: Handler = async ({ job, transaction, scheduledFor, attempt, signal }) => {
  const { sql: statement, params = [] } = job.configuration as { sql?: unknown; params?: unknown }
  if (typeof statement !== 'string' || statement.trim() === '') {
    throw new UsageError(`job "${job.name}": the sql handler needs configuration.sql, a statement to run`)
  }
  if (!Array.isArray(params)) throw new UsageError(`job "${job.name}": configuration.params must be an array`)
  const statementTimeoutMs = Math.max(1, Math.min(job.timeout_ms, 2_147_483_647))
  return transaction(async (tx) => {
    // Sent together (pipelined on the transaction's connection): one round trip, not two.
    const settings = tx`select
      set_config('scheduler.job_id', ${job.id}, true),
      set_config('scheduler.scheduled_for', ${scheduledFor.toISOString()}, true),
      set_config('scheduler.attempt', ${String(attempt)}, true),
      set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`
    const query = tx.unsafe(statement, params as never[])
    const cancel = () => void query.cancel()
    signal.addEventListener('abort', cancel, { once: true })
    try {
      const [, rows] = await Promise.all([settings, query])
      return { rowCount: rows.count ?? rows.length, rows: rows.slice(0, maxRowsKept) }
    } finally {
      signal.removeEventListener('abort', cancel)
    }
  })
}
