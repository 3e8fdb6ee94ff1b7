/** Output for people and for scripts. Data goes to stdout; logs and errors to stderr. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`)
}

/** A row (or rows) with camelCase keys; values, such as a job's configuration, stay as they are. */
export function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize)
  if (value === null || typeof value !== 'object' || value instanceof Date) return value
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), inner]),
  )
}

/** A plain text table with a header row; columns as wide as their widest cell. */
export function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()
  printLine(line(headers))
  for (const row of rows) printLine(line(row))
}

let commandExitCode = 0

/** Lets a command finish with a non-zero exit code without throwing (e.g. a tenant failed). */
export function setExitCode(code: number): void {
  commandExitCode = Math.max(commandExitCode, code)
}

export function takeExitCode(): number {
  const code = commandExitCode
  commandExitCode = 0
  return code
}
