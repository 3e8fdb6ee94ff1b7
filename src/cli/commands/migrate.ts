import type { Command } from 'commander'
import { migrate } from '../../migrate.js'
import { withScheduler } from '../context.js'
import { printJson, printLine, setExitCode } from '../output.js'

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply schema migrations to the master database and every active tenant')
    .option('--tenant <slug>', 'only this tenant (the master is always migrated)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { tenant?: string; json?: boolean }, command: Command) => {
      const results = await withScheduler(command, (scheduler, { now }) => migrate(scheduler, { tenant: options.tenant, now }), { forMigration: true })
      if (options.json) printJson(results)
      else {
        for (const result of results) {
          const what = !result.ok ? `FAILED: ${result.error}` : result.applied.length ? `applied ${result.applied.join(', ')}` : 'up to date'
          const system = result.systemJobs?.length ? `; added system job ${result.systemJobs.join(', ')}` : ''
          printLine(`${result.target}: ${what}${system}`)
        }
      }
      if (!results.every((result) => result.ok)) setExitCode(1)
    })
}
