import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { inject } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { TenantDb } from '../../src/db/tenant-connections.js'
import { Scheduler } from '../../src/scheduler.js'
import { selectTenantBySlug } from '../../src/store/tenants.js'
import { withDatabase } from './urls.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
export const binPath = path.join(root, 'bin/unified-scheduler.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * A master database of a test's own, already migrated, holding one tenant `default` in the
 * master itself: an embedded folder copied from the template, or a database created from the
 * template database on the server (TEST_DATABASE_URL).
 */
export interface TestMaster {
  readonly kind: 'embedded' | 'server'
  /** Environment for a CLI child process pointing at this master. */
  readonly env: Record<string, string>
  readonly databaseUrl: string | undefined
  readonly dataDir: string
  /** Runs the CLI as a child process against this master. */
  cli(args: string[], options?: { env?: Record<string, string>; cwd?: string; input?: string }): Promise<CliResult>
  /** Opens the scheduler in this process (embedded: only while no CLI runs). */
  open(): Promise<Scheduler>
  /** A fresh tenant database: a schema (embedded) or a database on the server; registered via the CLI. */
  addTenant(slug: string): Promise<CliResult>
  /** Runs queries on a tenant's database in this process (embedded: only while no CLI runs). */
  withTenant<T>(slug: string, work: (db: TenantDb) => Promise<T>): Promise<T>
  /** A direct connection to the master database (server mode only). */
  sql(): postgres.Sql
  cleanup(): Promise<void>
}

export const serverMode = Boolean(inject('templateDatabaseUrl'))

let counter = 0

export async function createTestMaster(): Promise<TestMaster> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'us-test-'))
  const templateUrl = inject('templateDatabaseUrl')
  const createdDatabases: string[] = []
  const pools: postgres.Sql[] = []
  let databaseUrl: string | undefined
  let admin: postgres.Sql | undefined
  const baseName = `us_t_${process.pid}_${Date.now().toString(36)}_${counter++}`
  if (templateUrl) {
    admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} })
    const template = new URL(templateUrl).pathname.slice(1)
    await admin.unsafe(`create database ${baseName} template ${template}`)
    createdDatabases.push(baseName)
    databaseUrl = withDatabase(templateUrl, baseName)
  } else {
    cpSync(inject('templateDataDir'), dataDir, { recursive: true })
  }
  const env: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : { UNIFIED_SCHEDULER_DATA_DIR: dataDir }
  const master: TestMaster = {
    kind: databaseUrl ? 'server' : 'embedded',
    env,
    databaseUrl,
    dataDir,
    cli: (args, options = {}) => runCli(args, { ...env, ...options.env }, options.cwd ?? dataDir, options.input),
    async open() {
      return Scheduler.open(await loadConfig({ databaseUrl, dataDir }, { env: {} }))
    },
    async withTenant(slug, work) {
      const scheduler = await master.open()
      try {
        return await work(await scheduler.tenants.open((await selectTenantBySlug(scheduler.master.sql, slug))!))
      } finally {
        await scheduler.close()
      }
    },
    async addTenant(slug) {
      if (!admin) return master.cli(['tenants', 'add', slug, '--schema', slug.replace(/-/g, '_')])
      const name = `${baseName}_${slug.replace(/-/g, '_')}`
      await admin.unsafe(`create database ${name}`)
      createdDatabases.push(name)
      return master.cli(['tenants', 'add', slug, '--database-url', withDatabase(templateUrl, name)])
    },
    sql() {
      if (!databaseUrl) throw new Error('sql() is for server mode')
      const pool = postgres(databaseUrl, { max: 2, onnotice: () => {} })
      pools.push(pool)
      return pool
    },
    async cleanup() {
      await Promise.all(pools.map((pool) => pool.end()))
      if (admin) {
        for (const name of createdDatabases) await admin.unsafe(`drop database if exists ${name} with (force)`)
        await admin.end()
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return master
}


/** Runs the built CLI (`npm test` builds first) with only the environment given. */
export function runCli(args: string[], env: Record<string, string>, cwd: string, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [binPath, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
    if (input !== undefined) child.stdin?.end(input)
    else child.stdin?.end()
  })
}

/** Parses a CLI result's stdout as JSON, with the whole result in the error when it is not. */
export function json<T = any>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`)
  }
}

/** A tenant's jobs as `jobs list --json` prints them, without the scheduler's own (scheduler.purge). */
export async function listUserJobs(master: TestMaster, tenant?: string): Promise<any[]> {
  const jobs: any[] = json(await master.cli(['jobs', 'list', '--json', ...(tenant ? ['--tenant', tenant] : [])]))
  return jobs.filter((job) => job.sourceType !== 'system')
}
