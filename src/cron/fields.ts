/**
 * Parsing of one cron field into items. Errors are reported through `fail` so that the caller can
 * prefix them with the whole expression.
 */

export type FieldKey = 'second' | 'minute' | 'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek'

export interface FieldSpec {
  readonly key: FieldKey
  /** As shown to users in messages and explanations. */
  readonly label: string
  readonly min: number
  readonly max: number
  /** Last value of `*` and of an open-ended `a/n`; differs from max only for day-of-week (7 is an alias). */
  readonly last: number
  readonly names?: readonly string[]
  readonly allowed: string
}

export const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const
export const WEEKDAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const

export const FIELD_SPECS: Readonly<Record<FieldKey, FieldSpec>> = {
  second: { key: 'second', label: 'second', min: 0, max: 59, last: 59, allowed: '0-59' },
  minute: { key: 'minute', label: 'minute', min: 0, max: 59, last: 59, allowed: '0-59' },
  hour: { key: 'hour', label: 'hour', min: 0, max: 23, last: 23, allowed: '0-23' },
  dayOfMonth: { key: 'dayOfMonth', label: 'day-of-month', min: 1, max: 31, last: 31, allowed: '1-31, L, L-n, nW or LW' },
  month: { key: 'month', label: 'month', min: 1, max: 12, last: 12, names: MONTH_NAMES, allowed: '1-12 or JAN-DEC' },
  dayOfWeek: {
    key: 'dayOfWeek',
    label: 'day-of-week',
    min: 0,
    max: 7,
    last: 6,
    names: WEEKDAY_NAMES,
    allowed: '0-7 (0 and 7 are Sunday) or SUN-SAT, also nL and n#k',
  },
}

export type FieldItem =
  /** `*`, `?` or `*\/n`. */
  | { readonly kind: 'every'; readonly step: number }
  /** A single value (from === to, step 1), `a-b`, `a-b/n` or `a/n`; day-of-week values keep 7. */
  | { readonly kind: 'range'; readonly from: number; readonly to: number; readonly step: number }
  /** Day-of-month `L` (offset 0) and `L-n`. */
  | { readonly kind: 'lastDay'; readonly offset: number }
  /** Day-of-month `nW`. */
  | { readonly kind: 'nearestWeekday'; readonly day: number }
  /** Day-of-month `LW`. */
  | { readonly kind: 'lastWeekday' }
  /** Day-of-week `nL`; weekday 0-6. */
  | { readonly kind: 'lastOfMonth'; readonly weekday: number }
  /** Day-of-week `n#k`; weekday 0-6, nth 1-5. */
  | { readonly kind: 'nthOfMonth'; readonly weekday: number; readonly nth: number }

export interface ParsedField {
  readonly spec: FieldSpec
  readonly text: string
  readonly items: readonly FieldItem[]
  /** Starts with `*` or `?`: decides fixed-time jobs and the day-of-month/day-of-week rule. */
  readonly star: boolean
  /** Plain `*` or `?`: every value matches. */
  readonly all: boolean
  /** Indexed by value; day-of-week 7 is folded into 0. Specials (L, W, #) are not in here. */
  readonly values: Uint8Array
}

export type Fail = (detail: string) => never

const NUMBER = /^\d+$/

export function parseField(spec: FieldSpec, text: string, fail: Fail): ParsedField {
  const problem = (token: string, rest: string): never =>
    fail(token === text ? `${spec.label} field "${text}" ${rest}` : `${spec.label} field "${text}": "${token}" ${rest}`)

  const value = (token: string, whole: string, rangeEnd: boolean): number => {
    if (NUMBER.test(token)) {
      const n = Number(token)
      if (n < spec.min || n > spec.max) problem(whole, `${whole === token ? 'is' : `has ${n}`} out of range ${spec.min}-${spec.max}`)
      return n
    }
    const index = spec.names?.indexOf(token.toUpperCase()) ?? -1
    if (index < 0) return problem(whole, `is not a valid value; allowed: ${spec.allowed}`)
    // SUN as the end of a range means 7 so that FRI-SUN is not a reversed range.
    if (spec.key === 'dayOfWeek') return rangeEnd && index === 0 ? 7 : index
    return index + 1
  }

  const weekday = (token: string, whole: string): number => value(token, whole, false) % 7

  const parseItem = (token: string): FieldItem => {
    if (token === '') return fail(`${spec.label} field "${text}" has an empty list item`)

    if (spec.key === 'dayOfMonth') {
      const upper = token.toUpperCase()
      if (upper === 'L') return { kind: 'lastDay', offset: 0 }
      if (upper === 'LW') return { kind: 'lastWeekday' }
      const lastMinus = /^L-(\d+)$/.exec(upper)
      if (lastMinus) {
        const offset = Number(lastMinus[1])
        if (offset < 1 || offset > 30) problem(token, 'has an offset out of range; L-n allows n 1-30')
        return { kind: 'lastDay', offset }
      }
      const nearest = /^(\d+)W$/.exec(upper)
      if (nearest) return { kind: 'nearestWeekday', day: value(nearest[1] ?? '', token, false) }
    }

    if (spec.key === 'dayOfWeek') {
      const last = /^(\d+|[a-z]+)L$/i.exec(token)
      if (last) return { kind: 'lastOfMonth', weekday: weekday(last[1] ?? '', token) }
      const nth = /^(\d+|[a-z]+)#(\d*)$/i.exec(token)
      if (nth) {
        const n = Number(nth[2])
        if (!NUMBER.test(nth[2] ?? '') || n < 1 || n > 5) problem(token, 'has a bad occurrence; n#k allows k 1-5')
        return { kind: 'nthOfMonth', weekday: weekday(nth[1] ?? '', token), nth: n }
      }
    }

    let base = token
    let step = 1
    let hasStep = false
    const slash = token.indexOf('/')
    if (slash >= 0) {
      base = token.slice(0, slash)
      const stepText = token.slice(slash + 1)
      const maxStep = spec.last - spec.min
      if (!NUMBER.test(stepText)) problem(token, `has an invalid step; the step after "/" must be a number 1-${maxStep}`)
      step = Number(stepText)
      if (step < 1 || step > maxStep) problem(token, `has step ${step}; the step must be 1-${maxStep}`)
      hasStep = true
    }

    if (base === '*' || base === '?') {
      if (base === '?' && spec.key !== 'dayOfMonth' && spec.key !== 'dayOfWeek') {
        problem(token, 'is not allowed here; "?" is only allowed in the day-of-month and day-of-week fields')
      }
      return { kind: 'every', step }
    }
    if (base === '') problem(token, `is missing a value before "/"; allowed: ${spec.allowed}`)

    const dash = base.indexOf('-')
    if (dash >= 0) {
      const from = value(base.slice(0, dash), token, false)
      const to = value(base.slice(dash + 1), token, true)
      if (from > to) problem(token, `is a reversed range; the start must not be after the end (allowed: ${spec.allowed})`)
      return { kind: 'range', from, to, step }
    }
    const from = value(base, token, false)
    return hasStep ? { kind: 'range', from, to: Math.max(from, spec.last), step } : { kind: 'range', from, to: from, step: 1 }
  }

  const items = text.split(',').map(parseItem)
  const values = new Uint8Array(spec.max + 1)
  for (const item of items) {
    if (item.kind !== 'every' && item.kind !== 'range') continue
    const from = item.kind === 'every' ? spec.min : item.from
    const to = item.kind === 'every' ? spec.last : item.to
    for (let v = from; v <= to; v += item.step) values[spec.key === 'dayOfWeek' ? v % 7 : v] = 1
  }
  const star = text.startsWith('*') || text.startsWith('?')
  return { spec, text, items, star, all: star && items.length === 1 && items[0]?.kind === 'every' && items[0].step === 1, values }
}
