import type { Command } from 'commander'
import { explainCron, formatInZone, nextOccurrences } from '../../cron/index.js'
import { parseInstant } from '../../jobs/input.js'
import { commandContext, parseWholeNumber } from '../context.js'
import { printJson, printLine } from '../output.js'

export function registerCron(program: Command): void {
  const cron = program.command('cron').description('evaluate cron expressions (no database needed)')

  cron
    .command('next <expression>')
    .description('the next occurrences strictly after --from')
    .option('--tz <zone>', 'the IANA timezone of the expression', 'UTC')
    .option('--from <instant>', 'start after this ISO-8601 instant (default: now)')
    .option('-n, --count <n>', 'how many', '5')
    .option('--json', 'print a JSON array of ISO-8601 UTC strings')
    .action(async (expression: string, flags: { tz: string; from?: string; count: string; json?: boolean }, command: Command) => {
      const { now } = await commandContext(command)
      const from = flags.from === undefined ? now : parseInstant(flags.from, '--from')
      const runs = nextOccurrences(expression, { timezone: flags.tz, from, count: parseWholeNumber(flags.count, '--count', 1, 10_000) })
      if (flags.json) return printJson(runs.map((run) => run.toISOString()))
      if (runs.length === 0) return printLine(`"${expression}" has no occurrence after ${from.toISOString()}`)
      for (const run of runs) printLine(`${formatInZone(run, flags.tz)}  ${run.toISOString()}`)
    })

  cron
    .command('explain <expression>')
    .description('the expression in words')
    .action((expression: string) => printLine(explainCron(expression)))
}
