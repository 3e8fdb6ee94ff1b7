import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { StartupError } from '../errors.js'
import type { Sql } from './connect.js'

export type MigrationScope = 'master' | 'tenant'

export interface Migration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

const sqlRoot = fileURLToPath(new URL('../../sql/', import.meta.url))
const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/
const migrationsTable = 'unified_scheduler_migrations'
const cache = new Map<MigrationScope, readonly Migration[]>()

/** The numbered files of `sql/<scope>/`, in order; a gap in the numbering is a packaging bug. */
export function loadMigrations(scope: MigrationScope): readonly Migration[] {
  const cached = cache.get(scope)
  if (cached) return cached
  const folder = `${sqlRoot}${scope}/`
  const migrations = readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file, index) => {
      const match = fileNamePattern.exec(file)
      if (!match) throw new Error(`migration file name "${scope}/${file}" must look like 0001_verb_object.sql`)
      const version = Number(match[1])
      if (version !== index + 1) throw new Error(`migrations of "${scope}" have a gap before "${file}": expected number ${index + 1}`)
      return { version, name: match[2]!, sql: readFileSync(folder + file, 'utf8') }
    })
  cache.set(scope, migrations)
  return migrations
}

/**
 * Applies the pending migrations of a scope to one database (and schema), each in its own
 * transaction that first takes an advisory lock, so concurrent processes apply each one once.
 * Returns the names applied now.
 */
export async function applyMigrations(sql: Sql, scope: MigrationScope, schema: string | null): Promise<string[]> {
  const migrations = loadMigrations(scope)
  const applied: string[] = []
  for (const migration of migrations) {
    const done = await sql.begin(async (transaction) => {
      const tx = transaction as unknown as Sql
      await lockMigrations(tx, schema)
      if (schema) {
        await tx`create schema if not exists ${tx(schema)}`
        await tx`select set_config('search_path', ${`"${schema}"`}, true)`
      }
      await tx`create table if not exists ${tx(migrationsTable)} (
        scope text not null,
        version integer not null,
        name text not null,
        applied_at timestamptz not null default now(),
        primary key (scope, version))`
      const versions = await appliedVersions(tx, scope)
      assertNotNewer(versions, migrations, scope, schema)
      if (versions.includes(migration.version)) return false
      assertNoGap(versions, migration, scope, schema)
      await tx.unsafe(migration.sql)
      await tx`insert into ${tx(migrationsTable)} (scope, version, name) values (${scope}, ${migration.version}, ${migration.name})`
      return true
    })
    if (done) applied.push(`${String(migration.version).padStart(4, '0')}_${migration.name}`)
  }
  return applied
}

/**
 * Throws a StartupError unless the schema of a scope is exactly what this code knows: a database
 * that was never migrated, is behind, or was migrated by newer code cannot be run against.
 */
export async function assertSchemaCurrent(sql: Sql, scope: MigrationScope, schema: string | null, where: string): Promise<void> {
  const migrations = loadMigrations(scope)
  const table = schema ? `${schema}.${migrationsTable}` : migrationsTable
  const [{ present }] = (await sql`select to_regclass(${table}) is not null as present`) as unknown as [{ present: boolean }]
  const versions = present ? await appliedVersions(sql, scope, table) : []
  assertNotNewer(versions, migrations, scope, schema)
  if (versions.length < migrations.length) {
    throw new StartupError(`the ${scope} schema of ${where} is not migrated (${versions.length} of ${migrations.length} migrations applied)`, {
      hint: 'run `unified-scheduler migrate` first',
    })
  }
}

async function lockMigrations(sql: Sql, schema: string | null): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`unified-scheduler:migrate:${schema ?? ''}`}))`
}

async function appliedVersions(sql: Sql, scope: MigrationScope, table: string = migrationsTable): Promise<number[]> {
  const rows = await sql<{ version: number }[]>`select version from ${sql(table)} where scope = ${scope} order by version`
  return rows.map((row) => row.version)
}

function assertNotNewer(versions: number[], migrations: readonly Migration[], scope: MigrationScope, schema: string | null): void {
  const newest = versions.at(-1) ?? 0
  if (newest > migrations.length) {
    throw new StartupError(
      `the ${scope} schema${schema ? ` "${schema}"` : ''} is at migration ${newest}, newer than this version of unified-scheduler knows (${migrations.length})`,
      { hint: 'upgrade unified-scheduler before running it against this database' },
    )
  }
}

function assertNoGap(versions: number[], migration: Migration, scope: MigrationScope, schema: string | null): void {
  const missing = Array.from({ length: migration.version - 1 }, (_, index) => index + 1).filter((version) => !versions.includes(version))
  if (missing.length > 0) {
    throw new StartupError(`the ${scope} schema${schema ? ` "${schema}"` : ''} lacks migration ${missing.join(', ')} before ${migration.version}: refusing to apply out of order`)
  }
}
