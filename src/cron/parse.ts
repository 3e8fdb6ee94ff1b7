import { UsageError } from '../errors.js'
import { DayRule } from './days.js'
import { FIELD_SPECS, parseField, type FieldKey, type ParsedField } from './fields.js'

/** An expression parsed once into lookup tables; shared by every schedule that uses it. */
export interface CompiledCron {
  /** Trimmed, as given (a nickname stays a nickname). */
  readonly expression: string
  readonly hasSeconds: boolean
  readonly isFixedTime: boolean
  /** Absent for 5-field expressions. */
  readonly second: ParsedField | undefined
  readonly minute: ParsedField
  readonly hour: ParsedField
  readonly dayOfMonth: ParsedField
  readonly month: ParsedField
  readonly dayOfWeek: ParsedField
  /** next*[v] = smallest allowed value >= v, or -1; one slot past the maximum holds -1. */
  readonly nextSecond: Int8Array
  readonly nextMinute: Int8Array
  readonly nextHour: Int8Array
  readonly nextMonth: Int8Array
  readonly days: DayRule
}

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
}

const FIVE_FIELDS: readonly FieldKey[] = ['minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek']
const SIX_FIELDS: readonly FieldKey[] = ['second', ...FIVE_FIELDS]

// Job lists re-parse the same few expressions over and over; compiled tables are immutable.
const cache = new Map<string, CompiledCron>()
const CACHE_LIMIT = 2_000

export function compileCron(input: string): CompiledCron {
  if (typeof input !== 'string') throw new UsageError(`invalid cron expression ${String(input)}: expected a string`)
  const cached = cache.get(input)
  if (cached) return cached
  const compiled = compile(input.trim())
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next()
    if (!oldest.done) cache.delete(oldest.value)
  }
  cache.set(input, compiled)
  return compiled
}

function compile(expression: string): CompiledCron {
  const fail = (detail: string): never => {
    throw new UsageError(`invalid cron expression "${expression}": ${detail}`, {
      hint: 'use 5 fields "minute hour day-of-month month day-of-week" (or 6 with a leading seconds field), e.g. "*/15 * * * *", or a nickname like @daily',
    })
  }
  if (expression === '') fail('it is empty')

  let text = expression
  if (expression.startsWith('@')) {
    const expanded = NICKNAMES[expression.toLowerCase()]
    if (expanded === undefined) fail(`unknown nickname "${expression}"; use one of ${Object.keys(NICKNAMES).join(', ')}`)
    text = expanded ?? ''
  }

  const parts = text.split(/\s+/)
  if (parts.length !== 5 && parts.length !== 6) {
    fail(`expected 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading seconds field, got ${parts.length}`)
  }
  const keys = parts.length === 6 ? SIX_FIELDS : FIVE_FIELDS
  const fields: Partial<Record<FieldKey, ParsedField>> = {}
  keys.forEach((key, i) => {
    fields[key] = parseField(FIELD_SPECS[key], parts[i] ?? '', fail)
  })
  const { second, minute, hour, dayOfMonth, month, dayOfWeek } = fields
  if (!minute || !hour || !dayOfMonth || !month || !dayOfWeek) throw new Error('unreachable: missing cron field')

  const hasSeconds = second !== undefined
  return {
    expression,
    hasSeconds,
    isFixedTime: !hasSeconds && !minute.star && !hour.star,
    second,
    minute,
    hour,
    dayOfMonth,
    month,
    dayOfWeek,
    nextSecond: nextTable(second?.values ?? onlyZero(60)),
    nextMinute: nextTable(minute.values),
    nextHour: nextTable(hour.values),
    nextMonth: nextTable(month.values),
    days: new DayRule(dayOfMonth, dayOfWeek),
  }
}

function onlyZero(size: number): Uint8Array {
  const values = new Uint8Array(size)
  values[0] = 1
  return values
}

function nextTable(values: Uint8Array): Int8Array {
  const table = new Int8Array(values.length + 1).fill(-1)
  for (let v = values.length - 1; v >= 0; v--) table[v] = values[v] === 1 ? v : (table[v + 1] ?? -1)
  return table
}
