import type { TenantDb } from '../db/tenant-connections.js'
import { parseCron } from '../cron/index.js'
import { insertJob } from '../store/jobs.js'
import { jobValuesFromInput, type JobInput } from './input.js'

/** The jobs the scheduler keeps in every tenant for itself: editable, never removable. */
export const systemJobs: readonly JobInput[] = Object.freeze([
  {
    name: 'scheduler.purge',
    cron: '17 3 * * *',
    timezone: 'UTC',
    handler: 'scheduler.purge',
    configuration: { retentionDays: 30, keepPerJob: 10 },
    description: 'deletes finished executions past their retention and finished one-off jobs',
    catchup: 'latest',
  },
])

/** Adds the system jobs a tenant lacks; an existing one (maybe edited) is left as it is. Returns the names added. */
export async function installSystemJobs(db: TenantDb, now: Date): Promise<string[]> {
  const added: string[] = []
  for (const input of systemJobs) {
    const values = { ...jobValuesFromInput(input), is_system: true, source_type: 'system' }
    const row = await insertJob(db, { ...values, next_run_at: parseCron(values.cron_expression!, values.timezone!).next(now) })
    if (row) added.push(row.name)
  }
  return added
}
