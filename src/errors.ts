/**
 * Exit codes of the command line (DESIGN.md): 0 all done, 1 the run finished but a job or a
 * tenant failed, 2 bad usage or configuration, 3 the run could not start.
 */
export const ExitCode = {
  ok: 0,
  jobOrTenantFailed: 1,
  usage: 2,
  cannotStart: 3,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Something the user got wrong: a bad flag, value, file or name. Carries its exit code. */
export class UsageError extends Error {
  readonly exitCode: ExitCode
  readonly hint: string | undefined
  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'UsageError'
    this.exitCode = options.exitCode ?? ExitCode.usage
    this.hint = options.hint
  }
}

/** The run cannot start: the master database is unreachable or its schema is missing or newer. */
export class StartupError extends UsageError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.cannotStart })
    this.name = 'StartupError'
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
