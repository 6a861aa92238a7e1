/**
 * A plain text table: a header, a rule, figures right-aligned and words left-aligned. console.table
 * would print an index column and quoted strings.
 */
export type Cell = string | number | boolean | null | undefined;

export function formatTable(rows: Record<string, Cell>[], columns = Object.keys(rows[0] ?? {})): string {
  const text = (v: Cell) => (v === null || v === undefined ? "" : String(v));
  const numeric = columns.map((c) => rows.every((r) => isFigure(r[c])));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [
    line(columns),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(columns.map((c) => text(r[c])))),
  ].join("\n");
}

function isFigure(v: Cell): boolean {
  return v == null || typeof v === "number" || /^(-|[-+]?[\d.,]+ ?(%|x|ms|s)?)$/.test(String(v));
}

/** Milliseconds with a precision that suits their size: 0.42, 12.3, 1860. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return "-";
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return value.toFixed(0);
}

export function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "-";
}
