import type { Command } from 'commander'
import { loadHandlers } from '../../handlers/load.js'
import {
  dropLegacy, migrateLegacy, planLegacy, readStoreMapFile, verifyLegacy,
  type DropReport, type DropTarget, type LegacyOptions, type LegacyReport, type TenantReport, type VerifyReport, type VerifyTable, type VerifyTenant,
} from '../../legacy/index.js'
import type { Scheduler } from '../../scheduler.js'
import { withScheduler } from '../context.js'
import { printJson, printLine, printTable, setExitCode } from '../output.js'

interface LegacyFlags {
  tenant?: string
  storeMap?: string
  json?: boolean
  dryRun?: boolean
  yes?: boolean
}

const problemsShown = 20

function legacyCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .option('--tenant <slug>', "only this tenant (and the master's Akeneo schedules of its stores); the master's own tables are left out")
    .option('--store-map <file>', 'a JSON object {"<store id>": "<tenant slug>"}, over the master\'s stores(id, tenant_id) table')
    .option('--json', 'print the report as JSON')
}

/** Runs one legacy operation with the scheduler, the clock, the handlers and the store map. */
async function runLegacy<T>(command: Command, flags: LegacyFlags, operation: (options: LegacyOptions, scheduler: Scheduler) => Promise<T>): Promise<T> {
  const storeMap = flags.storeMap === undefined ? undefined : readStoreMapFile(flags.storeMap)
  return withScheduler(command, async (scheduler, { config, now }) => {
    const handlers = await loadHandlers(config.handlersModule)
    return operation({ tenant: flags.tenant, storeMap, now, handlers }, scheduler)
  })
}

export function registerLegacy(program: Command): void {
  const legacy = program
    .command('legacy')
    .description('move the old schedule and job tables into cron_jobs: plan, migrate, verify, drop')
    .addHelpText('after', `
What moves where:
  akeneo_schedules (master, or a tenant copy)  -> cron_jobs, handler "akeneoImport", in the tenant of the schedule's store
                                                  (--store-map file, else the master's stores.tenant_id = a tenant's slug or id)
  plugin_cron                                  -> cron_jobs, handler = handler_method (handler_code is kept in metadata, never run)
  job_history                                  -> cron_job_executions of the migrated job, trigger "legacy"
  cron_job_types                               -> nothing: each type's handler_name must be a registered handler
  job_queue                                    -> nothing: dropped once no row is pending or running
Typical order: legacy plan, legacy migrate, legacy verify, legacy drop, legacy drop --yes.
Exit codes: 1 when a tenant failed, migrate left rows behind, verify found a difference or drop refused a table.`)

  legacyCommand(legacy, 'plan', 'per tenant and table: rows found, already migrated, to migrate, and those that cannot be and why (changes nothing)')
    .action(async (flags: LegacyFlags, command: Command) => {
      const report = await runLegacy(command, flags, (options, scheduler) =>
        planLegacy(scheduler, { ...options, onTenant: flags.json ? undefined : printTenantLine }))
      if (flags.json) printJson(report)
      else printLegacyReport(report)
      if (report.summary.tenantsFailed > 0) setExitCode(1)
    })

  legacyCommand(legacy, 'migrate', 'insert the cron_jobs rows and copy the history, one transaction per tenant; a second run inserts nothing')
    .option('--dry-run', 'do the work and roll it back: shows what would be inserted')
    .action(async (flags: LegacyFlags, command: Command) => {
      const report = await runLegacy(command, flags, (options, scheduler) =>
        migrateLegacy(scheduler, { ...options, dryRun: flags.dryRun, onTenant: flags.json ? undefined : printTenantLine }))
      if (flags.json) printJson(report)
      else printLegacyReport(report)
      const { tenantsFailed, cannotMigrate, unmapped } = report.summary
      if (tenantsFailed + cannotMigrate + unmapped > 0) setExitCode(1)
    })

  legacyCommand(legacy, 'verify', 'every legacy row has exactly one matching cron_jobs row with an equivalent schedule (exit 0 only then)')
    .action(async (flags: LegacyFlags, command: Command) => {
      const report = await runLegacy(command, flags, (options, scheduler) =>
        verifyLegacy(scheduler, { ...options, onTenant: flags.json ? undefined : printVerifyTenantLine }))
      if (flags.json) printJson(report)
      else printVerifyReport(report)
      if (!report.passed) setExitCode(1)
    })

  legacyCommand(legacy, 'drop', 'drop the legacy tables that verify, and their enum types; refuse the others (without --yes: only say what it would do)')
    .option('--yes', 'really drop')
    .action(async (flags: LegacyFlags, command: Command) => {
      const report = await runLegacy(command, flags, (options, scheduler) =>
        dropLegacy(scheduler, { ...options, yes: flags.yes === true, onTarget: flags.json ? undefined : printDropTargetLine }))
      if (flags.json) printJson(report)
      else printDropReport(report)
      if (report.summary.refused + report.summary.targetsFailed > 0) setExitCode(1)
    })
}

function tableLabel(table: { table: string; location: string }, inTenant = true): string {
  return inTenant && table.location === 'master' ? `${table.table} (master)` : table.table
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

function printTenantLine(report: TenantReport): void {
  if (!report.ok) return printLine(`tenant ${report.tenant}: FAILED: ${report.error}`)
  const sum = (key: 'found' | 'alreadyMigrated' | 'toMigrate' | 'migrated' | 'cannotMigrate') => report.tables.reduce((total, table) => total + table[key], 0)
  printLine(`tenant ${report.tenant}: ${sum('found')} found, ${sum('alreadyMigrated')} already migrated, ${sum('toMigrate')} to migrate, `
    + `${sum('migrated')} migrated now, ${sum('cannotMigrate')} cannot migrate`)
}

function printLegacyReport(report: LegacyReport): void {
  const rows = report.tenants.flatMap((tenant) => tenant.tables.map((table) => [tenant.tenant, tableLabel(table),
    String(table.found), String(table.alreadyMigrated), String(table.toMigrate), String(table.migrated), String(table.cannotMigrate)]))
  printLine()
  if (rows.length > 0) printTable(['TENANT', 'TABLE', 'FOUND', 'MIGRATED BEFORE', 'TO MIGRATE', 'MIGRATED NOW', 'CANNOT'], rows)
  const akeneo = report.master?.akeneoSchedules
  if (akeneo) {
    const owners = Object.entries(akeneo.byTenant).map(([tenant, count]) => `${tenant} ${count}`).join(', ') || 'none mapped'
    printLine(`master akeneo_schedules: ${plural(akeneo.found, 'row')} (${owners}); ${akeneo.unmapped.length} map to no tenant (mapping from ${report.master!.storeMapping.join(' and ') || 'nothing'})`)
    for (const row of akeneo.unmapped.slice(0, problemsShown)) printLine(`  ${row.id}: ${row.reason}`)
  }
  const queue = report.master?.jobQueue
  if (queue) {
    const statuses = Object.entries(queue.byStatus).map(([status, count]) => `${status} ${count}`).join(', ')
    printLine(`master job_queue: ${plural(queue.found, 'row')} (${statuses || 'empty'}), not migrated (a queue, not schedules); `
      + (queue.unfinished > 0 ? `${queue.unfinished} pending or running keep it from being dropped` : 'it can be dropped'))
  }
  const problems = report.tenants.flatMap((tenant) => tenant.tables.flatMap((table) => table.problems.map((problem) => `  ${tenant.tenant} ${tableLabel(table)} ${problem.id}: ${problem.reason}`)))
  if (problems.length > 0) {
    printLine('cannot migrate:')
    for (const line of problems.slice(0, problemsShown)) printLine(line)
    if (problems.length > problemsShown) printLine(`  … ${problems.length - problemsShown} more (see --json)`)
  }
  const samples = report.tenants.flatMap((tenant) => tenant.tables.flatMap((table) => table.samples.map((sample) => `  ${tenant.tenant} ${tableLabel(table)} ${sample.id}: ${sample.from} -> ${sample.to}`)))
  if (samples.length > 0) {
    printLine('conversions (a sample):')
    for (const line of samples) printLine(line)
  }
  const notes = report.tenants.flatMap((tenant) => tenant.tables.flatMap((table) => table.notes.map((note) => `  ${tenant.tenant} ${tableLabel(table)}: ${note}`)))
  if (notes.length > 0) {
    printLine('notes:')
    for (const line of notes) printLine(line)
  }
  if (rows.length === 0 && !akeneo && !queue && report.tenants.every((tenant) => tenant.ok)) {
    printLine('no legacy tables found (akeneo_schedules, job_queue, plugin_cron, job_history, cron_job_types): nothing to migrate; is this the right master database?')
  }
  const s = report.summary
  const verb = report.command === 'plan' ? 'plan' : report.dryRun ? 'migrate --dry-run (nothing written)' : 'migrate'
  printLine(`${verb}: ${s.found} found, ${s.alreadyMigrated} already migrated, ${s.toMigrate} to migrate, ${s.migrated} migrated now, `
    + `${s.cannotMigrate} cannot migrate, ${s.unmapped} Akeneo schedules without a tenant; ${plural(report.tenants.length, 'tenant')}, ${s.tenantsFailed} failed`)
}

function printVerifyTenantLine(report: VerifyTenant): void {
  if (!report.ok) return printLine(`tenant ${report.tenant}: FAILED: ${report.error}`)
  const checked = report.tables.reduce((total, table) => total + table.checked, 0)
  const verified = report.tables.reduce((total, table) => total + table.verified, 0)
  printLine(`tenant ${report.tenant}: ${report.passed ? 'verified' : 'NOT verified'}: ${verified} of ${plural(checked, 'row')}`)
}

function printVerifyReport(report: VerifyReport): void {
  const lines: string[] = []
  const describe = (where: string, table: VerifyTable, inTenant: boolean) => {
    // The master's Akeneo rows of a tenant are listed under the tenant already.
    const problems = inTenant ? table.problems : table.problems.filter((problem) => !problem.reason.startsWith('in tenant "'))
    for (const problem of problems) lines.push(`  ${where} ${tableLabel(table, inTenant)} ${problem.id}: ${problem.reason}`)
    for (const note of table.notes) lines.push(`  ${where} ${tableLabel(table, inTenant)}: ${note}`)
  }
  for (const tenant of report.tenants) for (const table of tenant.tables) describe(tenant.tenant, table, true)
  for (const table of [report.master?.akeneoSchedules, report.master?.jobQueue]) {
    if (!table) continue
    printLine(`master ${table.table}: ${table.passed ? 'verified' : 'NOT verified'}: ${table.verified} of ${plural(table.checked, 'row')}`)
    describe('master', table, false)
  }
  if (lines.length > 0) {
    printLine('not verified:')
    for (const line of lines.slice(0, problemsShown)) printLine(line)
    if (lines.length > problemsShown) printLine(`  … ${lines.length - problemsShown} more (see --json)`)
  }
  printLine(report.passed ? 'verify passed: every legacy row has its one matching row' : 'verify FAILED: the tables above cannot be dropped yet')
}

function printDropTargetLine(target: DropTarget): void {
  if (!target.ok) return printLine(`${target.target}: FAILED: ${target.error}`)
  if (target.tables.length === 0) return printLine(`${target.target}: no legacy tables`)
  printLine(`${target.target}: ${target.tables.map((table) => `${table.action} ${table.relation}${table.types.length ? ` (type ${table.types.join(', ')})` : ''}`).join('; ')}`)
}

function printDropReport(report: DropReport): void {
  for (const target of report.targets) {
    for (const table of target.tables.filter((entry) => entry.action === 'refused')) {
      printLine(`refused ${target.target} ${table.relation}: ${table.reasons.join('; ')}`)
      for (const row of table.rows) printLine(`  ${row.id}: ${row.reason}`)
    }
  }
  if (report.masterSkipped) printLine(`note: ${report.masterSkipped}`)
  const s = report.summary
  printLine(report.yes
    ? `drop: ${plural(s.dropped, 'table')} dropped, ${s.refused} refused, ${s.targetsFailed} failed`
    : `drop (nothing dropped without --yes): ${plural(s.wouldDrop, 'table')} would be dropped, ${s.refused} refused, ${s.targetsFailed} failed`)
}
