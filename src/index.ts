/**
 * The library API: everything a command does can be done from code. Open a Scheduler with a
 * Config, call the operations, close it.
 */
export { loadConfig, type Config, type ConfigFlags } from './config.js'
export { Scheduler, embeddedTenantSlug } from './scheduler.js'
export { ExitCode, StartupError, UsageError } from './errors.js'
export { createLogger, silentLogger, type Logger } from './logger.js'
export { parseDuration, formatDuration } from './duration.js'
export { migrate, type MigrationResult } from './migrate.js'
export { addTenant, getTenant, listTenants, removeTenant, resolveTenant, type TenantInput, type TenantRow } from './tenants.js'
export {
  addJob, computeNextRunAt, disableJob, enableJob, getJob, jobHistory, jobNextRuns, listJobs, pauseJob, removeJob, resumeJob, updateJob,
  type JobInput, type JobRow, type TenantJob,
} from './jobs/index.js'
export { applyJobs, applyJobsFile, jobsFileFromValue, readJobsFile, type ApplyOptions, type ApplyResult, type JobsFile, type PlannedChange } from './jobs/apply.js'
export { assertTimezone, explainCron, formatInZone, isValidTimezone, nextOccurrences, parseCron, type CronSchedule } from './cron/index.js'
export { runOnce, inShard, runFailed, type RunOptions, type RunSummary, type TenantResult, type Counts } from './tick/run.js'
export { triggerJob, type TriggerResult } from './tick/trigger.js'
export { HandlerRegistry, builtinHandlers, defineHandlers } from './handlers/registry.js'
export { loadHandlers } from './handlers/load.js'
export type { Handler, HandlerContext, HandlerMap } from './handlers/types.js'
export { systemClock, virtualClock, type Clock } from './clock.js'
export {
  dropLegacy, migrateLegacy, planLegacy, readStoreMapFile, verifyLegacy,
  type DropReport, type LegacyOptions, type LegacyReport, type VerifyReport,
} from './legacy/index.js'
export { schedulerStatus, type SchedulerStatus, type TenantStatus } from './status.js'
