import { Command, Option } from 'commander'
import { registerCron } from './commands/cron.js'
import { registerJobs } from './commands/jobs.js'
import { registerLegacy } from './commands/legacy.js'
import { registerMigrate } from './commands/migrate.js'
import { registerRun } from './commands/run.js'
import { registerStatus } from './commands/status.js'
import { registerTenants } from './commands/tenants.js'

/** Options every command takes, before or after its name. */
function globalOptions(): Option[] {
  return [
    new Option('--database-url <url>', 'the master database (default: $DATABASE_URL, else the embedded PGlite)'),
    new Option('--data-dir <path>', 'folder of the embedded database (default: ./.unified-scheduler)'),
    new Option('--config-file <file>', 'a config file (default: unified-scheduler.config.{js,mjs,json} if present)'),
    new Option('--handlers <module>', "a module exporting the application's handlers"),
    new Option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default info)'),
    new Option('--log-format <format>', 'json or pretty (default: pretty on a terminal, else json)'),
    new Option('--now <instant>', 'the clock of the whole command, an ISO-8601 instant (tests, replays)'),
  ]
}

/** Which global options a command took after its name (others it defines itself, e.g. `tenants add --database-url`). */
export const globalOptionsOf = new WeakMap<Command, string[]>()

export function buildProgram(): Command {
  const program = new Command('unified-scheduler')
    .description('One scheduler for every recurring and delayed job of a multi-tenant product.')
    .version('0.1.0')
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
  for (const option of globalOptions()) program.addOption(option)
  registerMigrate(program)
  registerRun(program)
  registerStatus(program)
  registerTenants(program)
  registerJobs(program)
  registerCron(program)
  registerLegacy(program)
  for (const leaf of leaves(program)) {
    const added: string[] = []
    for (const option of globalOptions()) {
      if (leaf.options.some((own) => own.long === option.long)) continue
      leaf.addOption(option)
      added.push(option.attributeName())
    }
    globalOptionsOf.set(leaf, added)
  }
  return program
}

function leaves(command: Command): Command[] {
  return command.commands.flatMap((child) => (child.commands.length > 0 ? leaves(child) : [child]))
}
