import { spawn } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { formatDuration } from '../duration.js'
import { errorMessage, UsageError } from '../errors.js'
import { timeoutFromConfiguration } from './configuration.js'
import type { Handler, HandlerContext } from './types.js'

const stderrTailInMessage = 1024

export interface ExecHandlerOptions {
  /** How long a program has to exit after SIGTERM before its process group gets SIGKILL. */
  readonly killGraceMs?: number
  /** How much of stdout and of stderr is kept (the end of each: where results and errors are). */
  readonly outputCapBytes?: number
}

/** A job's `configuration`, checked. */
interface CommandPlan {
  command: string
  args: string[]
  cwd: string | undefined
  env: Record<string, string>
  timeoutMs: number | undefined
}

/**
 * Runs `configuration.command` with `configuration.args` ({command, args?, cwd?, env?, timeout?})
 * without a shell, in a process group of its own so that an abort (timeout, shutdown) stops the
 * program and everything it started. Exit code 0 returns `{exitCode, stdout, stderr}`; anything
 * else fails the attempt with the exit code or signal and the end of stderr.
 */
export function createExecHandler(options: ExecHandlerOptions = {}): Handler {
  const limits = { killGraceMs: options.killGraceMs ?? 5_000, outputCapBytes: options.outputCapBytes ?? 64 * 1024 }
  return async (context) => {
    const plan = readExecConfiguration(context.job.name, context.job.configuration)
    if (plan.cwd !== undefined) await assertDirectory(context.job.name, plan.cwd)
    if (context.signal.aborted) {
      throw new Error(`job "${context.job.name}": command "${plan.command}" not started: ${errorMessage(context.signal.reason)}`)
    }
    return runCommand(plan, context, limits)
  }
}

export const execHandler: Handler = createExecHandler()

function runCommand(plan: CommandPlan, context: HandlerContext, limits: Required<ExecHandlerOptions>) {
  const { job, signal, logger } = context
  const name = `job "${job.name}": command "${plan.command}"`
  return new Promise<{ exitCode: 0; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(plan.command, plan.args, {
      cwd: plan.cwd,
      env: { ...inheritedEnvironment(), ...plan.env, ...schedulerEnvironment(context) },
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const stdout = new OutputTail(limits.outputCapBytes)
    const stderr = new OutputTail(limits.outputCapBytes)
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    logger.debug({ command: plan.command, pid: child.pid }, 'exec started')

    let stopReason: string | undefined
    let killTimer: NodeJS.Timeout | undefined
    const stop = (reason: string) => {
      if (stopReason !== undefined || child.pid === undefined) return
      stopReason = reason
      const pid = child.pid
      signalGroup(pid, 'SIGTERM')
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), limits.killGraceMs)
    }
    const onAbort = () => stop(`stopped: ${errorMessage(signal.reason)}`)
    signal.addEventListener('abort', onAbort, { once: true })
    const timeoutMs = plan.timeoutMs
    const timeoutTimer = timeoutMs === undefined ? undefined : setTimeout(() => stop(`timed out after ${formatDuration(timeoutMs)}`), timeoutMs)

    let settled = false
    const settle = () => {
      if (settled) return false
      settled = true
      clearTimeout(timeoutTimer)
      signal.removeEventListener('abort', onAbort)
      // A process that ignored SIGTERM may outlive the program it was started by: keep the SIGKILL for it.
      if (killTimer && !(child.pid !== undefined && groupIsAlive(child.pid))) clearTimeout(killTimer)
      return true
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settle()) reject(spawnFailure(name, error))
    })
    child.on('close', (code, signalName) => {
      if (!settle()) return
      if (stopReason !== undefined) return reject(new Error(`${name} ${stopReason}${excerpt(stderr)}`))
      if (code === 0) return resolve({ exitCode: 0, stdout: stdout.text(), stderr: stderr.text() })
      const how = code === null ? `was killed by ${signalName}` : `exited with code ${code}`
      reject(new Error(`${name} ${how}${excerpt(stderr.isEmpty() ? stdout : stderr)}`))
    })
  })
}

/**
 * What a program inherits from the scheduler: only what running a program needs. The rest of
 * the scheduler's environment holds secrets (database URLs of every tenant, tokens) that one
 * tenant's job must not read; a job passes what it needs in `configuration.env`.
 */
const inheritedVariables = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TEMP', 'TMP']

function inheritedEnvironment(): Record<string, string> {
  return Object.fromEntries(inheritedVariables.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]])))
}

/** What a program can read to know which attempt of which slot it runs for. */
function schedulerEnvironment(context: HandlerContext): Record<string, string> {
  return {
    SCHEDULER_TENANT: context.tenant.slug,
    SCHEDULER_JOB_ID: context.job.id,
    SCHEDULER_JOB_NAME: context.job.name,
    SCHEDULER_SLOT: context.scheduledFor.toISOString(),
    SCHEDULER_ATTEMPT: String(context.attempt),
    SCHEDULER_TRIGGER: context.trigger,
    SCHEDULER_IDEMPOTENCY_KEY: context.idempotencyKey,
  }
}

/** Signals the whole process group led by `pid` (spawned detached, so its id is the group's). */
function signalGroup(pid: number, signalName: NodeJS.Signals): void {
  try {
    process.kill(-pid, signalName)
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupIsAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

function spawnFailure(name: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') return new Error(`${name} was not found (ENOENT): give a path to the program or the name of one on the PATH`, { cause: error })
  if (error.code === 'EACCES') return new Error(`${name} is not executable (EACCES)`, { cause: error })
  return new Error(`${name} could not be started: ${error.message}`, { cause: error })
}

function excerpt(output: OutputTail): string {
  const tail = output.tail(stderrTailInMessage).trim()
  return tail === '' ? '' : `: ${tail}`
}

/** Keeps the last `cap` bytes of a stream and counts what it had to drop before them. */
class OutputTail {
  readonly #cap: number
  #chunks: Buffer[] = []
  #kept = 0
  #dropped = 0

  constructor(cap: number) {
    this.#cap = cap
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk)
    this.#kept += chunk.length
    while (this.#kept > this.#cap) {
      const first = this.#chunks[0]!
      const excess = this.#kept - this.#cap
      const cut = Math.min(excess, first.length)
      if (cut === first.length) this.#chunks.shift()
      else this.#chunks[0] = first.subarray(cut)
      this.#kept -= cut
      this.#dropped += cut
    }
  }

  isEmpty(): boolean {
    return this.#kept === 0
  }

  tail(bytes: number): string {
    const all = Buffer.concat(this.#chunks)
    return all.subarray(Math.max(0, all.length - bytes)).toString('utf8')
  }

  text(): string {
    const text = Buffer.concat(this.#chunks).toString('utf8')
    return this.#dropped === 0 ? text : `[${this.#dropped} earlier bytes dropped]\n${text}`
  }
}

async function assertDirectory(jobName: string, cwd: string): Promise<void> {
  const found = await stat(cwd).catch(() => undefined)
  if (!found) throw new UsageError(`job "${jobName}": configuration.cwd "${cwd}" does not exist`)
  if (!found.isDirectory()) throw new UsageError(`job "${jobName}": configuration.cwd "${cwd}" is not a directory`)
}

function readExecConfiguration(jobName: string, configuration: Record<string, unknown>): CommandPlan {
  const problem = (text: string) => new UsageError(`job "${jobName}": ${text}`)
  const { command, args = [], cwd, env = {}, timeout } = configuration
  if (typeof command !== 'string' || command.trim() === '') {
    throw problem('the exec handler needs configuration.command, a program name or path (arguments go in configuration.args)')
  }
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) {
    throw problem(`configuration.args must be an array of strings, like ["--since", "1d"]; got ${JSON.stringify(args)}`)
  }
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) throw problem('configuration.cwd must be a directory path')
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw problem('configuration.env must be an object of variable names to string values, like {"LOG_LEVEL": "debug"}')
  }
  for (const [key, value] of Object.entries(env)) {
    // Values are not repeated in the message: environment variables often carry secrets.
    if (typeof value !== 'string') throw problem(`configuration.env.${key} must be a string, not ${value === null ? 'null' : typeof value}`)
    if (key === '' || key.includes('=') || key.includes('\0')) throw problem(`configuration.env has an invalid variable name ${JSON.stringify(key)}`)
  }
  return { command, args, cwd, env: env as Record<string, string>, timeoutMs: timeoutFromConfiguration(timeout, jobName) }
}
