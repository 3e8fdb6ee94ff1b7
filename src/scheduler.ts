import type { Config } from './config.js'
import { openMasterDatabase, type Database, type QueryObserver } from './db/connect.js'
import { applyMigrations, assertSchemaCurrent } from './db/migrate.js'
import { TenantConnections } from './db/tenant-connections.js'
import { silentLogger, type Logger } from './logger.js'
import { installSystemJobs } from './jobs/system.js'
import { insertTenant, selectTenantBySlug } from './store/tenants.js'

/** The embedded database holds one tenant, in the master database itself. */
export const embeddedTenantSlug = 'default'

/**
 * An open scheduler: the configuration, a logger, the master database and the pools of the
 * tenant databases. Every library operation takes one; `close()` releases everything.
 */
export class Scheduler {
  readonly config: Config
  readonly logger: Logger
  readonly master: Database
  readonly tenants: TenantConnections

  private constructor(config: Config, logger: Logger, master: Database, onQuery: QueryObserver | undefined) {
    this.config = config
    this.logger = logger
    this.master = master
    this.tenants = new TenantConnections(master, { env: config.env, poolSize: config.tenantPoolSize, onQuery })
  }

  /**
   * Opens the master database. The embedded one is migrated on open (with its `default`
   * tenant), so a first run needs no step before it; a server's schema must be current unless
   * `forMigration` is set.
   */
  static async open(
    config: Config,
    options: { logger?: Logger; command?: string; forMigration?: boolean; onQuery?: QueryObserver } = {},
  ): Promise<Scheduler> {
    const logger = options.logger ?? silentLogger()
    const master = await openMasterDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.tenantPoolSize,
      command: options.command ?? 'unified-scheduler',
      onQuery: options.onQuery,
    })
    const scheduler = new Scheduler(config, logger, master, options.onQuery)
    try {
      if (options.forMigration) {
        // `migrate` applies and reports the migrations itself.
      } else if (master.kind === 'embedded') await scheduler.#prepareEmbedded()
      else await assertSchemaCurrent(master.sql, 'master', null, `the master database ${master.label}`)
    } catch (error) {
      await scheduler.close()
      throw error
    }
    logger.debug({ database: master.label }, 'master database open')
    return scheduler
  }

  async #prepareEmbedded(): Promise<void> {
    const applied = await applyMigrations(this.master.sql, 'master', null)
    await ensureEmbeddedTenant(this)
    applied.push(...(await applyMigrations(this.master.sql, 'tenant', null)))
    const tenant = await selectTenantBySlug(this.master.sql, embeddedTenantSlug)
    applied.push(...(await installSystemJobs(await this.tenants.open(tenant!), new Date())).map((name) => `system job ${name}`))
    if (applied.length > 0) this.logger.info({ applied, database: this.master.label }, 'embedded database migrated')
  }

  async close(): Promise<void> {
    await this.tenants.closeAll()
    await this.master.close()
  }
}

/** The embedded database's own tenant, `default`, living in the master database. */
export async function ensureEmbeddedTenant(scheduler: Scheduler): Promise<void> {
  if (scheduler.master.kind !== 'embedded') return
  await insertTenant(scheduler.master.sql, { slug: embeddedTenantSlug, name: 'Default', database_url: null, database_url_env: null, schema_name: null })
}
