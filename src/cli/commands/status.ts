import type { Command } from 'commander'
import { schedulerStatus } from '../../status.js'
import { withScheduler } from '../context.js'
import { printJson, printLine, printTable, setExitCode } from '../output.js'

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('the last tick and, per tenant, what is due now, running and failing')
    .option('--tenant <slug>', 'only this tenant (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--json', 'print JSON')
    .action(async (flags: { tenant: string[]; json?: boolean }, command: Command) => {
      const status = await withScheduler(command, (scheduler, { now }) => schedulerStatus(scheduler, { now, tenants: flags.tenant }))
      if (status.tenants.some((tenant) => !tenant.ok)) setExitCode(1)
      if (flags.json) return printJson(status)
      const last = status.lastRun
      printLine(last
        ? `last run: ${last.status}, started ${last.startedAt}${last.finishedAt ? `, finished ${last.finishedAt}` : ', still running'} (clock ${last.clockAt})`
        : 'last run: none yet')
      printTable(
        ['TENANT', 'JOBS', 'ACTIVE', 'PAUSED', 'DUE NOW', 'RUNNING', 'FAILING', 'LAST RUN'],
        status.tenants.map((tenant) => tenant.ok
          ? [tenant.slug, ...[tenant.jobs, tenant.active, tenant.paused, tenant.dueNow, tenant.running, tenant.failing].map(String), tenant.lastRunAt ?? '-']
          : [tenant.slug, `unavailable: ${tenant.error}`]),
      )
    })
}
