// @ts-check
// What the example handlers share: reading a job's configuration, HTTP calls with a timeout,
// bounded parallelism, and the calendar day of a slot.

/** @typedef {import('../../src/handlers/types.js').HandlerContext} HandlerContext */
/** @typedef {HandlerContext['job']} Job */

/** Reads a job's configuration, naming the job and the key in every complaint. */
export class JobConfiguration {
  /** @param {Job} job */
  constructor(job) {
    this.jobName = job.name
    /** @type {Record<string, unknown>} */
    this.values = job.configuration
  }

  /** @param {string} key @param {string} expected @param {unknown} [value] @returns {never} */
  fail(key, expected, value = this.values[key]) {
    throw new Error(`job "${this.jobName}": configuration.${key} must be ${expected}, got ${JSON.stringify(value) ?? 'nothing'}`)
  }

  /** An http(s) URL; required when no fallback is given. @param {string} key @param {string} [fallback] */
  url(key, fallback) {
    const value = this.values[key] ?? fallback
    if (typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)) return value
    return this.fail(key, 'an http(s) URL', value)
  }

  /** @param {string} key @param {number} fallback */
  positiveInteger(key, fallback) {
    const value = this.values[key] ?? fallback
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value
    return this.fail(key, 'a positive whole number')
  }

  /** A number of at least 0; required when no fallback is given. @param {string} key @param {number} [fallback] */
  amount(key, fallback) {
    const value = this.values[key] ?? fallback
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value
    return this.fail(key, 'a number of at least 0')
  }

  /** A text from a fixed list; required when no fallback is given. @param {string} key @param {readonly string[]} allowed @param {string} [fallback] */
  oneOf(key, allowed, fallback) {
    const value = this.values[key] ?? fallback
    if (typeof value === 'string' && allowed.includes(value)) return value
    return this.fail(key, `one of ${allowed.join(', ')}`)
  }

  /** An optional non-empty text. @param {string} key */
  optionalText(key) {
    const value = this.values[key]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string' && value !== '') return value
    return this.fail(key, 'a non-empty text')
  }

  /** @param {string} key */
  requiredText(key) {
    return this.optionalText(key) ?? this.fail(key, 'a non-empty text')
  }

  /** An optional JSON object, {} when absent. @param {string} key @returns {Record<string, unknown>} */
  object(key) {
    const value = this.values[key] ?? {}
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return /** @type {Record<string, unknown>} */ (value)
    return this.fail(key, 'a JSON object')
  }

  /** The value of the environment variable named by this key, if the key is set. @param {string} key */
  secretFromEnvironment(key) {
    const variable = this.optionalText(key)
    if (variable === undefined) return undefined
    const secret = process.env[variable]
    if (!secret) throw new Error(`job "${this.jobName}": configuration.${key} names ${variable}, which is not set in the scheduler's environment`)
    return secret
  }
}

/**
 * Sends a request and reads a JSON answer. A non-2xx answer, a timeout or a network failure
 * throws an error that says which request it was and what came back.
 * @param {string | URL} url
 * @param {RequestInit & { timeoutMs: number, signal?: AbortSignal }} request
 * @returns {Promise<any>}
 */
export async function fetchJson(url, { timeoutMs, signal, ...init }) {
  // Named without user, password or query: the message ends up in rows and logs.
  const { origin, pathname } = new URL(url)
  const target = `${init.method ?? 'GET'} ${origin}${pathname}`
  const timeout = AbortSignal.timeout(timeoutMs)
  let response
  let text
  try {
    response = await fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout })
    text = await response.text()
  } catch (error) {
    if (timeout.aborted) throw new Error(`${target} timed out after ${timeoutMs} ms`)
    if (signal?.aborted) throw error
    // fetch reports network failures as TypeError('fetch failed') with the reason as its cause.
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)
    throw new Error(`${target} failed: ${reason}`)
  }
  if (!response.ok) throw new Error(`${target} answered ${response.status}: ${text.slice(0, 200)}`)
  try {
    return text === '' ? null : JSON.parse(text)
  } catch {
    throw new Error(`${target} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`)
  }
}

/**
 * Calls `work` for each item with at most `limit` calls in flight, in the items' order, and
 * starts no new call once `signal` has fired. Resolves to the results of the calls that ran.
 * @template T, R
 * @param {readonly T[]} items
 * @param {number} limit
 * @param {AbortSignal} signal
 * @param {(item: T) => Promise<R>} work
 * @returns {Promise<R[]>}
 */
export async function mapWithConcurrency(items, limit, signal, work) {
  /** @type {R[]} */
  const results = []
  let next = 0
  async function worker() {
    while (next < items.length && !signal.aborted) {
      const item = /** @type {T} */ (items[next++])
      results.push(await work(item))
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * The calendar day (YYYY-MM-DD) an instant falls on in a timezone: the day a daily job's slot
 * belongs to, in the job's own zone.
 * @param {Date} instant
 * @param {string} timeZone
 */
export function calendarDay(instant, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant)
  /** @param {string} type */
  const part = (type) => parts.find((candidate) => candidate.type === type)?.value
  return `${part('year')}-${part('month')}-${part('day')}`
}

/** @param {unknown} error */
export function messageOf(error) {
  return error instanceof Error ? error.message : String(error)
}
