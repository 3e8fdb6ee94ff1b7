import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { UsageError } from '../../../src/errors.js'
import { httpHandler } from '../../../src/handlers/http.js'
import { builtinHandlers } from '../../../src/handlers/registry.js'
import type { HandlerContext } from '../../../src/handlers/types.js'
import { failure, handlerContext, testSlot } from '../../helpers/handler-context.js'

const slot = testSlot
const secretVariable = 'US_TEST_HTTP_HMAC_SECRET'
const secret = 'test-secret-do-not-print'

function contextFor(configuration: Record<string, unknown>, signal?: AbortSignal): HandlerContext {
  return handlerContext(configuration, { name: 'nightly report', attempt: 2, trigger: 'retry', signal })
}

interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

let server: Server
let base: string
let received: Received[] = []
const hanging: ServerResponse[] = []

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      const path = request.url!
      if (path === '/json') return response.writeHead(200, { 'content-type': 'application/json' }).end('{"processed":3}')
      if (path === '/text') return response.writeHead(201, { 'content-type': 'text/plain' }).end('created')
      if (path === '/big-json') return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: 'y'.repeat(5000) }))
      if (path === '/fail') return response.writeHead(503, { 'content-type': 'text/plain' }).end(`worker busy ${'z'.repeat(5000)}`)
      if (path === '/not-found') return response.writeHead(404).end('no such thing')
      if (path === '/hang') return void hanging.push(response)
      response.writeHead(500).end('unexpected path')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterEach(() => {
  received = []
  delete process.env[secretVariable]
})

afterAll(async () => {
  for (const response of hanging) response.destroy()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('http handler', () => {
  test('is registered as the built-in "http"', () => {
    expect(builtinHandlers.http).toBe(httpHandler)
  })

  test('a 2xx JSON answer succeeds with the status and the parsed body', async () => {
    const result = await httpHandler(contextFor({ url: `${base}/json` }))
    expect(result).toEqual({ status: 200, body: { processed: 3 } })
  })

  test('a text answer is returned as text; a JSON answer over 1 KB as its first KB', async () => {
    expect(await httpHandler(contextFor({ url: `${base}/text`, method: 'put', body: 'hello' }))).toEqual({ status: 201, body: 'created' })
    const big = (await httpHandler(contextFor({ url: `${base}/big-json`, method: 'GET' }))) as { body: string }
    expect(typeof big.body).toBe('string')
    expect(big.body).toHaveLength(1024)
    expect(big.body.startsWith('{"data":"yyy')).toBe(true)
  })

  test('the request carries the idempotency key, the job, the slot, the attempt and the trigger', async () => {
    await httpHandler(contextFor({ url: `${base}/json`, method: 'GET', headers: { 'X-Custom': 'kept' } }))
    const [request] = received
    expect(request?.method).toBe('GET')
    expect(request?.headers).toMatchObject({
      'idempotency-key': 'acme:7f1c2d3e-0000-4000-8000-000000000001:2025-03-01T02:00:00.000Z',
      'x-scheduler-tenant': 'acme',
      'x-scheduler-job-id': '7f1c2d3e-0000-4000-8000-000000000001',
      'x-scheduler-job-name': 'nightly%20report',
      'x-scheduler-slot': '2025-03-01T02:00:00.000Z',
      'x-scheduler-attempt': '2',
      'x-scheduler-trigger': 'retry',
      'x-custom': 'kept',
    })
    expect(request?.body).toBe('')
  })

  test('POST without a body sends a JSON description of the attempt', async () => {
    await httpHandler(contextFor({ url: `${base}/json` }))
    const [request] = received
    expect(request?.method).toBe('POST')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request!.body)).toEqual({
      job: { id: '7f1c2d3e-0000-4000-8000-000000000001', name: 'nightly report' },
      tenant: { slug: 'acme', name: 'Acme' },
      scheduledFor: '2025-03-01T02:00:00.000Z',
      attempt: 2,
      trigger: 'retry',
      idempotencyKey: 'acme:7f1c2d3e-0000-4000-8000-000000000001:2025-03-01T02:00:00.000Z',
    })
  })

  test('an object body is sent as JSON, a string body as is', async () => {
    await httpHandler(contextFor({ url: `${base}/json`, body: { batch: [1, 2] } }))
    await httpHandler(contextFor({ url: `${base}/json`, body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } }))
    expect(received.map((request) => [request.headers['content-type'], request.body])).toEqual([
      ['application/json', '{"batch":[1,2]}'],
      ['application/x-www-form-urlencoded', 'a=1&b=2'],
    ])
  })

  test('with hmacSecretEnv the body and timestamp are signed, and the server can verify it', async () => {
    process.env[secretVariable] = secret
    const result = await httpHandler(contextFor({ url: `${base}/json`, body: { amount: 'ünïcode €' }, hmacSecretEnv: secretVariable }))
    expect(result).toMatchObject({ status: 200 })
    const [request] = received
    const timestamp = request!.headers['x-scheduler-timestamp'] as string
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60)
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${request!.body}`).digest('hex')}`)
    const signature = Buffer.from(request!.headers['x-scheduler-signature'] as string)
    expect(signature.length === expected.length && timingSafeEqual(signature, expected)).toBe(true)
    expect(JSON.stringify(result)).not.toContain(secret)
  })

  test('a missing secret variable fails with its name and no request is sent', async () => {
    const error = await failure(httpHandler(contextFor({ url: `${base}/json`, hmacSecretEnv: secretVariable })))
    expect(error.message).toContain(`hmacSecretEnv names ${secretVariable}, which is not set`)
    expect(received).toHaveLength(0)
  })

  test('a non-2xx answer fails with the status and the first KB of the body', async () => {
    const error = await failure(httpHandler(contextFor({ url: `${base}/fail` })))
    expect(error.message).toContain(`job "nightly report": POST ${base}/fail answered 503 Service Unavailable (expected 2xx): worker busy zzz`)
    const excerpt = error.message.slice(error.message.indexOf('worker busy'))
    expect(excerpt).toHaveLength(1024)
  })

  test('expectStatus decides what succeeds', async () => {
    expect(await httpHandler(contextFor({ url: `${base}/not-found`, method: 'DELETE', expectStatus: [204, 404] }))).toEqual({ status: 404, body: 'no such thing' })
    const error = await failure(httpHandler(contextFor({ url: `${base}/json`, expectStatus: 202 })))
    expect(error.message).toContain('answered 200 OK (expected 202)')
  })

  test('the attempt signal aborts a request that gets no answer, promptly', async () => {
    const controller = new AbortController()
    const started = Date.now()
    setTimeout(() => controller.abort(new Error('timed out after 100 ms')), 100)
    const error = await failure(httpHandler(contextFor({ url: `${base}/hang` }, controller.signal)))
    expect(error.message).toBe(`job "nightly report": POST ${base}/hang was aborted: timed out after 100 ms`)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  test('configuration.timeout aborts a request that gets no answer', async () => {
    const started = Date.now()
    const error = await failure(httpHandler(contextFor({ url: `${base}/hang`, method: 'GET', timeout: '150ms' })))
    expect(error.message).toBe(`job "nightly report": GET ${base}/hang timed out after 150ms`)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  test('a refused connection fails with the reason, and a URL password never shows', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const error = await failure(httpHandler(contextFor({ url: `http://worker:hunter2@127.0.0.1:${port}/run` })))
    expect(error.message).toContain(`POST http://127.0.0.1:${port}/run failed: connect ECONNREFUSED`)
    expect(error.message).not.toContain('hunter2')
  })

  test('URL credentials travel as basic authentication', async () => {
    await httpHandler(contextFor({ url: base.replace('http://', 'http://worker:s%40cret@') + '/json', method: 'GET' }))
    expect(received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('worker:s@cret').toString('base64')}`)
  })

  const badConfigurations: { configuration: Record<string, unknown>; mentions: string[]; why: string }[] = [
    { configuration: {}, mentions: ['needs configuration.url'], why: 'no url' },
    { configuration: { url: 'not a url' }, mentions: ['configuration.url "not a url" is not a URL', 'http://'], why: 'not a URL' },
    { configuration: { url: 'ftp://files.example.com/x' }, mentions: ['uses ftp', 'only http and https'], why: 'wrong scheme' },
    { configuration: { url: 'https://example.com', method: 'FETCH' }, mentions: ['configuration.method "FETCH"', 'GET, HEAD, POST'], why: 'unknown verb' },
    { configuration: { url: 'https://example.com', method: 'GET', body: 'x' }, mentions: ['configuration.body cannot be sent with GET'], why: 'body with GET' },
    { configuration: { url: 'https://example.com', headers: ['a'] }, mentions: ['configuration.headers must be an object'], why: 'headers not an object' },
    { configuration: { url: 'https://example.com', headers: { 'x-count': 3 } }, mentions: ['configuration.headers["x-count"] must be a string, not number'], why: 'header value not a string' },
    { configuration: { url: 'https://example.com', headers: { 'bad name': 'top-secret' } }, mentions: ['configuration.headers["bad name"] is not a valid header'], why: 'bad header name' },
    { configuration: { url: 'https://example.com', timeout: 'soon' }, mentions: ['invalid configuration.timeout "soon"', '"90s"'], why: 'timeout text not a duration' },
    { configuration: { url: 'https://example.com', timeout: -5 }, mentions: ['configuration.timeout -5 is not a duration'], why: 'negative timeout' },
    { configuration: { url: 'https://example.com', expectStatus: 'ok' }, mentions: ['configuration.expectStatus "ok"', '100 to 599'], why: 'expectStatus not a number' },
    { configuration: { url: 'https://example.com', expectStatus: [] }, mentions: ['configuration.expectStatus []'], why: 'empty expectStatus' },
    { configuration: { url: 'https://example.com', hmacSecretEnv: 'my secret' }, mentions: ['configuration.hmacSecretEnv "my secret" is not an environment variable name'], why: 'bad variable name' },
  ]

  test.each(badConfigurations)('bad configuration: $why', async ({ configuration, mentions }) => {
    const error = await failure(httpHandler(contextFor(configuration)))
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toMatch(/^job "nightly report": /)
    for (const mention of mentions) expect(error.message).toContain(mention)
    expect(error.message).not.toContain('top-secret')
  })
})
