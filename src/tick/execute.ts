import { performance } from 'node:perf_hooks'
import { tenantSearchPath, type TenantDb } from '../db/tenant-connections.js'
import { errorMessage } from '../errors.js'
import type { HandlerRegistry } from '../handlers/registry.js'
import type { HandlerContext } from '../handlers/types.js'
import type { Logger } from '../logger.js'
import type { AttemptStatus, Trigger } from '../store/executions.js'
import type { JobRow } from '../store/jobs.js'
import { redactUrls } from '../redact.js'

/** An attempt recorded as `running`, about to be run. */
export interface ClaimedAttempt {
  id: string
  job: JobRow
  scheduledFor: Date
  attempt: number
  trigger: Trigger
}

export interface AttemptOutcome {
  status: Extract<AttemptStatus, 'succeeded' | 'failed' | 'timed_out' | 'cancelled'>
  startedAt: Date
  durationMs: number
  result: unknown
  error: string | null
}

class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`)
    this.name = 'AttemptTimeout'
  }
}

class AttemptCancelled extends Error {
  constructor() {
    super('cancelled: the scheduler was stopped before the attempt finished')
    this.name = 'AttemptCancelled'
  }
}

export function idempotencyKey(tenant: string, jobId: string, scheduledFor: Date): string {
  return `${tenant}:${jobId}:${scheduledFor.toISOString()}`
}

/**
 * Runs one attempt's handler. A failure is data, never an exception: what the handler throws,
 * an unknown handler, a timeout (the AbortSignal fires and the attempt ends `timed_out` even if
 * the handler ignores it) or a shutdown (`cancelled`).
 */
export async function executeAttempt(
  attempt: ClaimedAttempt,
  deps: { db: TenantDb; handlers: HandlerRegistry; logger: Logger; shutdown: AbortSignal; now: () => Date },
): Promise<AttemptOutcome> {
  const { job } = attempt
  const startedAt = deps.now()
  const started = performance.now()
  const logger = deps.logger.child({ tenant: deps.db.slug, job: job.name, attempt: attempt.attempt, slot: attempt.scheduledFor.toISOString() })
  const outcome = (status: AttemptOutcome['status'], result: unknown, error: string | null): AttemptOutcome =>
    ({ status, startedAt, durationMs: Math.round(performance.now() - started), result, error })

  const refuse = (error: string) => {
    logger.warn({ handler: job.handler }, `attempt failed: ${error}`)
    return outcome('failed', null, error)
  }
  const handler = deps.handlers.get(job.handler)
  if (!handler) return refuse(deps.handlers.unknownMessage(job.handler))
  if ('handler_code' in job.configuration && job.configuration.handler_code) {
    return refuse('code stored in a row (handler_code) is never evaluated: register a handler in code and name it instead')
  }

  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new AttemptTimeout(job.timeout_ms)), job.timeout_ms)
  const onShutdown = () => controller.abort(new AttemptCancelled())
  if (deps.shutdown.aborted) onShutdown()
  else deps.shutdown.addEventListener('abort', onShutdown, { once: true })
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })
  })
  aborted.catch(() => {})
  const context: HandlerContext = {
    job,
    tenant: { slug: deps.db.slug, name: deps.db.tenant.name },
    sql: deps.db.sql,
    schema: deps.db.schema,
    transaction: (work) => deps.db.sql.begin(async (tx) => {
      if (deps.db.schema) await tx`select set_config('search_path', ${tenantSearchPath(deps.db.schema)}, true)`
      return work(tx as unknown as typeof deps.db.sql)
    }) as never,
    scheduledFor: attempt.scheduledFor,
    attempt: attempt.attempt,
    trigger: attempt.trigger,
    idempotencyKey: idempotencyKey(deps.db.slug, job.id, attempt.scheduledFor),
    logger,
    signal: controller.signal,
  }
  try {
    const result = await Promise.race([Promise.resolve().then(() => handler(context)), aborted])
    return outcome('succeeded', jsonSafe(result), null)
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error
    const status = reason instanceof AttemptTimeout ? 'timed_out' : reason instanceof AttemptCancelled ? 'cancelled' : 'failed'
    if (status === 'failed') logger.warn({ err: error }, 'attempt failed')
    else logger.warn({ status }, errorMessage(reason))
    return outcome(status, null, redactUrls(errorMessage(reason)))
  } finally {
    clearTimeout(timer)
    deps.shutdown.removeEventListener('abort', onShutdown)
  }
}

/** What a handler returned, as stored: JSON, or a note that it was not JSON. */
function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null
  try {
    return JSON.parse(JSON.stringify(value)) as unknown
  } catch (error) {
    return { unserialisableResult: errorMessage(error) }
  }
}
