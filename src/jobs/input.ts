import { assertTimezone, parseCron } from '../cron/index.js'
import { longestStoredMs } from '../duration.js'
import { UsageError } from '../errors.js'
import type { CatchupPolicy, JobRow, JobValues, OverlapPolicy } from '../store/jobs.js'

/** A job as code or a person describes it. Every field but `name` is optional on update. */
export interface JobInput {
  name?: string
  cron?: string
  /** A one-off job: the instant it runs at. */
  at?: Date | string
  timezone?: string
  handler?: string
  configuration?: Record<string, unknown>
  description?: string | null
  catchup?: CatchupPolicy
  catchupGraceMs?: number
  overlap?: OverlapPolicy
  timeoutMs?: number
  maxRetries?: number
  retryDelayMs?: number
  paused?: boolean
  jobType?: string
  sourceType?: string
  sourceId?: string | null
  sourceName?: string | null
  storeId?: string | null
  ownerId?: string | null
  isSystem?: boolean
  metadata?: Record<string, unknown>
}

const namePattern = /^[^\s].{0,199}$/su
const handlerPattern = /^[A-Za-z_][\w.:-]{0,99}$/
const catchupPolicies: readonly CatchupPolicy[] = ['latest', 'all', 'none']
const overlapPolicies: readonly OverlapPolicy[] = ['skip', 'allow']
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Checks a job input and turns it into column values. `existing` is the row being updated (its
 * values fill what the input leaves out when checking the whole). Throws a UsageError naming
 * the first bad value; nothing is written before this passes.
 */
export function jobValuesFromInput(input: JobInput, existing?: JobRow): JobValues {
  const values: JobValues = {}
  const label = input.name ?? existing?.name ?? ''
  if (input.name !== undefined) {
    if (!namePattern.test(input.name)) throw new UsageError(`invalid job name "${input.name}": use 1-200 characters, not starting with a space`)
    values.name = input.name
  } else if (!existing) {
    throw new UsageError('a job needs a name (--name)')
  }
  if (input.cron !== undefined && input.at !== undefined) throw new UsageError(`job "${label}": give either a cron expression or --at, not both`)
  if (input.cron !== undefined) {
    values.cron_expression = input.cron.trim()
    values.run_at = null
  }
  if (input.at !== undefined) {
    values.run_at = parseInstant(input.at, `--at of job "${label}"`)
    values.cron_expression = null
  }
  if (!existing && input.cron === undefined && input.at === undefined) {
    throw new UsageError(`job "${label}" needs a schedule: --cron <expression> or --at <ISO instant>`)
  }
  if (input.timezone !== undefined) values.timezone = checkTimezone(input.timezone, label)
  const timezone = values.timezone ?? existing?.timezone ?? 'UTC'
  const cronExpression = values.cron_expression !== undefined ? values.cron_expression : existing?.cron_expression
  if (cronExpression) {
    try {
      parseCron(cronExpression, timezone)
    } catch (error) {
      throw new UsageError(`job "${label}": ${(error as Error).message}`, { cause: error })
    }
  }
  if (input.handler !== undefined) {
    if (!handlerPattern.test(input.handler)) {
      throw new UsageError(`invalid handler name "${input.handler}" for job "${label}": use letters, digits and . _ : -`)
    }
    values.handler = input.handler
  } else if (!existing) {
    throw new UsageError(`job "${label}" needs a handler (--handler <name>)`)
  }
  if (input.configuration !== undefined) values.configuration = checkObject(input.configuration, `configuration of job "${label}"`)
  if (input.metadata !== undefined) values.metadata = checkObject(input.metadata, `metadata of job "${label}"`)
  if (input.description !== undefined) values.description = input.description
  if (input.catchup !== undefined) values.catchup_policy = oneOf(input.catchup, catchupPolicies, `catch-up policy of job "${label}"`)
  if (input.overlap !== undefined) values.overlap_policy = oneOf(input.overlap, overlapPolicies, `overlap policy of job "${label}"`)
  if (input.catchupGraceMs !== undefined) values.catchup_grace_ms = wholeNumber(input.catchupGraceMs, 0, longestStoredMs, `catch-up grace of job "${label}"`)
  if (input.timeoutMs !== undefined) values.timeout_ms = wholeNumber(input.timeoutMs, 1, longestStoredMs, `timeout of job "${label}"`)
  if (input.maxRetries !== undefined) values.max_retries = wholeNumber(input.maxRetries, 0, 100, `retries of job "${label}"`)
  if (input.retryDelayMs !== undefined) values.retry_delay_ms = wholeNumber(input.retryDelayMs, 0, longestStoredMs, `retry delay of job "${label}"`)
  if (input.paused !== undefined) values.is_paused = input.paused
  if (input.isSystem !== undefined) values.is_system = input.isSystem
  if (input.jobType !== undefined) values.job_type = input.jobType
  if (input.sourceType !== undefined) values.source_type = input.sourceType
  if (input.sourceId !== undefined) values.source_id = input.sourceId
  if (input.sourceName !== undefined) values.source_name = input.sourceName
  if (input.ownerId !== undefined) values.owner_id = input.ownerId
  if (input.storeId !== undefined) {
    if (input.storeId !== null && !uuidPattern.test(input.storeId)) throw new UsageError(`invalid store id "${input.storeId}" for job "${label}": use a UUID`)
    values.store_id = input.storeId
  }
  return values
}

/** Does this change move when the job runs? Then next_run_at is computed again from now. */
export function changesSchedule(values: JobValues, existing: JobRow): boolean {
  return (values.cron_expression !== undefined && values.cron_expression !== existing.cron_expression)
    || (values.run_at !== undefined && values.run_at?.getTime() !== existing.run_at?.getTime())
    || (values.timezone !== undefined && values.timezone !== existing.timezone)
}

export function parseInstant(value: Date | string, what: string): Date {
  const instant = value instanceof Date ? value : parseIsoInstant(value)
  if (Number.isNaN(instant.getTime())) {
    throw new UsageError(`invalid ${what} "${String(value)}": use an ISO-8601 instant with a zone, like "2026-03-08T07:00:00Z"`)
  }
  return instant
}

/** ISO-8601 with an explicit zone (Z or an offset): a bare local time would be ambiguous. */
function parseIsoInstant(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) return new Date(Number.NaN)
  return new Date(text.trim())
}

function checkTimezone(zone: string, label: string): string {
  try {
    return assertTimezone(zone)
  } catch {
    throw new UsageError(`invalid timezone "${zone}" for job "${label}": use an IANA name like "Europe/Berlin"`)
  }
}

function checkObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`invalid ${what}: it must be a JSON object`)
  return value as Record<string, unknown>
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) throw new UsageError(`invalid ${what} "${value}": use one of ${allowed.join(', ')}`)
  return value as T
}

function wholeNumber(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`invalid ${what} "${value}": use a whole number from ${min} to ${max}`)
  return value
}
