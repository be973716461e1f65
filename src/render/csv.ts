/**
 * A spreadsheet runs a cell starting with = + - @ (or tab, CR) as a formula (`=HYPERLINK(…)`).
 * Such a text cell gets the conventional `'` in front, shown by spreadsheets as the plain text;
 * plain numbers like -5 cannot be formulas and are kept. `tb import csv` takes the `'` off again.
 */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}

/** The text of a cell defused by defuseFormula, as it was: what `tb import csv` reads. */
export function undoDefuse(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/** RFC 4180 CSV text: quote fields with commas, quotes or line breaks; CRLF line ends. Formulas defused. */
export function csvField(raw: string): string {
  const value = defuseFormula(raw);
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsvText(rows: string[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
