import type { ParsedField } from './fields.js'

/**
 * Which days of a month a schedule runs on. Classic cron (cronie): when both day fields are
 * restricted a day matches if either does; as soon as one of them starts with `*` (or `?`), both
 * must match.
 */
export class DayRule {
  /** True when every day matches, so that the search can skip the per-day test. */
  readonly everyDay: boolean
  private readonly either: boolean
  private readonly checkDom: boolean
  private readonly checkDow: boolean
  private readonly domValues: Uint8Array
  private readonly lastDayOffsets: readonly number[]
  private readonly nearestWeekdays: readonly number[]
  private readonly lastWeekday: boolean
  private readonly dowValues: Uint8Array
  private readonly lastOfMonth: Uint8Array
  /** Per weekday, bit k-1 set for `weekday#k`. */
  private readonly nthOfMonth: Uint8Array

  constructor(dayOfMonth: ParsedField, dayOfWeek: ParsedField) {
    this.either = !dayOfMonth.star && !dayOfWeek.star
    this.checkDom = !dayOfMonth.all
    this.checkDow = !dayOfWeek.all
    this.everyDay = !this.checkDom && !this.checkDow
    this.domValues = dayOfMonth.values
    this.dowValues = dayOfWeek.values
    const lastDayOffsets: number[] = []
    const nearestWeekdays: number[] = []
    let lastWeekday = false
    for (const item of dayOfMonth.items) {
      if (item.kind === 'lastDay') lastDayOffsets.push(item.offset)
      else if (item.kind === 'nearestWeekday') nearestWeekdays.push(item.day)
      else if (item.kind === 'lastWeekday') lastWeekday = true
    }
    this.lastDayOffsets = lastDayOffsets
    this.nearestWeekdays = nearestWeekdays
    this.lastWeekday = lastWeekday
    this.lastOfMonth = new Uint8Array(7)
    this.nthOfMonth = new Uint8Array(7)
    for (const item of dayOfWeek.items) {
      if (item.kind === 'lastOfMonth') this.lastOfMonth[item.weekday] = 1
      else if (item.kind === 'nthOfMonth') this.nthOfMonth[item.weekday] = (this.nthOfMonth[item.weekday] ?? 0) | (1 << (item.nth - 1))
    }
  }

  /** `day` of a month with `monthLength` days that falls on `weekday` (0 = Sunday). */
  matches(day: number, monthLength: number, weekday: number): boolean {
    if (this.either) return this.domMatches(day, monthLength, weekday) || this.dowMatches(day, monthLength, weekday)
    return (!this.checkDom || this.domMatches(day, monthLength, weekday)) && (!this.checkDow || this.dowMatches(day, monthLength, weekday))
  }

  private domMatches(day: number, monthLength: number, weekday: number): boolean {
    if (this.domValues[day] === 1) return true
    for (const offset of this.lastDayOffsets) if (day === monthLength - offset) return true
    if (this.lastWeekday && day === lastWeekdayOfMonth(monthLength, shiftWeekday(weekday, monthLength - day))) return true
    for (const target of this.nearestWeekdays) {
      // Like a plain day number, nW never fires in a month too short to have day n.
      if (target <= monthLength && day === nearestWeekday(target, monthLength, shiftWeekday(weekday, target - day))) return true
    }
    return false
  }

  private dowMatches(day: number, monthLength: number, weekday: number): boolean {
    if (this.dowValues[weekday] === 1) return true
    if (this.lastOfMonth[weekday] === 1 && day + 7 > monthLength) return true
    return ((this.nthOfMonth[weekday] ?? 0) & (1 << Math.floor((day - 1) / 7))) !== 0
  }
}

function shiftWeekday(weekday: number, days: number): number {
  return (((weekday + days) % 7) + 7) % 7
}

/** Quartz `nW`: the weekday closest to day n, never leaving the month. */
function nearestWeekday(target: number, monthLength: number, targetWeekday: number): number {
  if (targetWeekday === 6) return target === 1 ? 3 : target - 1
  if (targetWeekday === 0) return target === monthLength ? target - 2 : target + 1
  return target
}

function lastWeekdayOfMonth(monthLength: number, lastDayWeekday: number): number {
  if (lastDayWeekday === 6) return monthLength - 1
  if (lastDayWeekday === 0) return monthLength - 2
  return monthLength
}
