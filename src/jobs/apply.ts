import type { Sql } from '../db/connect.js'
import type { TenantDb } from '../db/tenant-connections.js'
import { UsageError, errorMessage } from '../errors.js'
import type { HandlerRegistry } from '../handlers/registry.js'
import type { Scheduler } from '../scheduler.js'
import { lockJobsSource, selectJobsForApply } from '../store/apply.js'
import { insertPassedOverSlot } from '../store/executions.js'
import { deleteJobById, insertJob, updateJobById } from '../store/jobs.js'
import { selectTenants, type TenantRow } from '../store/tenants.js'
import { openTenant, resolveTenant } from '../tenants.js'
import { applySourceType, readJobsFile, type JobsFile } from './apply-file.js'
import { planTenant, type PlannedChange, type TenantPlan } from './apply-plan.js'

export { applySourceType, fieldOfColumn, jobsFileFromValue, readJobsFile, type DesiredJob, type JobsFile, type ManagedColumn } from './apply-file.js'
export { countActions, type ApplyAction, type PlannedChange } from './apply-plan.js'

export interface ApplyOptions {
  /** One tenant; may be left out when there is exactly one. */
  tenant?: string | undefined
  /** Every active tenant. */
  allTenants?: boolean | undefined
  /** Plan only: nothing is written. */
  dryRun?: boolean | undefined
  /** Remove the jobs of the file's source that it no longer lists. */
  prune?: boolean | undefined
  /** Take over jobs of the same name that were created another way. */
  adopt?: boolean | undefined
  now: Date
  /** When the set of handlers is known, a job must name one of them. */
  handlers?: HandlerRegistry | undefined
}

export interface TenantApplyResult {
  tenant: TenantRow
  changes: PlannedChange[]
  /** The changes were written (false on a dry run, on failure, or when there was nothing to do). */
  applied: boolean
  /** Why this tenant failed; its transaction was rolled back, so nothing was written there. */
  error?: string
}

export interface ApplyResult {
  file: string
  source: string
  dryRun: boolean
  tenants: TenantApplyResult[]
}

/** Reads a jobs file and makes it true in the chosen tenants (see applyJobs). */
export async function applyJobsFile(scheduler: Scheduler, path: string, options: ApplyOptions): Promise<ApplyResult> {
  return applyJobs(scheduler, readJobsFile(path), options)
}

/**
 * Makes a jobs file true in each chosen tenant: missing jobs created, changed ones updated,
 * with `prune` the jobs of its source it no longer lists removed. Every tenant is planned first;
 * a name taken by a job from elsewhere stops everything before the first write. Then each
 * tenant is planned again and written in one transaction of its own, so a tenant that fails
 * has nothing written and the others still apply.
 */
export async function applyJobs(scheduler: Scheduler, file: JobsFile, options: ApplyOptions): Promise<ApplyResult> {
  if (options.handlers) {
    for (const job of file.jobs) {
      if (!options.handlers.get(job.handler)) throw new UsageError(`jobs file "${file.origin}": job "${job.name}": ${options.handlers.unknownMessage(job.handler)}`)
    }
  }
  const tenants = await chooseTenants(scheduler, options)
  const results: TenantApplyResult[] = []
  const opened = new Map<TenantRow, TenantDb>()
  const conflicts: string[] = []
  for (const tenant of tenants) {
    try {
      const db = await openTenant(scheduler, tenant)
      opened.set(tenant, db)
      const plan = planTenant(file, await selectJobsForApply(db, sourceFilter(file)), planOptions(tenant, options))
      conflicts.push(...plan.conflicts)
      results.push({ tenant, changes: plan.changes, applied: false })
    } catch (error) {
      // One unreachable tenant is reported; with a single tenant there is nothing else to do.
      if (!options.allTenants) throw error
      results.push({ tenant, changes: [], applied: false, error: errorMessage(error) })
    }
  }
  if (conflicts.length > 0) {
    throw new UsageError(`nothing applied: ${conflicts.join('; ')}`)
  }
  if (!options.dryRun) {
    for (const result of results) {
      const db = opened.get(result.tenant)
      if (!db) continue
      try {
        result.changes = await applyToTenant(db, file, options)
        result.applied = result.changes.some((change) => change.action !== 'unchanged' && change.action !== 'keep')
      } catch (error) {
        result.error = errorMessage(error)
      }
    }
  }
  return { file: file.origin, source: file.source, dryRun: Boolean(options.dryRun), tenants: results }
}

async function chooseTenants(scheduler: Scheduler, options: ApplyOptions): Promise<TenantRow[]> {
  if (options.allTenants && options.tenant !== undefined) throw new UsageError('give either --tenant or --all-tenants, not both')
  if (!options.allTenants) return [await resolveTenant(scheduler, options.tenant)]
  const tenants = await selectTenants(scheduler.master.sql, { activeOnly: true })
  if (tenants.length === 0) throw new UsageError('there are no active tenants: add one with `unified-scheduler tenants add <slug>`')
  return tenants
}

/** Plans again under the source's lock, with the rows locked, and writes the plan: all of it or nothing. */
async function applyToTenant(db: TenantDb, file: JobsFile, options: ApplyOptions): Promise<PlannedChange[]> {
  return db.sql.begin(async (transaction) => {
    const tx: TenantDb = { ...db, sql: transaction as unknown as Sql }
    await lockJobsSource(tx, file.source)
    const plan: TenantPlan = planTenant(file, await selectJobsForApply(tx, sourceFilter(file), { lock: true }), planOptions(db.tenant, options))
    // A job of the same name added by hand since the first plan.
    if (plan.conflicts.length > 0) throw new UsageError(plan.conflicts.join('; '))
    for (const change of plan.changes) await writeChange(tx, change, options.now)
    return plan.changes
  }) as Promise<PlannedChange[]>
}

async function writeChange(tx: TenantDb, change: PlannedChange, now: Date): Promise<void> {
  if (change.action === 'create') {
    if (!(await insertJob(tx, change.values!))) throw new Error(`job "${change.name}" appeared in tenant "${tx.slug}" while it was being created`)
  } else if (change.action === 'update') {
    const job = change.existing!
    if (change.resumed) {
      await insertPassedOverSlot(tx, { jobId: job.id, ...change.resumed, status: 'skipped', error: 'the job was paused', ownerId: job.owner_id, at: now })
    }
    await updateJobById(tx, job.id, change.values!)
  } else if (change.action === 'remove') {
    await deleteJobById(tx, change.existing!.id)
  }
}

function sourceFilter(file: JobsFile) {
  return { names: file.jobs.map((job) => job.name), sourceType: applySourceType, sourceName: file.source }
}

function planOptions(tenant: TenantRow, options: ApplyOptions) {
  return { tenant: tenant.slug, now: options.now, prune: options.prune, adopt: options.adopt }
}
