import { longestStoredMs, parseDuration } from '../duration.js'
import { errorMessage, UsageError } from '../errors.js'

/**
 * Reads a handler's own `configuration.timeout`: a duration such as "30s" or a number of
 * milliseconds. Undefined when absent: the job's timeout (the attempt's signal) still applies.
 */
export function timeoutFromConfiguration(value: unknown, jobName: string): number | undefined {
  if (value === undefined || value === null) return undefined
  let ms = value
  if (typeof value === 'string') {
    try {
      ms = parseDuration(value, 'configuration.timeout')
    } catch (error) {
      throw new UsageError(`job "${jobName}": ${errorMessage(error)}`)
    }
  }
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms <= 0) {
    throw new UsageError(`job "${jobName}": configuration.timeout ${JSON.stringify(value)} is not a duration: use a positive number of milliseconds or a text like "30s" or "2m"`)
  }
  return Math.min(ms, longestStoredMs)
}
