import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestMaster, json, runCli, serverMode, type TestMaster } from '../helpers/master.js'
import { withDatabase } from '../helpers/urls.js'

let master: TestMaster
beforeEach(async () => {
  master = await createTestMaster()
})
afterEach(async () => {
  await master.cleanup()
})

describe('tenants', () => {
  it('adds three tenants in their own databases, each migrated, each with its own jobs', async () => {
    for (const slug of ['acme', 'globex', 'initech']) {
      const added = await master.addTenant(slug)
      expect(added.stderr).toBe('')
      expect(added.code).toBe(0)
    }
    const tenants = json(await master.cli(['tenants', 'list', '--json']))
    expect(tenants.map((tenant: { slug: string }) => tenant.slug)).toEqual(['acme', 'default', 'globex', 'initech'])
    expect(JSON.stringify(tenants)).not.toMatch(/databaseUrl"/)

    for (const slug of ['acme', 'globex', 'initech']) {
      const result = await master.cli(['jobs', 'add', '--tenant', slug, '--name', `report-${slug}`, '--cron', '0 6 * * 1-5', '--handler', 'sql', '--json'])
      expect(result.code).toBe(0)
    }
    for (const slug of ['acme', 'globex', 'initech']) {
      const jobs = json(await master.cli(['jobs', 'list', '--tenant', slug, '--json']))
      // Each tenant also has the system job the migration installed.
      expect(jobs.map((job: { name: string; isSystem: boolean }) => [job.name, job.isSystem])).toEqual([[`report-${slug}`, false], ['scheduler.purge', true]])
    }
    const ambiguous = await master.cli(['jobs', 'list'])
    expect(ambiguous.code).toBe(2)
    expect(ambiguous.stderr).toMatch(/--tenant is required when there are several tenants; known tenants: acme, default, globex, initech/)

    const migrated = await master.cli(['migrate', '--json'])
    expect(migrated.code).toBe(0)
    expect(json(migrated).every((result: { applied: string[]; systemJobs?: string[] }) => result.applied.length === 0 && !result.systemJobs?.length)).toBe(true)
  })

  it.each([
    [['Bad Slug'], /invalid tenant slug "Bad Slug"/],
    [['t', '--database-url', 'mysql://x'], /invalid database URL "mysql:\/\/x"/],
    [['t', '--database-url', 'postgres://a@b/c', '--database-url-env', 'X'], /either --database-url or --database-url-env/],
    [['t', '--schema', 'Has-Dash'], /invalid schema name "Has-Dash"/],
    [['t', '--database-url-env', 'NOT_SET_ANYWHERE'], /environment variable NOT_SET_ANYWHERE named by tenant "t" is not set/],
    [['default'], /tenant "default" already exists/],
  ])('refuses tenants add %j with exit 2 and adds nothing', async (args, message) => {
    const result = await master.cli(['tenants', 'add', ...args])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(json(await master.cli(['tenants', 'list', '--json']))).toHaveLength(1)
  })

  it('never prints the password of an unreachable tenant database', async () => {
    const result = await master.cli(['tenants', 'add', 'far', '--database-url', 'postgres://admin:s3cret-pw@127.0.0.1:1/nowhere'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/cannot migrate tenant "far"/)
    expect(result.stderr + result.stdout).not.toContain('s3cret-pw')
  })

  it('refuses to remove a tenant with active jobs unless forced', async () => {
    await master.addTenant('acme')
    await master.cli(['jobs', 'add', '--tenant', 'acme', '--name', 'j', '--cron', '@daily', '--handler', 'sql'])
    const refused = await master.cli(['tenants', 'remove', 'acme'])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/tenant "acme" has 1 active job/)
    expect((await master.cli(['tenants', 'remove', 'acme', '--force'])).code).toBe(0)
    expect(json(await master.cli(['tenants', 'list', '--json']))).toHaveLength(1)
    expect((await master.cli(['tenants', 'remove', 'acme'])).stderr).toMatch(/unknown tenant "acme"/)
  })
})

describe('migrate', () => {
  it('is a no-op when run again', async () => {
    const first = await master.cli(['migrate'])
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/master: up to date/)
    expect(first.stdout).toMatch(/default: up to date/)
  })

  it('applies the schema once when two processes migrate a fresh database at once', async () => {
    const fresh = await freshMaster()
    try {
      const [a, b] = await Promise.all([runCli(['migrate', '--json'], fresh.env, fresh.dir), runCli(['migrate', '--json'], fresh.env, fresh.dir)])
      expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', ''])
      const applied = [...json(a), ...json(b)].filter((result: { target: string }) => result.target === 'master')
        .flatMap((result: { applied: string[] }) => result.applied)
      expect(applied.sort()).toEqual(['0001_create_tenants', '0002_create_scheduler_runs'])
      const again = json(await runCli(['migrate', '--json'], fresh.env, fresh.dir))
      expect(again.flatMap((result: { applied: string[] }) => result.applied)).toEqual([])
    } finally {
      await fresh.cleanup()
    }
  })

  it.skipIf(!serverMode)('refuses to run against a server that was never migrated (exit 3)', async () => {
    const fresh = await freshMaster()
    try {
      const result = await runCli(['jobs', 'list'], fresh.env, fresh.dir)
      expect(result.code).toBe(3)
      expect(result.stderr).toMatch(/master schema .* is not migrated/)
      expect(result.stderr).toMatch(/unified-scheduler migrate/)
    } finally {
      await fresh.cleanup()
    }
  })

  it.each([
    [{ DATABASE_URL: '' }, /DATABASE_URL is set but empty/],
    [{ DATABASE_URL: 'postgres://u:50%off@127.0.0.1:1/x' }, /invalid master database URL: .*percent-encoded/],
  ])('refuses a master database setting that cannot be meant (%j) with exit 2, never falling back to the embedded one', async (env, message) => {
    const result = await master.cli(['status'], { env })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toContain('50%off')
  })

  it('refuses a config file with a key it does not know', async () => {
    writeFileSync(path.join(master.dataDir, 'unified-scheduler.config.json'), JSON.stringify({ databaseURL: 'postgres://x@127.0.0.1/x' }))
    const result = await master.cli(['status'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/unknown key "databaseURL"; use databaseUrl, dataDir/)
  })

  it('exits 3 naming the database when the master is unreachable, with the password redacted', async () => {
    const result = await master.cli(['jobs', 'list'], { env: { DATABASE_URL: 'postgres://u:hunter2@127.0.0.1:1/x' } })
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/cannot reach the master database postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x/)
    expect(result.stderr).not.toContain('hunter2')
  })
})

/** An empty master: a new database on the server, or a new embedded folder. */
async function freshMaster(): Promise<{ env: Record<string, string>; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'us-fresh-'))
  if (!serverMode) {
    return { env: { UNIFIED_SCHEDULER_DATA_DIR: dir }, dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `us_fresh_${process.pid}_${Date.now().toString(36)}`
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  return {
    env: { DATABASE_URL: withDatabase(process.env.TEST_DATABASE_URL!, name) },
    dir,
    async cleanup() {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
