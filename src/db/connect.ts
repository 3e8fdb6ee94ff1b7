import postgres from 'postgres'
import { StartupError, UsageError, errorMessage } from '../errors.js'
import { describeDatabaseUrl, redactUrls } from '../redact.js'
import { startEmbeddedServer } from './embedded.js'

export type Sql = postgres.Sql
export type TransactionSql = postgres.TransactionSql

/** A pool of connections to one PostgreSQL database, with a label safe to print. */
export interface Database {
  readonly sql: Sql
  readonly kind: 'embedded' | 'server'
  /** Host/database (or the embedded folder), never the password. */
  readonly label: string
  /** Connections the pool may open at once. */
  readonly maxConnections: number
  close(): Promise<void>
}

const ignoreNotice = () => {}

/** How long a second process waits for the embedded database before giving up. */
const embeddedLockWaitMs = 120_000

/** Called once per query sent, for measuring (the benchmark counts round trips with it). */
export type QueryObserver = () => void

export async function openServerDatabase(url: string, options: { max: number; application?: string; onQuery?: QueryObserver }): Promise<Database> {
  const sql = postgres(url, {
    max: options.max,
    ...(options.onQuery ? { debug: options.onQuery } : {}),
    onnotice: ignoreNotice,
    connect_timeout: 10,
    idle_timeout: 30,
    connection: { application_name: options.application ?? 'unified-scheduler' },
  })
  return { sql, kind: 'server', label: describeDatabaseUrl(url), maxConnections: options.max, close: () => sql.end({ timeout: 5 }) }
}

export async function openEmbeddedDatabase(dataDir: string, command: string, onQuery?: QueryObserver): Promise<Database> {
  const server = await startEmbeddedServer(dataDir, { lockWaitMs: embeddedLockWaitMs, command })
  const sql = postgres({
    path: server.socketPath, host: server.socketDir, database: 'postgres', username: 'postgres', max: 1, onnotice: ignoreNotice,
    ...(onQuery ? { debug: onQuery } : {}),
  })
  return {
    sql,
    kind: 'embedded',
    label: `embedded PGlite in ${dataDir}`,
    maxConnections: 1,
    async close() {
      await sql.end({ timeout: 5 })
      await server.stop()
    },
  }
}

/** Opens the master database and proves it answers, or throws a StartupError (exit 3). */
export async function openMasterDatabase(
  options: { databaseUrl: string | undefined; dataDir: string; poolSize: number; command: string; onQuery?: QueryObserver },
): Promise<Database> {
  let database: Database
  try {
    database = options.databaseUrl
      ? await openServerDatabase(options.databaseUrl, { max: options.poolSize, onQuery: options.onQuery })
      : await openEmbeddedDatabase(options.dataDir, options.command, options.onQuery)
  } catch (error) {
    if (error instanceof UsageError) throw error
    if (options.databaseUrl) {
      throw new UsageError(`invalid master database URL: ${redactUrls(errorMessage(error))}; characters such as % @ / : in the password must be percent-encoded`, { cause: error })
    }
    throw new StartupError(`cannot open the embedded database in "${options.dataDir}": ${redactUrls(errorMessage(error))}`, { cause: error })
  }
  try {
    await database.sql`select 1`
  } catch (error) {
    await database.close().catch(() => {})
    throw new StartupError(`cannot reach the master database ${database.label}: ${redactUrls(errorMessage(error))}`, { cause: error })
  }
  return database
}
