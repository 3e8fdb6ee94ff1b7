import { UsageError } from './errors.js'

const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const durationPattern = /^(?:(\d+)(ms|s|m|h|d))+$/
const partPattern = /(\d+)(ms|s|m|h|d)/g

/** Reads `90s`, `10m`, `2h`, `1d`, `500ms` or combinations such as `1h30m` into milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const trimmed = text.trim()
  if (!durationPattern.test(trimmed)) {
    throw new UsageError(
      `invalid ${what} "${text}": use a number with a unit (ms, s, m, h, d), like "90s", "10m", "2h" or "1h30m"`,
    )
  }
  let total = 0
  for (const [, amount, unit] of trimmed.matchAll(partPattern)) total += Number(amount) * unitMs[unit!]!
  if (!Number.isSafeInteger(total)) throw new UsageError(`invalid ${what} "${text}": too long`)
  return total
}

/** The shortest exact spelling of a duration, for people: 600000 -> "10m", 5400000 -> "1h30m". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  let rest = ms
  let text = ''
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const size = unitMs[unit]!
    const amount = Math.floor(rest / size)
    if (amount > 0) {
      text += `${amount}${unit}`
      rest -= amount * size
    }
  }
  return text
}

/** The largest number of milliseconds an integer column (and a Node timer) holds: about 24.8 days. */
export const longestStoredMs = 2_147_483_647

/** Milliseconds as stored in an integer column: never negative, capped at about 24.8 days. */
export function storedMs(ms: number): number {
  return Math.min(longestStoredMs, Math.max(0, Math.round(ms)))
}
