import { CommanderError } from 'commander'
import { ExitCode, UsageError, errorMessage } from '../errors.js'
import { redactUrls } from '../redact.js'
import { takeExitCode } from './output.js'
import { buildProgram } from './program.js'

/**
 * Runs the command line and returns its exit code. The one place where an error becomes a line
 * on stderr: a user's mistake gets its message and hint, anything else is reported as a bug or
 * an outage.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  program.exitOverride()
  for (const command of program.commands) exitOverrideAll(command)
  try {
    await program.parseAsync(argv)
    return takeExitCode()
  } catch (error) {
    takeExitCode()
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help).
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage
    }
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${redactUrls(error.message)}\n`)
      if (error.hint) process.stderr.write(`hint: ${error.hint}\n`)
      return error.exitCode
    }
    process.stderr.write(`unexpected error: ${redactUrls(error instanceof Error && error.stack ? error.stack : errorMessage(error))}\n`)
    return ExitCode.jobOrTenantFailed
  }
}

function exitOverrideAll(command: ReturnType<typeof buildProgram>): void {
  command.exitOverride()
  for (const child of command.commands) exitOverrideAll(child)
}
