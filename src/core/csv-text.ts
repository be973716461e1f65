/**
 * The one CSV writer (csv-stringify): `--format csv` tables and `tb export csv` both write through
 * it, so both quote, end lines and defuse formulas alike. Pure text in, text out.
 */
import { stringify } from 'csv-stringify/sync';

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

/**
 * RFC 4180 CSV text of rows of cells as given (defuse text cells first): CRLF line ends; fields
 * with commas, quotes, line breaks or blanks at either end quoted. (With CRLF records csv-stringify
 * would leave a bare LF unquoted, which breaks the row; a spreadsheet trims unquoted blanks.)
 */
export function csvText(rows: readonly string[][]): string {
  return stringify(rows as string[][], { record_delimiter: '\r\n', quoted_match: [/[\r\n]/, /^\s|\s$/] });
}
