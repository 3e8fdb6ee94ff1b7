import type { Command } from 'commander'
import { formatInZone } from '../../cron/index.js'
import { loadHandlers } from '../../handlers/load.js'
import {
  applyJobs, countActions, fieldOfColumn, readJobsFile, type ApplyResult, type ManagedColumn, type PlannedChange, type TenantApplyResult,
} from '../../jobs/apply.js'
import { withScheduler } from '../context.js'
import { printJson, printLine, printTable, setExitCode } from '../output.js'

interface ApplyFlags {
  tenant?: string
  allTenants?: boolean
  dryRun?: boolean
  prune?: boolean
  adopt?: boolean
  json?: boolean
}

export function registerJobsApply(jobs: Command): void {
  jobs
    .command('apply <file>')
    .description('make the jobs of a JSON file true in a tenant (schedules as code); prints the plan, then applies it')
    .option('--tenant <slug>', 'the tenant (may be left out when there is only one)')
    .option('--all-tenants', 'apply to every active tenant, each in its own transaction')
    .option('--dry-run', 'print the plan and write nothing')
    .option('--prune', "remove the jobs of the file's source that it no longer lists")
    .option('--adopt', 'take over jobs of the same name that were created another way (by hand, by `legacy migrate`, by another file)')
    .option('--json', 'print the plan as JSON')
    .addHelpText('after', `
The file is JSON: {"source": "billing", "jobs": [{"name": "nightly", "cron": "30 2 * * *", "tz": "Europe/Berlin",
"handler": "sql", "configuration": {"sql": "select 1"}, "timeout": "90s"}]}, or just the array of jobs (the source
is then the file's base name). Job fields: name, cron or at, tz, handler, configuration, description, catchup,
grace, overlap, timeout, retries, retryDelay, paused, isSystem, jobType, metadata, storeId, owner; a field left
out takes its default. A new schedule (cron, at, tz) counts from now; other edits keep next_run_at.
A job of the same name created another way is refused unless --adopt; --prune never removes a system job.`)
    .action(async (path: string, flags: ApplyFlags, command: Command) => {
      // The whole file is checked before the database is even opened.
      const file = readJobsFile(path)
      await withScheduler(command, async (scheduler, { now, config }) => {
        const handlers = config.handlersModule ? await loadHandlers(config.handlersModule) : undefined
        const result = await applyJobs(scheduler, file, {
          tenant: flags.tenant, allTenants: flags.allTenants, dryRun: flags.dryRun, prune: flags.prune, adopt: flags.adopt, now, handlers,
        })
        for (const tenant of result.tenants) {
          if (tenant.error === undefined) continue
          process.stderr.write(`error: tenant "${tenant.tenant.slug}": ${tenant.error} (nothing written there)\n`)
          setExitCode(1)
        }
        if (flags.json) return printJson(resultJson(result))
        printPlan(result)
      })
    })
}

function printPlan(result: ApplyResult): void {
  const rows = result.tenants.flatMap((tenant) => tenant.changes.map((change) => [tenant.tenant.slug, change.action, change.name, detail(change)]))
  if (rows.length > 0) printTable(['TENANT', 'ACTION', 'JOB', 'DETAIL'], rows)
  for (const tenant of result.tenants) {
    if (tenant.error !== undefined) {
      printLine(`tenant "${tenant.tenant.slug}": failed, nothing written: ${tenant.error}`)
      continue
    }
    printLine(`tenant "${tenant.tenant.slug}" (source "${result.source}"): ${summary(tenant, result.dryRun)}`)
  }
}

function summary(tenant: TenantApplyResult, dryRun: boolean): string {
  const counts = countActions(tenant.changes)
  const kept = counts.keep > 0 ? `, ${counts.keep} kept` : ''
  if (dryRun) return `would create ${counts.create}, update ${counts.update}, remove ${counts.remove}; ${counts.unchanged} unchanged${kept} (dry run: nothing written)`
  return `created ${counts.create}, updated ${counts.update}, removed ${counts.remove}; ${counts.unchanged} unchanged${kept}`
}

function detail(change: PlannedChange): string {
  const row = change.values ?? change.existing
  const schedule = (job: Partial<Pick<NonNullable<typeof row>, 'cron_expression' | 'run_at' | 'timezone'>>) =>
    `${job.cron_expression ?? `once at ${job.run_at!.toISOString()}`} (${job.timezone})`
  const next = change.nextRunAt === undefined ? ''
    : `next ${change.nextRunAt ? formatInZone(change.nextRunAt, change.values?.timezone ?? change.existing!.timezone) : '-'}`
  switch (change.action) {
    case 'create': return `${schedule(change.values!)}, ${next}`
    case 'update': return [Object.keys(change.diff ?? {}).map((column) => fieldOfColumn[column as ManagedColumn]).join(', '), next].filter(Boolean).join('; ')
    case 'remove': return schedule(change.existing!)
    case 'keep': return change.reason ?? ''
    default: return ''
  }
}

/** The plan for scripts: per tenant, per job, the action and for an update each changed field's old and new value. */
function resultJson(result: ApplyResult): unknown {
  return JSON.parse(JSON.stringify({
    file: result.file,
    source: result.source,
    dryRun: result.dryRun,
    tenants: result.tenants.map((tenant) => ({
      tenant: tenant.tenant.slug,
      applied: tenant.applied,
      error: tenant.error ?? null,
      counts: countActions(tenant.changes),
      jobs: tenant.changes.map((change) => ({
        action: change.action,
        name: change.name,
        ...(change.diff ? { changes: Object.fromEntries(Object.entries(change.diff).map(([column, value]) => [fieldOfColumn[column as ManagedColumn], value])) } : {}),
        ...(change.nextRunAt !== undefined ? { nextRunAt: change.nextRunAt } : {}),
        ...(change.reason ? { reason: change.reason } : {}),
      })),
    })),
  }))
}
