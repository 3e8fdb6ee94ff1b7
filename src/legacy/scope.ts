import { errorMessage } from '../errors.js'
import { HandlerRegistry } from '../handlers/registry.js'
import { redactUrls } from '../redact.js'
import type { Scheduler } from '../scheduler.js'
import {
  countQueueRowsByStatus, findTable, selectLegacyRecords, selectOldestQueueRows,
  type LegacyDb, type LegacyRelation, type QueueRow,
} from '../store/legacy.js'
import { selectTenants, type TenantRow } from '../store/tenants.js'
import { getTenant, openTenant } from '../tenants.js'
import type { TenantDb } from '../db/tenant-connections.js'
import { sortedRows, type InventoryInput } from './inventory.js'
import type { RowProblem } from './report.js'
import { readStoreMapping } from './stores.js'
import { presentText, unfinishedQueueStatuses, type LegacyRecord } from './tables.js'

/** What every legacy command takes. */
export interface LegacyOptions {
  /** Only this tenant (and the master's Akeneo schedules of its stores); the master's own tables are then left out. */
  readonly tenant?: string | undefined
  /** Store id -> tenant slug, over the master's `stores` table. */
  readonly storeMap?: Readonly<Record<string, string>> | undefined
  /** The clock: next runs are counted from it and it is the recorded migration time. */
  readonly now: Date
  /** The registered handlers, to report job types and handlers that have none (default: the built-ins). */
  readonly handlers?: HandlerRegistry | undefined
}

/** How many of the oldest rows in the way a report names. */
export const oldestShown = 5

/** The master's legacy tables, read once per command. */
export interface MasterLegacy {
  readonly db: LegacyDb
  readonly akeneo: LegacyRelation | undefined
  readonly akeneoRows: readonly LegacyRecord[]
  readonly akeneoByTenant: ReadonlyMap<string, LegacyRecord[]>
  readonly unmapped: RowProblem[]
  readonly queue: LegacyRelation | undefined
  readonly queueByStatus: Record<string, number>
  readonly queueOldestUnfinished: QueueRow[]
  readonly mappingSources: string[]
  /** The schema the master's unqualified tables are in. */
  readonly schema: string
}

export function masterLegacyDb(scheduler: Scheduler): LegacyDb {
  const sql = scheduler.master.sql
  return { sql, schema: null, table: (name: string) => sql(name) }
}

export async function readMasterLegacy(scheduler: Scheduler, storeMap: LegacyOptions['storeMap']): Promise<MasterLegacy> {
  const db = masterLegacyDb(scheduler)
  const [current] = await db.sql<{ schema: string }[]>`select current_schema() as schema`
  const schema = current!.schema
  const tenants = await selectTenants(db.sql)
  const mapping = await readStoreMapping(db, tenants, storeMap)
  const akeneo = await findTable(db, 'akeneo_schedules')
  const akeneoRows = akeneo ? sortedRows(await selectLegacyRecords(db, akeneo), 'created_at') : []
  const akeneoByTenant = new Map<string, LegacyRecord[]>()
  const unmapped: RowProblem[] = []
  for (const row of akeneoRows) {
    const owner = mapping.tenantOf(presentText(row, 'store_id'))
    if ('reason' in owner) unmapped.push({ id: presentText(row, 'id') ?? '(no id)', reason: owner.reason })
    else if (akeneoByTenant.has(owner.tenant)) akeneoByTenant.get(owner.tenant)!.push(row)
    else akeneoByTenant.set(owner.tenant, [row])
  }
  const queue = await findTable(db, 'job_queue')
  return {
    db, akeneo, akeneoRows, akeneoByTenant, unmapped, queue,
    queueByStatus: queue ? await countQueueRowsByStatus(db, queue) : {},
    queueOldestUnfinished: queue ? await selectOldestQueueRows(db, queue, unfinishedQueueStatuses, oldestShown) : [],
    mappingSources: mapping.sources,
    schema,
  }
}

/** The tenants a command covers: the one named, or all of them (inactive ones too: their schedules move as well). */
export async function tenantsInScope(scheduler: Scheduler, options: LegacyOptions): Promise<TenantRow[]> {
  return options.tenant !== undefined ? [await getTenant(scheduler, options.tenant)] : selectTenants(scheduler.master.sql)
}

export function handlersOf(options: LegacyOptions): HandlerRegistry {
  return options.handlers ?? new HandlerRegistry()
}

/** A tenant living in the master database without a schema of its own reads the master's tables. */
export function sharesMasterSchema(scheduler: Scheduler, tenant: TenantRow, master: MasterLegacy): boolean {
  return scheduler.tenants.resolveUrl(tenant) === undefined && (tenant.schema_name === null || tenant.schema_name === master.schema)
}

export function inventoryInput(scheduler: Scheduler, tenant: TenantRow, master: MasterLegacy, options: LegacyOptions): InventoryInput {
  return {
    masterAkeneoRows: master.akeneoByTenant.get(tenant.slug) ?? [],
    sharesMasterSchema: sharesMasterSchema(scheduler, tenant, master),
    now: options.now,
    handlers: handlersOf(options),
  }
}

/**
 * Runs `work` for each tenant in turn; a tenant that fails (unreachable, schema not current) is
 * reported with its error and the others still run.
 */
export async function eachTenant<T>(
  scheduler: Scheduler,
  tenants: readonly TenantRow[],
  work: (tenant: TenantRow, db: TenantDb) => Promise<T>,
  failed: (tenant: TenantRow, error: string) => T,
  onTenant?: (result: T) => void,
): Promise<T[]> {
  const results: T[] = []
  for (const tenant of tenants) {
    let result: T
    try {
      result = await work(tenant, await openTenant(scheduler, tenant))
    } catch (error) {
      scheduler.logger.error({ tenant: tenant.slug, err: error }, 'legacy migration: tenant failed')
      result = failed(tenant, redactUrls(errorMessage(error)))
    }
    results.push(result)
    onTenant?.(result)
  }
  return results
}
