import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestMaster, type TestMaster } from '../helpers/master.js'
import { addExampleJob, callHandler, cliTestTimeout, createExampleSchema, history, type LoopbackServer, runTick, sendJson, startServer, withExampleTables } from './example-app.js'

let master: TestMaster
let provider: LoopbackServer | undefined
beforeEach(async () => {
  master = await createTestMaster()
  await createExampleSchema(master)
})
afterEach(async () => {
  await provider?.close()
  provider = undefined
  await master.cleanup()
})

const job = 'oauth-token-refresh'
const secretEnv = { OAUTH_CLIENT_SECRET: 's3cret' }

/** Tokens named by their refresh token, expiring at the given instants. */
async function addTokens(expiries: Record<string, string>) {
  await withExampleTables(master, 'default', async (sql) => {
    for (const [name, expiresAt] of Object.entries(expiries)) {
      await sql`insert into oauth_tokens (provider, access_token, refresh_token, expires_at) values ('akeneo', ${`old-${name}`}, ${name}, ${expiresAt})`
    }
  })
}

function tokens(): Promise<Record<string, any>> {
  return withExampleTables(master, 'default', async (sql) => {
    const rows = await sql`select access_token, refresh_token, expires_at, refreshed_at, last_error from oauth_tokens order by access_token`
    return Object.fromEntries(rows.map((row) => [row.access_token.replace(/^(old|new)-/, ''), row]))
  })
}

/** A token endpoint that grants a new access token for every refresh token but those in `refuse`. */
function tokenEndpoint(refuse: Set<string> = new Set(), delayMs = 0) {
  return startServer((request, response) => {
    const form = new URLSearchParams(request.body)
    const refreshToken = form.get('refresh_token') ?? ''
    if (refuse.has(refreshToken)) return sendJson(response, 400, { error: 'invalid_grant' }, delayMs)
    const rotated = refreshToken === 'rotating' ? { refresh_token: 'rotating-2' } : {}
    return sendJson(response, 200, { access_token: `new-${refreshToken}`, token_type: 'Bearer', expires_in: 3600, ...rotated }, delayMs)
  })
}

describe('oauth.refreshTokens', { timeout: cliTestTimeout }, () => {
  it('refreshes the tokens expiring within bufferMinutes of the slot, in batches, and writes the new ones back', async () => {
    // The slot is 13:00; with a 60-minute buffer everything expiring by 14:00 is due.
    await addTokens({ expired: '2026-03-07T12:30:00Z', rotating: '2026-03-07T13:30:00Z', edge: '2026-03-07T14:00:00Z', later: '2026-03-07T14:30:00Z' })
    provider = await tokenEndpoint(new Set(), 100)
    await addExampleJob(master, job, { now: '2026-03-07T12:00:00Z', configuration: { tokenUrl: `${provider.url}/oauth/token`, batchSize: 2 } })

    const startedAt = Date.now()
    const tick = await runTick(master, '2026-03-07T13:00:05Z', secretEnv)
    const finishedAt = Date.now()
    expect(tick.code, tick.stderr).toBe(0)
    const [attempt] = await history(master, job)
    expect(attempt).toMatchObject({ scheduledFor: '2026-03-07T13:00:00.000Z', status: 'succeeded', result: { due: 3, refreshed: 3, failed: 0, stoppedEarly: false } })

    expect(provider.maxInFlight).toBe(2)
    expect(provider.requests.map((request) => [request.method, request.url, request.headers['content-type']])).toEqual(
      Array(3).fill(['POST', '/oauth/token', 'application/x-www-form-urlencoded']))
    expect(provider.requests.map((request) => Object.fromEntries(new URLSearchParams(request.body))).sort((a, b) => a.refresh_token!.localeCompare(b.refresh_token!))).toEqual(
      ['edge', 'expired', 'rotating'].map((name) => ({ grant_type: 'refresh_token', refresh_token: name, client_id: 'example-app', client_secret: 's3cret' })))

    const rows = await tokens()
    for (const name of ['expired', 'rotating', 'edge']) {
      expect(rows[name]).toMatchObject({ access_token: `new-${name}`, last_error: null })
      // Issued when the endpoint answered (the real clock), valid for expires_in.
      expect(rows[name].expires_at.getTime()).toBeGreaterThanOrEqual(startedAt + 3_600_000 - 1000)
      expect(rows[name].expires_at.getTime()).toBeLessThanOrEqual(finishedAt + 3_600_000 + 1000)
    }
    expect([rows.rotating.refresh_token, rows.edge.refresh_token]).toEqual(['rotating-2', 'edge'])
    expect(rows.later).toMatchObject({ access_token: 'old-later', refreshed_at: null })
  })

  it('keeps a refused token with its error, fails the attempt, and the retry tries only that one again', async () => {
    await addTokens({ good: '2026-03-07T13:10:00Z', revoked: '2026-03-07T13:20:00Z' })
    const refuse = new Set(['revoked'])
    provider = await tokenEndpoint(refuse)
    await addExampleJob(master, job, { now: '2026-03-07T12:00:00Z', configuration: { tokenUrl: `${provider.url}/oauth/token` } })

    const tick = await runTick(master, '2026-03-07T13:00:05Z', secretEnv)
    expect(tick.code).toBe(1)
    const [failed] = await history(master, job)
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/^1 of 2 token refreshes failed, 1 refreshed; first: token [0-9a-f-]{36} \(akeneo\): POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token answered 400: {"error":"invalid_grant"}$/)
    const afterFailure = await tokens()
    expect(afterFailure.good).toMatchObject({ access_token: 'new-good', last_error: null })
    expect(afterFailure.revoked).toMatchObject({ access_token: 'old-revoked', refreshed_at: null })
    expect(afterFailure.revoked.last_error).toMatch(/answered 400/)

    refuse.clear()
    const retry = await runTick(master, failed.retryAt, secretEnv)
    expect(retry.code, retry.stderr).toBe(0)
    const [retried] = await history(master, job)
    expect(retried).toMatchObject({ attempt: 2, trigger: 'retry', status: 'succeeded', result: { due: 1, refreshed: 1 } })
    expect(provider.requests.map((request) => new URLSearchParams(request.body).get('refresh_token')).slice(2)).toEqual(['revoked'])
    expect(await tokens()).toMatchObject({ revoked: { access_token: 'new-revoked', last_error: null } })
  })

  it('fails clearly when the client secret\'s environment variable is not set', async () => {
    await addTokens({ soon: '2026-03-07T13:10:00Z' })
    provider = await tokenEndpoint()
    await addExampleJob(master, job, { now: '2026-03-07T12:00:00Z', configuration: { tokenUrl: `${provider.url}/oauth/token` } })
    const tick = await runTick(master, '2026-03-07T13:00:05Z')
    expect(tick.code).toBe(1)
    const [failed] = await history(master, job)
    expect(failed.error).toBe(`job "${job}": configuration.clientSecretEnv names OAUTH_CLIENT_SECRET, which is not set in the scheduler's environment`)
    expect(provider.requests).toEqual([])
  })

  it('starts no new batch once the attempt\'s signal fires, and keeps the answer of the refresh in flight', async () => {
    await addTokens({ a: '2026-03-07T13:10:00Z', b: '2026-03-07T13:20:00Z', c: '2026-03-07T13:30:00Z' })
    const attempt = new AbortController()
    provider = await startServer((request, response) => {
      attempt.abort(new Error('timed out'))
      return sendJson(response, 200, { access_token: `new-${new URLSearchParams(request.body).get('refresh_token')}`, expires_in: 3600 })
    })
    await addExampleJob(master, job, { now: '2026-03-07T12:00:00Z', configuration: { tokenUrl: `${provider.url}/oauth/token`, batchSize: 1, clientSecretEnv: null } })

    const result = await callHandler(master, job, { scheduledFor: new Date('2026-03-07T13:00:00Z'), signal: attempt.signal })
    expect(result).toEqual({ due: 1, refreshed: 1, failed: 0, stoppedEarly: true })
    expect(provider.requests).toHaveLength(1)
    const refreshed = new URLSearchParams(provider.requests[0]!.body).get('refresh_token')!
    const rows = await tokens()
    expect(Object.values(rows).map((row) => row.access_token).sort()).toEqual(['a', 'b', 'c'].map((name) => (name === refreshed ? 'new-' : 'old-') + name).sort())
  })
})
