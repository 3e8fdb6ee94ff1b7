import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestMaster, json, type TestMaster } from '../helpers/master.js'
import { addExampleJob, cliTestTimeout, exampleJobs, handlersModule, runTick, withExampleTables } from './example-app.js'

let master: TestMaster
beforeEach(async () => {
  master = await createTestMaster()
})
afterEach(async () => {
  await master.cleanup()
})

describe('examples/jobs.json and examples/schema.sql', { timeout: cliTestTimeout }, () => {
  it('every job of the file is accepted by jobs add with the example handlers, with its schedule, zone and policies', async () => {
    for (const job of exampleJobs) await addExampleJob(master, job.name, { now: '2026-03-06T12:00:00Z' })
    const names = new Set(exampleJobs.map((job) => job.name))
    // Besides the scheduler's own system jobs.
    const listed = (json(await master.cli(['jobs', 'list', '--json'])) as any[]).filter((job) => names.has(job.name))
    expect(listed.map((job) => [job.name, job.cronExpression, job.timezone, job.handler, job.nextRunAt]).sort()).toEqual([
      ['akeneo-products-import', '30 2 * * *', 'Europe/Berlin', 'akeneo.import', '2026-03-07T01:30:00.000Z'],
      ['daily-credit-deduction', '0 0 * * *', 'UTC', 'credits.dailyDeduction', '2026-03-07T00:00:00.000Z'],
      ['oauth-token-refresh', '0 * * * *', 'UTC', 'oauth.refreshTokens', '2026-03-06T13:00:00.000Z'],
      ['subscriptions-process-due', '0 9 * * *', 'Europe/Berlin', 'subscriptions.processDue', '2026-03-07T08:00:00.000Z'],
    ])
    const credits = listed.find((job) => job.name === 'daily-credit-deduction')
    expect([credits.catchupPolicy, credits.maxRetries, credits.timeoutMs]).toEqual(['all', 5, 15 * 60_000])
  })

  it('jobs add refuses a handler the example module does not register', async () => {
    const result = await master.cli(['jobs', 'add', '--name', 'typo', '--cron', '@daily', '--handler', 'credits.dailyDeductoin', '--handlers', handlersModule])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/unknown handler "credits\.dailyDeductoin"; registered: .*akeneo\.import.*credits\.dailyDeduction.*oauth\.refreshTokens.*subscriptions\.processDue/)
  })

  it('creates the schema with a one-off sql job, as the README shows, and again without harm', async () => {
    const schema = readFileSync(new URL('../../examples/schema.sql', import.meta.url), 'utf8')
    // One tick each: two `create table if not exists` of one table at the same instant would race.
    for (const [name, at] of [['example-schema', '2026-03-07T12:00:00Z'], ['example-schema-again', '2026-03-07T12:10:00Z']] as const) {
      const added = await master.cli(['jobs', 'add', '--name', name, '--at', at, '--handler', 'sql', '--config', JSON.stringify({ sql: schema }), '--now', '2026-03-07T11:00:00Z'])
      expect(added.code, added.stderr).toBe(0)
      const tick = await runTick(master, at)
      expect(tick.code, tick.stderr).toBe(0)
      expect(tick.summary.totals).toMatchObject({ succeeded: 1, failed: 0 })
    }
    const tables = await withExampleTables(master, 'default', (sql) => sql`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_name in ('stores', 'credit_ledger', 'oauth_tokens', 'subscriptions', 'import_runs', 'pim_items')
      order by table_name`)
    expect(tables.map((row) => row.table_name)).toEqual(['credit_ledger', 'import_runs', 'oauth_tokens', 'pim_items', 'stores', 'subscriptions'])
  })
})
