import type postgres from 'postgres'
import { UsageError } from '../errors.js'
import type { TenantRow } from '../store/tenants.js'
import { openServerDatabase, type Database, type QueryObserver, type Sql } from './connect.js'
import { describeDatabaseUrl } from '../redact.js'

/** A tenant's database as the store sees it: a pool, and the schema its tables live in. */
export interface TenantDb {
  readonly slug: string
  readonly tenant: TenantRow
  readonly sql: Sql
  readonly schema: string | null
  /** Where the tenant's data lives, safe to print. */
  readonly label: string
  /** The name of a tenant table, qualified by the tenant's schema when it has one. */
  table(name: string): postgres.Helper<string, []>
}

/** The search path of a tenant with a schema of its own: the schema first, then public. */
export function tenantSearchPath(schema: string): string {
  return `"${schema}", public`
}

/**
 * Hands out tenant databases, one pool per distinct URL: tenants that share a database (the
 * master, or one server with a schema each) share its pool, so connections stay bounded.
 */
export class TenantConnections {
  readonly #master: Database
  readonly #env: Readonly<Record<string, string | undefined>>
  readonly #poolSize: number
  readonly #pools = new Map<string, { database: Promise<Database>; users: number }>()

  readonly #onQuery: QueryObserver | undefined

  constructor(master: Database, options: { env: Readonly<Record<string, string | undefined>>; poolSize: number; onQuery?: QueryObserver }) {
    this.#master = master
    this.#onQuery = options.onQuery
    this.#env = options.env
    this.#poolSize = options.poolSize
  }

  /** The URL a tenant's data lives at, or undefined for the master database. */
  resolveUrl(tenant: TenantRow): string | undefined {
    if (tenant.database_url) return tenant.database_url
    if (tenant.database_url_env) {
      const url = this.#env[tenant.database_url_env]
      if (!url) {
        throw new UsageError(`environment variable ${tenant.database_url_env} named by tenant "${tenant.slug}" is not set`)
      }
      return url
    }
    return undefined
  }

  async open(tenant: TenantRow): Promise<TenantDb> {
    const url = this.resolveUrl(tenant)
    const database = url === undefined ? this.#master : await this.#acquire(url)
    const sql = database.sql
    const schema = tenant.schema_name
    const label = (url === undefined ? database.label : describeDatabaseUrl(url)) + (schema ? ` schema ${schema}` : '')
    return {
      slug: tenant.slug,
      tenant,
      sql,
      schema,
      label,
      table: (name: string) => sql(schema ? `${schema}.${name}` : name),
    }
  }

  /** Gives a tenant database back: its pool closes when no tenant uses it any more. */
  async release(db: TenantDb): Promise<void> {
    const url = this.resolveUrl(db.tenant)
    const pool = url === undefined ? undefined : this.#pools.get(url)
    if (!pool || --pool.users > 0) return
    this.#pools.delete(url!)
    await (await pool.database).close()
  }

  #acquire(url: string): Promise<Database> {
    let pool = this.#pools.get(url)
    if (!pool) {
      pool = { database: openServerDatabase(url, { max: this.#poolSize, onQuery: this.#onQuery }), users: 0 }
      this.#pools.set(url, pool)
    }
    pool.users++
    return pool.database
  }

  async closeAll(): Promise<void> {
    const pools = [...this.#pools.values()]
    this.#pools.clear()
    await Promise.all(pools.map(async (pool) => (await pool.database).close()))
  }
}
