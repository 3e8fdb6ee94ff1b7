import type { Sql } from '../db/connect.js'

export interface RunRow {
  id: string
  started_at: Date
  finished_at: Date | null
  clock_at: Date
  host: string
  pid: number
  arguments: Record<string, unknown>
  status: 'running' | 'succeeded' | 'failed' | 'interrupted'
  counts: Record<string, number>
  tenants_total: number
  tenants_failed: string[]
}

export async function insertRun(sql: Sql, run: { clockAt: Date; host: string; pid: number; arguments: Record<string, unknown> }): Promise<RunRow> {
  const [row] = await sql<RunRow[]>`
    insert into scheduler_runs (clock_at, host, pid, arguments)
    values (${run.clockAt}, ${run.host}, ${run.pid}, ${sql.json(run.arguments as never)}::jsonb)
    returning *`
  return row!
}

export async function finishRun(
  sql: Sql,
  id: string,
  result: { status: RunRow['status']; counts: Record<string, number>; tenantsTotal: number; tenantsFailed: string[] },
): Promise<void> {
  await sql`
    update scheduler_runs set
      finished_at = now(), status = ${result.status}, counts = ${sql.json(result.counts)}::jsonb,
      tenants_total = ${result.tenantsTotal}, tenants_failed = ${result.tenantsFailed}::text[]
    where id = ${id}`
}

export async function selectLastRuns(sql: Sql, limit: number): Promise<RunRow[]> {
  return sql<RunRow[]>`select * from scheduler_runs order by started_at desc limit ${limit}`
}
