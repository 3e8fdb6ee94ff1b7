import { assertTimezone } from './zone.js'

const displayFormatters = new Map<string, Intl.DateTimeFormat>()

function displayFormatter(timezone: string): Intl.DateTimeFormat {
  let formatter = displayFormatters.get(timezone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    })
    displayFormatters.set(timezone, formatter)
  }
  return formatter
}

/** "2026-03-08 03:00 EDT", "2026-03-08 12:30:15 +05:30": for people, not for parsing back. */
export function formatInZone(instant: Date, timezone: string): string {
  assertTimezone(timezone)
  const time = instant.getTime()
  if (!Number.isFinite(time)) throw new RangeError('formatInZone needs a valid Date')
  const parts: Record<string, string> = {}
  for (const part of displayFormatter(timezone).formatToParts(instant)) parts[part.type] = part.value
  const year = parts.year ?? ''
  const clock = `${parts.hour}:${parts.minute}${parts.second === '00' ? '' : `:${parts.second}`}`
  return `${year.padStart(4, '0')}-${parts.month}-${parts.day} ${clock} ${zoneLabel(parts, time)}`
}

/** en-US knows abbreviations only for some zones (EST, UTC); elsewhere it says "GMT+5:30". */
function zoneLabel(parts: Record<string, string>, time: number): string {
  const name = parts.timeZoneName ?? ''
  if (/^[A-Z]{2,5}$/.test(name)) return name
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  const offsetMinutes = Math.round((local - Math.floor(time / 1000) * 1000) / 60_000)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const absolute = Math.abs(offsetMinutes)
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`
}
