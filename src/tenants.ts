import { applyMigrations, assertSchemaCurrent } from './db/migrate.js'
import type { TenantDb } from './db/tenant-connections.js'
import { UsageError, errorMessage } from './errors.js'
import { redactUrls } from './redact.js'
import type { Scheduler } from './scheduler.js'
import { installSystemJobs } from './jobs/system.js'
import { countActiveJobs } from './store/jobs.js'
import { deleteTenant, insertTenant, selectTenantBySlug, selectTenants, type TenantRow } from './store/tenants.js'

export type { TenantRow }

export interface TenantInput {
  slug: string
  name?: string
  databaseUrl?: string
  databaseUrlEnv?: string
  schema?: string
  /** Apply the tenant migrations to its database now (default true). */
  migrate?: boolean
}

const slugPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/
const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/
const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/

export async function listTenants(scheduler: Scheduler, filter: { activeOnly?: boolean } = {}): Promise<TenantRow[]> {
  return selectTenants(scheduler.master.sql, filter)
}

export async function getTenant(scheduler: Scheduler, slug: string): Promise<TenantRow> {
  const tenant = await selectTenantBySlug(scheduler.master.sql, slug)
  if (!tenant) {
    const known = (await selectTenants(scheduler.master.sql)).map((row) => row.slug)
    throw new UsageError(`unknown tenant "${slug}"; known tenants: ${known.join(', ') || '(none)'}`)
  }
  return tenant
}

/** The tenant named, or the only one when none is named. */
export async function resolveTenant(scheduler: Scheduler, slug: string | undefined): Promise<TenantRow> {
  if (slug !== undefined) return getTenant(scheduler, slug)
  const all = await selectTenants(scheduler.master.sql)
  if (all.length === 1) return all[0]!
  throw new UsageError(
    all.length === 0 ? 'there are no tenants yet: add one with `unified-scheduler tenants add <slug>`'
      : `--tenant is required when there are several tenants; known tenants: ${all.map((row) => row.slug).join(', ')}`,
  )
}

/** Opens a tenant's database and checks that its schema is current (exit 3 otherwise). */
export async function openTenant(scheduler: Scheduler, tenant: TenantRow): Promise<TenantDb> {
  const db = await scheduler.tenants.open(tenant)
  await assertSchemaCurrent(db.sql, 'tenant', db.schema, `tenant "${tenant.slug}" (${db.label})`)
  return db
}

export async function addTenant(scheduler: Scheduler, input: TenantInput, options: { now?: Date } = {}): Promise<TenantRow> {
  const values = validateTenantInput(input)
  if (await selectTenantBySlug(scheduler.master.sql, values.slug)) {
    throw new UsageError(`tenant "${values.slug}" already exists`)
  }
  // Reach and migrate the tenant's database before recording it: a tenant that cannot be
  // reached is never half-added.
  if (input.migrate !== false) {
    const db = await scheduler.tenants.open({ ...values, id: '', is_active: true, created_at: new Date(), updated_at: new Date() })
    try {
      await applyMigrations(db.sql, 'tenant', db.schema)
      await installSystemJobs(db, options.now ?? new Date())
    } catch (error) {
      if (error instanceof UsageError) throw error
      throw new UsageError(`cannot migrate tenant "${values.slug}" at ${db.label}: ${redactUrls(errorMessage(error))}`, { cause: error })
    }
  }
  const row = await insertTenant(scheduler.master.sql, values)
  if (!row) throw new UsageError(`tenant "${values.slug}" already exists`)
  return row
}

/** Removes a tenant from the registry; its database is left as it is. */
export async function removeTenant(scheduler: Scheduler, slug: string, options: { force?: boolean } = {}): Promise<TenantRow> {
  const tenant = await getTenant(scheduler, slug)
  if (!options.force) {
    let active: number
    try {
      active = await countActiveJobs(await openTenant(scheduler, tenant))
    } catch (error) {
      throw new UsageError(`cannot count the active jobs of tenant "${slug}" (${errorMessage(error)}); use --force to remove it anyway`, { cause: error })
    }
    if (active > 0) {
      throw new UsageError(`tenant "${slug}" has ${active} active job${active === 1 ? '' : 's'}; disable or remove them first, or use --force`)
    }
  }
  await deleteTenant(scheduler.master.sql, slug)
  return tenant
}

function validateTenantInput(input: TenantInput) {
  if (!slugPattern.test(input.slug)) {
    throw new UsageError(`invalid tenant slug "${input.slug}": use 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit`)
  }
  if (input.databaseUrl !== undefined && input.databaseUrlEnv !== undefined) {
    throw new UsageError('give either --database-url or --database-url-env, not both')
  }
  if (input.databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(input.databaseUrl)) {
    throw new UsageError(`invalid database URL "${redactUrls(input.databaseUrl)}": it must start with postgres:// or postgresql://`)
  }
  if (input.databaseUrlEnv !== undefined && !envNamePattern.test(input.databaseUrlEnv)) {
    throw new UsageError(`invalid environment variable name "${input.databaseUrlEnv}": use letters, digits and "_", not starting with a digit`)
  }
  if (input.schema !== undefined && !schemaPattern.test(input.schema)) {
    throw new UsageError(`invalid schema name "${input.schema}": use 1-63 lowercase letters, digits or "_", not starting with a digit`)
  }
  const name = input.name?.trim() || input.slug
  return {
    slug: input.slug,
    name,
    database_url: input.databaseUrl ?? null,
    database_url_env: input.databaseUrlEnv ?? null,
    schema_name: input.schema ?? null,
  }
}
