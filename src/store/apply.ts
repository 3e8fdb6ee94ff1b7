import type { TenantDb } from '../db/tenant-connections.js'
import type { JobRow } from './jobs.js'

/**
 * Serialises applies of the same source to the same tenant: two at once would both plan a
 * create. Held until the transaction ends.
 */
export async function lockJobsSource(db: TenantDb, source: string): Promise<void> {
  await db.sql`select pg_advisory_xact_lock(hashtext(${`unified-scheduler:apply:${db.schema ?? ''}:${source}`}))`
}

/**
 * The jobs a jobs file is compared with: those of its names, and those of its source. Inside a
 * transaction `lock` holds them until it ends.
 */
export async function selectJobsForApply(
  db: TenantDb,
  filter: { names: readonly string[]; sourceType: string; sourceName: string },
  options: { lock?: boolean } = {},
): Promise<JobRow[]> {
  return db.sql<JobRow[]>`
    select * from ${db.table('cron_jobs')}
    where name = any(${filter.names as string[]}::text[])
       or (source_type = ${filter.sourceType} and source_name = ${filter.sourceName})
    order by name
    ${options.lock ? db.sql`for update` : db.sql``}`
}
