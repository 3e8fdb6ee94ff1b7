import { setTimeout as sleep } from 'node:timers/promises'

/** Time as the scheduler sees it: passed in, never read from a global in the middle of logic. */
export interface Clock {
  now(): Date
  /** Waits until `until` or until the signal fires, whichever is first. */
  waitUntil(until: Date, signal?: AbortSignal): Promise<void>
  /** Waits pass at once (a replay): work started before a wait should end before time moves on. */
  readonly jumps?: boolean
}

export const systemClock: Clock = {
  now: () => new Date(),
  async waitUntil(until, signal) {
    const ms = until.getTime() - Date.now()
    if (ms <= 0 || signal?.aborted) return
    await sleep(ms, undefined, { signal }).catch(() => {})
  },
}

/**
 * The clock of a replay (`--now`): it starts at the given instant and jumps straight to the end
 * of a wait instead of sleeping, so a window of an hour is replayed in a moment.
 */
export function virtualClock(start: Date): Clock {
  let current = start.getTime()
  return {
    jumps: true,
    now: () => new Date(current),
    async waitUntil(until, signal) {
      if (!signal?.aborted) current = Math.max(current, until.getTime())
    },
  }
}
