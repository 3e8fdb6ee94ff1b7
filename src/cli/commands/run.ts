import type { Command } from 'commander'
import { parseDuration } from '../../duration.js'
import { UsageError } from '../../errors.js'
import { loadHandlers } from '../../handlers/load.js'
import { runFailed, runOnce, type RunSummary } from '../../tick/run.js'
import { parseWholeNumber, withScheduler } from '../context.js'
import { printJson, printLine, printTable, setExitCode } from '../output.js'

interface RunFlags {
  tenant: string[]
  shard?: string
  window?: string
  concurrency: string
  tenantConcurrency: string
  grace: string
  dryRun?: boolean
  json?: boolean
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('the tick: run what is due in every tenant, record it, exit')
    .option('--tenant <slug>', 'only this tenant (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--shard <i/n>', 'serve share i of n of the tenants (a stable split by slug)')
    .option('--window <duration>', 'stay this long, starting each slot inside it on time (e.g. 55m)')
    .option('--concurrency <n>', 'handlers at once over all tenants', '10')
    .option('--tenant-concurrency <n>', 'handlers at once per tenant', '5')
    .option('--grace <duration>', 'after SIGTERM/SIGINT, how long running handlers may finish', '30s')
    .option('--dry-run', 'print what would run and change nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: RunFlags, command: Command) => {
      const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
      const windowMs = flags.window === undefined ? undefined : parseDuration(flags.window, '--window')
      const concurrency = parseWholeNumber(flags.concurrency, '--concurrency', 1, 10_000)
      const tenantConcurrency = parseWholeNumber(flags.tenantConcurrency, '--tenant-concurrency', 1, 10_000)
      const graceMs = parseDuration(flags.grace, '--grace')
      const stop = new AbortController()
      // The tick logs the stop (claiming nothing more, the grace) through the logger.
      const onSignal = () => stop.abort()
      process.on('SIGTERM', onSignal)
      process.on('SIGINT', onSignal)
      try {
        const summary = await withScheduler(command, async (scheduler, { config, now, nowGiven }) => runOnce(scheduler, {
          handlers: await loadHandlers(config.handlersModule),
          tenants: flags.tenant,
          shard,
          now: nowGiven ? now : undefined,
          windowMs,
          concurrency,
          tenantConcurrency,
          graceMs,
          dryRun: flags.dryRun,
          signal: stop.signal,
          arguments: { tenants: flags.tenant, shard: flags.shard, window: flags.window, now: nowGiven ? now.toISOString() : undefined, dryRun: Boolean(flags.dryRun) },
        }))
        if (flags.json) printJson(summaryJson(summary))
        else printSummary(summary)
        if (runFailed(summary)) setExitCode(1)
      } finally {
        process.off('SIGTERM', onSignal)
        process.off('SIGINT', onSignal)
      }
    })
}

function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`invalid --shard "${text}": use i/n with 1 <= i <= n, like 1/3`)
  }
  return { index, count }
}

function summaryJson(summary: RunSummary) {
  const { dryRun, planned, ...rest } = summary
  return dryRun ? { ...rest, dryRun, planned } : rest
}

function printSummary(summary: RunSummary): void {
  if (summary.dryRun) {
    printLine(summary.planned?.length ? 'would run:' : 'nothing is due')
    if (summary.planned?.length) {
      printTable(['TENANT', 'JOB', 'SLOT', 'ATTEMPT', 'TRIGGER'], summary.planned.map((item) => [item.tenant, item.job, item.scheduledFor, String(item.attempt), item.trigger]))
    }
  }
  const columns = ['succeeded', 'failed', 'timedOut', 'skipped', 'missed', 'cancelled', 'abandoned'] as const
  printTable(
    ['TENANT', 'OK', ...columns.map((column) => column.toUpperCase()), 'TIME'],
    [
      ...summary.tenants.map((tenant) => [tenant.slug, tenant.ok ? 'yes' : `no: ${tenant.error}`, ...columns.map((column) => String(tenant[column])), `${tenant.durationMs} ms`]),
      ['total', '', ...columns.map((column) => String(summary.totals[column])), ''],
    ],
  )
  printLine(`run ${summary.runId ?? '(dry run)'} from ${summary.startedAt} to ${summary.finishedAt}`)
}
