import { nextOccurrences, parseCron } from '../cron/index.js'
import type { TenantDb } from '../db/tenant-connections.js'
import { UsageError } from '../errors.js'
import type { HandlerRegistry } from '../handlers/registry.js'
import type { Scheduler } from '../scheduler.js'
import { insertPassedOverSlot, selectJobHistory, type ExecutionRow } from '../store/executions.js'
import { deleteJobById, insertJob, selectJobByName, selectJobs, updateJobById, type JobRow, type JobValues } from '../store/jobs.js'
import type { TenantRow } from '../store/tenants.js'
import { openTenant, resolveTenant } from '../tenants.js'
import { changesSchedule, jobValuesFromInput, type JobInput } from './input.js'

export type { ExecutionRow, JobInput, JobRow }

export interface JobTarget {
  /** The tenant's slug; may be left out when there is exactly one tenant. */
  tenant?: string | undefined
}

export interface TenantJob {
  tenant: TenantRow
  job: JobRow
}

/** The first slot strictly after `now`, or the one-off instant; null when the schedule has none. */
export function computeNextRunAt(job: Pick<JobRow, 'cron_expression' | 'run_at' | 'timezone'>, now: Date): Date | null {
  if (job.cron_expression) return parseCron(job.cron_expression, job.timezone).next(now)
  return job.run_at
}

/**
 * The slots a stopped (paused or disabled) job passed over up to now: the first of them, and
 * how many more; recorded as one `skipped` row when it restarts.
 */
export function passedOverSlots(job: JobRow, now: Date): { scheduledFor: Date; coveredSlots: number } | undefined {
  if (!job.cron_expression || !job.next_run_at || job.next_run_at > now) return undefined
  const schedule = parseCron(job.cron_expression, job.timezone)
  let passed = 0
  for (let slot: Date | null = job.next_run_at; slot && slot <= now && passed < 100_000; slot = schedule.next(slot)) passed++
  return { scheduledFor: job.next_run_at, coveredSlots: passed - 1 }
}

/** next_run_at of a job being added or rescheduled: an expression that never fires is refused. */
function scheduledNextRunAt(job: Pick<JobRow, 'name' | 'cron_expression' | 'run_at' | 'timezone'>, now: Date): Date | null {
  const next = computeNextRunAt(job, now)
  if (job.cron_expression && next === null) {
    throw new UsageError(`cron expression "${job.cron_expression}" of job "${job.name}" never matches a date after ${now.toISOString()} (like "0 0 31 2 *", February 31st)`)
  }
  return next
}

export async function openTenantOf(scheduler: Scheduler, target: JobTarget): Promise<TenantDb> {
  return openTenant(scheduler, await resolveTenant(scheduler, target.tenant))
}

export async function findJob(db: TenantDb, name: string): Promise<JobRow> {
  const job = await selectJobByName(db, name)
  if (!job) {
    const names = (await selectJobs(db)).map((row) => row.name)
    const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')}, …` : names.join(', ')
    throw new UsageError(`unknown job "${name}" in tenant "${db.slug}"; jobs: ${shown || '(none)'}`)
  }
  return job
}

export async function listJobs(scheduler: Scheduler, target: JobTarget): Promise<{ tenant: TenantRow; jobs: JobRow[] }> {
  const db = await openTenantOf(scheduler, target)
  return { tenant: db.tenant, jobs: await selectJobs(db) }
}

export async function getJob(scheduler: Scheduler, target: JobTarget & { name: string }): Promise<TenantJob> {
  const db = await openTenantOf(scheduler, target)
  return { tenant: db.tenant, job: await findJob(db, target.name) }
}

/**
 * When the set of handlers is known (a handlers module is configured, or code passes its
 * registry), a job must name one of them.
 */
export interface JobWriteOptions {
  now: Date
  handlers?: HandlerRegistry
}

function assertKnownHandler(handler: string | undefined, handlers: HandlerRegistry | undefined): void {
  if (handler !== undefined && handlers && !handlers.get(handler)) throw new UsageError(handlers.unknownMessage(handler))
}

export async function addJob(scheduler: Scheduler, target: JobTarget, input: JobInput, options: JobWriteOptions): Promise<TenantJob> {
  const values = jobValuesFromInput(input)
  assertKnownHandler(values.handler, options.handlers)
  const db = await openTenantOf(scheduler, target)
  const job = await insertJob(db, { ...values, next_run_at: scheduledNextRunAt(withDefaults(values), options.now) })
  if (!job) throw new UsageError(`a job named "${values.name}" already exists in tenant "${db.slug}"; use \`jobs update\` to change it`)
  return { tenant: db.tenant, job }
}

export async function updateJob(
  scheduler: Scheduler,
  target: JobTarget & { name: string },
  input: JobInput,
  options: JobWriteOptions,
): Promise<TenantJob> {
  const db = await openTenantOf(scheduler, target)
  const existing = await findJob(db, target.name)
  const values = jobValuesFromInput(input, existing)
  assertKnownHandler(values.handler, options.handlers)
  if (values.name !== undefined && values.name !== existing.name && (await selectJobByName(db, values.name))) {
    throw new UsageError(`a job named "${values.name}" already exists in tenant "${db.slug}"`)
  }
  // An edit never fires a slot that lies in the past: the next one is counted from now.
  if (changesSchedule(values, existing)) values.next_run_at = scheduledNextRunAt({ ...existing, ...values }, options.now)
  return { tenant: db.tenant, job: (await updateJobById(db, existing.id, values))! }
}

export async function pauseJob(scheduler: Scheduler, target: JobTarget & { name: string }, _options?: { now: Date }): Promise<TenantJob> {
  return setFlags(scheduler, target, { is_paused: true })
}

export async function disableJob(scheduler: Scheduler, target: JobTarget & { name: string }, _options?: { now: Date }): Promise<TenantJob> {
  return setFlags(scheduler, target, { is_active: false })
}

/** Resumes a paused job from now; the slots it passed over while paused are recorded `skipped`. */
export async function resumeJob(scheduler: Scheduler, target: JobTarget & { name: string }, options: { now: Date }): Promise<TenantJob> {
  return restart(scheduler, target, { is_paused: false }, options.now, 'the job was paused')
}

/** Enables a disabled job from now; the slots it passed over while disabled are recorded `skipped`. */
export async function enableJob(scheduler: Scheduler, target: JobTarget & { name: string }, options: { now: Date }): Promise<TenantJob> {
  return restart(scheduler, target, { is_active: true }, options.now, 'the job was disabled')
}

export async function removeJob(scheduler: Scheduler, target: JobTarget & { name: string }): Promise<TenantJob> {
  const db = await openTenantOf(scheduler, target)
  const job = await findJob(db, target.name)
  if (job.is_system) throw new UsageError(`job "${job.name}" is a system job: it can be edited or disabled, not removed`)
  await deleteJobById(db, job.id)
  return { tenant: db.tenant, job }
}

async function setFlags(scheduler: Scheduler, target: JobTarget & { name: string }, values: JobValues): Promise<TenantJob> {
  const db = await openTenantOf(scheduler, target)
  const job = await findJob(db, target.name)
  return { tenant: db.tenant, job: (await updateJobById(db, job.id, values))! }
}

async function restart(
  scheduler: Scheduler,
  target: JobTarget & { name: string },
  values: JobValues,
  now: Date,
  reason: string,
): Promise<TenantJob> {
  const db = await openTenantOf(scheduler, target)
  const job = await findJob(db, target.name)
  const wasStopped = job.is_paused || !job.is_active
  const updated = await db.sql.begin(async (tx) => {
    const tenantTx = { ...db, sql: tx as unknown as typeof db.sql }
    const passed = wasStopped ? passedOverSlots(job, now) : undefined
    if (passed) {
      await insertPassedOverSlot(tenantTx, { jobId: job.id, ...passed, status: 'skipped', error: reason, ownerId: job.owner_id, at: now })
    }
    return updateJobById(tenantTx, job.id, wasStopped ? { ...values, next_run_at: computeNextRunAt(job, now) } : values)
  })
  return { tenant: db.tenant, job: updated! }
}

function withDefaults(values: JobValues): Pick<JobRow, 'name' | 'cron_expression' | 'run_at' | 'timezone'> {
  return { name: values.name ?? '', cron_expression: values.cron_expression ?? null, run_at: values.run_at ?? null, timezone: values.timezone ?? 'UTC' }
}

/** Attempts and passed-over slots of a job, newest first. */
export async function jobHistory(scheduler: Scheduler, target: JobTarget & { name: string }, options: { limit: number }): Promise<TenantJob & { executions: ExecutionRow[] }> {
  const db = await openTenantOf(scheduler, target)
  const job = await findJob(db, target.name)
  return { tenant: db.tenant, job, executions: await selectJobHistory(db, job.id, options.limit) }
}

/** The job's next slots after `from`, from its own expression and zone. */
export async function jobNextRuns(scheduler: Scheduler, target: JobTarget & { name: string }, options: { from: Date; count: number }): Promise<TenantJob & { runs: Date[] }> {
  const { tenant, job } = await getJob(scheduler, target)
  if (!job.cron_expression) return { tenant, job, runs: job.run_at && job.run_at > options.from && job.is_active ? [job.run_at] : [] }
  return { tenant, job, runs: nextOccurrences(job.cron_expression, { timezone: job.timezone, from: options.from, count: options.count }) }
}
