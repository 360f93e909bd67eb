/** A table row: column name → cell value. Cells are printed with {@link formatCell}. */
export type TableRow = Readonly<Record<string, unknown>>;

/** The gap between two columns. */
const COLUMN_GAP = '  ';

/**
 * Lays out rows as a plain-text table: a header of column names, then one line per row, each
 * column padded to its widest cell. Columns are the union of the rows' keys, in first-seen order;
 * a row without a column gets an empty cell. Returns `''` for no rows.
 *
 * @example
 * ```ts
 * formatTable([{ name: 'cache', state: 'active' }, { name: 'security', state: 'failed' }]);
 * // name      state
 * // cache     active
 * // security  failed
 * ```
 */
export function formatTable(rows: readonly TableRow[]): string {
  if (rows.length === 0) return '';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const lines = [columns, ...rows.map((row) => columns.map((column) => formatCell(row[column])))];
  const widths = columns.map((_, index) => Math.max(...lines.map((line) => line[index]?.length ?? 0)));
  return lines
    .map((line) =>
      line
        .map((cell, index) => cell.padEnd(widths[index] ?? 0))
        .join(COLUMN_GAP)
        .trimEnd(),
    )
    .join('\n');
}

/**
 * The text of one value in human output: strings as they are, `null` and `undefined` as empty,
 * objects and arrays as compact JSON, anything else through `String()`.
 */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
