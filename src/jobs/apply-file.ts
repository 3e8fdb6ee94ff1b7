import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseDuration } from '../duration.js'
import { UsageError, errorMessage } from '../errors.js'
import type { JobRow } from '../store/jobs.js'
import { jobValuesFromInput, type JobInput } from './input.js'

/**
 * A jobs file (schedules as code), JSON:
 *
 *   { "source": "billing", "jobs": [ { "name": "nightly", "cron": "30 2 * * *", "tz": "Europe/Berlin",
 *     "handler": "sql", "configuration": { "sql": "select 1" }, "timeout": "90s" } ] }
 *
 * or just the array of jobs, the source then being the file's base name. The source names the
 * set of jobs the file owns: `--prune` only ever removes jobs of the same source.
 */
export interface JobsFile {
  /** Where it was read from, for messages; a label when built from a value. */
  readonly origin: string
  readonly source: string
  readonly jobs: readonly DesiredJob[]
}

/** Every column a jobs file decides; a field the file leaves out takes the column's default. */
export const managedColumns = [
  'name', 'description', 'cron_expression', 'run_at', 'timezone', 'job_type', 'handler', 'configuration',
  'source_type', 'source_id', 'source_name', 'store_id', 'owner_id', 'is_paused', 'is_system',
  'catchup_policy', 'catchup_grace_ms', 'overlap_policy', 'timeout_ms', 'max_retries', 'retry_delay_ms', 'metadata',
] as const satisfies readonly (keyof JobRow)[]

export type ManagedColumn = (typeof managedColumns)[number]
export type DesiredJob = Pick<JobRow, ManagedColumn>

/** How a file spells each column (the names of `jobs add`'s flags). */
export const fieldOfColumn: Record<ManagedColumn, string> = {
  name: 'name', description: 'description', cron_expression: 'cron', run_at: 'at', timezone: 'tz', job_type: 'jobType',
  handler: 'handler', configuration: 'configuration', source_type: 'sourceType', source_id: 'sourceId', source_name: 'sourceName',
  store_id: 'storeId', owner_id: 'owner', is_paused: 'paused', is_system: 'isSystem', catchup_policy: 'catchup',
  catchup_grace_ms: 'grace', overlap_policy: 'overlap', timeout_ms: 'timeout', max_retries: 'retries', retry_delay_ms: 'retryDelay',
  metadata: 'metadata',
}

/** Jobs a file creates carry this source type, and the file's source as source_name. */
export const applySourceType = 'apply'

/** The defaults of sql/tenant/0001_create_cron_jobs.sql, for the fields a file leaves out. */
const columnDefaults: Omit<DesiredJob, 'name' | 'handler' | 'source_type' | 'source_name'> = {
  description: null, cron_expression: null, run_at: null, timezone: 'UTC', job_type: 'custom', configuration: {},
  source_id: null, store_id: null, owner_id: null, is_paused: false, is_system: false, catchup_policy: 'latest',
  catchup_grace_ms: 300_000, overlap_policy: 'skip', timeout_ms: 3_600_000, max_retries: 3, retry_delay_ms: 600_000, metadata: {},
}

type FieldKind = 'string' | 'nullable string' | 'object' | 'boolean' | 'number' | 'duration'

/** The fields of a job in a file, and what each must be. */
const fileFields: Record<string, FieldKind> = {
  name: 'string', description: 'nullable string', cron: 'string', at: 'string', tz: 'string', handler: 'string',
  configuration: 'object', catchup: 'string', grace: 'duration', overlap: 'string', timeout: 'duration', retries: 'number',
  retryDelay: 'duration', paused: 'boolean', isSystem: 'boolean', jobType: 'string', metadata: 'object',
  storeId: 'nullable string', owner: 'nullable string',
}

const sourcePattern = /^[^\s].{0,199}$/su

/** Reads and checks a jobs file; throws a UsageError naming the file, the job and the bad value. */
export function readJobsFile(file: string): JobsFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error)
    throw new UsageError(`cannot read jobs file "${file}": ${reason}`, { cause: error })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`invalid JSON in jobs file "${file}": ${errorMessage(error)}`, { cause: error })
  }
  return jobsFileFromValue(value, { origin: file, defaultSource: path.basename(file, path.extname(file)) })
}

/** Checks a parsed jobs file: every job, before anything is written anywhere. */
export function jobsFileFromValue(value: unknown, options: { origin: string; defaultSource: string }): JobsFile {
  const { origin } = options
  try {
    const { source, entries } = splitFile(value, options.defaultSource)
    const jobs = entries.map((entry, index) => desiredJobFromEntry(entry, index, source))
    assertUniqueNames(jobs)
    return { origin, source, jobs }
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`jobs file "${origin}": ${error.message}`, { cause: error })
    throw error
  }
}

function splitFile(value: unknown, defaultSource: string): { source: string; entries: unknown[] } {
  if (Array.isArray(value)) return { source: checkSource(defaultSource, 'the file name'), entries: value }
  if (typeof value !== 'object' || value === null) {
    throw new UsageError('it must be an array of jobs or an object like {"source": "billing", "jobs": [...]}')
  }
  const { source, jobs, ...rest } = value as Record<string, unknown>
  const unknown = Object.keys(rest)
  if (unknown.length > 0) throw new UsageError(`unknown top-level field "${unknown[0]}": use "source" and "jobs"`)
  if (!Array.isArray(jobs)) throw new UsageError('"jobs" must be an array of jobs')
  if (source !== undefined && typeof source !== 'string') throw new UsageError('"source" must be a string')
  return { source: checkSource(source ?? defaultSource, source === undefined ? 'the file name' : '"source"'), entries: jobs }
}

function checkSource(source: string, from: string): string {
  if (!sourcePattern.test(source)) throw new UsageError(`invalid source "${source}" (from ${from}): use 1-200 characters, not starting with a space`)
  return source
}

function desiredJobFromEntry(entry: unknown, index: number, source: string): DesiredJob {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new UsageError(`job #${index + 1} must be an object`)
  const fields = entry as Record<string, unknown>
  if (typeof fields.name !== 'string') throw new UsageError(`job #${index + 1} needs a "name" (a string)`)
  const label = `job "${fields.name}"`
  for (const [key, value] of Object.entries(fields)) checkFieldKind(key, value, label)
  const values = jobValuesFromInput(jobInputFromFields(fields, label))
  return { ...columnDefaults, ...values, source_type: applySourceType, source_name: source } as DesiredJob
}

function checkFieldKind(key: string, value: unknown, label: string): void {
  const kind = fileFields[key]
  if (kind === undefined) throw new UsageError(`unknown field "${key}" in ${label}: use ${Object.keys(fileFields).join(', ')}`)
  const ok = kind === 'string' ? typeof value === 'string'
    : kind === 'nullable string' ? typeof value === 'string' || value === null
      : kind === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value)
        : kind === 'boolean' ? typeof value === 'boolean'
          : kind === 'number' ? typeof value === 'number'
            : typeof value === 'string' || typeof value === 'number'
  if (!ok) {
    const wanted = kind === 'duration' ? 'a duration like "90s" or a number of milliseconds' : kind === 'object' ? 'a JSON object' : `a ${kind}`
    throw new UsageError(`invalid "${key}" ${JSON.stringify(value)} in ${label}: it must be ${wanted}`)
  }
}

/** The file's spelling (the flags of `jobs add`, camelCase) to a JobInput; the values are checked by jobValuesFromInput. */
function jobInputFromFields(fields: Record<string, unknown>, label: string): JobInput {
  const input: JobInput = { name: fields.name as string }
  const text = (key: string) => fields[key] as string
  if ('cron' in fields) input.cron = text('cron')
  if ('at' in fields) input.at = text('at')
  if ('tz' in fields) input.timezone = text('tz')
  if ('handler' in fields) input.handler = text('handler')
  if ('configuration' in fields) input.configuration = fields.configuration as Record<string, unknown>
  if ('metadata' in fields) input.metadata = fields.metadata as Record<string, unknown>
  if ('description' in fields) input.description = fields.description as string | null
  if ('catchup' in fields) input.catchup = text('catchup') as JobInput['catchup']
  if ('overlap' in fields) input.overlap = text('overlap') as JobInput['overlap']
  if ('grace' in fields) input.catchupGraceMs = duration(fields.grace, `"grace" of ${label}`)
  if ('timeout' in fields) input.timeoutMs = duration(fields.timeout, `"timeout" of ${label}`)
  if ('retryDelay' in fields) input.retryDelayMs = duration(fields.retryDelay, `"retryDelay" of ${label}`)
  if ('retries' in fields) input.maxRetries = fields.retries as number
  if ('paused' in fields) input.paused = fields.paused as boolean
  if ('isSystem' in fields) input.isSystem = fields.isSystem as boolean
  if ('jobType' in fields) input.jobType = text('jobType')
  if ('storeId' in fields) input.storeId = fields.storeId as string | null
  if ('owner' in fields) input.ownerId = fields.owner as string | null
  return input
}

function duration(value: unknown, what: string): number {
  return typeof value === 'number' ? value : parseDuration(value as string, what)
}

function assertUniqueNames(jobs: readonly DesiredJob[]): void {
  const seen = new Map<string, number>()
  jobs.forEach((job, index) => {
    const first = seen.get(job.name)
    if (first !== undefined) throw new UsageError(`duplicate job name "${job.name}" (jobs #${first + 1} and #${index + 1}): names are unique in a tenant`)
    seen.set(job.name, index)
  })
}
