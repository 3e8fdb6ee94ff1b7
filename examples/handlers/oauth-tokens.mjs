// @ts-check
import { JobConfiguration, fetchJson, messageOf } from './support.mjs'

/** @typedef {import('./support.mjs').HandlerContext} HandlerContext */

const beforeEveryId = '00000000-0000-0000-0000-000000000000'

/**
 * Refreshes the OAuth tokens that expire within `bufferMinutes` of the slot (already expired
 * ones included), `batchSize` at a time, each with a refresh-token grant (RFC 6749, section 6)
 * POSTed to `tokenUrl`; the new token and expiry are written back.
 *
 * configuration: { tokenUrl, bufferMinutes = 60, batchSize = 10, timeoutMs = 10000,
 *                  clientId?, clientSecretEnv? (the environment variable holding the secret) }
 *
 * A token whose refresh fails keeps its row with `last_error` set; the attempt then fails so the
 * scheduler retries it (only the failed tokens are still due). Once the attempt's signal fires
 * no new batch starts.
 * @param {HandlerContext} ctx
 */
export async function refreshTokens(ctx) {
  const settings = readSettings(ctx)
  // Due relative to the slot, not the wall clock: a late or replayed run picks what its slot would have.
  const horizon = new Date(ctx.scheduledFor.getTime() + settings.bufferMinutes * 60_000)
  const counts = { due: 0, refreshed: 0, failed: 0, stoppedEarly: false }
  const errors = []
  let afterId = beforeEveryId
  while (!ctx.signal.aborted) {
    // Paged by id, which a refresh never changes, so each token is tried at most once per attempt.
    const batch = await ctx.transaction((sql) => sql`
      select id, provider, refresh_token from oauth_tokens
      where expires_at <= ${horizon} and id > ${afterId}
      order by id
      limit ${settings.batchSize}`)
    if (batch.length === 0) break
    afterId = batch[batch.length - 1]?.id
    counts.due += batch.length
    const outcomes = await Promise.all(batch.map((token) => refreshToken(ctx, settings, token)))
    for (const error of outcomes) {
      if (error === null) counts.refreshed++
      else errors.push(error)
    }
  }
  counts.failed = errors.length
  counts.stoppedEarly = ctx.signal.aborted
  if (errors.length > 0) {
    throw new Error(`${errors.length} of ${counts.due} token refreshes failed, ${counts.refreshed} refreshed; first: ${errors[0]}`)
  }
  return counts
}

/**
 * One refresh grant. The request is deliberately not cut off by the attempt's signal: the
 * provider may rotate the refresh token, and dropping its answer would lose the new one.
 * @param {HandlerContext} ctx
 * @param {ReturnType<typeof readSettings>} settings
 * @param {Record<string, any>} token
 * @returns {Promise<string | null>} null when refreshed, else what went wrong
 */
async function refreshToken(ctx, settings, token) {
  try {
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token.refresh_token })
    if (settings.clientId) body.set('client_id', settings.clientId)
    if (settings.clientSecret) body.set('client_secret', settings.clientSecret)
    const answer = await fetchJson(settings.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      timeoutMs: settings.timeoutMs,
    })
    const granted = readGrant(answer)
    // A token lives from when it was issued, which is now, not the slot.
    const expiresAt = new Date(Date.now() + granted.expiresInSeconds * 1000)
    await ctx.transaction((sql) => sql`
      update oauth_tokens
      set access_token = ${granted.accessToken},
          refresh_token = coalesce(${granted.refreshToken}, refresh_token),
          expires_at = ${expiresAt}, refreshed_at = now(), last_error = null, updated_at = now()
      where id = ${token.id}`)
    return null
  } catch (error) {
    const message = `token ${token.id} (${token.provider}): ${messageOf(error)}`
    ctx.logger.warn({ token: token.id, provider: token.provider }, message)
    await ctx.transaction((sql) => sql`
      update oauth_tokens set last_error = ${message}, updated_at = now() where id = ${token.id}`)
    return message
  }
}

/** @param {any} answer */
function readGrant(answer) {
  const { access_token: accessToken, expires_in: expiresInSeconds, refresh_token: refreshToken } = answer ?? {}
  if (typeof accessToken !== 'string' || accessToken === '' || !(typeof expiresInSeconds === 'number' && expiresInSeconds > 0)) {
    throw new Error('the token endpoint answered without access_token and a positive expires_in')
  }
  return { accessToken, expiresInSeconds, refreshToken: typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : null }
}

/** @param {HandlerContext} ctx */
function readSettings(ctx) {
  const configuration = new JobConfiguration(ctx.job)
  return {
    tokenUrl: configuration.url('tokenUrl'),
    bufferMinutes: configuration.amount('bufferMinutes', 60),
    batchSize: configuration.positiveInteger('batchSize', 10),
    timeoutMs: configuration.positiveInteger('timeoutMs', 10_000),
    clientId: configuration.optionalText('clientId'),
    clientSecret: configuration.secretFromEnvironment('clientSecretEnv'),
  }
}
