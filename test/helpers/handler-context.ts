import type { HandlerContext } from '../../src/handlers/types.js'
import { silentLogger } from '../../src/logger.js'
import type { Trigger } from '../../src/store/executions.js'
import type { JobRow } from '../../src/store/jobs.js'

export const testSlot = new Date('2025-03-01T02:00:00.000Z')

/** The context the tick would give a handler, for a job with this configuration; the database is not reachable. */
export function handlerContext(
  configuration: Record<string, unknown>,
  options: { id?: string; name?: string; attempt?: number; trigger?: Trigger; signal?: AbortSignal } = {},
): HandlerContext {
  const job = { id: options.id ?? '7f1c2d3e-0000-4000-8000-000000000001', name: options.name ?? 'nightly', configuration, timeout_ms: 60_000 } as JobRow
  const noDatabase = () => {
    throw new Error('this handler must not use the database')
  }
  return {
    job,
    tenant: { slug: 'acme', name: 'Acme' },
    sql: noDatabase as never,
    schema: null,
    transaction: noDatabase,
    scheduledFor: testSlot,
    attempt: options.attempt ?? 1,
    trigger: options.trigger ?? 'schedule',
    idempotencyKey: `acme:${job.id}:${testSlot.toISOString()}`,
    logger: silentLogger(),
    signal: options.signal ?? new AbortController().signal,
  }
}

/** The error a handler call ends with; fails the test when it succeeds. */
export async function failure(promise: unknown): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the handler to fail')
}
