// @ts-check
import { JobConfiguration, fetchJson, messageOf } from './support.mjs'

/** @typedef {import('./support.mjs').HandlerContext} HandlerContext */
/** @typedef {import('./support.mjs').HandlerContext['sql']} Sql */

const importTypes = ['products', 'product_models', 'categories', 'attributes', 'families']
const maxPages = 1000
const rowsPerInsert = 500

/**
 * Imports one kind of data from an Akeneo PIM into a store, in the shape of the legacy
 * `akeneo_schedules` rows: records an import run, reads every page of
 * `<sourceUrl>/<import_type>` (Akeneo's REST pagination: `_embedded.items`, `_links.next`), then
 * in one transaction writes the items and charges the store `credit_cost`. A store that cannot
 * pay fails the attempt (before anything is fetched, and again under the row lock), and the run
 * row says why. A retry of a slot that was already paid is not charged again.
 *
 * configuration: { sourceUrl (else $AKENEO_API_URL), import_type, store_id, credit_cost,
 *                  filters = {} (Akeneo's `search`), options = {} (pageSize = 100), timeoutMs = 30000 }
 * @param {HandlerContext} ctx
 */
export async function akeneoImport(ctx) {
  const settings = readSettings(ctx)
  const runId = await recordRunStart(ctx, settings)
  try {
    // Fail before fetching anything when the store cannot pay; checked again when charging.
    await ctx.transaction((sql) => lockPayingStore(sql, settings))
    const { items, pages } = await fetchAllPages(ctx, settings)
    const charged = await ctx.transaction(async (sql) => {
      const charged = await chargeStore(sql, settings, ctx.idempotencyKey)
      await writeItems(sql, settings, runId, items)
      await sql`
        update import_runs set status = 'succeeded', items_imported = ${items.length}, finished_at = now()
        where id = ${runId}`
      return charged
    })
    return { runId, importType: settings.importType, storeId: settings.storeId, pages, imported: items.length, charged: charged ? settings.creditCost : 0 }
  } catch (error) {
    await ctx.transaction((sql) => sql`
      update import_runs set status = 'failed', error = ${messageOf(error)}, finished_at = now() where id = ${runId}`)
    throw error
  }
}

/**
 * @param {HandlerContext} ctx
 * @param {ReturnType<typeof readSettings>} settings
 */
async function recordRunStart(ctx, settings) {
  const [run] = await ctx.transaction((sql) => sql`
    insert into import_runs (store_id, import_type, filters, options, credit_cost, scheduled_for, attempt)
    select id, ${settings.importType}, ${sql.json(/** @type {any} */ (settings.filters))}, ${sql.json(/** @type {any} */ (settings.options))},
           ${settings.creditCost}, ${ctx.scheduledFor}, ${ctx.attempt}
    from stores where id = ${settings.storeId}
    returning id`)
  if (!run) throw new Error(`store ${settings.storeId} does not exist`)
  return /** @type {string} */ (run.id)
}

/**
 * Locks the store's row for the rest of the transaction, or throws when it cannot pay.
 * @param {Sql} sql
 * @param {ReturnType<typeof readSettings>} settings
 */
async function lockPayingStore(sql, settings) {
  const [store] = await sql`
    select credits, credits >= ${settings.creditCost} as can_pay from stores
    where id = ${settings.storeId} and is_active
    for update`
  if (!store) throw new Error(`store ${settings.storeId} is not active`)
  if (!store.can_pay) {
    throw new Error(`insufficient credits: store ${settings.storeId} has ${store.credits}, a ${settings.importType} import costs ${settings.creditCost}`)
  }
}

/**
 * Charges the import once per slot: the ledger row keyed by the idempotency key says whether it
 * was already paid. Returns false when it was.
 * @param {Sql} sql
 * @param {ReturnType<typeof readSettings>} settings
 * @param {string} idempotencyKey
 */
async function chargeStore(sql, settings, idempotencyKey) {
  await lockPayingStore(sql, settings)
  const entry = await sql`
    insert into credit_ledger (store_id, amount, reason, reference)
    values (${settings.storeId}, ${-settings.creditCost}, 'akeneo_import', ${idempotencyKey})
    on conflict (store_id, reason, reference) do nothing
    returning id`
  if (entry.length === 0) return false
  await sql`update stores set credits = credits - ${settings.creditCost}, updated_at = now() where id = ${settings.storeId}`
  return true
}

/**
 * Follows Akeneo's pagination from the first page, staying on the PIM's own origin.
 * @param {HandlerContext} ctx
 * @param {ReturnType<typeof readSettings>} settings
 */
async function fetchAllPages(ctx, settings) {
  const first = new URL(`${settings.sourceUrl.replace(/\/+$/, '')}/${settings.importType}`)
  first.searchParams.set('limit', String(settings.pageSize))
  if (Object.keys(settings.filters).length > 0) first.searchParams.set('search', JSON.stringify(settings.filters))
  /** @type {Record<string, any>[]} */
  const items = []
  /** @type {URL | undefined} */
  let next = first
  let pages = 0
  while (next) {
    if (++pages > maxPages) throw new Error(`the PIM gave more than ${maxPages} pages of ${settings.importType}`)
    const page = await fetchJson(next, { headers: { accept: 'application/json' }, timeoutMs: settings.timeoutMs, signal: ctx.signal })
    const pageItems = page?._embedded?.items
    if (!Array.isArray(pageItems)) throw new Error(`page ${pages} of ${settings.importType} has no _embedded.items`)
    items.push(...pageItems)
    const href = page?._links?.next?.href
    next = typeof href === 'string' ? new URL(href, next) : undefined
    if (next && next.origin !== first.origin) throw new Error(`the PIM's next page ${next.origin} is not on ${first.origin}`)
  }
  return { items, pages }
}

/**
 * Upserts the items by code (a product's identifier, or the code of anything else). The last
 * copy of a code wins, as a single statement may touch a row only once.
 * @param {Sql} sql
 * @param {ReturnType<typeof readSettings>} settings
 * @param {string} runId
 * @param {Record<string, any>[]} items
 */
async function writeItems(sql, settings, runId, items) {
  const byCode = new Map()
  for (const item of items) {
    const code = item.identifier ?? item.code
    if (typeof code !== 'string' || code === '') throw new Error(`a ${settings.importType} item has no identifier or code`)
    byCode.set(code, { store_id: settings.storeId, import_type: settings.importType, code, data: sql.json(item), import_run_id: runId })
  }
  const rows = [...byCode.values()]
  for (let start = 0; start < rows.length; start += rowsPerInsert) {
    await sql`
      insert into pim_items ${sql(rows.slice(start, start + rowsPerInsert))}
      on conflict (store_id, import_type, code)
      do update set data = excluded.data, import_run_id = excluded.import_run_id, imported_at = now()`
  }
}

/** @param {HandlerContext} ctx */
function readSettings(ctx) {
  const configuration = new JobConfiguration(ctx.job)
  const storeId = configuration.requiredText('store_id')
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(storeId)) configuration.fail('store_id', 'the id (a UUID) of a store')
  const options = configuration.object('options')
  const pageSize = options.pageSize ?? 100
  if (!(typeof pageSize === 'number' && Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 100)) {
    configuration.fail('options', 'an object whose pageSize is a whole number from 1 to 100')
  }
  return {
    // Rows moved from akeneo_schedules carry no URL: they take the environment's.
    sourceUrl: configuration.url('sourceUrl', process.env.AKENEO_API_URL),
    importType: configuration.oneOf('import_type', importTypes),
    storeId,
    creditCost: configuration.amount('credit_cost'),
    filters: configuration.object('filters'),
    options,
    pageSize,
    timeoutMs: configuration.positiveInteger('timeoutMs', 30_000),
  }
}
