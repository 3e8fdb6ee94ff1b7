import type { TenantDb } from '../db/tenant-connections.js'

export type CatchupPolicy = 'latest' | 'all' | 'none'
export type OverlapPolicy = 'skip' | 'allow'

export interface JobRow {
  id: string
  name: string
  description: string | null
  cron_expression: string | null
  run_at: Date | null
  timezone: string
  job_type: string
  handler: string
  configuration: Record<string, unknown>
  source_type: string
  source_id: string | null
  source_name: string | null
  store_id: string | null
  owner_id: string | null
  is_active: boolean
  is_paused: boolean
  is_system: boolean
  catchup_policy: CatchupPolicy
  catchup_grace_ms: number
  overlap_policy: OverlapPolicy
  timeout_ms: number
  max_retries: number
  retry_delay_ms: number
  last_run_at: Date | null
  next_run_at: Date | null
  run_count: number
  success_count: number
  failure_count: number
  consecutive_failures: number
  last_status: string | null
  last_error: string | null
  last_duration_ms: number | null
  metadata: Record<string, unknown>
  created_at: Date
  updated_at: Date
}

/** The columns a person or a file may set; the rest belong to the scheduler. */
export const editableJobColumns = [
  'name', 'description', 'cron_expression', 'run_at', 'timezone', 'job_type', 'handler', 'configuration',
  'source_type', 'source_id', 'source_name', 'store_id', 'owner_id', 'is_active', 'is_paused', 'is_system',
  'catchup_policy', 'catchup_grace_ms', 'overlap_policy', 'timeout_ms', 'max_retries', 'retry_delay_ms',
  'metadata', 'next_run_at',
] as const satisfies readonly (keyof JobRow)[]

export type EditableJobColumn = (typeof editableJobColumns)[number]
export type JobValues = Partial<Pick<JobRow, EditableJobColumn>>

const jsonColumns = ['configuration', 'metadata'] as const

/** postgres.js sends plain objects untyped: jsonb values must be marked as JSON. */
function withJson(db: Pick<TenantDb, 'sql'>, values: NewJobValues): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values }
  for (const column of jsonColumns) {
    if (values[column] !== undefined) out[column] = db.sql.json(values[column] as never)
  }
  return out
}

export async function selectJobs(db: TenantDb): Promise<JobRow[]> {
  return db.sql<JobRow[]>`select * from ${db.table('cron_jobs')} order by name`
}

export async function selectJobByName(db: TenantDb, name: string): Promise<JobRow | undefined> {
  const [row] = await db.sql<JobRow[]>`select * from ${db.table('cron_jobs')} where name = ${name}`
  return row
}

/** A new row: the editable columns, and the counters a migrated job carries over. */
export type NewJobValues = JobValues & Partial<Pick<JobRow,
  'last_run_at' | 'run_count' | 'success_count' | 'failure_count' | 'consecutive_failures' | 'last_status' | 'last_error' | 'created_at'>>

/** Inserts a job; undefined when the name is taken. */
export async function insertJob(db: Pick<TenantDb, 'sql' | 'table'>, values: NewJobValues): Promise<JobRow | undefined> {
  const columns = Object.keys(values)
  const [row] = await db.sql<JobRow[]>`
    insert into ${db.table('cron_jobs')} ${db.sql(withJson(db, values) as never, columns as never)}
    on conflict (name) do nothing
    returning *`
  return row
}

export async function updateJobById(db: TenantDb, id: string, values: JobValues): Promise<JobRow | undefined> {
  const columns = Object.keys(values) as EditableJobColumn[]
  if (columns.length === 0) return (await db.sql<JobRow[]>`select * from ${db.table('cron_jobs')} where id = ${id}`)[0]
  const [row] = await db.sql<JobRow[]>`
    update ${db.table('cron_jobs')}
    set ${db.sql(withJson(db, values) as never, columns as never)}, updated_at = now()
    where id = ${id}
    returning *`
  return row
}

export async function deleteJobById(db: TenantDb, id: string): Promise<boolean> {
  const rows = await db.sql`delete from ${db.table('cron_jobs')} where id = ${id} returning id`
  return rows.length > 0
}

export async function countActiveJobs(db: TenantDb): Promise<number> {
  const [row] = await db.sql<{ count: number }[]>`
    select count(*)::int as count from ${db.table('cron_jobs')} where is_active and not is_system`
  return row?.count ?? 0
}
