import type { Scheduler } from '../scheduler.js'
import type { QueueRow } from '../store/legacy.js'
import { readTenantInventory, type HistoryItem, type ScheduleItem, type TenantInventory } from './inventory.js'
import type { RowProblem } from './report.js'
import { scheduleDifference } from './schedule.js'
import { eachTenant, inventoryInput, readMasterLegacy, tenantsInScope, type LegacyOptions, type MasterLegacy } from './scope.js'
import { unfinishedQueueStatuses, type LegacyLocation, type LegacyTable } from './tables.js'

/**
 * `legacy verify`: every legacy schedule has exactly one `cron_jobs` row with an equivalent
 * schedule, every job_history row exactly one copied execution, every job type a registered
 * handler, and job_queue no pending or running row. Passes only when all of that holds.
 */

export interface VerifyTable {
  readonly table: LegacyTable
  readonly location: LegacyLocation
  readonly checked: number
  readonly verified: number
  readonly passed: boolean
  readonly problems: RowProblem[]
  readonly notes: string[]
}

export interface VerifyTenant {
  readonly tenant: string
  readonly ok: boolean
  readonly error?: string
  readonly passed: boolean
  readonly tables: VerifyTable[]
}

export interface VerifyReport {
  readonly passed: boolean
  readonly now: string
  /** The master's own tables; null when the command was limited to one tenant. */
  readonly master: { readonly akeneoSchedules: VerifyTable | null; readonly jobQueue: VerifyTable | null } | null
  readonly tenants: VerifyTenant[]
}

export async function verifyLegacy(scheduler: Scheduler, options: LegacyOptions & { onTenant?: (report: VerifyTenant) => void }): Promise<VerifyReport> {
  const master = await readMasterLegacy(scheduler, options.storeMap)
  const tenants = await eachTenant(
    scheduler,
    await tenantsInScope(scheduler, options),
    async (tenant, db) => {
      const tables = verifyInventory(await readTenantInventory(db, inventoryInput(scheduler, tenant, master, options)), options.now)
      return { tenant: tenant.slug, ok: true, passed: tables.every((table) => table.passed), tables }
    },
    (tenant, error) => ({ tenant: tenant.slug, ok: false, error, passed: false, tables: [] }),
    options.onTenant,
  )
  const masterTables = options.tenant === undefined ? { akeneoSchedules: verifyMasterAkeneo(master, tenants), jobQueue: verifyQueue(master) } : null
  const passed = tenants.every((tenant) => tenant.passed) && (masterTables === null || [masterTables.akeneoSchedules, masterTables.jobQueue].every((table) => table?.passed ?? true))
  return { passed, now: options.now.toISOString(), master: masterTables, tenants }
}

/** The tables of one tenant, each verified. */
export function verifyInventory(inventory: TenantInventory, now: Date): VerifyTable[] {
  const tables: VerifyTable[] = []
  const masterItems = inventory.schedules.filter((item) => item.location === 'master')
  if (masterItems.length > 0) tables.push(verifiedTable('akeneo_schedules', 'master', masterItems.map((item) => scheduleProblem(item, now))))
  if (inventory.relations.akeneo_schedules) {
    const copies = inventory.schedules.filter((item) => item.table === 'akeneo_schedules' && item.location === 'tenant')
    tables.push(verifiedTable('akeneo_schedules', 'tenant', copies.map((item) => scheduleProblem(item, now))))
  }
  if (inventory.relations.plugin_cron) {
    tables.push(verifiedTable('plugin_cron', 'tenant', inventory.schedules.filter((item) => item.table === 'plugin_cron').map((item) => scheduleProblem(item, now))))
  }
  if (inventory.relations.job_history) tables.push(verifiedTable('job_history', 'tenant', inventory.history.map(historyProblem)))
  if (inventory.relations.cron_job_types) {
    tables.push(verifiedTable('cron_job_types', 'tenant', inventory.types.map((item) => item.problem === undefined ? undefined : { id: item.typeName ?? '(no type_name)', reason: item.problem })))
  }
  return tables
}

function verifiedTable(table: LegacyTable, location: LegacyLocation, results: readonly (RowProblem | undefined)[]): VerifyTable {
  const problems = results.filter((result): result is RowProblem => result !== undefined)
  return { table, location, checked: results.length, verified: results.length - problems.length, passed: problems.length === 0, problems, notes: [] }
}

/** Exactly one job with an equivalent schedule, or what is wrong. */
export function scheduleProblem(item: ScheduleItem, now: Date): RowProblem | undefined {
  const id = item.legacyId ?? '(no id)'
  if (item.legacyId === null) return { id, reason: item.problem ?? 'the row has no id' }
  if (item.sharing > 1) return { id, reason: item.problem! }
  if (item.existing.length === 0) return { id, reason: `not migrated${item.problem ? `: ${item.problem}` : ' yet: run `legacy migrate`'}` }
  if (item.existing.length > 1) return { id, reason: `${item.existing.length} cron_jobs rows were made from it (${item.existing.map((job) => `"${job.name}"`).join(', ')}): remove all but one` }
  const job = item.existing[0]!
  if (!item.conversion.ok) return { id, reason: `job "${job.name}" exists, but the legacy row no longer converts: ${item.conversion.reason}` }
  const difference = scheduleDifference(job, item.conversion.value.schedule, now)
  return difference === undefined ? undefined : { id, reason: `job "${job.name}" ${difference}` }
}

function historyProblem(item: HistoryItem): RowProblem | undefined {
  const id = item.id ?? '(no id)'
  if (item.copies === 1) return undefined
  if (item.copies > 1) return { id, reason: `copied ${item.copies} times into cron_job_executions` }
  return { id, reason: `not copied into cron_job_executions${item.problem ? `: ${item.problem}` : ' yet: run `legacy migrate`'}` }
}

/** The master's Akeneo schedules: each mapped to a tenant and verified there. */
export function verifyMasterAkeneo(master: MasterLegacy, tenants: readonly VerifyTenant[]): VerifyTable | null {
  if (!master.akeneo) return null
  const problems: RowProblem[] = master.unmapped.map((row) => ({ id: row.id, reason: `not migrated: ${row.reason}` }))
  for (const tenant of tenants) {
    const rows = master.akeneoByTenant.get(tenant.tenant) ?? []
    if (!tenant.ok) {
      for (const row of rows) problems.push({ id: String(row.id ?? '(no id)'), reason: `its tenant "${tenant.tenant}" could not be checked: ${tenant.error}` })
      continue
    }
    const table = tenant.tables.find((entry) => entry.table === 'akeneo_schedules' && entry.location === 'master')
    for (const problem of table?.problems ?? []) problems.push({ id: problem.id, reason: `in tenant "${tenant.tenant}": ${problem.reason}` })
  }
  // Oldest rows first, as the master table holds them.
  const order = new Map(master.akeneoRows.map((row, index) => [String(row.id), index]))
  problems.sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity))
  const checked = master.akeneoRows.length
  return { table: 'akeneo_schedules', location: 'master', checked, verified: checked - problems.length, passed: problems.length === 0, problems, notes: [] }
}

function verifyQueue(master: MasterLegacy): VerifyTable | null {
  return master.queue ? verifyQueueRows(master.queueByStatus, master.queueOldestUnfinished) : null
}

/** job_queue may go when no row is pending or running; the oldest such rows are named. */
export function verifyQueueRows(byStatus: Readonly<Record<string, number>>, oldestUnfinished: readonly QueueRow[]): VerifyTable {
  const found = Object.values(byStatus).reduce((sum, count) => sum + count, 0)
  const unfinished = unfinishedQueueStatuses.map((status) => [status, byStatus[status] ?? 0] as const).filter(([, count]) => count > 0)
  const waiting = unfinished.reduce((sum, [, count]) => sum + count, 0)
  const problems = oldestUnfinished.map((row) => ({
    id: row.id,
    reason: `${row.status} ${row.type ?? ''} job, created ${row.created_at?.toISOString() ?? '-'}, run_at ${row.run_at?.toISOString() ?? '-'}`.replace('  ', ' '),
  }))
  const notes = waiting === 0 ? [] : [`${waiting} row${waiting === 1 ? ' is' : 's are'} still ${unfinished.map(([status, count]) => `${status} (${count})`).join(' or ')}: let them finish or move them first`]
  return { table: 'job_queue', location: 'master', checked: found, verified: found - waiting, passed: waiting === 0, problems, notes }
}
