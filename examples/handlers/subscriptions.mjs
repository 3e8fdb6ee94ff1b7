// @ts-check
import { JobConfiguration, fetchJson, mapWithConcurrency, messageOf } from './support.mjs'

/** @typedef {import('./support.mjs').HandlerContext} HandlerContext */

const beforeEveryId = '00000000-0000-0000-0000-000000000000'

/**
 * Hands every active subscription whose `next_billing_at` has come by the slot to the
 * subscription worker: a POST to `workerUrl` per subscription, `concurrency` at a time. A
 * success marks it `processed` and moves `next_billing_at` on by its billing interval; a failure
 * marks it `failed` and leaves it due, and the attempt fails so the scheduler retries it.
 *
 * configuration: { workerUrl, concurrency = 5, batchSize = 100, timeoutMs = 30000 }
 * @param {HandlerContext} ctx
 */
export async function processDue(ctx) {
  const settings = readSettings(ctx)
  const counts = { due: 0, processed: 0, failed: 0, stoppedEarly: false }
  const errors = []
  let afterId = beforeEveryId
  while (!ctx.signal.aborted) {
    // Paged by id so that each subscription is handed over at most once per attempt.
    const batch = await ctx.transaction((sql) => sql`
      select id, user_id, plan, next_billing_at from subscriptions
      where is_active and next_billing_at <= ${ctx.scheduledFor} and id > ${afterId}
      order by id
      limit ${settings.batchSize}`)
    if (batch.length === 0) break
    afterId = batch[batch.length - 1]?.id
    counts.due += batch.length
    const outcomes = await mapWithConcurrency(batch, settings.concurrency, ctx.signal, (subscription) => handOver(ctx, settings, subscription))
    for (const outcome of outcomes) {
      if (outcome === 'processed') counts.processed++
      else if (outcome !== 'stopped') errors.push(outcome)
    }
  }
  counts.failed = errors.length
  counts.stoppedEarly = ctx.signal.aborted
  if (errors.length > 0) {
    throw new Error(`${errors.length} of ${counts.due} subscriptions failed, ${counts.processed} processed; first: ${errors[0]}`)
  }
  return counts
}

/**
 * @param {HandlerContext} ctx
 * @param {ReturnType<typeof readSettings>} settings
 * @param {Record<string, any>} subscription
 * @returns {Promise<'processed' | 'stopped' | string>} 'processed', 'stopped', or what went wrong
 */
async function handOver(ctx, settings, subscription) {
  /** @type {Date} */
  const period = subscription.next_billing_at
  // The key names what is billed (subscription and period), not the slot: a manual trigger or
  // the next day's run that sends the same period again is recognised by the worker.
  const idempotencyKey = `${ctx.tenant.slug}:subscription:${subscription.id}:${period.toISOString()}`
  try {
    await fetchJson(settings.workerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify({
        subscriptionId: subscription.id,
        userId: subscription.user_id,
        plan: subscription.plan,
        billingPeriodStart: period.toISOString(),
        tenant: ctx.tenant.slug,
      }),
      timeoutMs: settings.timeoutMs,
      signal: ctx.signal,
    })
  } catch (error) {
    // Cut off by the attempt's end: nothing is known, the subscription stays as it was.
    if (ctx.signal.aborted) return 'stopped'
    const message = `subscription ${subscription.id}: ${messageOf(error)}`
    ctx.logger.warn({ subscription: subscription.id }, message)
    await ctx.transaction((sql) => sql`
      update subscriptions set status = 'failed', last_error = ${message}, updated_at = now()
      where id = ${subscription.id} and next_billing_at = ${period}`)
    return message
  }
  // The period in the condition keeps a second, racing update from moving it on twice.
  await ctx.transaction((sql) => sql`
    update subscriptions
    set status = 'processed', last_error = null, last_processed_at = now(),
        next_billing_at = next_billing_at + billing_interval, updated_at = now()
    where id = ${subscription.id} and next_billing_at = ${period}`)
  return 'processed'
}

/** @param {HandlerContext} ctx */
function readSettings(ctx) {
  const configuration = new JobConfiguration(ctx.job)
  return {
    workerUrl: configuration.url('workerUrl'),
    concurrency: configuration.positiveInteger('concurrency', 5),
    batchSize: configuration.positiveInteger('batchSize', 100),
    timeoutMs: configuration.positiveInteger('timeoutMs', 30_000),
  }
}
