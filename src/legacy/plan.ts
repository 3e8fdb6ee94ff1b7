import type { Scheduler } from '../scheduler.js'
import { readTenantInventory } from './inventory.js'
import { queueRowView, summarize, tableReports, type LegacyReport, type MasterReport, type TenantReport } from './report.js'
import { eachTenant, handlersOf, inventoryInput, readMasterLegacy, tenantsInScope, type LegacyOptions, type MasterLegacy } from './scope.js'
import { unfinishedQueueStatuses } from './tables.js'

/**
 * `legacy plan`: per tenant and table, the rows found, already migrated, to migrate and those
 * that cannot be, with why, and a sample of the conversions. Reads only; changes nothing.
 */
export async function planLegacy(scheduler: Scheduler, options: LegacyOptions & { onTenant?: (report: TenantReport) => void }): Promise<LegacyReport> {
  const master = await readMasterLegacy(scheduler, options.storeMap)
  const handlers = handlersOf(options)
  const tenants = await eachTenant(
    scheduler,
    await tenantsInScope(scheduler, options),
    async (tenant, db) => ({ tenant: tenant.slug, ok: true, tables: tableReports(await readTenantInventory(db, inventoryInput(scheduler, tenant, master, options)), handlers) }),
    (tenant, error) => ({ tenant: tenant.slug, ok: false, error, tables: [] }),
    options.onTenant,
  )
  const masterReport = options.tenant === undefined ? masterReportOf(master) : null
  return { command: 'plan', dryRun: false, now: options.now.toISOString(), master: masterReport, tenants, summary: summarize(masterReport, tenants) }
}

export function masterReportOf(master: MasterLegacy): MasterReport {
  const byTenant: Record<string, number> = {}
  for (const [tenant, rows] of master.akeneoByTenant) byTenant[tenant] = rows.length
  return {
    akeneoSchedules: master.akeneo ? { found: master.akeneoRows.length, byTenant, unmapped: master.unmapped } : null,
    jobQueue: master.queue ? {
      found: Object.values(master.queueByStatus).reduce((sum, count) => sum + count, 0),
      byStatus: master.queueByStatus,
      unfinished: unfinishedQueueStatuses.reduce((sum, status) => sum + (master.queueByStatus[status] ?? 0), 0),
      oldestUnfinished: master.queueOldestUnfinished.map(queueRowView),
    } : null,
    storeMapping: master.mappingSources,
  }
}
