import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { UsageError } from '../errors.js'
import { HandlerRegistry } from './registry.js'
import type { HandlerMap } from './types.js'

/**
 * The registry of built-ins plus the application's module, if one is configured. The module
 * exports its handlers as the default export, as `handlers`, or as named function exports.
 * Any problem loading it stops the command with exit 2.
 */
export async function loadHandlers(modulePath: string | undefined): Promise<HandlerRegistry> {
  if (!modulePath) return new HandlerRegistry()
  if (!existsSync(modulePath)) throw new UsageError(`handlers module "${modulePath}" not found`)
  let loaded: Record<string, unknown>
  try {
    loaded = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>
  } catch (error) {
    throw new UsageError(`cannot load handlers module "${modulePath}": ${(error as Error).message}`, { cause: error })
  }
  const candidate = (loaded.handlers ?? (isHandlerMap(loaded.default) ? loaded.default : undefined)
    ?? Object.fromEntries(Object.entries(loaded).filter(([, value]) => typeof value === 'function'))) as unknown
  if (!isHandlerMap(candidate) || Object.keys(candidate).length === 0) {
    throw new UsageError(`handlers module "${modulePath}" exports no handlers: export default defineHandlers({ name: async (ctx) => … })`)
  }
  for (const [name, handler] of Object.entries(candidate)) {
    if (typeof handler !== 'function') throw new UsageError(`handler "${name}" in "${modulePath}" is not a function`)
  }
  return new HandlerRegistry(candidate)
}

function isHandlerMap(value: unknown): value is HandlerMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
