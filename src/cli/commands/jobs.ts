import type { Command } from 'commander'
import { formatInZone } from '../../cron/index.js'
import { parseDuration } from '../../duration.js'
import { loadHandlers } from '../../handlers/load.js'
import {
  addJob, disableJob, enableJob, getJob, jobHistory, jobNextRuns, listJobs, pauseJob, removeJob, resumeJob, updateJob,
  type ExecutionRow, type JobInput, type JobRow, type TenantJob,
} from '../../jobs/index.js'
import { triggerJob } from '../../tick/trigger.js'
import type { CatchupPolicy, OverlapPolicy } from '../../store/jobs.js'
import { parseJsonObject, parseWholeNumber, withScheduler } from '../context.js'
import { registerJobsApply } from './jobs-apply.js'
import { camelize, printJson, printLine, printTable, setExitCode } from '../output.js'

interface JobFlags {
  tenant?: string
  name?: string
  cron?: string
  at?: string
  tz?: string
  handler?: string
  config?: string
  description?: string
  catchup?: string
  grace?: string
  overlap?: string
  timeout?: string
  retries?: string
  retryDelay?: string
  paused?: boolean
  owner?: string
  json?: boolean
}

function addJobOptions(command: Command): Command {
  return command
    .option('--tenant <slug>', 'the tenant (may be left out when there is only one)')
    .option('--cron <expression>', 'a cron expression, e.g. "30 2 * * *" (5 fields, or 6 with seconds)')
    .option('--at <instant>', 'run once at this ISO-8601 instant, e.g. 2026-12-01T09:00:00Z')
    .option('--tz <zone>', 'the IANA timezone of the expression (default UTC)')
    .option('--handler <name>', 'the registered handler to run, e.g. sql')
    .option('--config <json>', 'the handler configuration, a JSON object')
    .option('--description <text>', 'what the job is for')
    .option('--catchup <policy>', 'missed slots: latest (default), all, none')
    .option('--grace <duration>', 'with --catchup none: how late a slot may still run (default 5m)')
    .option('--overlap <policy>', 'while an attempt still runs: skip (default) or allow')
    .option('--timeout <duration>', 'abort an attempt after this long, e.g. 90s, 10m, 2h (default 1h)')
    .option('--retries <n>', 'retries after a failed attempt (default 3)')
    .option('--retry-delay <duration>', 'delay before the first retry, doubling after (default 10m)')
    .option('--owner <id>', 'the user the schedule belongs to (row-level security)')
    .option('--json', 'print the job as JSON')
}

function jobInputFromFlags(flags: JobFlags): JobInput {
  const input: JobInput = {}
  if (flags.name !== undefined) input.name = flags.name
  if (flags.cron !== undefined) input.cron = flags.cron
  if (flags.at !== undefined) input.at = flags.at
  if (flags.tz !== undefined) input.timezone = flags.tz
  if (flags.handler !== undefined) input.handler = flags.handler
  if (flags.config !== undefined) input.configuration = parseJsonObject(flags.config, '--config')
  if (flags.description !== undefined) input.description = flags.description
  if (flags.catchup !== undefined) input.catchup = flags.catchup as CatchupPolicy
  if (flags.grace !== undefined) input.catchupGraceMs = parseDuration(flags.grace, '--grace')
  if (flags.overlap !== undefined) input.overlap = flags.overlap as OverlapPolicy
  if (flags.timeout !== undefined) input.timeoutMs = parseDuration(flags.timeout, '--timeout')
  if (flags.retries !== undefined) input.maxRetries = parseWholeNumber(flags.retries, '--retries', 0, 100)
  if (flags.retryDelay !== undefined) input.retryDelayMs = parseDuration(flags.retryDelay, '--retry-delay')
  if (flags.paused !== undefined) input.paused = flags.paused
  if (flags.owner !== undefined) input.ownerId = flags.owner
  return input
}

/** The job as JSON: the row with camelCase keys, instants as ISO UTC strings. */
export function jobJson(job: JobRow): unknown {
  return JSON.parse(JSON.stringify(camelize(job)))
}

function printJob({ tenant, job }: TenantJob, json: boolean | undefined, verb: string): void {
  if (json) return printJson(jobJson(job))
  printLine(`${verb} job "${job.name}" in tenant "${tenant.slug}"`)
  printLine(`  schedule   ${job.cron_expression ?? `once at ${formatInZone(job.run_at!, job.timezone)}`} (${job.timezone})`)
  printLine(`  handler    ${job.handler}`)
  printLine(`  state      ${jobState(job)}`)
  printLine(`  next run   ${job.next_run_at ? `${formatInZone(job.next_run_at, job.timezone)} (${job.next_run_at.toISOString()})` : '-'}`)
  if (job.last_run_at) printLine(`  last run   ${formatInZone(job.last_run_at, job.timezone)}: ${job.last_status ?? '-'}${job.last_error ? ` (${job.last_error})` : ''}`)
}

function jobState(job: JobRow): string {
  const state = !job.is_active ? 'disabled' : job.is_paused ? 'paused' : 'active'
  return job.is_system ? `${state}, system` : state
}

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('manage the jobs of a tenant')

  addJobOptions(jobs.command('add').description('add a job (validated before anything is written)'))
    .requiredOption('--name <name>', 'the job name, unique in the tenant')
    .option('--paused', 'add it paused')
    .action(async (flags: JobFlags, command: Command) => {
      await withScheduler(command, async (scheduler, { now, config }) => {
        const handlers = config.handlersModule ? await loadHandlers(config.handlersModule) : undefined
        printJob(await addJob(scheduler, { tenant: flags.tenant }, jobInputFromFlags(flags), { now, handlers }), flags.json, 'added')
      })
    })

  addJobOptions(jobs.command('update <name>').description('change a job; a new schedule counts from now'))
    .option('--name <new-name>', 'rename the job')
    .action(async (name: string, flags: JobFlags, command: Command) => {
      await withScheduler(command, async (scheduler, { now, config }) => {
        const handlers = config.handlersModule ? await loadHandlers(config.handlersModule) : undefined
        printJob(await updateJob(scheduler, { tenant: flags.tenant, name }, jobInputFromFlags(flags), { now, handlers }), flags.json, 'updated')
      })
    })

  jobs
    .command('list')
    .description('list the jobs of a tenant')
    .option('--tenant <slug>', 'the tenant (may be left out when there is only one)')
    .option('--json', 'print JSON')
    .action(async (flags: { tenant?: string; json?: boolean }, command: Command) => {
      await withScheduler(command, async (scheduler) => {
        const { tenant, jobs: rows } = await listJobs(scheduler, { tenant: flags.tenant })
        if (flags.json) return printJson(rows.map(jobJson))
        if (rows.length === 0) return printLine(`no jobs in tenant "${tenant.slug}"`)
        printTable(
          ['NAME', 'SCHEDULE', 'ZONE', 'HANDLER', 'STATE', 'NEXT RUN', 'LAST'],
          rows.map((job) => [job.name, job.cron_expression ?? 'once', job.timezone, job.handler, jobState(job),
            job.next_run_at && job.is_active && !job.is_paused ? formatInZone(job.next_run_at, job.timezone) : '-', job.last_status ?? '-']),
        )
      })
    })

  jobs
    .command('show <name>')
    .description('show one job')
    .option('--tenant <slug>', 'the tenant (may be left out when there is only one)')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { tenant?: string; json?: boolean }, command: Command) => {
      await withScheduler(command, async (scheduler) => printJob(await getJob(scheduler, { tenant: flags.tenant, name }), flags.json, 'showing'))
    })

  const toggles = [
    ['pause', 'pause a job: its slots are skipped until it is resumed', pauseJob, 'paused'],
    ['resume', 'resume a paused job from now', resumeJob, 'resumed'],
    ['enable', 'enable a disabled job from now', enableJob, 'enabled'],
    ['disable', 'disable a job', disableJob, 'disabled'],
  ] as const
  for (const [verb, description, operation, done] of toggles) {
    jobs
      .command(`${verb} <name>`)
      .description(description)
      .option('--tenant <slug>', 'the tenant (may be left out when there is only one)')
      .option('--json', 'print the job as JSON')
      .action(async (name: string, flags: { tenant?: string; json?: boolean }, command: Command) => {
        await withScheduler(command, async (scheduler, { now }) => printJob(await operation(scheduler, { tenant: flags.tenant, name }, { now }), flags.json, done))
      })
  }

  jobs
    .command('remove <name>')
    .description('remove a job and its history')
    .option('--tenant <slug>', 'the tenant (may be left out when there is only one)')
    .action(async (name: string, flags: { tenant?: string }, command: Command) => {
      await withScheduler(command, async (scheduler) => {
        const { tenant } = await removeJob(scheduler, { tenant: flags.tenant, name })
        printLine(`removed job "${name}" from tenant "${tenant.slug}"`)
      })
    })

  registerJobRuns(jobs)
  registerJobsApply(jobs)
}

export function registerJobRuns(jobs: Command): void {
  jobs
    .command('next <name>')
    .description("the job's next slots, from its own expression and zone")
    .option('--tenant <slug>', 'the tenant (may be left out when there is only one)')
    .option('-n, --count <n>', 'how many', '5')
    .option('--json', 'print a JSON array of ISO-8601 UTC strings')
    .action(async (name: string, flags: { tenant?: string; count: string; json?: boolean }, command: Command) => {
      await withScheduler(command, async (scheduler, { now }) => {
        const { job, runs } = await jobNextRuns(scheduler, { tenant: flags.tenant, name }, { from: now, count: parseWholeNumber(flags.count, '--count', 1, 10_000) })
        if (flags.json) return printJson(runs.map((run) => run.toISOString()))
        if (runs.length === 0) return printLine(`job "${job.name}" has no further run`)
        for (const run of runs) printLine(`${formatInZone(run, job.timezone)}  ${run.toISOString()}`)
      })
    })

  jobs
    .command('trigger <name>')
    .description('run the job now, in this process, as a manual attempt (the schedule is not moved)')
    .option('--tenant <slug>', 'the tenant (may be left out when there is only one)')
    .option('--json', 'print the attempt as JSON')
    .action(async (name: string, flags: { tenant?: string; json?: boolean }, command: Command) => {
      await withScheduler(command, async (scheduler, { config, now, nowGiven }) => {
        const handlers = await loadHandlers(config.handlersModule)
        const { job, executionId, scheduledFor, outcome } = await triggerJob(scheduler, { tenant: flags.tenant, name }, { now: nowGiven ? now : undefined, handlers })
        if (outcome.status !== 'succeeded') setExitCode(1)
        if (flags.json) return printJson({ executionId, job: job.name, trigger: 'manual', scheduledFor: scheduledFor.toISOString(), ...outcome })
        printLine(`job "${job.name}": ${outcome.status} in ${outcome.durationMs} ms${outcome.error ? `: ${outcome.error}` : ''}`)
      })
    })

  jobs
    .command('history <name>')
    .description('attempts and passed-over slots of a job, newest first')
    .option('--tenant <slug>', 'the tenant (may be left out when there is only one)')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { tenant?: string; limit: string; json?: boolean }, command: Command) => {
      await withScheduler(command, async (scheduler) => {
        const { job, executions } = await jobHistory(scheduler, { tenant: flags.tenant, name }, { limit: parseWholeNumber(flags.limit, '--limit', 1, 100_000) })
        if (flags.json) return printJson(executions.map(historyJson))
        if (executions.length === 0) return printLine(`job "${job.name}" has no history yet`)
        printTable(['SLOT', 'ATTEMPT', 'TRIGGER', 'STATUS', 'STARTED', 'DURATION', 'NOTE'], executions.map((row) => [
          formatInZone(row.scheduled_for, job.timezone), String(row.attempt), row.trigger, row.status,
          row.started_at ? formatInZone(row.started_at, job.timezone) : '-', row.duration_ms === null ? '-' : `${row.duration_ms} ms`,
          [row.covered_slots > 0 ? `covers ${row.covered_slots} more slot${row.covered_slots === 1 ? '' : 's'}` : '', row.error ?? ''].filter(Boolean).join('; '),
        ]))
      })
    })
}

function historyJson(row: ExecutionRow) {
  return {
    id: row.id,
    scheduledFor: row.scheduled_for.toISOString(),
    attempt: row.attempt,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.duration_ms,
    latenessMs: row.lateness_ms,
    coveredSlots: row.covered_slots,
    retryAt: row.retry_at?.toISOString() ?? null,
    result: row.result,
    error: row.error,
  }
}
