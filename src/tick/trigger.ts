import { hostname } from 'node:os'
import { systemClock, virtualClock, type Clock } from '../clock.js'
import { UsageError } from '../errors.js'
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
  /** The moment of the trigger: the attempt's slot. */
  scheduledFor: Date
  outcome: AttemptOutcome
}

/**
 * Runs a job now, in this process, as its own `manual` attempt whose slot is the moment of the
 * trigger; the job's next scheduled slot is neither used up nor moved.
 */
export async function triggerJob(
  scheduler: Scheduler,
  target: JobTarget & { name: string },
  options: { handlers: HandlerRegistry; signal?: AbortSignal; now?: Date; clock?: Clock },
): Promise<TriggerResult> {
  // A given `now` without a clock is a replay: the attempt starts and finishes at that instant.
  const clock = options.clock ?? (options.now ? virtualClock(options.now) : systemClock)
  const db = await openTenantOf(scheduler, target)
  const job = await findJob(db, target.name)
  if (!options.handlers.get(job.handler)) throw new UsageError(`cannot trigger job "${job.name}": ${options.handlers.unknownMessage(job.handler)}`)
  const slot = clock.now()
  const executionId = await insertManualAttempt(db, {
    jobId: job.id, scheduledFor: slot, runner: `${hostname()}:${process.pid}`,
    timeoutAt: new Date(slot.getTime() + job.timeout_ms), ownerId: job.owner_id,
  })
  const attempt = { id: executionId, job, scheduledFor: slot, attempt: 1, trigger: 'manual' as const }
  const outcome = await executeAttempt(attempt, {
    db, handlers: options.handlers, logger: scheduler.logger, shutdown: options.signal ?? new AbortController().signal, now: () => clock.now(),
  })
  const finisher = new AttemptFinisher(db, scheduler.logger)
  finisher.add(attempt, outcome, clock.now())
  await finisher.flush()
  return { tenant: db.tenant, job, executionId, scheduledFor: slot, outcome }
}
