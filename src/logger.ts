import { pino, type Logger } from 'pino'
import pretty from 'pino-pretty'
import { redactUrls } from './redact.js'

export type { Logger }
export type LogFormat = 'pretty' | 'json'

/**
 * Logs go to stderr so that stdout carries only a command's data (`--json`). JSON lines when
 * stderr is not a terminal or when asked; readable lines on a terminal. Secrets are redacted by
 * key and any URL's password is masked in messages.
 */
export function createLogger(options: { level?: string; format?: LogFormat } = {}): Logger {
  const format = options.format ?? (process.stderr.isTTY ? 'pretty' : 'json')
  const settings = {
    level: options.level ?? 'info',
    base: undefined,
    redact: {
      paths: ['password', '*.password', 'databaseUrl', '*.databaseUrl', 'database_url', '*.database_url',
        'token', '*.token', 'secret', '*.secret', 'headers.authorization', '*.headers.authorization'],
      censor: '***',
    },
    hooks: {
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactUrls(arg) : arg)))
      },
    },
    serializers: {
      err: (error: unknown) => {
        const serialized = pino.stdSerializers.err(error as Error)
        if (serialized?.message) serialized.message = redactUrls(serialized.message)
        if (serialized?.stack) serialized.stack = redactUrls(serialized.stack)
        return serialized
      },
    },
  }
  if (format === 'json') return pino(settings, pino.destination({ fd: 2, sync: true }))
  return pino(settings, pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY, ignore: 'pid,hostname' }))
}

/** For library users and tests that want no output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
