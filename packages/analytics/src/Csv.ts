/**
 * CSV export of a view's table (dashboard.md §2.2: owner, admin and member may export; viewers
 * get `YAVIO-3103` in the RPC layer). RFC 4180 quoting, CRLF line ends, a header row, and cells
 * that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the start) prefixed
 * with `'`: tool arguments and error messages come from end users.
 */

export interface CsvColumn<A> {
  readonly header: string
  readonly value: (row: A) => unknown
}

const FORMULA_START = /^[=+\-@\t\r]/

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return ""
  let text =
    typeof value === "string"
      ? value
      : typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : JSON.stringify(value)
  // Numbers are data, not formulas: only text is neutralised.
  if (typeof value !== "number" && FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export const toCsv = <A>(columns: ReadonlyArray<CsvColumn<A>>, rows: ReadonlyArray<A>): string => {
  const lines = [columns.map((column) => cell(column.header)).join(",")]
  for (const row of rows) lines.push(columns.map((column) => cell(column.value(row))).join(","))
  return `${lines.join("\r\n")}\r\n`
}
