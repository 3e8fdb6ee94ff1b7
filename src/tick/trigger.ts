import { hostname } from 'node:os'
import type { HandlerRegistry } from '../handlers/registry.js'
import { findJob, openTenantOf, type JobTarget } from '../jobs/index.js'
import type { Scheduler } from '../scheduler.js'
import { insertManualAttempt } from '../store/executions.js'
import type { JobRow } from '../store/jobs.js'
import type { TenantRow } from '../store/tenants.js'
import { executeAttempt, type AttemptOutcome } from './execute.js'
import { AttemptFinisher } from './finish.js'

export interface TriggerResult {
  tenant: TenantRow
  job: JobRow
  executionId: string
  outcome: AttemptOutcome
}

/**
 * Runs a job now, in this process, as its own `manual` attempt whose slot is the moment of the
 * trigger; the job's next scheduled slot is neither used up nor moved.
 */
export async function triggerJob(
  scheduler: Scheduler,
  target: JobTarget & { name: string },
  options: { now: Date; handlers: HandlerRegistry; signal?: AbortSignal },
): Promise<TriggerResult> {
  const db = await openTenantOf(scheduler, target)
  const job = await findJob(db, target.name)
  const executionId = await insertManualAttempt(db, {
    jobId: job.id, scheduledFor: options.now, runner: `${hostname()}:${process.pid}`,
    timeoutAt: new Date(options.now.getTime() + job.timeout_ms), ownerId: job.owner_id,
  })
  const attempt = { id: executionId, job, scheduledFor: options.now, attempt: 1, trigger: 'manual' as const }
  const outcome = await executeAttempt(attempt, {
    db, handlers: options.handlers, logger: scheduler.logger, shutdown: options.signal ?? new AbortController().signal, now: () => options.now,
  })
  const finisher = new AttemptFinisher(db, scheduler.logger)
  finisher.add(attempt, outcome, options.now)
  await finisher.flush()
  return { tenant: db.tenant, job, executionId, outcome }
}
