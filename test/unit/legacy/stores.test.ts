import { describe, expect, it } from 'vitest'
import { storeMapping } from '../../../src/legacy/stores.js'

const tenants = [
  { id: '0f0f0f0f-0000-4000-8000-000000000001', slug: 'acme' },
  { id: '0f0f0f0f-0000-4000-8000-000000000002', slug: 'globex' },
]
const store = (n: number) => `a0000000-0000-4000-8000-00000000000${n}`
const storeRows = [
  { id: store(1), tenant_id: 'acme' },
  { id: store(2), tenant_id: '0f0f0f0f-0000-4000-8000-000000000002' },
  { id: store(3), tenant_id: 'initrode' },
  { id: store(4), tenant_id: null },
]

describe('storeMapping', () => {
  const mapping = storeMapping(tenants, { [store(5)]: 'globex', [store(3).toUpperCase()]: 'acme' }, storeRows)

  it.each([
    { store: store(1), expected: { tenant: 'acme' }, why: 'stores.tenant_id is a slug' },
    { store: store(2), expected: { tenant: 'globex' }, why: "stores.tenant_id is the tenant's id" },
    { store: store(3), expected: { tenant: 'acme' }, why: 'the file wins over the table (store ids in any case)' },
    { store: store(5), expected: { tenant: 'globex' }, why: 'only the file knows the store' },
    { store: store(4), expected: { reason: `store ${store(4)} belongs to tenant_id null, which is no tenant of the scheduler` }, why: 'no tenant_id' },
    { store: store(6), expected: { reason: `store ${store(6)} is in neither the stores table nor a --store-map file` }, why: 'unknown store' },
    { store: null, expected: { reason: 'store_id is missing, so the schedule belongs to no tenant' }, why: 'no store' },
  ])('$why', ({ store: storeId, expected }) => {
    expect(mapping.tenantOf(storeId)).toEqual(expected)
  })

  it('says where the mapping came from, and that there is no stores table', () => {
    expect(mapping.sources).toEqual(['--store-map file', 'stores table'])
    const fileOnly = storeMapping(tenants, {}, undefined)
    expect(fileOnly.sources).toEqual(['--store-map file'])
    expect(fileOnly.tenantOf(store(1))).toEqual({ reason: `store ${store(1)} is in neither a stores table (there is none) nor a --store-map file` })
    expect(storeMapping(tenants, undefined, storeRows).tenantOf(store(3))).toEqual({ reason: `store ${store(3)} belongs to tenant_id "initrode", which is no tenant of the scheduler` })
  })

  it('refuses a file naming an unknown tenant', () => {
    expect(() => storeMapping(tenants, { [store(1)]: 'nobody' }, storeRows)).toThrow(/--store-map maps store "a0000000-0000-4000-8000-000000000001" to unknown tenant "nobody"; known tenants: acme, globex/)
  })
})
