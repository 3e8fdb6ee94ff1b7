import { MONTH_NAMES, WEEKDAY_NAMES, type FieldItem, type ParsedField } from './fields.js'
import { compileCron } from './parse.js'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const NTH = ['first', 'second', 'third', 'fourth', 'fifth']

/** Plain English for people reading job lists, e.g. "At 09:00 on Monday through Friday". */
export function explainCron(expression: string): string {
  const cron = compileCron(expression)
  const time = describeTime(cron.second, cron.minute, cron.hour)
  const days = describeDays(cron.dayOfMonth, cron.dayOfWeek)
  const months = cron.month.all ? '' : ` in ${describeField(cron.month, 'month', monthName)}`
  if (days === '' && months === '' && !cron.minute.star && !cron.hour.star) return `${time}, every day`
  return `${time}${days}${months}`
}

function describeTime(second: ParsedField | undefined, minute: ParsedField, hour: ParsedField): string {
  const seconds = second ? singles(second) : [0]
  const minutes = singles(minute)
  const hours = singles(hour)
  if (seconds && minutes && hours && seconds.length * minutes.length * hours.length <= 4) {
    const times = hours.flatMap((h) => minutes.flatMap((m) => seconds.map((s) => clock(h, m, s))))
    return `At ${joinList(times)}`
  }
  const clockPart = describeMinutesAndHours(minute, hour)
  if (!second || (seconds?.length === 1 && seconds[0] === 0)) return capitalize(clockPart)
  const secondPart = second.all ? 'every second' : isEvery(second) ? `every ${everyStep(second)} seconds` : `at ${describeField(second, 'second', String)}`
  if (minute.all && hour.all) return capitalize(secondPart)
  return capitalize(`${secondPart}, ${clockPart}`)
}

function describeMinutesAndHours(minute: ParsedField, hour: ParsedField): string {
  const minutePart = minute.all ? 'every minute' : isEvery(minute) ? `every ${everyStep(minute)} minutes` : undefined
  if (hour.all) return minutePart ?? `at ${describeField(minute, 'minute', String)} past every hour`
  const hourRange = simpleRange(hour)
  if (minutePart && hourRange) return `${minutePart} from ${clock(hourRange[0], 0)} through ${clock(hourRange[1], 59)}`
  const minuteText = minutePart ?? `at ${describeField(minute, 'minute', String)}`
  return `${minuteText} past ${describeField(hour, 'hour', String)}`
}

function describeDays(dayOfMonth: ParsedField, dayOfWeek: ParsedField): string {
  if (dayOfMonth.all && dayOfWeek.all) return ''
  const dom = describeDayOfMonth(dayOfMonth)
  const dow = describeField(dayOfWeek, 'day of the week', weekdayName)
  if (dayOfMonth.all) return ` on ${dow}`
  if (dayOfWeek.all) return ` on ${dom}`
  if (!dayOfMonth.star && !dayOfWeek.star) return ` on ${dom}, or on ${dow}`
  return ` on ${dom}, if it is ${dow}`
}

function describeDayOfMonth(field: ParsedField): string {
  const plain: FieldItem[] = []
  const special: string[] = []
  for (const item of field.items) {
    if (item.kind === 'lastDay') special.push(item.offset === 0 ? 'the last day of the month' : `${item.offset} ${item.offset === 1 ? 'day' : 'days'} before the last day of the month`)
    else if (item.kind === 'lastWeekday') special.push('the last weekday of the month')
    else if (item.kind === 'nearestWeekday') special.push(`the weekday nearest day ${item.day} of the month`)
    else plain.push(item)
  }
  const parts = plain.length > 0 ? [`${describeItems(plain, 'day', String)} of the month`] : []
  return joinList([...parts, ...special])
}

/** Values of a field listed one by one, or undefined when it has ranges, steps or specials. */
function singles(field: ParsedField): number[] | undefined {
  const values: number[] = []
  for (const item of field.items) {
    if (item.kind !== 'range' || item.from !== item.to) return undefined
    values.push(item.from)
  }
  return values.sort((a, b) => a - b)
}

function isEvery(field: ParsedField): boolean {
  const item = field.items[0]
  return field.items.length === 1 && item?.kind === 'every'
}

function everyStep(field: ParsedField): number {
  const item = field.items[0]
  return item?.kind === 'every' ? item.step : 1
}

function simpleRange(field: ParsedField): [number, number] | undefined {
  const item = field.items[0]
  if (field.items.length !== 1 || item?.kind !== 'range' || item.step !== 1) return undefined
  return [item.from, item.to]
}

function describeField(field: ParsedField, unit: string, name: (value: number) => string): string {
  return describeItems(field.items, unit, name)
}

function describeItems(items: readonly FieldItem[], unit: string, name: (value: number) => string): string {
  const first = items[0]
  const valueCount = items.reduce((n, item) => n + (item.kind === 'range' ? (item.from === item.to ? 1 : 2) : 2), 0)
  const phrases = items.map((item) => {
    switch (item.kind) {
      case 'every':
        return item.step === 1 ? `every ${unit}` : `every ${ordinal(item.step)} ${unit}`
      case 'range':
        if (item.from === item.to) return name(item.from)
        if (item.step === 1) return `${name(item.from)} through ${name(item.to)}`
        return `every ${ordinal(item.step)} ${unit} from ${name(item.from)} through ${name(item.to)}`
      case 'lastOfMonth':
        return `the last ${WEEKDAYS[item.weekday]} of the month`
      case 'nthOfMonth':
        return `the ${NTH[item.nth - 1]} ${WEEKDAYS[item.weekday]} of the month`
      default:
        return ''
    }
  })
  const list = joinList(phrases)
  // Weekday and month names speak for themselves; numbers need their unit ("minutes 0 and 30").
  if (name !== String || first?.kind !== 'range' || (first.step !== 1 && first.from !== first.to)) return list
  return `${unit}${valueCount > 1 ? 's' : ''} ${list}`
}

function monthName(value: number): string {
  return MONTHS[value - 1] ?? MONTH_NAMES[value - 1] ?? String(value)
}

function weekdayName(value: number): string {
  return WEEKDAYS[value % 7] ?? WEEKDAY_NAMES[value % 7] ?? String(value)
}

function clock(hour: number, minute: number, second = 0): string {
  const hm = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
  return second === 0 ? hm : `${hm}:${String(second).padStart(2, '0')}`
}

function ordinal(n: number): string {
  const tens = n % 100
  if (tens >= 11 && tens <= 13) return `${n}th`
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`
}

function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
