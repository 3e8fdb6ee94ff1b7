import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestMaster, type TestMaster } from '../helpers/master.js'
import { addExampleJob, cliTestTimeout, createExampleSchema, history, type LoopbackServer, runTick, sendJson, startServer, withExampleTables } from './example-app.js'

let master: TestMaster
let worker: LoopbackServer | undefined
beforeEach(async () => {
  master = await createTestMaster()
  await createExampleSchema(master)
})
afterEach(async () => {
  await worker?.close()
  worker = undefined
  await master.cleanup()
})

const job = 'subscriptions-process-due'
// 09:00 in Berlin (UTC+1 in March).
const slot = '2026-03-07T08:00:00.000Z'

async function addSubscriptions(rows: { user: string; next: string; interval?: string; active?: boolean }[]) {
  await withExampleTables(master, 'default', async (sql) => {
    for (const row of rows) {
      await sql`insert into subscriptions (user_id, plan, next_billing_at, billing_interval, is_active)
        values (${row.user}, 'pro', ${row.next}, ${row.interval ?? '1 day'}, ${row.active ?? true})`
    }
  })
}

function subscriptions(): Promise<Record<string, any>> {
  return withExampleTables(master, 'default', async (sql) => {
    const rows = await sql`select id, user_id, status, next_billing_at, last_error, last_processed_at from subscriptions order by user_id`
    return Object.fromEntries(rows.map((row) => [row.user_id, row]))
  })
}

describe('subscriptions.processDue', { timeout: cliTestTimeout }, () => {
  it('posts each due subscription to the worker, at most `concurrency` at once, and moves it to its next period', async () => {
    await addSubscriptions([
      { user: 'u1', next: '2026-01-10T08:00:00Z', interval: '1 month' },
      { user: 'u2', next: '2026-03-07T07:00:00Z' },
      { user: 'u3', next: '2026-03-07T08:00:00Z', interval: '7 days' },
      { user: 'u4', next: '2026-03-06T08:00:00Z' },
      { user: 'u5', next: '2026-03-05T08:00:00Z' },
      { user: 'cancelled', next: '2026-03-01T08:00:00Z', active: false },
      { user: 'later', next: '2026-03-07T08:30:00Z' },
    ])
    worker = await startServer((_request, response) => sendJson(response, 202, { accepted: true }, 100))
    await addExampleJob(master, job, { now: '2026-03-06T12:00:00Z', configuration: { workerUrl: `${worker.url}/process`, concurrency: 2, batchSize: 3 } })

    const tick = await runTick(master, '2026-03-07T08:00:05Z')
    expect(tick.code, tick.stderr).toBe(0)
    const [attempt] = await history(master, job)
    expect(attempt).toMatchObject({ scheduledFor: slot, status: 'succeeded', result: { due: 5, processed: 5, failed: 0, stoppedEarly: false } })

    expect(worker.maxInFlight).toBe(2)
    const before = await subscriptions()
    const sent = worker.requests.map((request) => ({ path: request.url, key: request.headers['idempotency-key'], body: JSON.parse(request.body) }))
    expect(sent.map((request) => request.body.userId).sort()).toEqual(['u1', 'u2', 'u3', 'u4', 'u5'])
    const u1 = sent.find((request) => request.body.userId === 'u1')!
    expect(u1).toEqual({
      path: '/process',
      key: `default:subscription:${before.u1.id}:2026-01-10T08:00:00.000Z`,
      body: { subscriptionId: before.u1.id, userId: 'u1', plan: 'pro', billingPeriodStart: '2026-01-10T08:00:00.000Z', tenant: 'default' },
    })

    const next = (user: string) => before[user].next_billing_at.toISOString()
    expect(['u1', 'u2', 'u3', 'u4', 'u5'].map((user) => [user, before[user].status, next(user)])).toEqual([
      ['u1', 'processed', '2026-02-10T08:00:00.000Z'],
      ['u2', 'processed', '2026-03-08T07:00:00.000Z'],
      ['u3', 'processed', '2026-03-14T08:00:00.000Z'],
      ['u4', 'processed', '2026-03-07T08:00:00.000Z'],
      ['u5', 'processed', '2026-03-06T08:00:00.000Z'],
    ])
    expect([before.cancelled.status, next('cancelled')]).toEqual(['pending', '2026-03-01T08:00:00.000Z'])
    expect([before.later.status, next('later')]).toEqual(['pending', '2026-03-07T08:30:00.000Z'])
  })

  it('marks a subscription the worker refused as failed, fails the attempt, and the retry sends only that one again', async () => {
    await addSubscriptions([{ user: 'u1', next: '2026-03-07T07:00:00Z' }, { user: 'refused', next: '2026-03-07T07:00:00Z' }, { user: 'u3', next: '2026-03-07T07:00:00Z' }])
    let healthy = false
    worker = await startServer((request, response) =>
      healthy || JSON.parse(request.body).userId !== 'refused'
        ? sendJson(response, 200, { ok: true })
        : sendJson(response, 503, { error: 'billing provider unavailable' }))
    await addExampleJob(master, job, { now: '2026-03-06T12:00:00Z', configuration: { workerUrl: `${worker.url}/process` } })

    const tick = await runTick(master, '2026-03-07T08:00:05Z')
    expect(tick.code).toBe(1)
    const [failed] = await history(master, job)
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/^1 of 3 subscriptions failed, 2 processed; first: subscription [0-9a-f-]{36}: POST http:\/\/127\.0\.0\.1:\d+\/process answered 503: {"error":"billing provider unavailable"}$/)
    const afterFailure = await subscriptions()
    expect(afterFailure.refused).toMatchObject({ status: 'failed', last_processed_at: null })
    expect(afterFailure.refused.last_error).toMatch(/answered 503/)
    expect(afterFailure.refused.next_billing_at.toISOString()).toBe('2026-03-07T07:00:00.000Z')
    expect([afterFailure.u1.status, afterFailure.u3.status]).toEqual(['processed', 'processed'])

    healthy = true
    const retry = await runTick(master, failed.retryAt)
    expect(retry.code, retry.stderr).toBe(0)
    const [retried] = await history(master, job)
    expect(retried).toMatchObject({ scheduledFor: slot, attempt: 2, trigger: 'retry', status: 'succeeded', result: { due: 1, processed: 1, failed: 0 } })
    expect(worker.requests).toHaveLength(4)
    const refusedKeys = worker.requests.filter((request) => JSON.parse(request.body).userId === 'refused').map((request) => request.headers['idempotency-key'])
    expect(refusedKeys).toEqual([refusedKeys[0], refusedKeys[0]])
    const afterRetry = await subscriptions()
    expect(afterRetry.refused).toMatchObject({ status: 'processed', last_error: null })
    expect(afterRetry.refused.next_billing_at.toISOString()).toBe('2026-03-08T07:00:00.000Z')
  })
})
