import { parseCron } from '../cron/index.js'
import { errorMessage } from '../errors.js'
import type { JobRow } from '../store/jobs.js'

/** `--catchup all` runs at most this many missed slots in one tick; the rest wait for the next. */
export const catchupAllLimit = 100
/** Slots counted one by one when a job was down for long; beyond, the count stops here. */
const slotCountLimit = 10_000

export interface PlannedAttempt {
  scheduledFor: Date
  trigger: 'schedule' | 'catchup'
  /** Slots this attempt stands for besides its own (catch-up `latest`). */
  coveredSlots: number
}

export interface PassedOverSlot {
  scheduledFor: Date
  status: 'skipped' | 'missed'
  coveredSlots: number
  reason: string
}

export interface SlotPlan {
  attempts: PlannedAttempt[]
  passedOver: PassedOverSlot[]
  /** Where next_run_at moves; null when the schedule has no further slot (one-off, impossible date). */
  nextRunAt: Date | null
  /** The row cannot be scheduled (bad expression or zone): the job fails alone with this. */
  error?: string
}

/**
 * Decides what a due job does in this tick: the slots from next_run_at up to now, by the job's
 * catch-up policy (latest / all / none) and overlap policy (skip while an attempt still runs).
 * Pure: the same job, clock and state always give the same plan.
 */
export function planDueSlots(job: JobRow, now: Date, state: { hasRunningAttempt: boolean }): SlotPlan {
  const first = job.next_run_at
  if (!first || first > now) return { attempts: [], passedOver: [], nextRunAt: first }

  let slots: Date[]
  let nextRunAt: Date | null
  if (!job.cron_expression) {
    slots = [first]
    nextRunAt = null
  } else {
    let schedule
    try {
      schedule = parseCron(job.cron_expression, job.timezone)
    } catch (error) {
      return { attempts: [], passedOver: [], nextRunAt: null, error: errorMessage(error) }
    }
    slots = [first]
    let next = schedule.next(first)
    while (next && next <= now && slots.length < slotCountLimit) {
      slots.push(next)
      next = schedule.next(next)
    }
    // A job down for very long: its count stops at the limit, and the next slot is after now.
    if (next && next <= now) next = schedule.next(now)
    nextRunAt = next
    if (job.catchup_policy === 'all' && slots.length > catchupAllLimit) {
      nextRunAt = slots[catchupAllLimit]!
      slots = slots.slice(0, catchupAllLimit)
    }
  }

  const newest = slots.at(-1)!
  const older = slots.length - 1
  if (state.hasRunningAttempt && job.overlap_policy === 'skip') {
    return { attempts: [], passedOver: [{ scheduledFor: newest, status: 'skipped', coveredSlots: older, reason: 'overlap: an earlier attempt is still running' }], nextRunAt }
  }
  switch (job.catchup_policy) {
    case 'all':
      return {
        attempts: slots.map((slot, index) => ({ scheduledFor: slot, trigger: index === slots.length - 1 && nextRunAt !== null && nextRunAt > now ? 'schedule' : 'catchup', coveredSlots: 0 })),
        passedOver: [],
        nextRunAt,
      }
    case 'none': {
      const withinGrace = now.getTime() - newest.getTime() <= job.catchup_grace_ms
      const missedCount = withinGrace ? older : slots.length
      const passedOver: PassedOverSlot[] = missedCount === 0 ? [] : [{
        scheduledFor: slots[missedCount - 1]!,
        status: 'missed',
        coveredSlots: missedCount - 1,
        reason: `catch-up none: more than ${Math.round(job.catchup_grace_ms / 1000)}s late`,
      }]
      return { attempts: withinGrace ? [{ scheduledFor: newest, trigger: 'schedule', coveredSlots: 0 }] : [], passedOver, nextRunAt }
    }
    default:
      return { attempts: [{ scheduledFor: newest, trigger: older > 0 ? 'catchup' : 'schedule', coveredSlots: older }], passedOver: [], nextRunAt }
  }
}
