import type { HandlerRegistry } from '../handlers/registry.js'
import type { QueueRow } from '../store/legacy.js'
import type { JobConversion } from './convert.js'
import { historyState, scheduleState, type ScheduleItem, type TenantInventory } from './inventory.js'
import type { LegacyLocation, LegacyTable } from './tables.js'

/** What plan and migrate report: per tenant and table, counts, the rows left behind and why. */

export interface RowProblem {
  /** The legacy row: its id, `plugin_id/cron_name` for plugin_cron, a type name for cron_job_types. */
  readonly id: string
  readonly reason: string
}

export interface ConversionSample {
  readonly id: string
  readonly from: string
  readonly to: string
}

export interface TableReport {
  readonly table: LegacyTable
  /** Where the legacy rows live: the master (Akeneo schedules of this tenant's stores) or the tenant. */
  readonly location: LegacyLocation
  readonly found: number
  readonly alreadyMigrated: number
  readonly toMigrate: number
  /** Inserted by this run (0 for plan and --dry-run). */
  migrated: number
  readonly cannotMigrate: number
  readonly problems: RowProblem[]
  readonly samples: ConversionSample[]
  readonly notes: string[]
}

export interface TenantReport {
  readonly tenant: string
  readonly ok: boolean
  readonly error?: string
  readonly tables: TableReport[]
}

export interface QueueRowView {
  readonly id: string
  readonly type: string | null
  readonly status: string | null
  readonly runAt: string | null
  readonly attempts: number | null
  readonly createdAt: string | null
}

/** The master's legacy tables; absent when the command was limited to one tenant. */
export interface MasterReport {
  readonly akeneoSchedules: { readonly found: number; readonly byTenant: Record<string, number>; readonly unmapped: RowProblem[] } | null
  readonly jobQueue: { readonly found: number; readonly byStatus: Record<string, number>; readonly unfinished: number; readonly oldestUnfinished: QueueRowView[] } | null
  /** Where the store-to-tenant mapping came from. */
  readonly storeMapping: string[]
}

export interface LegacyReport {
  readonly command: 'plan' | 'migrate'
  readonly dryRun: boolean
  readonly now: string
  readonly master: MasterReport | null
  readonly tenants: TenantReport[]
  readonly summary: {
    found: number
    alreadyMigrated: number
    toMigrate: number
    migrated: number
    cannotMigrate: number
    /** Master Akeneo schedules whose store maps to no tenant. */
    unmapped: number
    tenantsFailed: number
  }
}

const sampleSize = 5

export function queueRowView(row: QueueRow): QueueRowView {
  return {
    id: row.id, type: row.type, status: row.status, runAt: row.run_at?.toISOString() ?? null,
    attempts: row.attempts, createdAt: row.created_at?.toISOString() ?? null,
  }
}

/** The rows of one table in one tenant, counted. */
export function tableReports(inventory: TenantInventory, handlers: HandlerRegistry): TableReport[] {
  const reports: TableReport[] = []
  // The master's Akeneo rows of this tenant's stores, then the tenant's own tables that exist.
  const groups: [LegacyTable, LegacyLocation, ScheduleItem[], boolean][] = [
    ['akeneo_schedules', 'master', inventory.schedules.filter((item) => item.location === 'master'), false],
    ['akeneo_schedules', 'tenant', inventory.schedules.filter((item) => item.table === 'akeneo_schedules' && item.location === 'tenant'), inventory.relations.akeneo_schedules !== undefined],
    ['plugin_cron', 'tenant', inventory.schedules.filter((item) => item.table === 'plugin_cron'), inventory.relations.plugin_cron !== undefined],
  ]
  for (const [table, location, items, present] of groups) {
    if (present || items.length > 0) reports.push(scheduleTableReport(table, location, items, handlers))
  }
  if (inventory.relations.job_history) {
    const states = inventory.history.map(historyState)
    reports.push({
      table: 'job_history', location: 'tenant', found: states.length,
      alreadyMigrated: count(states, 'migrated'), toMigrate: count(states, 'to_migrate'), migrated: 0, cannotMigrate: count(states, 'cannot_migrate'),
      problems: inventory.history.filter((item) => historyState(item) === 'cannot_migrate').map((item) => ({ id: item.id ?? '(no id)', reason: item.problem! })),
      samples: [], notes: [],
    })
  }
  if (inventory.relations.cron_job_types) {
    const missing = inventory.types.filter((item) => item.problem !== undefined)
    reports.push({
      table: 'cron_job_types', location: 'tenant', found: inventory.types.length,
      alreadyMigrated: inventory.types.length - missing.length, toMigrate: 0, migrated: 0, cannotMigrate: missing.length,
      problems: missing.map((item) => ({ id: item.typeName ?? '(no type_name)', reason: item.problem! })),
      samples: [], notes: ['job types are code now: a type counts as migrated when its handler is registered'],
    })
  }
  return reports
}

function scheduleTableReport(table: LegacyTable, location: LegacyLocation, items: ScheduleItem[], handlers: HandlerRegistry): TableReport {
  const states = items.map(scheduleState)
  const convertible = items.filter((item) => scheduleState(item) !== 'cannot_migrate' && item.conversion.ok)
  const notes: string[] = []
  const copies = items.filter((item) => item.sameAsMaster && item.problem === undefined).length
  if (copies > 0) notes.push(`${copies} row${copies === 1 ? ' is' : 's are'} a copy of a master row (same id): one job stands for both`)
  const registered = new Set(handlers.names())
  const unregistered = new Map<string, number>()
  for (const item of convertible) {
    const handler = (item.conversion as { value: JobConversion }).value.job.handler
    if (!registered.has(handler)) unregistered.set(handler, (unregistered.get(handler) ?? 0) + 1)
  }
  for (const [handler, jobs] of unregistered) {
    notes.push(`handler "${handler}" is not registered (${jobs} job${jobs === 1 ? '' : 's'}): until it is, a run fails with "unknown handler"`)
  }
  return {
    table, location, found: items.length,
    alreadyMigrated: count(states, 'migrated'), toMigrate: count(states, 'to_migrate'), migrated: 0, cannotMigrate: count(states, 'cannot_migrate'),
    problems: items.filter((item) => scheduleState(item) === 'cannot_migrate').map((item) => ({ id: item.legacyId ?? '(no id)', reason: item.problem! })),
    samples: convertible.slice(0, sampleSize).map((item) => {
      const { from, to } = (item.conversion as { value: JobConversion }).value
      return { id: item.legacyId!, from, to }
    }),
    notes,
  }
}

export function summarize(master: MasterReport | null, tenants: readonly TenantReport[]): LegacyReport['summary'] {
  const summary = { found: 0, alreadyMigrated: 0, toMigrate: 0, migrated: 0, cannotMigrate: 0, unmapped: master?.akeneoSchedules?.unmapped.length ?? 0, tenantsFailed: 0 }
  for (const tenant of tenants) {
    if (!tenant.ok) summary.tenantsFailed++
    for (const table of tenant.tables) {
      summary.found += table.found
      summary.alreadyMigrated += table.alreadyMigrated
      summary.toMigrate += table.toMigrate
      summary.migrated += table.migrated
      summary.cannotMigrate += table.cannotMigrate
    }
  }
  return summary
}

function count<T>(values: readonly T[], value: T): number {
  return values.filter((entry) => entry === value).length
}
