import { readFileSync } from 'node:fs'
import { UsageError } from '../errors.js'
import { findTable, hasColumns, selectStores, type LegacyDb, type StoreRow } from '../store/legacy.js'
import type { TenantRow } from '../store/tenants.js'

/**
 * Which tenant an Akeneo schedule of the master database belongs to: the tenant of its store.
 *
 * Two sources, the file winning for the stores it lists:
 * - a `--store-map` file the operator passes: a JSON object `{ "<store id>": "<tenant slug>" }`;
 * - the master's `stores(id, tenant_id)` table, where `tenant_id` is a tenant's id in the
 *   scheduler's `tenants` table or its slug (the legacy app kept either).
 * A store found in neither, or mapped to no known tenant, leaves its schedules unmigrated and
 * reported, never dropped.
 */
export interface StoreMapping {
  /** The tenant slug of a store, or why there is none. */
  tenantOf(storeId: string | null): { tenant: string } | { reason: string }
  /** Where the mapping came from, for the report. */
  readonly sources: string[]
}

/** Reads and checks a `--store-map` file: exit 2 naming the problem when it is not a JSON object of strings. */
export function readStoreMapFile(file: string): Record<string, string> {
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(`cannot read --store-map "${file}": ${(error as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`invalid --store-map "${file}": it must be a JSON object like {"<store id>": "<tenant slug>"}`)
  }
  for (const [store, tenant] of Object.entries(value)) {
    if (typeof tenant !== 'string' || tenant.trim() === '') {
      throw new UsageError(`invalid --store-map "${file}": store "${store}" must map to a tenant slug (a string), not ${JSON.stringify(tenant)}`)
    }
  }
  return value as Record<string, string>
}

export async function readStoreMapping(master: LegacyDb, tenants: readonly TenantRow[], fileMap: Readonly<Record<string, string>> | undefined): Promise<StoreMapping> {
  const storesTable = await findTable(master, 'stores')
  const mapsTenants = storesTable !== undefined && (await hasColumns(master, storesTable, ['id', 'tenant_id']))
  return storeMapping(tenants, fileMap, mapsTenants ? await selectStores(master, storesTable) : undefined)
}

/** The mapping from the tenants, the file (if any) and the rows of the stores table (undefined: there is none). */
export function storeMapping(
  tenants: readonly Pick<TenantRow, 'id' | 'slug'>[],
  fileMap: Readonly<Record<string, string>> | undefined,
  storeRows: readonly StoreRow[] | undefined,
): StoreMapping {
  const tenantByKey = new Map<string, string>()
  for (const tenant of tenants) {
    tenantByKey.set(tenant.id, tenant.slug)
    tenantByKey.set(tenant.slug, tenant.slug)
  }
  const fromFile = new Map<string, string>()
  for (const [store, tenant] of Object.entries(fileMap ?? {})) {
    const slug = tenantByKey.get(tenant.trim())
    if (slug === undefined) {
      throw new UsageError(`--store-map maps store "${store}" to unknown tenant "${tenant}"; known tenants: ${tenants.map((row) => row.slug).join(', ') || '(none)'}`)
    }
    fromFile.set(store.trim().toLowerCase(), slug)
  }
  const fromTable = new Map<string, string | null>((storeRows ?? []).map((store) => [store.id.toLowerCase(), store.tenant_id]))
  const sources = [...(fileMap ? ['--store-map file'] : []), ...(storeRows ? ['stores table'] : [])]
  return {
    sources,
    tenantOf(storeId) {
      if (storeId === null) return { reason: 'store_id is missing, so the schedule belongs to no tenant' }
      const key = storeId.toLowerCase()
      const mapped = fromFile.get(key)
      if (mapped !== undefined) return { tenant: mapped }
      if (!fromTable.has(key)) {
        return { reason: `store ${storeId} is in neither ${storeRows ? 'the stores table' : 'a stores table (there is none)'} nor a --store-map file` }
      }
      const tenantId = fromTable.get(key) ?? null
      const slug = tenantId === null ? undefined : tenantByKey.get(tenantId)
      if (slug === undefined) return { reason: `store ${storeId} belongs to tenant_id ${tenantId === null ? 'null' : `"${tenantId}"`}, which is no tenant of the scheduler` }
      return { tenant: slug }
    },
  }
}
