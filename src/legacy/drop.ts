import type { Scheduler } from '../scheduler.js'
import {
  countQueueRowsByStatus, dropEnumTypeIfUnused, dropTable, findTable, inTransaction, lockTable, selectEnumTypesOf,
  selectLegacyRecords, selectOldestQueueRows, type LegacyDb, type LegacyRelation,
} from '../store/legacy.js'
import type { TenantDb } from '../db/tenant-connections.js'
import type { TenantRow } from '../store/tenants.js'
import { readTenantInventory } from './inventory.js'
import type { RowProblem } from './report.js'
import { eachTenant, inventoryInput, oldestShown, readMasterLegacy, sharesMasterSchema, tenantsInScope, type LegacyOptions, type MasterLegacy } from './scope.js'
import { tenantLegacyTables, unfinishedQueueStatuses, type LegacyLocation, type LegacyTable } from './tables.js'
import { verifyInventory, verifyMasterAkeneo, verifyQueueRows, type VerifyTable, type VerifyTenant } from './verify.js'

/**
 * `legacy drop`: drops each legacy table whose verification passes (and the enum types only it
 * used), and refuses the others, naming what is in the way. Without `yes` it only says what it
 * would do. Each database's drops run in one transaction that first locks the tables and verifies
 * them again, so a row written meanwhile is never lost. The master's tables are dropped only by a
 * run over all tenants: the master's Akeneo schedules belong to every tenant.
 */

export type DropAction = 'dropped' | 'would drop' | 'refused'

export interface DropTable {
  readonly table: LegacyTable
  readonly location: LegacyLocation
  /** schema.table */
  readonly relation: string
  readonly action: DropAction
  /** Why it was refused: counts. */
  readonly reasons: string[]
  /** The first rows in the way (oldest first where the table has a time). */
  readonly rows: RowProblem[]
  /** Enum types dropped with it (or that would be). */
  readonly types: string[]
}

export interface DropTarget {
  /** `master` or a tenant's slug. */
  readonly target: string
  readonly ok: boolean
  readonly error?: string
  readonly tables: DropTable[]
}

export interface DropReport {
  readonly yes: boolean
  readonly now: string
  /** Why the master's tables were not considered, when they were not. */
  readonly masterSkipped: string | null
  readonly targets: DropTarget[]
  readonly summary: { dropped: number; wouldDrop: number; refused: number; targetsFailed: number }
}

export async function dropLegacy(scheduler: Scheduler, options: LegacyOptions & { yes: boolean; onTarget?: (target: DropTarget) => void }): Promise<DropReport> {
  const master = await readMasterLegacy(scheduler, options.storeMap)
  const results = await eachTenant(
    scheduler,
    await tenantsInScope(scheduler, options),
    (tenant, db) => dropTenantTables(scheduler, tenant, db, master, options),
    (tenant, error) => ({ target: { target: tenant.slug, ok: false, error, tables: [] }, verify: { tenant: tenant.slug, ok: false, error, passed: false, tables: [] } }),
    (result) => options.onTarget?.(result.target),
  )
  const targets = results.map((result) => result.target)
  let masterSkipped: string | null = null
  if (options.tenant !== undefined) masterSkipped = 'the master tables (akeneo_schedules, job_queue) hold rows of every tenant: they are dropped only by a run without --tenant'
  else if (master.akeneo || master.queue) {
    const target = await dropMasterTables(master, results.map((result) => result.verify), options.yes)
    targets.push(target)
    options.onTarget?.(target)
  }
  const summary = { dropped: 0, wouldDrop: 0, refused: 0, targetsFailed: targets.filter((target) => !target.ok).length }
  for (const table of targets.flatMap((target) => target.tables)) {
    if (table.action === 'dropped') summary.dropped++
    else if (table.action === 'would drop') summary.wouldDrop++
    else summary.refused++
  }
  return { yes: options.yes, now: options.now.toISOString(), masterSkipped, targets, summary }
}

async function dropTenantTables(
  scheduler: Scheduler,
  tenant: TenantRow,
  db: TenantDb,
  master: MasterLegacy,
  options: LegacyOptions & { yes: boolean },
): Promise<{ target: DropTarget; verify: VerifyTenant }> {
  const names = tenantLegacyTables.filter((name) => name !== 'akeneo_schedules' || !sharesMasterSchema(scheduler, tenant, master))
  const decide = async (tx: LegacyDb) => {
    const relations = new Map<LegacyTable, LegacyRelation>()
    for (const name of names) {
      const relation = await findTable(tx, name)
      if (relation) relations.set(name, relation)
    }
    if (options.yes) for (const relation of relations.values()) await lockTable(tx, relation)
    const verified = verifyInventory(await readTenantInventory(tx, inventoryInput(scheduler, tenant, master, options)), options.now)
    const tables: DropTable[] = []
    for (const [name, relation] of relations) {
      const verdict = verified.find((table) => table.table === name && table.location === 'tenant')!
      tables.push(await dropIfVerified(tx, relation, verdict, options.yes))
    }
    return { target: { target: tenant.slug, ok: true, tables }, verify: { tenant: tenant.slug, ok: true, passed: verified.every((table) => table.passed), tables: verified } }
  }
  return options.yes ? inTransaction(db, decide) : decide(db)
}

async function dropMasterTables(master: MasterLegacy, tenants: readonly VerifyTenant[], yes: boolean): Promise<DropTarget> {
  const decide = async (tx: LegacyDb): Promise<DropTable[]> => {
    const tables: DropTable[] = []
    if (master.akeneo) {
      if (yes) await lockTable(tx, master.akeneo)
      let verdict = verifyMasterAkeneo(master, tenants)!
      if (yes && verdict.passed && !(await unchanged(tx, master))) {
        verdict = { ...verdict, passed: false, notes: ['rows changed since they were verified: run the command again'] }
      }
      tables.push(await dropIfVerified(tx, master.akeneo, verdict, yes))
    }
    if (master.queue) {
      if (yes) await lockTable(tx, master.queue)
      const verdict = verifyQueueRows(await countQueueRowsByStatus(tx, master.queue), await selectOldestQueueRows(tx, master.queue, unfinishedQueueStatuses, oldestShown))
      tables.push(await dropIfVerified(tx, master.queue, verdict, yes))
    }
    return tables
  }
  return { target: 'master', ok: true, tables: yes ? await inTransaction(master.db, decide) : await decide(master.db) }
}

/** The master's Akeneo schedules are still the rows that were verified against the tenants. */
async function unchanged(tx: LegacyDb, master: MasterLegacy): Promise<boolean> {
  const canonical = (rows: readonly unknown[]) => rows.map((row) => JSON.stringify(row)).sort().join('\n')
  return canonical(await selectLegacyRecords(tx, master.akeneo!)) === canonical(master.akeneoRows)
}

async function dropIfVerified(tx: LegacyDb, relation: LegacyRelation, verdict: VerifyTable, yes: boolean): Promise<DropTable> {
  const base = { table: verdict.table, location: verdict.location, relation: `${relation.schema}.${relation.name}` }
  const types = await selectEnumTypesOf(tx, relation)
  if (!verdict.passed) {
    const unverified = verdict.checked - verdict.verified
    const reasons = [...(unverified > 0 && verdict.table !== 'job_queue' ? [`${unverified} of ${verdict.checked} rows are not verified`] : []), ...verdict.notes]
    return { ...base, action: 'refused', reasons, rows: verdict.problems.slice(0, oldestShown), types: [] }
  }
  if (!yes) return { ...base, action: 'would drop', reasons: [], rows: [], types: types.map((type) => `${type.schema}.${type.name}`) }
  await dropTable(tx, relation)
  const dropped: string[] = []
  for (const type of types) if (await dropEnumTypeIfUnused(tx, type)) dropped.push(`${type.schema}.${type.name}`)
  return { ...base, action: 'dropped', reasons: [], rows: [], types: dropped }
}
