import { errorMessage } from './errors.js'
import { redactUrls } from './redact.js'
import type { Scheduler } from './scheduler.js'
import { selectLastRuns, type RunRow } from './store/runs.js'
import { selectTenantJobCounts, type TenantJobCounts } from './store/status.js'
import { selectTenants } from './store/tenants.js'
import { openTenant } from './tenants.js'

export interface TenantStatus {
  slug: string
  ok: boolean
  error?: string
  jobs: number
  active: number
  paused: number
  dueNow: number
  running: number
  failing: number
  lastRunAt: string | null
}

export interface SchedulerStatus {
  now: string
  /** The newest `run`, whatever its outcome; null before the first. */
  lastRun: {
    id: string
    startedAt: string
    finishedAt: string | null
    clockAt: string
    status: RunRow['status']
    counts: Record<string, number>
    tenantsTotal: number
    tenantsFailed: string[]
  } | null
  tenants: TenantStatus[]
}

const zeroCounts: Omit<TenantStatus, 'slug' | 'ok'> = { jobs: 0, active: 0, paused: 0, dueNow: 0, running: 0, failing: 0, lastRunAt: null }

/**
 * The scheduler at a glance: the last tick and, per active tenant, what is due now, running
 * and failing. A tenant that cannot be read is reported with its reason; the others still are.
 */
export async function schedulerStatus(scheduler: Scheduler, options: { now: Date; tenants?: string[] }): Promise<SchedulerStatus> {
  const [last] = await selectLastRuns(scheduler.master.sql, 1)
  const tenants = (await selectTenants(scheduler.master.sql, { activeOnly: true }))
    .filter((tenant) => !options.tenants?.length || options.tenants.includes(tenant.slug))
  const statuses: TenantStatus[] = []
  for (const tenant of tenants) {
    try {
      const db = await openTenant(scheduler, tenant)
      try {
        statuses.push({ slug: tenant.slug, ok: true, ...view(await selectTenantJobCounts(db, options.now)) })
      } finally {
        await scheduler.tenants.release(db)
      }
    } catch (error) {
      statuses.push({ slug: tenant.slug, ok: false, error: redactUrls(errorMessage(error)), ...zeroCounts })
    }
  }
  return {
    now: options.now.toISOString(),
    lastRun: last ? {
      id: last.id,
      startedAt: last.started_at.toISOString(),
      finishedAt: last.finished_at?.toISOString() ?? null,
      clockAt: last.clock_at.toISOString(),
      status: last.status,
      counts: last.counts,
      tenantsTotal: last.tenants_total,
      tenantsFailed: last.tenants_failed,
    } : null,
    tenants: statuses,
  }
}

function view(counts: TenantJobCounts): Omit<TenantStatus, 'slug' | 'ok'> {
  return {
    jobs: counts.jobs, active: counts.active, paused: counts.paused, dueNow: counts.due_now, running: counts.running,
    failing: counts.failing, lastRunAt: counts.last_run_at?.toISOString() ?? null,
  }
}
