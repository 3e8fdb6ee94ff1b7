import { UsageError } from '../errors.js'
import { deleteFinishedOneOffJobs, deleteOldExecutions } from '../store/purge.js'
import type { Handler } from './types.js'

const dayMs = 86_400_000

/**
 * The scheduler's upkeep, installed in every tenant as the system job `scheduler.purge`:
 * deletes finished executions older than `retentionDays` (default 30) before the slot, keeping
 * the newest `keepPerJob` (default 10) of each job, in batches of `batchSize` (default 1000)
 * so no lock is held for long; then removes one-off jobs finished before the same cutoff.
 */
export const purgeHandler: Handler = async ({ job, sql, schema, scheduledFor, signal }) => {
  const settings = readSettings(job.name, job.configuration)
  const db = { sql, table: (name: string) => sql(schema ? `${schema}.${name}` : name) }
  const cutoff = new Date(scheduledFor.getTime() - settings.retentionDays * dayMs)
  let executions = 0
  for (;;) {
    if (signal.aborted) break
    const deleted = await deleteOldExecutions(db, { cutoff, keepPerJob: settings.keepPerJob, limit: settings.batchSize })
    executions += deleted
    if (deleted < settings.batchSize) break
  }
  const oneOffJobs = signal.aborted ? 0 : await deleteFinishedOneOffJobs(db, { cutoff })
  return { cutoff: cutoff.toISOString(), executions, oneOffJobs, stoppedEarly: signal.aborted }
}

function readSettings(jobName: string, configuration: Record<string, unknown>) {
  const read = (key: string, fallback: number, min: number) => {
    const value = configuration[key] ?? fallback
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new UsageError(`job "${jobName}": configuration.${key} ${JSON.stringify(value)} must be a whole number of at least ${min}`)
    }
    return value
  }
  return { retentionDays: read('retentionDays', 30, 1), keepPerJob: read('keepPerJob', 10, 0), batchSize: read('batchSize', 1000, 1) }
}
