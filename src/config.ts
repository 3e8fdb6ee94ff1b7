import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseEnv } from 'node:util'
import { UsageError } from './errors.js'
import type { LogFormat } from './logger.js'

/** Everything the program reads from its surroundings, resolved once and frozen. */
export interface Config {
  /** The master database; undefined means the embedded PGlite in `dataDir`. */
  readonly databaseUrl: string | undefined
  readonly dataDir: string
  readonly logLevel: string
  readonly logFormat: LogFormat | undefined
  /** A module exporting the application's handlers. */
  readonly handlersModule: string | undefined
  /** Connections a tenant's pool may open on a real server. */
  readonly tenantPoolSize: number
  /** Environment as the program sees it: process environment over `.env`. */
  readonly env: Readonly<Record<string, string | undefined>>
}

/** Values given on the command line; they win over everything else. */
export interface ConfigFlags {
  databaseUrl?: string
  dataDir?: string
  logLevel?: string
  logFormat?: string
  handlers?: string
  configFile?: string
}

interface FileConfig {
  databaseUrl?: string
  dataDir?: string
  logLevel?: string
  logFormat?: string
  handlers?: string
  tenantPoolSize?: number
}

const configFileKeys: readonly string[] = ['databaseUrl', 'dataDir', 'logLevel', 'logFormat', 'handlers', 'tenantPoolSize'] satisfies (keyof FileConfig)[]

const configFileNames = ['unified-scheduler.config.js', 'unified-scheduler.config.mjs', 'unified-scheduler.config.json']
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** flags > environment > .env > config file > defaults. */
export async function loadConfig(
  flags: ConfigFlags = {},
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<Config> {
  const cwd = options.cwd ?? process.cwd()
  const processEnv = options.env ?? process.env
  const env = { ...readDotEnv(cwd), ...processEnv }
  const configPath = flags.configFile ?? env.UNIFIED_SCHEDULER_CONFIG
  const file = await readConfigFile(cwd, configPath)
  const fileDir = file.path ? path.dirname(file.path) : cwd

  const logFormat = flags.logFormat ?? env.UNIFIED_SCHEDULER_LOG_FORMAT ?? file.values.logFormat
  if (logFormat !== undefined && logFormat !== 'json' && logFormat !== 'pretty') {
    throw new UsageError(`invalid log format "${logFormat}": use "json" or "pretty"`)
  }
  const logLevel = flags.logLevel ?? env.UNIFIED_SCHEDULER_LOG_LEVEL ?? file.values.logLevel ?? 'info'
  if (!logLevels.includes(logLevel)) {
    throw new UsageError(`invalid log level "${logLevel}": use one of ${logLevels.join(', ')}`)
  }
  // Set but empty is a mistake (a missing secret), never a request for the embedded database.
  for (const [name, value] of [['--database-url', flags.databaseUrl], ['DATABASE_URL', env.DATABASE_URL], ['databaseUrl in the config file', file.values.databaseUrl]] as const) {
    if (value !== undefined && value.trim() === '') {
      throw new UsageError(`${name} is set but empty: give a postgres:// URL, or leave it unset to use the embedded database`)
    }
  }
  const databaseUrl = flags.databaseUrl?.trim() ?? env.DATABASE_URL?.trim() ?? file.values.databaseUrl?.trim()
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new UsageError('invalid database URL: it must start with postgres:// or postgresql://')
  }
  const poolText = env.UNIFIED_SCHEDULER_TENANT_POOL_SIZE ?? file.values.tenantPoolSize?.toString() ?? '4'
  const tenantPoolSize = Number(poolText)
  if (!Number.isInteger(tenantPoolSize) || tenantPoolSize < 1 || tenantPoolSize > 100) {
    throw new UsageError(`invalid UNIFIED_SCHEDULER_TENANT_POOL_SIZE "${poolText}": use a whole number from 1 to 100`)
  }
  const dataDir = flags.dataDir ?? env.UNIFIED_SCHEDULER_DATA_DIR ?? file.values.dataDir
  const handlers = flags.handlers ?? env.UNIFIED_SCHEDULER_HANDLERS
  return Object.freeze({
    databaseUrl,
    dataDir: path.resolve(flags.dataDir || env.UNIFIED_SCHEDULER_DATA_DIR ? cwd : fileDir, dataDir ?? '.unified-scheduler'),
    logLevel,
    logFormat: logFormat as LogFormat | undefined,
    handlersModule: handlers ? path.resolve(cwd, handlers)
      : file.values.handlers ? path.resolve(fileDir, file.values.handlers) : undefined,
    tenantPoolSize,
    env: Object.freeze(env),
  })
}

function readDotEnv(cwd: string): Record<string, string> {
  const file = path.join(cwd, '.env')
  if (!existsSync(file)) return {}
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>
}

async function readConfigFile(cwd: string, explicit: string | undefined): Promise<{ path?: string; values: FileConfig }> {
  const candidates = explicit ? [path.resolve(cwd, explicit)] : configFileNames.map((name) => path.join(cwd, name))
  const found = candidates.find((candidate) => existsSync(candidate))
  if (!found) {
    if (explicit) throw new UsageError(`config file "${explicit}" not found`)
    return { values: {} }
  }
  let values: unknown
  try {
    values = found.endsWith('.json')
      ? JSON.parse(readFileSync(found, 'utf8'))
      : ((await import(pathToFileURL(found).href)) as { default?: unknown }).default
  } catch (error) {
    throw new UsageError(`cannot read config file "${found}": ${(error as Error).message}`, { cause: error })
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new UsageError(`config file "${found}" must export an object (keys: ${configFileKeys.join(', ')})`)
  }
  const unknown = Object.keys(values).filter((key) => !configFileKeys.includes(key))
  if (unknown.length > 0) {
    throw new UsageError(`config file "${found}": unknown key ${unknown.map((key) => `"${key}"`).join(', ')}; use ${configFileKeys.join(', ')}`)
  }
  return { path: found, values: values as FileConfig }
}
