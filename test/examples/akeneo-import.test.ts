import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestMaster, type TestMaster } from '../helpers/master.js'
import { addExampleJob, callHandler, cliTestTimeout, createExampleSchema, handlersModule, history, type LoopbackServer, runTick, sendJson, startServer, withExampleTables } from './example-app.js'

let master: TestMaster
let pim: LoopbackServer | undefined
beforeEach(async () => {
  master = await createTestMaster()
  await createExampleSchema(master)
})
afterEach(async () => {
  await pim?.close()
  pim = undefined
  await master.cleanup()
})

const job = 'akeneo-products-import'
// 02:30 in Berlin (UTC+1 in March).
const slot = '2026-03-07T01:30:00.000Z'
const filters = { updated: [{ operator: 'SINCE LAST N DAYS', value: 1 }] }

async function addStore(credits: number): Promise<string> {
  const [store] = await withExampleTables(master, 'default', (sql) => sql`insert into stores (name, credits) values ('shop', ${credits}) returning id`)
  return store!.id
}

/** Two pages of products the way Akeneo's REST API serves them, the second linked from the first. */
function startPim() {
  return startServer((request, response) => {
    const url = new URL(request.url, 'http://pim')
    if (url.pathname !== '/api/rest/v1/products') return sendJson(response, 404, { message: 'not found' })
    if (!url.searchParams.has('search_after')) {
      const next = new URL(url)
      next.searchParams.set('search_after', 'sku-2')
      return sendJson(response, 200, {
        _links: { next: { href: `${pim!.url}${next.pathname}${next.search}` } },
        _embedded: { items: [{ identifier: 'sku-1', family: 'shirts' }, { identifier: 'sku-2', family: 'shirts' }] },
      })
    }
    return sendJson(response, 200, { _links: {}, _embedded: { items: [{ identifier: 'sku-3', family: 'shoes' }] } })
  })
}

async function importState() {
  return withExampleTables(master, 'default', async (sql) => ({
    credits: (await sql`select credits from stores`)[0]!.credits,
    runs: await sql`select status, items_imported, scheduled_for, attempt, credit_cost, filters, error from import_runs order by started_at`,
    items: (await sql`select code, data->>'family' as family from pim_items order by code`).map((row) => `${row.code} ${row.family}`),
    ledger: await sql`select amount, reason, reference from credit_ledger`,
  }))
}

describe('akeneo.import', { timeout: cliTestTimeout }, () => {
  it('records the run, reads every page from the PIM, writes the items and charges the store once', async () => {
    const storeId = await addStore(1)
    pim = await startPim()
    await addExampleJob(master, job, {
      now: '2026-03-06T12:00:00Z',
      configuration: { sourceUrl: `${pim.url}/api/rest/v1`, store_id: storeId, credit_cost: 0.25, options: { pageSize: 2 } },
    })

    const tick = await runTick(master, '2026-03-07T01:30:05Z')
    expect(tick.code, tick.stderr).toBe(0)
    const [attempt] = await history(master, job)
    expect(attempt).toMatchObject({ scheduledFor: slot, status: 'succeeded', result: { importType: 'products', storeId, pages: 2, imported: 3, charged: 0.25 } })

    const first = new URL(pim.requests[0]!.url, 'http://pim')
    expect([first.pathname, first.searchParams.get('limit'), JSON.parse(first.searchParams.get('search')!)]).toEqual(['/api/rest/v1/products', '2', filters])
    expect(pim.requests).toHaveLength(2)

    const state = await importState()
    expect(state.credits).toBe('0.75')
    expect(state.items).toEqual(['sku-1 shirts', 'sku-2 shirts', 'sku-3 shoes'])
    expect(state.runs).toEqual([{ status: 'succeeded', items_imported: 3, scheduled_for: new Date(slot), attempt: 1, credit_cost: '0.25', filters, error: null }])
    const jobId = (await master.withTenant('default', (db) => db.sql`select id from cron_jobs where name = ${job}`))[0]!.id
    expect(state.ledger).toEqual([{ amount: '-0.25', reason: 'akeneo_import', reference: `default:${jobId}:${slot}` }])
  })

  it('fails clearly when the store lacks the credits, before asking the PIM, and the run row says why', async () => {
    const storeId = await addStore(0.05)
    pim = await startPim()
    await addExampleJob(master, job, {
      now: '2026-03-06T12:00:00Z',
      configuration: { sourceUrl: `${pim.url}/api/rest/v1`, store_id: storeId, credit_cost: 0.25 },
    })

    const tick = await runTick(master, '2026-03-07T01:30:05Z')
    expect(tick.code).toBe(1)
    const message = `insufficient credits: store ${storeId} has 0.05, a products import costs 0.25`
    const [attempt] = await history(master, job)
    expect(attempt).toMatchObject({ scheduledFor: slot, status: 'failed', error: message })
    expect(attempt.retryAt).not.toBeNull()
    expect(pim.requests).toEqual([])
    const state = await importState()
    expect(state).toMatchObject({ credits: '0.05', items: [], ledger: [] })
    expect(state.runs).toMatchObject([{ status: 'failed', items_imported: 0, error: message }])
  })

  it('does not charge again when a slot that was paid runs again', async () => {
    const storeId = await addStore(1)
    pim = await startPim()
    await addExampleJob(master, job, {
      now: '2026-03-06T12:00:00Z',
      configuration: { sourceUrl: `${pim.url}/api/rest/v1`, store_id: storeId, credit_cost: 0.25 },
    })

    const first = await callHandler(master, job, { scheduledFor: new Date(slot) })
    const again = await callHandler(master, job, { scheduledFor: new Date(slot), attempt: 2 })
    expect(first).toMatchObject({ imported: 3, charged: 0.25 })
    expect(again).toMatchObject({ imported: 3, charged: 0 })
    const state = await importState()
    expect(state.credits).toBe('0.75')
    expect(state.items).toHaveLength(3)
    expect(state.runs.map((run) => [run.status, run.attempt])).toEqual([['succeeded', 1], ['succeeded', 2]])
  })

  it('runs a job moved from akeneo_schedules (handler akeneoImport, no sourceUrl) against $AKENEO_API_URL', async () => {
    const storeId = await addStore(1)
    pim = await startPim()
    const legacyConfiguration = { import_type: 'products', filters, options: {}, store_id: storeId, credit_cost: 0.1 }
    const added = await master.cli(['jobs', 'add', '--name', 'Akeneo products import 7', '--cron', '30 1 * * *', '--handler', 'akeneoImport',
      '--config', JSON.stringify(legacyConfiguration), '--handlers', handlersModule, '--now', '2026-03-06T12:00:00Z'])
    expect(added.code, added.stderr).toBe(0)

    const tick = await runTick(master, '2026-03-07T01:30:05Z', { AKENEO_API_URL: `${pim.url}/api/rest/v1` })
    expect(tick.code, tick.stderr).toBe(0)
    const [attempt] = await history(master, 'Akeneo products import 7')
    expect(attempt).toMatchObject({ status: 'succeeded', result: { imported: 3, charged: 0.1 } })
    expect((await importState()).credits).toBe('0.90')
  })

  it('refuses a configuration that does not name an import type it knows', async () => {
    const storeId = await addStore(1)
    await addExampleJob(master, job, {
      now: '2026-03-06T12:00:00Z',
      configuration: { sourceUrl: 'http://127.0.0.1:9/api/rest/v1', store_id: storeId, import_type: 'everything' },
    })
    const tick = await runTick(master, '2026-03-07T01:30:05Z')
    expect(tick.code).toBe(1)
    const [attempt] = await history(master, job)
    expect(attempt.error).toBe(`job "${job}": configuration.import_type must be one of products, product_models, categories, attributes, families, got "everything"`)
  })
})
