import type { Sql } from '../db/connect.js'
import type { Logger } from '../logger.js'
import type { Trigger } from '../store/executions.js'
import type { JobRow } from '../store/jobs.js'

/** What a handler is given for one attempt. It never reaches back into the scheduler. */
export interface HandlerContext {
  /** The job's row; `configuration` is its parsed JSON object. */
  readonly job: Readonly<JobRow>
  readonly tenant: { readonly slug: string; readonly name: string }
  /**
   * The tenant database. For a tenant with a schema of its own, `transaction()` runs with
   * that schema first on the search path; plain `sql` queries should qualify table names.
   */
  readonly sql: Sql
  readonly schema: string | null
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>
  /** The slot this attempt is for. */
  readonly scheduledFor: Date
  readonly attempt: number
  readonly trigger: Trigger
  /** Built from tenant, job and slot: the same on every retry of the slot. */
  readonly idempotencyKey: string
  readonly logger: Logger
  /** Fires on timeout and on shutdown: stop work and return or throw soon. */
  readonly signal: AbortSignal
}

/** A handler returns something JSON-serialisable (stored as the result) or throws (the attempt fails). */
export type Handler = (context: HandlerContext) => unknown

export type HandlerMap = Readonly<Record<string, Handler>>
