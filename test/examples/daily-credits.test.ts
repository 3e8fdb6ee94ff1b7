import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestMaster, json, type TestMaster } from '../helpers/master.js'
import { addExampleJob, callHandler, cliTestTimeout, createExampleSchema, handlersModule, history, runTick, withExampleTables } from './example-app.js'

let master: TestMaster
beforeEach(async () => {
  master = await createTestMaster()
  await createExampleSchema(master)
})
afterEach(async () => {
  await master.cleanup()
})

const job = 'daily-credit-deduction'

async function addStores(tenant = 'default') {
  await withExampleTables(master, tenant, (sql) => sql`
    insert into stores (name, credits, daily_cost, is_active) values
      ('paying', 10, 2.5, true), ('poor', 1, 2.5, true), ('closed', 10, 2.5, false), ('free', 5, 0, true)`)
}

function credits(tenant = 'default') {
  return withExampleTables(master, tenant, async (sql) =>
    Object.fromEntries((await sql`select name, credits from stores`).map((row) => [row.name, row.credits])))
}

function ledger(tenant = 'default') {
  return withExampleTables(master, tenant, (sql) => sql`
    select s.name, l.amount, l.reason, l.reference
    from credit_ledger l join stores s on s.id = l.store_id order by l.reference, s.name`)
}

describe('credits.dailyDeduction', { timeout: cliTestTimeout }, () => {
  it('charges each active store that can pay once for the day of its slot, whatever triggers it again that day', async () => {
    await addStores()
    await addExampleJob(master, job, { now: '2026-03-06T12:00:00Z' })

    const tick = await runTick(master, '2026-03-07T00:00:05Z')
    expect(tick.code, tick.stderr).toBe(0)
    expect(tick.summary.totals).toMatchObject({ succeeded: 1, failed: 0 })
    expect(await credits()).toEqual({ paying: '7.50', poor: '1.00', closed: '10.00', free: '5.00' })
    const [first] = await history(master, job)
    expect(first).toMatchObject({
      scheduledFor: '2026-03-07T00:00:00.000Z', status: 'succeeded',
      result: { day: '2026-03-07', charged: 1, alreadyCharged: 0, insufficient: 1, deducted: 2.5 },
    })

    // A manual trigger later that day is its own slot, but the same day: nothing more is charged.
    const manual = await master.cli(['jobs', 'trigger', job, '--json', '--handlers', handlersModule, '--now', '2026-03-07T15:00:00Z'])
    expect(manual.code, manual.stderr).toBe(0)
    expect(json(manual)).toMatchObject({ status: 'succeeded', result: { day: '2026-03-07', charged: 0, alreadyCharged: 1 } })

    const nextDay = await runTick(master, '2026-03-08T00:00:05Z')
    expect(nextDay.code, nextDay.stderr).toBe(0)
    expect(await credits()).toMatchObject({ paying: '5.00', poor: '1.00' })
    expect(await ledger()).toEqual([
      { name: 'paying', amount: '-2.50', reason: 'daily', reference: '2026-03-07' },
      { name: 'paying', amount: '-2.50', reason: 'daily', reference: '2026-03-08' },
    ])
  })

  it('charges once when the same slot runs twice, one after the other or at the same time', async () => {
    await addStores()
    await addExampleJob(master, job, { now: '2026-03-06T12:00:00Z' })
    const slot = new Date('2026-03-07T00:00:00Z')

    const first = await callHandler(master, job, { scheduledFor: slot })
    const retry = await callHandler(master, job, { scheduledFor: slot, attempt: 2 })
    expect(first).toMatchObject({ charged: 1, alreadyCharged: 0 })
    expect(retry).toMatchObject({ charged: 0, alreadyCharged: 1, deducted: 0 })

    const nextSlot = new Date('2026-03-08T00:00:00Z')
    const racing = await Promise.all([callHandler(master, job, { scheduledFor: nextSlot }), callHandler(master, job, { scheduledFor: nextSlot })])
    expect(racing.map((result: any) => result.charged).sort()).toEqual([0, 1])
    expect(await credits()).toMatchObject({ paying: '5.00' })
    expect((await ledger()).map((row) => row.reference)).toEqual(['2026-03-07', '2026-03-08'])
  })

  it('runs in a tenant with a database or schema of its own and counts the day in the job\'s timezone', async () => {
    const added = await master.addTenant('acme')
    expect(added.code, added.stderr).toBe(0)
    await createExampleSchema(master, 'acme')
    await addStores('acme')
    await addExampleJob(master, job, { now: '2026-03-07T10:00:00Z', tenant: 'acme', fields: { tz: 'Pacific/Auckland' } })

    // Midnight of 8 March in Auckland (UTC+13) is 11:00 UTC on the 7th.
    const tick = await runTick(master, '2026-03-07T11:00:05Z')
    expect(tick.code, tick.stderr).toBe(0)
    const [attempt] = await history(master, job, 'acme')
    expect(attempt).toMatchObject({ scheduledFor: '2026-03-07T11:00:00.000Z', status: 'succeeded', result: { day: '2026-03-08', charged: 1 } })
    expect(await ledger('acme')).toEqual([{ name: 'paying', amount: '-2.50', reason: 'daily', reference: '2026-03-08' }])
    // The default tenant has the example tables too, untouched.
    expect(await ledger()).toEqual([])
  })
})
