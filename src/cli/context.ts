import type { Command } from 'commander'
import { loadConfig, type Config, type ConfigFlags } from '../config.js'
import { UsageError } from '../errors.js'
import { parseInstant } from '../jobs/input.js'
import { createLogger, type Logger } from '../logger.js'
import { Scheduler } from '../scheduler.js'
import { globalOptionsOf } from './program.js'

export interface CommandContext {
  config: Config
  logger: Logger
  /** The clock of the whole command: `--now`, or the moment it started. */
  now: Date
  /** `--now` was given: the run replays that time. */
  nowGiven: boolean
}

interface GlobalOptions extends ConfigFlags {
  now?: string
}

export async function commandContext(command: Command): Promise<CommandContext> {
  const options = globalValues(command)
  const config = await loadConfig({
    databaseUrl: options.databaseUrl, dataDir: options.dataDir, logLevel: options.logLevel,
    logFormat: options.logFormat, handlers: options.handlers, configFile: options.configFile,
  })
  const logger = createLogger({ level: config.logLevel, format: config.logFormat })
  const now = options.now === undefined ? new Date() : parseInstant(options.now, '--now')
  return { config, logger, now, nowGiven: options.now !== undefined }
}

/** The global options: given before the command's name, or after it where the command takes them. */
function globalValues(command: Command): GlobalOptions {
  let root = command
  while (root.parent) root = root.parent
  const own = command.opts<Record<string, unknown>>()
  const values: Record<string, unknown> = { ...root.opts() }
  for (const key of globalOptionsOf.get(command) ?? []) if (own[key] !== undefined) values[key] = own[key]
  return values as GlobalOptions
}

/** Opens the scheduler for one command and always closes it. */
export async function withScheduler<T>(
  command: Command,
  action: (scheduler: Scheduler, context: CommandContext) => Promise<T>,
  options: { forMigration?: boolean } = {},
): Promise<T> {
  const context = await commandContext(command)
  const scheduler = await Scheduler.open(context.config, { logger: context.logger, command: command.name(), ...options })
  try {
    return await action(scheduler, context)
  } finally {
    await scheduler.close()
  }
}

export function parseWholeNumber(text: string, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`invalid ${what} "${text}": use a whole number from ${min} to ${max}`)
  }
  return value
}

export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`invalid JSON in ${what}: ${(error as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`invalid ${what}: it must be a JSON object, like '{"key": "value"}'`)
  return value as Record<string, unknown>
}
