import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../../src/config.js'
import { applyMigrations } from '../../src/db/migrate.js'
import { migrate } from '../../src/migrate.js'
import { Scheduler } from '../../src/scheduler.js'
import { withDatabase } from './urls.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated embedded data folder to copy (embedded mode). */
    templateDataDir: string
    /** A migrated database to create test databases from (server mode). */
    templateDatabaseUrl: string
  }
}

/**
 * Migrates one template before the suite: a PGlite data folder, or with TEST_DATABASE_URL a
 * database on that server. Each test copies it instead of paying initdb and migrations again.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL
  if (!serverUrl) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'us-template-'))
    const scheduler = await Scheduler.open(await loadConfig({ dataDir }, { env: {} }))
    await scheduler.close()
    project.provide('templateDataDir', dataDir)
    project.provide('templateDatabaseUrl', '')
    return () => rmSync(dataDir, { recursive: true, force: true })
  }
  const name = `us_template_${process.pid}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`drop database if exists ${name} with (force)`)
  await admin.unsafe(`create database ${name}`)
  const templateUrl = withDatabase(serverUrl, name)
  // As an installation with a tenant in the master database: migrated, with its system jobs.
  const template = postgres(templateUrl, { max: 1, onnotice: () => {} })
  await applyMigrations(template, 'master', null)
  await template`insert into tenants (slug, name) values ('default', 'Default')`
  await template.end()
  const scheduler = await Scheduler.open(await loadConfig({ databaseUrl: templateUrl }, { env: {} }), { forMigration: true })
  await migrate(scheduler)
  await scheduler.close()
  project.provide('templateDataDir', '')
  project.provide('templateDatabaseUrl', templateUrl)
  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

