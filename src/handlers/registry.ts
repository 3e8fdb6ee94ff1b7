import type { Handler, HandlerMap } from './types.js'
import { execHandler } from './exec.js'
import { httpHandler } from './http.js'
import { purgeHandler } from './purge.js'
import { sqlHandler } from './sql.js'

/** The handlers every scheduler has. */
export const builtinHandlers: HandlerMap = Object.freeze({ sql: sqlHandler, http: httpHandler, exec: execHandler, 'scheduler.purge': purgeHandler })

/** Names to handler functions; job types are code, never read from a row. */
export class HandlerRegistry {
  readonly #handlers = new Map<string, Handler>()

  constructor(...maps: HandlerMap[]) {
    for (const map of [builtinHandlers, ...maps]) for (const [name, handler] of Object.entries(map)) this.register(name, handler)
  }

  register(name: string, handler: Handler): this {
    if (typeof handler !== 'function') throw new TypeError(`handler "${name}" must be a function`)
    this.#handlers.set(name, handler)
    return this
  }

  get(name: string): Handler | undefined {
    return this.#handlers.get(name)
  }

  names(): string[] {
    return [...this.#handlers.keys()].sort()
  }

  /** The message of a job whose handler is not registered. */
  unknownMessage(name: string): string {
    return `unknown handler "${name}"; registered: ${this.names().join(', ')}`
  }
}

/** Types an application's handler map: `export default defineHandlers({ tokenRefresh: async (ctx) => … })`. */
export function defineHandlers<T extends Record<string, Handler>>(handlers: T): T {
  return handlers
}
