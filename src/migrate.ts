import { applyMigrations } from './db/migrate.js'
import { errorMessage } from './errors.js'
import { installSystemJobs } from './jobs/system.js'
import { redactUrls } from './redact.js'
import { ensureEmbeddedTenant, type Scheduler } from './scheduler.js'
import { selectTenants } from './store/tenants.js'
import { getTenant } from './tenants.js'

export interface MigrationResult {
  /** `master`, or a tenant's slug. */
  target: string
  ok: boolean
  applied: string[]
  /** System jobs added to a tenant that lacked them. */
  systemJobs?: string[]
  error?: string
}

/**
 * Applies pending migrations to the master database and then to every active tenant (or the
 * one named). A tenant that fails is reported and the others still migrate.
 */
export async function migrate(scheduler: Scheduler, options: { tenant?: string; now?: Date } = {}): Promise<MigrationResult[]> {
  const results: MigrationResult[] = [{ target: 'master', ok: true, applied: await applyMigrations(scheduler.master.sql, 'master', null) }]
  await ensureEmbeddedTenant(scheduler)
  const tenants = options.tenant ? [await getTenant(scheduler, options.tenant)] : await selectTenants(scheduler.master.sql, { activeOnly: true })
  for (const tenant of tenants) {
    try {
      const db = await scheduler.tenants.open(tenant)
      const applied = await applyMigrations(db.sql, 'tenant', db.schema)
      results.push({ target: tenant.slug, ok: true, applied, systemJobs: await installSystemJobs(db, options.now ?? new Date()) })
    } catch (error) {
      scheduler.logger.error({ tenant: tenant.slug, err: error }, 'tenant migration failed')
      results.push({ target: tenant.slug, ok: false, applied: [], error: redactUrls(errorMessage(error)) })
    }
  }
  return results
}
