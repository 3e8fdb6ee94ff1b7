import type { HandlerRegistry } from '../handlers/registry.js'
import {
  countCopiedHistory, findTable, selectLegacyRecords, selectMigratedJobs, selectTakenJobNames,
  type LegacyDb, type LegacyRelation, type MigratedJobRow,
} from '../store/legacy.js'
import { convertAkeneoSchedule, convertPluginCron, legacyIdOf, type ConversionContext, type Converted, type JobConversion } from './convert.js'
import { convertHistoryRow, describeHistoryRow, historyScheduleKeys } from './history.js'
import { sameExpectedSchedule } from './schedule.js'
import { presentText, scheduleKey, type LegacyLocation, type LegacyRecord, type ScheduleTable } from './tables.js'

/**
 * What one tenant holds: every legacy row that concerns it (its tables, and the master's Akeneo
 * schedules of its stores), each converted and matched with what `cron_jobs` and
 * `cron_job_executions` already hold. Plan, migrate, verify and drop all read this one picture.
 *
 * A tenant copy of akeneo_schedules belongs to the tenant whose database holds it, whatever its
 * store says. A copy row with the id of a master row of the same tenant is the same schedule: one
 * job stands for both, made from the master row, and the copy must agree with it.
 */

/** A legacy schedule row and where it stands. */
export interface ScheduleItem {
  readonly table: ScheduleTable
  readonly location: LegacyLocation
  readonly legacyId: string | null
  readonly key: string | null
  readonly row: LegacyRecord
  readonly conversion: Converted<JobConversion>
  /** The `cron_jobs` rows carrying this legacy id. */
  readonly existing: readonly MigratedJobRow[]
  /** Why it cannot be migrated (bad row, duplicate, name taken); undefined when it can. */
  problem: string | undefined
  /** How many rows of its table share its id (1 when it is unique). */
  sharing: number
  /** A tenant copy of a master row with the same id: one job stands for both, made from the master row. */
  sameAsMaster: boolean
}

export interface HistoryItem {
  readonly row: LegacyRecord
  readonly id: string | null
  /** Executions already copied from it. */
  readonly copies: number
  /** The schedule key of its job, when it has one that is or will be migrated. */
  readonly jobKey: string | undefined
  /** Why it cannot be copied; undefined when it can (or was). */
  problem: string | undefined
}

export interface TypeItem {
  readonly typeName: string | null
  readonly handlerName: string | null
  readonly problem: string | undefined
}

export interface TenantInventory {
  /** The tables found in the tenant's database (the Akeneo copy only when it is not the master's own). */
  readonly relations: Partial<Record<'akeneo_schedules' | 'plugin_cron' | 'job_history' | 'cron_job_types', LegacyRelation>>
  readonly schedules: ScheduleItem[]
  readonly history: HistoryItem[]
  readonly types: TypeItem[]
  /** Migrated jobs by schedule key. */
  readonly jobsByKey: ReadonlyMap<string, readonly MigratedJobRow[]>
}

export interface InventoryInput {
  /** The master's Akeneo schedules of this tenant's stores. */
  readonly masterAkeneoRows: readonly LegacyRecord[]
  /** The tenant's tables are the master's own (a tenant living in the master without a schema). */
  readonly sharesMasterSchema: boolean
  readonly now: Date
  readonly handlers: HandlerRegistry
}

export async function readTenantInventory(db: LegacyDb, input: InventoryInput): Promise<TenantInventory> {
  const relations: TenantInventory['relations'] = {}
  for (const name of ['akeneo_schedules', 'plugin_cron', 'job_history', 'cron_job_types'] as const) {
    if (name === 'akeneo_schedules' && input.sharesMasterSchema) continue
    const relation = await findTable(db, name)
    if (relation) relations[name] = relation
  }
  const jobsByKey = groupBy(await selectMigratedJobs(db), (job) => scheduleKey(job.original_table as ScheduleTable, job.legacy_id))
  const schedules = [
    ...scheduleItems('akeneo_schedules', 'master', input.masterAkeneoRows, jobsByKey, input.now),
    ...scheduleItems('akeneo_schedules', 'tenant', relations.akeneo_schedules ? await selectLegacyRecords(db, relations.akeneo_schedules) : [], jobsByKey, input.now),
    ...scheduleItems('plugin_cron', 'tenant', relations.plugin_cron ? await selectLegacyRecords(db, relations.plugin_cron) : [], jobsByKey, input.now),
  ]
  markDuplicates(schedules)
  markCopiesOfMaster(schedules)
  await markTakenNames(db, schedules)
  const history = relations.job_history
    ? historyItems(await selectLegacyRecords(db, relations.job_history), await countCopiedHistory(db), jobsByKey, schedules)
    : []
  const types = relations.cron_job_types ? typeItems(await selectLegacyRecords(db, relations.cron_job_types), input.handlers) : []
  return { relations, schedules, history, types, jobsByKey }
}

export type ItemState = 'migrated' | 'to_migrate' | 'cannot_migrate'

export function scheduleState(item: ScheduleItem): ItemState {
  if (item.existing.length > 0) return 'migrated'
  return item.problem === undefined ? 'to_migrate' : 'cannot_migrate'
}

export function historyState(item: HistoryItem): ItemState {
  if (item.copies > 0) return 'migrated'
  return item.problem === undefined ? 'to_migrate' : 'cannot_migrate'
}

function scheduleItems(
  table: ScheduleTable,
  location: LegacyLocation,
  rows: readonly LegacyRecord[],
  jobsByKey: ReadonlyMap<string, readonly MigratedJobRow[]>,
  now: Date,
): ScheduleItem[] {
  const context: ConversionContext = { now, location }
  const convert = table === 'akeneo_schedules' ? convertAkeneoSchedule : convertPluginCron
  const ordered = table === 'akeneo_schedules' ? sortedRows(rows, 'created_at') : sortedBy(rows, (row) => legacyIdOf(table, row) ?? '\uffff')
  return ordered.map((row) => {
    const legacyId = legacyIdOf(table, row)
    const key = legacyId === null ? null : scheduleKey(table, legacyId)
    const conversion = convert(row, context)
    return {
      table, location, legacyId, key, row, conversion,
      existing: key === null ? [] : jobsByKey.get(key) ?? [],
      problem: conversion.ok ? undefined : conversion.reason,
      sharing: 1,
      sameAsMaster: false,
    }
  })
}

/** Two rows with one id cannot both be "the" schedule: neither is migrated until one is removed. */
function markDuplicates(items: ScheduleItem[]): void {
  const groups = groupBy(items.filter((item) => item.key !== null), (item) => `${item.location}:${item.key}`)
  for (const group of groups.values()) {
    if (group.length < 2) continue
    for (const item of group) {
      item.sharing = group.length
      const what = item.table === 'plugin_cron' ? 'plugin_id and cron_name' : 'id'
      item.problem = `${group.length} rows of ${item.location === 'master' ? 'the master ' : ''}${item.table} share this ${what}: remove all but one`
    }
  }
}

/** A tenant copy of a master row stands for the same schedule; it must agree with the master row. */
function markCopiesOfMaster(items: ScheduleItem[]): void {
  const master = new Map(items.filter((item) => item.location === 'master' && item.key !== null).map((item) => [item.key!, item]))
  for (const item of items) {
    if (item.location !== 'tenant' || item.key === null || item.problem !== undefined) continue
    const original = master.get(item.key)
    if (!original) continue
    item.sameAsMaster = true
    if (original.problem !== undefined) item.problem = `the master row with the same id cannot be migrated: ${original.problem}`
    else if (original.conversion.ok && item.conversion.ok && !sameExpectedSchedule(original.conversion.value.schedule, item.conversion.value.schedule)) {
      item.problem = `differs from the master row with the same id (master ${original.conversion.value.from}, here ${item.conversion.value.from}); the master row is the one migrated`
    }
  }
}

async function markTakenNames(db: LegacyDb, items: ScheduleItem[]): Promise<void> {
  const candidates = items.filter((item) => scheduleState(item) === 'to_migrate' && !item.sameAsMaster && item.conversion.ok)
  const names = candidates.map((item) => (item.conversion as { value: JobConversion }).value.job.name)
  const taken = await selectTakenJobNames(db, names)
  for (const item of candidates) {
    const name = (item.conversion as { value: JobConversion }).value.job.name
    if (taken.has(name)) item.problem = `a job named "${name}" already exists (not made from this row): rename it first`
  }
}

function historyItems(
  rows: readonly LegacyRecord[],
  copied: ReadonlyMap<string, number>,
  jobsByKey: ReadonlyMap<string, readonly MigratedJobRow[]>,
  schedules: readonly ScheduleItem[],
): HistoryItem[] {
  const scheduleByKey = new Map<string, ScheduleItem>()
  for (const item of schedules) if (item.key !== null && !scheduleByKey.has(item.key)) scheduleByKey.set(item.key, item)
  return sortedRows(rows, 'started_at').map((row) => {
    const id = presentText(row, 'id')
    const copies = id === null ? 0 : copied.get(id) ?? 0
    const keys = historyScheduleKeys(row)
    const migratedKey = keys.find((key) => jobsByKey.has(key))
    const plannedKey = keys.find((key) => scheduleByKey.has(key) && scheduleState(scheduleByKey.get(key)!) === 'to_migrate')
    const knownKey = keys.find((key) => scheduleByKey.has(key))
    const converted = convertHistoryRow(row, '00000000-0000-0000-0000-000000000000')
    let problem: string | undefined
    if (!converted.ok) problem = converted.reason
    else if (migratedKey !== undefined && jobsByKey.get(migratedKey)!.length > 1) problem = `its job was migrated ${jobsByKey.get(migratedKey)!.length} times`
    else if (migratedKey === undefined && plannedKey === undefined) {
      problem = knownKey !== undefined
        ? `its schedule (${knownKey}) cannot be migrated: ${scheduleByKey.get(knownKey)!.problem}`
        : `it belongs to no legacy schedule (${describeHistoryRow(row)})`
    }
    return { row, id, copies, jobKey: migratedKey ?? plannedKey, problem }
  })
}

function typeItems(rows: readonly LegacyRecord[], handlers: HandlerRegistry): TypeItem[] {
  const registered = new Set(handlers.names())
  return sortedRows(rows, 'type_name').map((row) => {
    const typeName = presentText(row, 'type_name')
    const handlerName = presentText(row, 'handler_name')
    const problem = handlerName === null ? 'handler_name is missing'
      : registered.has(handlerName) ? undefined
      : `no handler "${handlerName}" is registered (registered: ${[...registered].join(', ')}); job types are code now: register it in the handlers module`
    return { typeName, handlerName, problem }
  })
}

/** Rows in a stable order, oldest first: by a time or name column, then by their text. */
export function sortedRows(rows: readonly LegacyRecord[], column: string): LegacyRecord[] {
  return sortedBy(rows, (row) => String(row[column] ?? '\uffff'))
}

function sortedBy(rows: readonly LegacyRecord[], keyOf: (row: LegacyRecord) => string): LegacyRecord[] {
  const keyed = rows.map((row) => ({ row, first: keyOf(row), text: JSON.stringify(row) }))
  keyed.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
  return keyed.map((entry) => entry.row)
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }
  return groups
}
