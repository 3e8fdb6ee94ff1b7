import { createHmac } from 'node:crypto'
import { formatDuration } from '../duration.js'
import { errorMessage, UsageError } from '../errors.js'
import { redactUrls } from '../redact.js'
import { timeoutFromConfiguration } from './configuration.js'
import type { Handler, HandlerContext } from './types.js'

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
const methodsWithoutBody = new Set(['GET', 'HEAD'])
const methodsWithDefaultBody = new Set(['POST', 'PUT', 'PATCH'])
const excerptBytes = 1024

/** A job's `configuration`, checked: what the request will be, before the scheduler adds its headers. */
interface HttpRequestPlan {
  url: URL
  method: string
  headers: Headers
  /** The exact text sent; undefined means the default (a JSON description of the slot, or none). */
  body: string | undefined
  timeoutMs: number | undefined
  expectStatus: readonly number[] | undefined
  hmacSecretEnv: string | undefined
}

/**
 * Sends the request described by `configuration` ({url, method?, headers?, body?, timeout?,
 * expectStatus?, hmacSecretEnv?}) with the job, slot, attempt and idempotency key in headers.
 * An answer that is not 2xx (or not one of `expectStatus`) fails the attempt with the status
 * and the start of the body; a success returns `{status, body}` with the first KB of the body.
 */
export const httpHandler: Handler = async (context) => {
  const { job, logger, signal } = context
  const plan = readHttpConfiguration(job.name, job.configuration)
  const body = plan.body ?? (methodsWithDefaultBody.has(plan.method) ? JSON.stringify(describeAttempt(context)) : undefined)
  if (plan.body === undefined && body !== undefined && !plan.headers.has('content-type')) {
    plan.headers.set('content-type', 'application/json')
  }
  for (const [name, value] of Object.entries(schedulerHeaders(context))) plan.headers.set(name, value)
  if (plan.hmacSecretEnv) signRequest(plan.headers, readSecret(job.name, plan.hmacSecretEnv), body ?? '')

  const target = redactUrls(`${plan.method} ${plan.url.href}`)
  const abort = abortOnSignalOrTimeout(signal, plan.timeoutMs)
  logger.debug({ method: plan.method, url: redactUrls(plan.url.href) }, 'http request')
  try {
    const response = await fetch(plan.url, { method: plan.method, headers: plan.headers, body, signal: abort.signal })
    const excerpt = await readExcerpt(response)
    const expected = plan.expectStatus ? plan.expectStatus.includes(response.status) : response.ok
    if (!expected) {
      const wanted = plan.expectStatus ? `expected ${plan.expectStatus.join(' or ')}` : 'expected 2xx'
      const statusText = response.statusText ? ` ${response.statusText}` : ''
      throw new Error(redactUrls(`job "${job.name}": ${target} answered ${response.status}${statusText} (${wanted}): ${excerpt.text}`))
    }
    return { status: response.status, body: resultBody(excerpt, response.headers.get('content-type')) }
  } catch (error) {
    if (abort.timedOut()) throw new Error(`job "${job.name}": ${target} timed out after ${formatDuration(plan.timeoutMs!)}`)
    if (signal.aborted) throw new Error(`job "${job.name}": ${target} was aborted: ${errorMessage(signal.reason)}`, { cause: signal.reason })
    if (abort.signal.aborted || !(error instanceof TypeError)) throw error
    // fetch reports network failures as TypeError('fetch failed') with the real reason as its cause.
    const reason = error.cause instanceof Error ? error.cause.message : error.message
    throw new Error(redactUrls(`job "${job.name}": ${target} failed: ${reason}`), { cause: error })
  } finally {
    abort.dispose()
  }
}

/** The headers that tell the receiver which attempt of which slot this is; retries keep the key. */
function schedulerHeaders(context: HandlerContext): Record<string, string> {
  return {
    'idempotency-key': context.idempotencyKey,
    'x-scheduler-tenant': context.tenant.slug,
    'x-scheduler-job-id': context.job.id,
    // Header values must be Latin-1; a job name may not be, so it is percent-encoded.
    'x-scheduler-job-name': encodeURIComponent(context.job.name),
    'x-scheduler-slot': context.scheduledFor.toISOString(),
    'x-scheduler-attempt': String(context.attempt),
    'x-scheduler-trigger': context.trigger,
  }
}

/** The body sent by POST, PUT and PATCH when the configuration gives none. */
function describeAttempt(context: HandlerContext) {
  return {
    job: { id: context.job.id, name: context.job.name },
    tenant: { slug: context.tenant.slug, name: context.tenant.name },
    scheduledFor: context.scheduledFor.toISOString(),
    attempt: context.attempt,
    trigger: context.trigger,
    idempotencyKey: context.idempotencyKey,
  }
}

/**
 * What is signed: the UTF-8 bytes of `<timestamp>.<body>`, where timestamp is the value of the
 * X-Scheduler-Timestamp header (Unix seconds) and body the exact request body (empty when none).
 * The receiver recomputes the HMAC-SHA256 with the shared secret, compares it in constant time
 * with X-Scheduler-Signature (`sha256=<hex>`) and may refuse old timestamps to stop replays.
 */
function signRequest(headers: Headers, secret: string, body: string): void {
  const timestamp = String(Math.floor(Date.now() / 1000))
  const digest = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')
  headers.set('x-scheduler-timestamp', timestamp)
  headers.set('x-scheduler-signature', `sha256=${digest}`)
}

function readSecret(jobName: string, variable: string): string {
  const secret = process.env[variable]
  if (!secret) {
    throw new UsageError(`job "${jobName}": configuration.hmacSecretEnv names ${variable}, which is not set in the scheduler's environment`)
  }
  return secret
}

/** One signal for the request: the attempt's (timeout of the job, shutdown) or the request's own timeout. */
function abortOnSignalOrTimeout(signal: AbortSignal, timeoutMs: number | undefined) {
  const controller = new AbortController()
  let timedOut = false
  const forward = () => controller.abort(signal.reason)
  if (signal.aborted) forward()
  else signal.addEventListener('abort', forward, { once: true })
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true
    controller.abort(new Error(`timed out after ${formatDuration(timeoutMs)}`))
  }, timeoutMs)
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer)
      signal.removeEventListener('abort', forward)
    },
  }
}

/** Reads no more of the answer than the excerpt needs, then lets the connection go. */
async function readExcerpt(response: Response): Promise<{ text: string; complete: boolean }> {
  if (!response.body) return { text: '', complete: true }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let complete = false
  try {
    while (size <= excerptBytes) {
      const { done, value } = await reader.read()
      if (done) {
        complete = true
        break
      }
      chunks.push(value)
      size += value.byteLength
    }
  } finally {
    if (!complete) reader.cancel().catch(() => {})
  }
  return { text: Buffer.concat(chunks).subarray(0, excerptBytes).toString('utf8'), complete }
}

function resultBody(excerpt: { text: string; complete: boolean }, contentType: string | null): unknown {
  if (!excerpt.complete || !contentType || !/[/+]json\b/i.test(contentType)) return excerpt.text
  try {
    return JSON.parse(excerpt.text) as unknown
  } catch {
    return excerpt.text
  }
}

function readHttpConfiguration(jobName: string, configuration: Record<string, unknown>): HttpRequestPlan {
  const problem = (text: string) => new UsageError(`job "${jobName}": ${text}`)
  const { url, method = 'POST', headers = {}, body, timeout, expectStatus, hmacSecretEnv } = configuration

  if (typeof url !== 'string' || url.trim() === '') throw problem('the http handler needs configuration.url, an http:// or https:// address')
  let parsedUrl: URL
  try {
    parsedUrl = new URL(url)
  } catch {
    throw problem(`configuration.url "${redactUrls(url)}" is not a URL: use an absolute http:// or https:// address`)
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') {
    throw problem(`configuration.url "${redactUrls(url)}" uses ${parsedUrl.protocol.slice(0, -1)}: only http and https are allowed`)
  }

  const upperMethod = typeof method === 'string' ? method.toUpperCase() : undefined
  if (!upperMethod || !(methods as readonly string[]).includes(upperMethod)) {
    throw problem(`configuration.method ${JSON.stringify(method)} is not supported: use one of ${methods.join(', ')}`)
  }

  const requestHeaders = readHeaders(headers, problem)
  // fetch refuses a URL with credentials: they travel as basic authentication instead.
  if (parsedUrl.username || parsedUrl.password) {
    if (!requestHeaders.has('authorization')) {
      const credentials = `${decodeURIComponent(parsedUrl.username)}:${decodeURIComponent(parsedUrl.password)}`
      requestHeaders.set('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`)
    }
    parsedUrl.username = ''
    parsedUrl.password = ''
  }

  let text: string | undefined
  if (body !== undefined && body !== null) {
    if (methodsWithoutBody.has(upperMethod)) throw problem(`configuration.body cannot be sent with ${upperMethod}: use POST, PUT, PATCH or DELETE`)
    if (typeof body === 'string') text = body
    else {
      text = JSON.stringify(body)
      if (!requestHeaders.has('content-type')) requestHeaders.set('content-type', 'application/json')
    }
  }

  if (hmacSecretEnv !== undefined && (typeof hmacSecretEnv !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(hmacSecretEnv))) {
    throw problem(`configuration.hmacSecretEnv ${JSON.stringify(hmacSecretEnv)} is not an environment variable name: use letters, digits and _, like "WORKER_HMAC_SECRET"`)
  }

  return {
    url: parsedUrl,
    method: upperMethod,
    headers: requestHeaders,
    body: text,
    timeoutMs: timeoutFromConfiguration(timeout, jobName),
    expectStatus: readExpectStatus(expectStatus, problem),
    hmacSecretEnv,
  }
}

/** Header values are never repeated in a message: they often carry a token. */
function readHeaders(headers: unknown, problem: (text: string) => UsageError): Headers {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw problem('configuration.headers must be an object of header names to string values, like {"accept": "application/json"}')
  }
  const result = new Headers()
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw problem(`configuration.headers["${name}"] must be a string, not ${value === null ? 'null' : typeof value}`)
    try {
      result.set(name, value)
    } catch {
      throw problem(`configuration.headers["${name}"] is not a valid header: names are letters, digits and -, values one line of text`)
    }
  }
  return result
}

function readExpectStatus(value: unknown, problem: (text: string) => UsageError): number[] | undefined {
  if (value === undefined || value === null) return undefined
  const statuses = Array.isArray(value) ? value : [value]
  const valid = statuses.length > 0 && statuses.every((status) => Number.isInteger(status) && status >= 100 && status <= 599)
  if (!valid) throw problem(`configuration.expectStatus ${JSON.stringify(value)} is not a status: use a number from 100 to 599 or an array of them, like [200, 204]`)
  return statuses as number[]
}
