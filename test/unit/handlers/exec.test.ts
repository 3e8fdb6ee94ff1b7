import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { UsageError } from '../../../src/errors.js'
import { createExecHandler, execHandler } from '../../../src/handlers/exec.js'
import { builtinHandlers } from '../../../src/handlers/registry.js'
import type { HandlerContext } from '../../../src/handlers/types.js'
import { failure, handlerContext, testSlot } from '../../helpers/handler-context.js'

const node = process.execPath
const slot = testSlot
const workDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'us-exec-')))

afterAll(() => rmSync(workDir, { recursive: true, force: true }))

function contextFor(configuration: Record<string, unknown>, signal?: AbortSignal): HandlerContext {
  return handlerContext(configuration, { id: '7f1c2d3e-0000-4000-8000-000000000002', name: 'cleanup', signal })
}

/** Alive and not a zombie waiting to be reaped (a zombie runs nothing). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

async function waitFor<T>(read: () => T | undefined, what: string, ms = 2_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = read()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Starts `sh -c script` where the script writes the pid of a background `sleep` to a file, and waits for it. */
async function startWithGrandchild(handler: typeof execHandler, script: string, signal: AbortSignal, extra: Record<string, unknown> = {}) {
  const pidFile = path.join(workDir, `grandchild-${Math.random().toString(36).slice(2)}.pid`)
  const running = Promise.resolve(handler(contextFor({ command: 'sh', args: ['-c', script], env: { PID_FILE: pidFile }, ...extra }, signal)))
  running.catch(() => {})
  const pid = await waitFor(() => {
    try {
      const text = readFileSync(pidFile, 'utf8').trim()
      return text === '' ? undefined : Number(text)
    } catch {
      return undefined
    }
  }, 'the grandchild pid')
  return { running, pid }
}

describe('exec handler', () => {
  test('is registered as the built-in "exec"', () => {
    expect(builtinHandlers.exec).toBe(execHandler)
  })

  test('exit code 0 succeeds with stdout and stderr', async () => {
    const result = await execHandler(contextFor({ command: node, args: ['-e', 'process.stdout.write("done 3"); console.error("a warning")'] }))
    expect(result).toEqual({ exitCode: 0, stdout: 'done 3', stderr: 'a warning\n' })
  })

  test('arguments reach the program as they are, never through a shell', async () => {
    const args = ['$HOME', '; echo injected', '"quoted" *']
    const result = await execHandler(contextFor({ command: node, args: ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...args] }))
    expect(JSON.parse((result as { stdout: string }).stdout)).toEqual(args)
  })

  test('env is merged over the environment, with the attempt described in SCHEDULER_* variables', async () => {
    const script = 'const e = process.env; process.stdout.write(JSON.stringify([e.GREETING, e.PATH !== undefined, e.SCHEDULER_SLOT, e.SCHEDULER_ATTEMPT, e.SCHEDULER_JOB_NAME, e.SCHEDULER_IDEMPOTENCY_KEY]))'
    const result = await execHandler(contextFor({ command: node, args: ['-e', script], env: { GREETING: 'hello' } }))
    expect(JSON.parse((result as { stdout: string }).stdout)).toEqual([
      'hello', true, '2025-03-01T02:00:00.000Z', '1', 'cleanup', 'acme:7f1c2d3e-0000-4000-8000-000000000002:2025-03-01T02:00:00.000Z',
    ])
  })

  test("the scheduler's secrets are not passed on: only PATH, HOME, locale and the like", async () => {
    process.env.DATABASE_URL = 'postgres://u:secret@db/master'
    process.env.ACME_DATABASE_URL = 'postgres://acme:secret@db/acme'
    try {
      const script = 'process.stdout.write(JSON.stringify([process.env.DATABASE_URL, process.env.ACME_DATABASE_URL, process.env.PATH !== undefined]))'
      const result = await execHandler(contextFor({ command: node, args: ['-e', script] }))
      expect(JSON.parse((result as { stdout: string }).stdout)).toEqual([null, null, true])
    } finally {
      delete process.env.DATABASE_URL
      delete process.env.ACME_DATABASE_URL
    }
  })

  test('cwd is where the program runs', async () => {
    const result = await execHandler(contextFor({ command: node, args: ['-e', 'process.stdout.write(process.cwd())'], cwd: workDir }))
    expect(result).toMatchObject({ stdout: workDir })
  })

  test('a non-zero exit fails with the command, the code and the end of stderr', async () => {
    const error = await failure(execHandler(contextFor({ command: node, args: ['-e', 'console.error("x".repeat(5000) + " disk full"); process.exit(3)'] })))
    expect(error.message).toMatch(/^job "cleanup": command ".*node" exited with code 3: x+ disk full$/)
    expect(error.message.length).toBeLessThan(1200)
  })

  test('a program killed by a signal fails naming the signal', async () => {
    const error = await failure(execHandler(contextFor({ command: node, args: ['-e', 'process.kill(process.pid, "SIGKILL")'] })))
    expect(error.message).toMatch(/command ".*node" was killed by SIGKILL$/)
  })

  test('a program that does not exist fails clearly', async () => {
    const error = await failure(execHandler(contextFor({ command: 'no-such-program-us-test' })))
    expect(error.message).toBe('job "cleanup": command "no-such-program-us-test" was not found (ENOENT): give a path to the program or the name of one on the PATH')
  })

  test('output is capped to its last bytes, with a count of what was dropped', async () => {
    const handler = createExecHandler({ outputCapBytes: 1000 })
    const result = (await handler(contextFor({ command: node, args: ['-e', 'process.stdout.write("a".repeat(200000) + "THE END")'] }))) as { stdout: string }
    expect(result.stdout).toBe(`[199007 earlier bytes dropped]\n${'a'.repeat(993)}THE END`)
    const capped = (await execHandler(contextFor({ command: node, args: ['-e', 'process.stdout.write("b".repeat(200000))'] }))) as { stdout: string }
    expect(capped.stdout).toBe(`[${200000 - 65536} earlier bytes dropped]\n${'b'.repeat(65536)}`)
  })

  test('an abort kills the whole process group, grandchildren included, promptly', async () => {
    const controller = new AbortController()
    const { running, pid } = await startWithGrandchild(execHandler, 'sleep 30 & echo $! > "$PID_FILE"; wait', controller.signal)
    expect(isRunning(pid)).toBe(true)
    const started = Date.now()
    controller.abort(new Error('timed out after 100 ms'))
    const error = await failure(running)
    expect(error.message).toBe('job "cleanup": command "sh" stopped: timed out after 100 ms')
    expect(Date.now() - started).toBeLessThan(1000)
    await waitFor(() => (isRunning(pid) ? undefined : true), 'the grandchild to be gone')
  })

  test('a process that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const handler = createExecHandler({ killGraceMs: 200 })
    const controller = new AbortController()
    const script = `trap '' TERM; ${node} -e "process.on('SIGTERM', () => {}); setTimeout(() => {}, 30000)" & echo $! > "$PID_FILE"; wait`
    const { running, pid } = await startWithGrandchild(handler, script, controller.signal)
    controller.abort(new Error('shutdown'))
    const error = await failure(running)
    expect(error.message).toBe('job "cleanup": command "sh" stopped: shutdown')
    await waitFor(() => (isRunning(pid) ? undefined : true), 'the stubborn grandchild to be killed')
  })

  test('configuration.timeout stops the program', async () => {
    const started = Date.now()
    const error = await failure(execHandler(contextFor({ command: 'sh', args: ['-c', 'sleep 30'], timeout: '200ms' })))
    expect(error.message).toBe('job "cleanup": command "sh" timed out after 200ms')
    expect(Date.now() - started).toBeLessThan(1500)
  })

  test('an attempt already aborted starts nothing', async () => {
    const controller = new AbortController()
    controller.abort(new Error('cancelled'))
    const error = await failure(execHandler(contextFor({ command: node, args: ['-e', ''] }, controller.signal)))
    expect(error.message).toBe(`job "cleanup": command "${node}" not started: cancelled`)
  })

  const badConfigurations: { configuration: Record<string, unknown>; mentions: string[]; why: string }[] = [
    { configuration: {}, mentions: ['needs configuration.command'], why: 'no command' },
    { configuration: { command: 'ls', args: '-la' }, mentions: ['configuration.args must be an array of strings', '"-la"'], why: 'args as a string' },
    { configuration: { command: 'ls', args: ['-l', 2] }, mentions: ['configuration.args must be an array of strings'], why: 'an argument not a string' },
    { configuration: { command: 'ls', env: { TOKEN: 42 } }, mentions: ['configuration.env.TOKEN must be a string, not number'], why: 'env value not a string' },
    { configuration: { command: 'ls', env: 'A=1' }, mentions: ['configuration.env must be an object'], why: 'env not an object' },
    { configuration: { command: 'ls', cwd: '/no/such/dir' }, mentions: ['configuration.cwd "/no/such/dir" does not exist'], why: 'missing cwd' },
    { configuration: { command: 'ls', cwd: node }, mentions: ['is not a directory'], why: 'cwd is a file' },
    { configuration: { command: 'ls', timeout: '0s' }, mentions: ['configuration.timeout "0s" is not a duration'], why: 'zero timeout' },
  ]

  test.each(badConfigurations)('bad configuration: $why', async ({ configuration, mentions }) => {
    const error = await failure(execHandler(contextFor(configuration)))
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toMatch(/^job "cleanup": /)
    for (const mention of mentions) expect(error.message).toContain(mention)
  })
})
