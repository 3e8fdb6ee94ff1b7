// What the tests of examples/ share: the example schema in a tenant, the example jobs added
// from examples/jobs.json, the CLI run against the example handlers, a loopback HTTP server,
// and a handler called in this process with the context the tick would give it.
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type postgres from 'postgres'
import { expect } from 'vitest'
import type { TenantDb } from '../../src/db/tenant-connections.js'
import type { HandlerContext } from '../../src/handlers/types.js'
import { silentLogger } from '../../src/logger.js'
import type { JobRow } from '../../src/store/jobs.js'
import { idempotencyKey } from '../../src/tick/execute.js'
import { json, type CliResult, type TestMaster } from '../helpers/master.js'

/** Each test runs several CLI children, and on the embedded database each opens it anew. */
export const cliTestTimeout = 120_000

export const handlersModule = fileURLToPath(new URL('../../examples/handlers.mjs', import.meta.url))
const schemaSql = readFileSync(new URL('../../examples/schema.sql', import.meta.url), 'utf8')
export const exampleJobs = JSON.parse(readFileSync(new URL('../../examples/jobs.json', import.meta.url), 'utf8')) as ExampleJob[]

export interface ExampleJob {
  name: string
  cron: string
  tz: string
  handler: string
  configuration: Record<string, unknown>
  [policy: string]: unknown
}

/** The `jobs add` flag of each key of a jobs.json entry; a key without one fails the test. */
const flagOfKey: Record<string, string> = {
  name: '--name', description: '--description', cron: '--cron', tz: '--tz', handler: '--handler',
  configuration: '--config', catchup: '--catchup', overlap: '--overlap', timeout: '--timeout', retries: '--retries',
}

export function jobsAddFlags(job: ExampleJob): string[] {
  return Object.entries(job).flatMap(([key, value]) => {
    const flag = flagOfKey[key]
    if (!flag) throw new Error(`jobs.json key "${key}" of job "${job.name}" has no jobs add flag`)
    return [flag, typeof value === 'object' ? JSON.stringify(value) : String(value)]
  })
}

/** Adds a job of examples/jobs.json, with some of its fields or configuration replaced (URLs on loopback). */
export async function addExampleJob(
  master: TestMaster,
  name: string,
  options: { now: string; configuration?: Record<string, unknown>; fields?: Partial<ExampleJob>; tenant?: string },
): Promise<void> {
  const job = exampleJobs.find((candidate) => candidate.name === name)
  if (!job) throw new Error(`examples/jobs.json has no job "${name}"`)
  const changed = { ...job, ...options.fields, configuration: { ...job.configuration, ...options.configuration } }
  const tenant = options.tenant ? ['--tenant', options.tenant] : []
  const result = await master.cli(['jobs', 'add', ...jobsAddFlags(changed), ...tenant, '--handlers', handlersModule, '--now', options.now])
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
}

/** One tick at `now` with the example handlers; the summary parsed. */
export async function runTick(master: TestMaster, now: string, env: Record<string, string> = {}): Promise<CliResult & { summary: any }> {
  const result = await master.cli(['run', '--now', now, '--json', '--handlers', handlersModule], { env })
  return { ...result, summary: result.stdout ? json(result) : undefined }
}

/** The job's attempts, newest first. */
export async function history(master: TestMaster, name: string, tenant = 'default'): Promise<any[]> {
  return json(await master.cli(['jobs', 'history', name, '--tenant', tenant, '--json']))
}

/**
 * Runs `work` in one transaction of the tenant's database with the tenant's schema first on the
 * search path, as a handler's `ctx.transaction` does (embedded: only while no CLI runs).
 */
export function withExampleTables<T>(master: TestMaster, tenant: string, work: (sql: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return master.withTenant(tenant, (db) => inTenantSchema(db, work))
}

function inTenantSchema<T>(db: TenantDb, work: (sql: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return db.sql.begin(async (sql) => {
    if (db.schema) await sql`select set_config('search_path', ${`"${db.schema}", public`}, true)`
    return work(sql)
  }) as Promise<T>
}

export function createExampleSchema(master: TestMaster, tenant = 'default'): Promise<unknown> {
  return withExampleTables(master, tenant, (sql) => sql.unsafe(schemaSql))
}

/**
 * Calls an example handler in this process for a job already added, with the context the tick
 * would build for that slot and attempt (embedded: only while no CLI runs).
 */
export async function callHandler(
  master: TestMaster,
  jobName: string,
  options: { scheduledFor: Date; attempt?: number; signal?: AbortSignal; tenant?: string },
): Promise<unknown> {
  const handlersUrl: string = new URL('../../examples/handlers.mjs', import.meta.url).href
  const handlers = (await import(handlersUrl)).default as Record<string, (context: HandlerContext) => Promise<unknown>>
  return master.withTenant(options.tenant ?? 'default', async (db) => {
    const [job] = await db.sql<JobRow[]>`select * from ${db.table('cron_jobs')} where name = ${jobName}`
    if (!job) throw new Error(`no job "${jobName}"`)
    const context: HandlerContext = {
      job,
      tenant: { slug: db.slug, name: db.tenant.name },
      sql: db.sql,
      schema: db.schema,
      transaction: (work) => inTenantSchema(db, work as never),
      scheduledFor: options.scheduledFor,
      attempt: options.attempt ?? 1,
      trigger: (options.attempt ?? 1) > 1 ? 'retry' : 'schedule',
      idempotencyKey: idempotencyKey(db.slug, job.id, options.scheduledFor),
      logger: silentLogger(),
      signal: options.signal ?? new AbortController().signal,
    }
    const handler = handlers[job.handler]
    if (!handler) throw new Error(`examples/handlers.mjs has no handler "${job.handler}"`)
    return handler(context)
  })
}

export interface ReceivedRequest {
  method: string
  /** Path and query. */
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export interface LoopbackServer {
  readonly url: string
  readonly requests: ReceivedRequest[]
  /** The most requests that were being answered at once. */
  readonly maxInFlight: number
  close(): Promise<void>
}

/** An HTTP server on 127.0.0.1 that records each request and lets `respond` answer it. */
export async function startServer(
  respond: (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>,
): Promise<LoopbackServer> {
  const requests: ReceivedRequest[] = []
  let inFlight = 0
  let maxInFlight = 0
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', async () => {
      const request = { method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }
      requests.push(request)
      maxInFlight = Math.max(maxInFlight, ++inFlight)
      try {
        await respond(request, response)
      } catch (error) {
        response.writeHead(500).end(String(error))
      } finally {
        inFlight--
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, delayMs = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(() => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    resolve()
  }, delayMs))
}
