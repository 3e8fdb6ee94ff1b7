import { expect } from 'vitest'
import { nextOccurrences } from '../../../src/cron/index.js'

/** One expectation: the runs strictly after `from`, as UTC ISO strings without milliseconds. */
export interface Row {
  readonly expr: string
  readonly tz: string
  readonly from: string
  readonly expected: readonly string[]
  readonly why: string
  /** How many runs to ask for; defaults to expected.length (more when expecting fewer). */
  readonly count?: number
}

export function checkRow(row: Row): void {
  const runs = nextOccurrences(row.expr, { timezone: row.tz, from: new Date(row.from), count: row.count ?? row.expected.length })
  expect(runs.map((run) => run.toISOString().replace('.000Z', 'Z'))).toEqual(row.expected)
}
