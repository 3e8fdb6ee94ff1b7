// @ts-check
import { calendarDay } from './support.mjs'

/** @typedef {import('./support.mjs').HandlerContext} HandlerContext */

/**
 * Deducts each active store's `daily_cost` from its credits, once per calendar day of the slot
 * (in the job's timezone), in one transaction. The ledger row (store, 'daily', day) is the proof
 * of payment: a retry, a second runner or a manual trigger on the same day charges nothing more.
 * A store without enough credits is not charged and is counted in `insufficient`; what to do
 * about it (a reminder, a suspension) is the product's decision.
 *
 * configuration: none.
 * @param {HandlerContext} ctx
 */
export async function dailyDeduction(ctx) {
  const day = calendarDay(ctx.scheduledFor, ctx.job.timezone)
  return ctx.transaction(async (sql) => {
    // The row lock makes a concurrent charge (an import) wait, and its recheck of credits counts.
    const charged = await sql`
      with payable as (
        select id, daily_cost from stores
        where is_active and daily_cost > 0 and credits >= daily_cost
          and not exists (
            select from credit_ledger
            where store_id = stores.id and reason = 'daily' and reference = ${day})
        order by id
        for update
      ), entries as (
        insert into credit_ledger (store_id, amount, reason, reference)
        select id, -daily_cost, 'daily', ${day} from payable
        on conflict (store_id, reason, reference) do nothing
        returning store_id, amount
      )
      update stores set credits = credits + entries.amount, updated_at = now()
      from entries
      where stores.id = entries.store_id
      returning stores.id, -entries.amount as amount`
    const [dayTotals] = await sql`
      select count(ledger.id)::int as paid,
             count(*) filter (where ledger.id is null)::int as unpaid,
             coalesce(array_agg(stores.id) filter (where ledger.id is null), '{}') as unpaid_ids
      from stores
      left join credit_ledger ledger
        on ledger.store_id = stores.id and ledger.reason = 'daily' and ledger.reference = ${day}
      where stores.is_active and stores.daily_cost > 0`
    if (dayTotals?.unpaid > 0) ctx.logger.warn({ day, stores: dayTotals.unpaid_ids }, 'stores without enough credits for their daily cost')
    const deducted = charged.reduce((sum, row) => sum + Number(row.amount), 0)
    return {
      day,
      charged: charged.length,
      alreadyCharged: (dayTotals?.paid ?? 0) - charged.length,
      insufficient: dayTotals?.unpaid ?? 0,
      deducted: Math.round(deducted * 100) / 100,
    }
  })
}
