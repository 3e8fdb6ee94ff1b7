import type { TenantDb } from '../db/tenant-connections.js'
import { storedMs } from '../duration.js'
import type { Logger } from '../logger.js'
import { finishAttempts, type AttemptFinish, type JobOutcome } from '../store/tick.js'
import type { AttemptOutcome, ClaimedAttempt } from './execute.js'

export const maxRetryDelayMs = 86_400_000
/** How long a finished attempt may wait for others to share its write (each write is a commit). */
const flushDelayMs = 50

/** When the next attempt of a failed slot is due, or null when none will be made. */
export function retryAt(attempt: ClaimedAttempt, outcome: AttemptOutcome, finishedAt: Date): Date | null {
  if (outcome.status === 'succeeded' || attempt.trigger === 'manual') return null
  // A cancelled attempt was stopped by a shutdown, not by its own fault: the next tick retries it.
  if (outcome.status === 'cancelled') return finishedAt
  if (attempt.attempt > attempt.job.max_retries) return null
  const delay = Math.min(attempt.job.retry_delay_ms * 2 ** (attempt.attempt - 1), maxRetryDelayMs)
  return new Date(finishedAt.getTime() + delay)
}

interface Finished {
  attempt: ClaimedAttempt
  outcome: AttemptOutcome
  finish: AttemptFinish
}

/**
 * Collects finished attempts of one tenant and writes them in batches: one statement for up to
 * `batchSize` attempts and their jobs' counters. A failed write is logged and the attempts stay
 * `running`, to be recovered as abandoned and retried.
 */
export class AttemptFinisher {
  readonly #db: TenantDb
  readonly #logger: Logger
  readonly #batchSize: number
  #pending: Finished[] = []
  #writing: Promise<void> = Promise.resolve()
  #timer: NodeJS.Timeout | undefined

  constructor(db: TenantDb, logger: Logger, batchSize = 2000) {
    this.#db = db
    this.#logger = logger
    this.#batchSize = batchSize
  }

  add(attempt: ClaimedAttempt, outcome: AttemptOutcome, finishedAt: Date): void {
    this.#pending.push({
      attempt,
      outcome,
      finish: {
        id: attempt.id,
        status: outcome.status,
        started_at: outcome.startedAt,
        lateness_ms: storedMs(outcome.startedAt.getTime() - attempt.scheduledFor.getTime()),
        finished_at: finishedAt,
        duration_ms: storedMs(outcome.durationMs),
        result: outcome.result,
        error: outcome.error,
        retry_at: retryAt(attempt, outcome, finishedAt),
      },
    })
    if (this.#pending.length >= this.#batchSize) void this.flush()
    else this.#timer ??= setTimeout(() => void this.flush(), flushDelayMs)
  }

  /** Writes what is pending; resolves when everything added so far is written. */
  flush(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const batch = this.#pending
    this.#pending = []
    if (batch.length > 0) {
      this.#writing = this.#writing.then(() => finishAttempts(this.#db, batch.map((item) => item.finish), jobOutcomes(batch)))
        .catch((error: unknown) => this.#logger.error({ err: error, tenant: this.#db.slug, attempts: batch.length }, 'could not record finished attempts'))
    }
    return this.#writing
  }
}

/** Per job, what a batch of its finished attempts adds to its counters, in finishing order. */
export function jobOutcomes(batch: Finished[]): JobOutcome[] {
  const byJob = new Map<string, JobOutcome>()
  for (const { attempt, outcome, finish } of batch) {
    const failed = outcome.status === 'failed' || outcome.status === 'timed_out'
    let job = byJob.get(attempt.job.id)
    if (!job) {
      job = { id: attempt.job.id, runs: 0, successes: 0, failures: 0, reset_failures: false, added_failures: 0,
        last_status: outcome.status, last_error: null, last_run_at: outcome.startedAt, last_duration_ms: 0, deactivate: false }
      byJob.set(attempt.job.id, job)
    }
    job.runs++
    if (outcome.status === 'succeeded') {
      job.successes++
      job.reset_failures = true
      job.added_failures = 0
    } else if (failed) {
      job.failures++
      job.added_failures++
    }
    job.last_status = outcome.status
    job.last_error = outcome.error
    job.last_run_at = outcome.startedAt > job.last_run_at ? outcome.startedAt : job.last_run_at
    job.last_duration_ms = storedMs(outcome.durationMs)
    // A one-off job is done once its slot needs no further attempt.
    job.deactivate = attempt.job.cron_expression === null && finish.retry_at === null && attempt.trigger !== 'manual'
  }
  return [...byJob.values()]
}
