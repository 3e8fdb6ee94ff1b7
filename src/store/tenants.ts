import type { Sql } from '../db/connect.js'

export interface TenantRow {
  id: string
  slug: string
  name: string
  database_url: string | null
  database_url_env: string | null
  schema_name: string | null
  is_active: boolean
  created_at: Date
  updated_at: Date
}

export interface NewTenant {
  slug: string
  name: string
  database_url: string | null
  database_url_env: string | null
  schema_name: string | null
}

export async function selectTenants(sql: Sql, filter: { activeOnly?: boolean; slugs?: string[] } = {}): Promise<TenantRow[]> {
  return sql<TenantRow[]>`
    select * from tenants
    where (${!filter.activeOnly} or is_active)
      and (${filter.slugs === undefined} or slug = any(${filter.slugs ?? []}::text[]))
    order by slug`
}

export async function selectTenantBySlug(sql: Sql, slug: string): Promise<TenantRow | undefined> {
  const [row] = await sql<TenantRow[]>`select * from tenants where slug = ${slug}`
  return row
}

/** Inserts a tenant; undefined when the slug is taken. */
export async function insertTenant(sql: Sql, tenant: NewTenant): Promise<TenantRow | undefined> {
  const [row] = await sql<TenantRow[]>`
    insert into tenants ${sql(tenant as never, ['slug', 'name', 'database_url', 'database_url_env', 'schema_name'] as never)}
    on conflict (slug) do nothing
    returning *`
  return row
}

export async function deleteTenant(sql: Sql, slug: string): Promise<boolean> {
  const rows = await sql`delete from tenants where slug = ${slug} returning id`
  return rows.length > 0
}
