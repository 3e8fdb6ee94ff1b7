import { hostname } from 'node:os'
import { performance } from 'node:perf_hooks'
import pLimit, { type LimitFunction } from 'p-limit'
import { systemClock, virtualClock, type Clock } from '../clock.js'
import { isProcessAlive } from '../db/lock.js'
import type { TenantDb } from '../db/tenant-connections.js'
import { UsageError, errorMessage } from '../errors.js'
import { HandlerRegistry } from '../handlers/registry.js'
import { redactUrls } from '../redact.js'
import type { Scheduler } from '../scheduler.js'
import { finishRun, insertRun } from '../store/runs.js'
import { selectTenants, type TenantRow } from '../store/tenants.js'
import { abandonStaleAttempts, selectNextDueAt, selectRunningAttemptsOfHost } from '../store/tick.js'
import { openTenant } from '../tenants.js'
import { claimDueBatch, claimInTransaction } from './claim.js'
import { executeAttempt, type ClaimedAttempt } from './execute.js'
import { AttemptFinisher } from './finish.js'

export interface RunOptions {
  handlers?: HandlerRegistry
  /** Only these tenants (slugs); default all active ones. */
  tenants?: string[]
  /** This runner's share of the tenants: index (1-based) of count. */
  shard?: { index: number; count: number }
  /** The clock of the whole run (a replay): time starts here and waits pass at once. */
  now?: Date
  /** Stay this long, starting each slot that falls inside on time. */
  windowMs?: number
  /** Handlers at once over all tenants (default 10). */
  concurrency?: number
  /** Handlers at once per tenant (default 5). */
  tenantConcurrency?: number
  /** Tenants served at once (default 4). */
  tenantsAtOnce?: number
  /** After a stop, how long running handlers may still finish before they are aborted (default 30s). */
  graceMs?: number
  /** Claim nothing and change nothing: report what would run. */
  dryRun?: boolean
  /** Fires on SIGTERM/SIGINT: claim nothing more. */
  signal?: AbortSignal
  /** Due jobs claimed per transaction (default 1000). */
  batchSize?: number
  /** Recorded with the run. */
  arguments?: Record<string, unknown>
  clock?: Clock
}

export interface Counts {
  succeeded: number
  failed: number
  timedOut: number
  skipped: number
  missed: number
  cancelled: number
  abandoned: number
}

export interface TenantResult extends Counts {
  slug: string
  ok: boolean
  error?: string
  /** Wall time spent on the tenant, from opening its database to its last finished attempt. */
  durationMs: number
}

export interface PlannedAttempt {
  tenant: string
  job: string
  scheduledFor: string
  attempt: number
  trigger: string
}

export interface RunSummary {
  runId: string | null
  startedAt: string
  finishedAt: string
  dryRun: boolean
  tenants: TenantResult[]
  totals: Counts
  /** With dryRun: the attempts that would run. */
  planned?: PlannedAttempt[]
}

/** In a window on real time, the longest wait between two looks at a tenant's due jobs. */
const pollMs = 60_000

const emptyCounts = (): Counts => ({ succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0, cancelled: 0, abandoned: 0 })
const outcomeCounter = { succeeded: 'succeeded', failed: 'failed', timed_out: 'timedOut', cancelled: 'cancelled' } as const

/** A stable share of the tenants: FNV-1a of the slug, modulo the shard count. */
export function inShard(slug: string, shard: { index: number; count: number }): boolean {
  let hash = 0x811c9dc5
  for (let i = 0; i < slug.length; i++) hash = Math.imul(hash ^ slug.charCodeAt(i), 0x01000193) >>> 0
  return hash % shard.count === shard.index - 1
}

/** Did the run need a look: a tenant failed, or an attempt failed or timed out. */
export function runFailed(summary: RunSummary): boolean {
  return summary.tenants.some((tenant) => !tenant.ok) || summary.totals.failed > 0 || summary.totals.timedOut > 0
}

/**
 * The tick: finds what is due in every tenant, claims it, runs the handlers with bounded
 * concurrency, records every outcome and the run. One tenant's failure never stops the others.
 */
export async function runOnce(scheduler: Scheduler, options: RunOptions = {}): Promise<RunSummary> {
  const clock = options.clock ?? (options.now ? virtualClock(options.now) : systemClock)
  const tenants = await selectRunTenants(scheduler, options)
  const startedAt = clock.now()
  const run = options.dryRun ? null : await insertRun(scheduler.master.sql, {
    clockAt: startedAt, host: hostname(), pid: process.pid, arguments: options.arguments ?? {},
  })
  const tick = new Tick(scheduler, options, clock, run?.id ?? null)
  const results = await tick.serve(tenants)
  const totals = emptyCounts()
  for (const result of results) for (const key of Object.keys(totals) as (keyof Counts)[]) totals[key] += result[key]
  const summary: RunSummary = {
    runId: run?.id ?? null,
    startedAt: startedAt.toISOString(),
    finishedAt: clock.now().toISOString(),
    dryRun: Boolean(options.dryRun),
    tenants: results,
    totals,
    ...(options.dryRun ? { planned: tick.planned } : {}),
  }
  if (run) {
    await finishRun(scheduler.master.sql, run.id, {
      status: options.signal?.aborted ? 'interrupted' : runFailed(summary) ? 'failed' : 'succeeded',
      counts: { ...totals },
      tenantsTotal: results.length,
      tenantsFailed: results.filter((result) => !result.ok).map((result) => result.slug),
    })
  }
  return summary
}

async function selectRunTenants(scheduler: Scheduler, options: RunOptions): Promise<TenantRow[]> {
  const active = await selectTenants(scheduler.master.sql, { activeOnly: true })
  if (options.tenants?.length) {
    const unknown = options.tenants.filter((slug) => !active.some((tenant) => tenant.slug === slug))
    if (unknown.length > 0) {
      throw new UsageError(`unknown or inactive tenant ${unknown.map((slug) => `"${slug}"`).join(', ')}; active tenants: ${active.map((tenant) => tenant.slug).join(', ') || '(none)'}`)
    }
  }
  return active.filter((tenant) => (!options.tenants?.length || options.tenants.includes(tenant.slug))
    && (!options.shard || inShard(tenant.slug, options.shard)))
}

/** One run's state: limits shared by all tenants, the finishers, and the shutdown. */
class Tick {
  readonly planned: PlannedAttempt[] = []
  readonly runner = `${hostname()}:${process.pid}`
  readonly handlers: HandlerRegistry
  /** Handlers at once over all tenants. */
  readonly global: LimitFunction
  readonly batchSize: number
  /** Fires on SIGTERM/SIGINT: claim nothing more. */
  readonly stop: AbortSignal
  /** Aborts running handlers: fired when the grace period after a stop is over. */
  readonly abortHandlers: AbortSignal
  readonly logger: Scheduler['logger']

  constructor(
    readonly scheduler: Scheduler,
    readonly options: RunOptions,
    readonly clock: Clock,
    readonly runId: string | null,
  ) {
    this.handlers = options.handlers ?? new HandlerRegistry()
    this.global = pLimit(options.concurrency ?? 10)
    this.batchSize = options.batchSize ?? 1000
    this.stop = options.signal ?? new AbortController().signal
    this.logger = scheduler.logger
    const abortHandlers = new AbortController()
    this.abortHandlers = abortHandlers.signal
    this.stop.addEventListener('abort', () => {
      scheduler.logger.warn({ graceMs: options.graceMs ?? 30_000 }, 'stopping: claiming nothing more, waiting for running handlers')
      setTimeout(() => abortHandlers.abort(), options.graceMs ?? 30_000).unref()
    }, { once: true })
  }

  async serve(tenants: TenantRow[]): Promise<TenantResult[]> {
    const results = new Map(tenants.map((tenant) => [tenant.slug, { slug: tenant.slug, ok: true, ...emptyCounts(), durationMs: 0 } as TenantResult]))
    const tenantLimit = pLimit(this.options.tenantsAtOnce ?? 4)
    const windowEnd = this.clock.now().getTime() + (this.options.windowMs ?? 0)
    const open = new Map<string, TenantService>()
    try {
      for (;;) {
        const wakeAt = await Promise.all(tenants.map((tenant) => tenantLimit(async () => {
          const result = results.get(tenant.slug)!
          if (!result.ok) return null
          try {
            let service = open.get(tenant.slug)
            if (!service) {
              const openedAt = performance.now()
              service = new TenantService(this, await openTenant(this.scheduler, tenant), result, openedAt)
              open.set(tenant.slug, service)
            }
            const next = await service.serve(this.options.dryRun ?? false)
            if (!this.options.windowMs) {
              open.delete(tenant.slug)
              await service.close()
            }
            return next
          } catch (error) {
            result.ok = false
            result.error = redactUrls(errorMessage(error))
            this.scheduler.logger.error({ tenant: tenant.slug, err: error }, 'tenant failed')
            return null
          }
        })))
        if (!this.options.windowMs || this.options.dryRun || this.stop.aborted) break
        // On real time, look again at least every minute: jobs added meanwhile are served in this window too.
        const poll = this.clock.jumps ? windowEnd : this.clock.now().getTime() + pollMs
        const nextWake = Math.min(windowEnd, poll, ...wakeAt.filter((at): at is Date => at !== null).map((at) => at.getTime()))
        if (nextWake >= windowEnd) break
        // In a replay, handlers take no virtual time: let them end before the clock jumps.
        if (this.clock.jumps) await Promise.all([...open.values()].map((service) => service.drain()))
        await this.clock.waitUntil(new Date(nextWake), this.stop)
        if (this.stop.aborted || this.clock.now().getTime() >= windowEnd) break
      }
    } finally {
      await Promise.all([...open.values()].map((service) => service.close()))
    }
    return [...results.values()]
  }
}

/** One tenant within a run: recovery, claims, its handlers and its finisher. */
class TenantService {
  readonly db: TenantDb
  readonly #tick: Tick
  readonly #result: TenantResult
  readonly #limit: LimitFunction
  readonly #finisher: AttemptFinisher
  readonly #running = new Set<Promise<void>>()
  readonly #openedAt: number

  constructor(tick: Tick, db: TenantDb, result: TenantResult, openedAt: number) {
    this.#openedAt = openedAt
    this.#tick = tick
    this.db = db
    this.#result = result
    this.#limit = pLimit(tick.options.tenantConcurrency ?? 5)
    this.#finisher = new AttemptFinisher(db, tick.logger)
  }

  /** Claims and starts everything due now; returns when the tenant next has something due. */
  async serve(dryRun: boolean): Promise<Date | null> {
    if (dryRun) return this.#preview()
    await this.#recover()
    // Outcomes still waiting in the finisher must be visible to the overlap check of this claim.
    await this.#finisher.flush()
    let previous: Promise<unknown> = Promise.resolve()
    for (;;) {
      if (this.#tick.stop.aborted) return null
      const batch = await claimDueBatch(this.db, { now: this.#tick.clock.now(), runId: this.#tick.runId, runner: this.#tick.runner, batchSize: this.#tick.batchSize })
      this.#result.skipped += batch.skipped
      this.#result.missed += batch.missed
      this.#result.failed += batch.failedRows
      const started = batch.attempts.map((attempt) => this.#start(attempt))
      if (!batch.more) break
      // Claim ahead by one batch at most, so claimed attempts do not wait long in memory.
      await previous
      previous = Promise.all(started)
    }
    return this.#tick.options.windowMs ? selectNextDueAt(this.db) : null
  }

  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running)
    await this.#finisher.flush()
  }

  /** Drains, gives the database back and records the time spent. */
  async close(): Promise<void> {
    try {
      await this.drain()
    } finally {
      this.#result.durationMs = Math.round(performance.now() - this.#openedAt)
      await this.#tick.scheduler.tenants.release(this.db)
    }
  }

  async #recover(): Promise<void> {
    const host = hostname()
    const dead = (await selectRunningAttemptsOfHost(this.db, host))
      .filter((attempt) => !isProcessAlive(Number(attempt.runner?.slice(host.length + 1))))
      .map((attempt) => attempt.id)
    const abandoned = await abandonStaleAttempts(this.db, this.#tick.clock.now(), dead)
    if (abandoned > 0) this.#tick.logger.warn({ tenant: this.db.slug, abandoned }, 'recovered stale attempts as abandoned')
    this.#result.abandoned += abandoned
  }

  #start(attempt: ClaimedAttempt): Promise<void> {
    const running = this.#limit(() => this.#tick.global(async () => {
      const outcome = this.#tick.stop.aborted
        ? { status: 'cancelled' as const, startedAt: this.#tick.clock.now(), durationMs: 0, result: null, error: 'cancelled before it started: the scheduler was stopped' }
        : await executeAttempt(attempt, {
          db: this.db, handlers: this.#tick.handlers, logger: this.#tick.logger, shutdown: this.#tick.abortHandlers, now: () => this.#tick.clock.now(),
        })
      this.#result[outcomeCounter[outcome.status]]++
      this.#finisher.add(attempt, outcome, this.#tick.clock.now())
    }))
    const tracked = running.finally(() => this.#running.delete(tracked))
    this.#running.add(tracked)
    return tracked
  }

  /** What would run now: the real claim in a transaction that is rolled back. */
  async #preview(): Promise<null> {
    const rollback = new Error('dry run')
    try {
      await this.db.sql.begin(async (sql) => {
        const batch = await claimInTransaction({ ...this.db, sql: sql as unknown as TenantDb['sql'] }, {
          now: this.#tick.clock.now(), runId: null, runner: this.#tick.runner, batchSize: 100_000,
        })
        this.#result.skipped += batch.skipped
        this.#result.missed += batch.missed
        this.#result.failed += batch.failedRows
        for (const attempt of batch.attempts) {
          this.#tick.planned.push({ tenant: this.db.slug, job: attempt.job.name, scheduledFor: attempt.scheduledFor.toISOString(), attempt: attempt.attempt, trigger: attempt.trigger })
        }
        throw rollback
      })
    } catch (error) {
      if (error !== rollback) throw error
    }
    return null
  }
}
