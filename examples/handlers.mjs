// @ts-check
// The example application's handlers, loaded by the scheduler with
//   unified-scheduler run --handlers examples/handlers.mjs
// Each is a function of the attempt's context (src/handlers/types.ts); what it returns is stored
// as the attempt's result, what it throws fails the attempt. See examples/README.md.
import { akeneoImport } from './handlers/akeneo-import.mjs'
import { dailyDeduction } from './handlers/daily-credits.mjs'
import { refreshTokens } from './handlers/oauth-tokens.mjs'
import { processDue } from './handlers/subscriptions.mjs'

/** @type {Readonly<Record<string, (ctx: import('./handlers/support.mjs').HandlerContext) => Promise<unknown>>>} */
export default Object.freeze({
  'oauth.refreshTokens': refreshTokens,
  'credits.dailyDeduction': dailyDeduction,
  'subscriptions.processDue': processDue,
  'akeneo.import': akeneoImport,
  // The name `legacy migrate` gives the jobs it makes of akeneo_schedules rows.
  akeneoImport,
})
