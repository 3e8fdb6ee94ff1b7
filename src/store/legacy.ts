import type postgres from 'postgres'
import type { Sql } from '../db/connect.js'
import type { LegacyExecution } from '../legacy/history.js'
import type { LegacyRecord } from '../legacy/tables.js'

/**
 * Every statement of the legacy migration: finding the old tables, reading them, writing the
 * migrated rows, and dropping the old tables and their enum types. Identifiers travel through
 * postgres.js helpers, values as parameters.
 */

/** A database the legacy tables are read from: the master (schema null) or a tenant's. */
export interface LegacyDb {
  readonly sql: Sql
  readonly schema: string | null
  table(name: string): postgres.Helper<string, []>
}

/** A table found in the catalog, by its real schema. */
export interface LegacyRelation {
  readonly schema: string
  readonly name: string
}

/** The same database, its statements run by `sql` (a transaction). */
export function withSql(db: LegacyDb, sql: Sql): LegacyDb {
  return { ...db, sql }
}

export async function inTransaction<T>(db: LegacyDb, work: (tx: LegacyDb) => Promise<T>): Promise<T> {
  return (await db.sql.begin((tx) => work(withSql(db, tx as unknown as Sql)))) as T
}

function identifier(db: LegacyDb, relation: LegacyRelation): postgres.Helper<string, []> {
  return db.sql(`${relation.schema}.${relation.name}`)
}

/** The table in the database's schema (the search path's first when it has none), if it exists. */
export async function findTable(db: LegacyDb, name: string): Promise<LegacyRelation | undefined> {
  const [row] = await db.sql<LegacyRelation[]>`
    select n.nspname as schema, c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = coalesce(${db.schema}::text, current_schema()) and c.relname = ${name} and c.relkind in ('r', 'p')`
  return row
}

/** Whether the table has all these columns (an application's own `stores` may have no tenant_id). */
export async function hasColumns(db: LegacyDb, relation: LegacyRelation, columns: readonly string[]): Promise<boolean> {
  const [row] = await db.sql<{ found: number }[]>`
    select count(*)::int as found from information_schema.columns
    where table_schema = ${relation.schema} and table_name = ${relation.name} and column_name = any(${columns as string[]}::text[])`
  return row!.found === columns.length
}

export async function selectLegacyRecords(db: LegacyDb, relation: LegacyRelation): Promise<LegacyRecord[]> {
  const rows = await db.sql<{ row: LegacyRecord }[]>`select to_jsonb(t) as row from ${identifier(db, relation)} t`
  return rows.map((row) => row.row)
}

export interface StoreRow {
  id: string
  tenant_id: string | null
}

export async function selectStores(db: LegacyDb, relation: LegacyRelation): Promise<StoreRow[]> {
  return db.sql<StoreRow[]>`select id::text as id, tenant_id::text as tenant_id from ${identifier(db, relation)}`
}

export interface QueueRow {
  id: string
  type: string | null
  status: string | null
  run_at: Date | null
  attempts: number | null
  created_at: Date | null
}

export async function countQueueRowsByStatus(db: LegacyDb, relation: LegacyRelation): Promise<Record<string, number>> {
  const rows = await db.sql<{ status: string; count: number }[]>`
    select coalesce(status::text, '(none)') as status, count(*)::int as count
    from ${identifier(db, relation)} group by 1 order by 1`
  return Object.fromEntries(rows.map((row) => [row.status, row.count]))
}

/** The oldest queue rows in the given states: what stands in the way of dropping the queue. */
export async function selectOldestQueueRows(db: LegacyDb, relation: LegacyRelation, statuses: readonly string[], limit: number): Promise<QueueRow[]> {
  return db.sql<QueueRow[]>`
    select id::text as id, type::text as type, status::text as status, run_at, attempts::int as attempts, created_at
    from ${identifier(db, relation)}
    where status::text = any(${statuses as string[]}::text[])
    order by created_at nulls last, id::text
    limit ${limit}`
}

/** A `cron_jobs` row that came from a legacy row. */
export interface MigratedJobRow {
  id: string
  name: string
  cron_expression: string | null
  run_at: Date | null
  timezone: string
  handler: string
  original_table: string
  legacy_id: string
}

export async function selectMigratedJobs(db: LegacyDb): Promise<MigratedJobRow[]> {
  return db.sql<MigratedJobRow[]>`
    select id, name, cron_expression, run_at, timezone, handler,
      metadata->>'original_table' as original_table, metadata->>'legacy_id' as legacy_id
    from ${db.table('cron_jobs')}
    where metadata->>'legacy_id' is not null
      and metadata->>'original_table' in ('akeneo_schedules', 'plugin_cron')`
}

/** Which of these job names are taken. */
export async function selectTakenJobNames(db: LegacyDb, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set()
  const rows = await db.sql<{ name: string }[]>`select name from ${db.table('cron_jobs')} where name = any(${names}::text[])`
  return new Set(rows.map((row) => row.name))
}

/** How many executions were copied from each job_history row, by its id. */
export async function countCopiedHistory(db: LegacyDb): Promise<Map<string, number>> {
  const rows = await db.sql<{ id: string; copies: number }[]>`
    select result->>'legacy_history_id' as id, count(*)::int as copies
    from ${db.table('cron_job_executions')}
    where trigger = 'legacy' and result->>'legacy_history_id' is not null
    group by 1`
  return new Map(rows.map((row) => [row.id, row.copies]))
}

/** Inserts copied history in one statement per batch; returns how many rows were written. */
export async function insertLegacyExecutions(db: LegacyDb, executions: readonly LegacyExecution[]): Promise<number> {
  let written = 0
  for (let start = 0; start < executions.length; start += 1000) {
    const batch = executions.slice(start, start + 1000)
    const rows = await db.sql`
      insert into ${db.table('cron_job_executions')}
        (job_id, scheduled_for, attempt, trigger, status, started_at, finished_at, duration_ms, result, error, runner)
      select r.job_id, r.scheduled_for, r.attempt, r.trigger, r.status, r.started_at, r.finished_at, r.duration_ms, r.result, r.error, r.runner
      from jsonb_to_recordset(${db.sql.json(batch as never)}::jsonb) as r(
        job_id uuid, scheduled_for timestamptz, attempt integer, trigger text, status text, started_at timestamptz,
        finished_at timestamptz, duration_ms integer, result jsonb, error text, runner text)
      returning id`
    written += rows.length
  }
  return written
}

/** Serialises legacy migrations of one tenant database: two runs at once would both insert. */
export async function lockLegacyMigration(db: LegacyDb): Promise<void> {
  await db.sql`select pg_advisory_xact_lock(hashtext(${`unified-scheduler.legacy:${db.schema ?? ''}`}))`
}

export async function lockTable(db: LegacyDb, relation: LegacyRelation): Promise<void> {
  await db.sql`lock table ${identifier(db, relation)} in access exclusive mode`
}

/** Row count and a digest of every row: shows whether a table changed since it was verified. */
export async function tableFingerprint(db: LegacyDb, relation: LegacyRelation): Promise<string> {
  const [row] = await db.sql<{ count: number; digest: string }[]>`
    select count(*)::int as count, md5(coalesce(string_agg(to_jsonb(t)::text, ',' order by to_jsonb(t)::text), '')) as digest
    from ${identifier(db, relation)} t`
  return `${row!.count}:${row!.digest}`
}

/** The enum types the table's columns use (created for it, like schedule_type's). */
export async function selectEnumTypesOf(db: LegacyDb, relation: LegacyRelation): Promise<LegacyRelation[]> {
  return db.sql<LegacyRelation[]>`
    select distinct tn.nspname as schema, t.typname as name
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_type t on t.oid = a.atttypid
    join pg_namespace tn on tn.oid = t.typnamespace
    where n.nspname = ${relation.schema} and c.relname = ${relation.name}
      and a.attnum > 0 and not a.attisdropped and t.typtype = 'e'
    order by 1, 2`
}

/** Without CASCADE: a view or a foreign key that still needs the table stops the drop. */
export async function dropTable(db: LegacyDb, relation: LegacyRelation): Promise<void> {
  await db.sql`drop table ${identifier(db, relation)}`
}

/** Drops an enum type no other column uses; false (and nothing changed) when something still does. */
export async function dropEnumTypeIfUnused(db: LegacyDb, type: LegacyRelation): Promise<boolean> {
  const [row] = await db.sql<{ users: number }[]>`
    select count(*)::int as users
    from pg_depend d
    join pg_type t on t.oid = d.refobjid
    join pg_namespace n on n.oid = t.typnamespace
    where n.nspname = ${type.schema} and t.typname = ${type.name} and d.deptype = 'n'`
  if ((row?.users ?? 0) > 0) return false
  await db.sql`drop type ${identifier(db, type)}`
  return true
}
