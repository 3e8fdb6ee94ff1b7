import type { Scheduler } from '../scheduler.js'
import { insertJob } from '../store/jobs.js'
import { inTransaction, insertLegacyExecutions, lockLegacyMigration, type LegacyDb } from '../store/legacy.js'
import type { HandlerRegistry } from '../handlers/registry.js'
import { convertHistoryRow, type LegacyExecution } from './history.js'
import { historyState, readTenantInventory, scheduleState, type TenantInventory } from './inventory.js'
import { masterReportOf } from './plan.js'
import { summarize, tableReports, type LegacyReport, type TableReport, type TenantReport } from './report.js'
import { eachTenant, handlersOf, inventoryInput, readMasterLegacy, tenantsInScope, type LegacyOptions } from './scope.js'

/**
 * `legacy migrate`: per tenant, in one transaction, inserts a `cron_jobs` row for every legacy
 * schedule that can be converted and is not migrated yet, then copies the job_history rows of the
 * migrated jobs into `cron_job_executions`. What is already there (found by the legacy id in the
 * job's metadata and the history id in the execution's result) is left alone, so a second run
 * inserts nothing. With `dryRun` the same work runs and is rolled back.
 */
export async function migrateLegacy(
  scheduler: Scheduler,
  options: LegacyOptions & { dryRun?: boolean; onTenant?: (report: TenantReport) => void },
): Promise<LegacyReport> {
  const master = await readMasterLegacy(scheduler, options.storeMap)
  const handlers = handlersOf(options)
  const tenants = await eachTenant(
    scheduler,
    await tenantsInScope(scheduler, options),
    async (tenant, db) => {
      try {
        return await inTransaction(db, async (tx) => {
          await lockLegacyMigration(tx)
          const inventory = await readTenantInventory(tx, inventoryInput(scheduler, tenant, master, options))
          const report: TenantReport = { tenant: tenant.slug, ok: true, tables: await writeMigration(tx, inventory, handlers, options.dryRun === true) }
          if (options.dryRun) throw new RolledBack(report)
          return report
        })
      } catch (error) {
        if (error instanceof RolledBack) return error.report
        throw error
      }
    },
    (tenant, error) => ({ tenant: tenant.slug, ok: false, error, tables: [] }),
    options.onTenant,
  )
  const masterReport = options.tenant === undefined ? masterReportOf(master) : null
  return { command: 'migrate', dryRun: options.dryRun === true, now: options.now.toISOString(), master: masterReport, tenants, summary: summarize(masterReport, tenants) }
}

/** Ends a dry run's transaction, carrying what it would have done. */
class RolledBack extends Error {
  constructor(readonly report: TenantReport) {
    super('dry run: rolled back')
  }
}

async function writeMigration(tx: LegacyDb, inventory: TenantInventory, handlers: HandlerRegistry, dryRun: boolean): Promise<TableReport[]> {
  const inserted = new Map<string, string>()
  for (const item of inventory.schedules) {
    if (scheduleState(item) !== 'to_migrate' || item.sameAsMaster || !item.conversion.ok) continue
    const id = (await insertJob(tx, item.conversion.value.job))?.id
    if (id === undefined) item.problem = `a job named "${item.conversion.value.job.name}" appeared while migrating: run again`
    else inserted.set(item.key!, id)
  }
  const executions: LegacyExecution[] = []
  const copied = new Set<object>()
  for (const item of inventory.history) {
    if (historyState(item) !== 'to_migrate' || item.jobKey === undefined) continue
    const jobId = inventory.jobsByKey.get(item.jobKey)?.[0]?.id ?? inserted.get(item.jobKey)
    if (jobId === undefined) {
      item.problem = `its job (${item.jobKey}) was not migrated`
      continue
    }
    const execution = convertHistoryRow(item.row, jobId)
    if (execution.ok) {
      executions.push(execution.value)
      copied.add(item)
    }
  }
  await insertLegacyExecutions(tx, executions)
  const reports = tableReports(inventory, handlers)
  if (!dryRun) {
    for (const report of reports) {
      if (report.table === 'job_history') report.migrated = copied.size
      else if (report.table === 'akeneo_schedules' || report.table === 'plugin_cron') {
        report.migrated = inventory.schedules.filter((item) => item.table === report.table && item.location === report.location
          && scheduleState(item) === 'to_migrate' && item.key !== null && inserted.has(item.key)).length
      }
    }
  }
  return reports
}
