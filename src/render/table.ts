/** Tables for humans (cli-table3) and the machine formats (json, csv, md) for rows of values. */
import Table from 'cli-table3';
import { csvText, defuseFormula } from '../core/csv-text.js';
import { displayWidth, truncateToWidth } from './width.js';
import { terminalSafe } from './safe-text.js';

export type Cell = string | number | boolean | null | undefined | string[];

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(cellText).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function truncate(text: string, width: number): string {
  return truncateToWidth(text, width);
}

/**
 * A borderless table that fits `width` columns: the widest columns are shrunk first and their cells
 * truncated with an ellipsis.
 */
export function renderTable(headers: string[], rows: Cell[][], opts: { width: number; head?: (s: string) => string }): string {
  // Cells come from files: control characters are shown escaped, never sent to the terminal.
  const texts = rows.map((r) => r.map((c) => terminalSafe(cellText(c).replace(/\s*\n\s*/g, ' '))));
  // Display columns, not characters: a CJK name takes two columns a character (cli-table3 agrees).
  const widths = headers.map((h, i) => Math.max(h.length, ...texts.map((r) => displayWidth(r[i] ?? ''))));
  const gap = 2;
  const budget = opts.width - gap * (headers.length - 1);
  // Shrink the widest column first. Short values (dates, stages, amounts) and ids keep their full
  // width while long text can give: a truncated id or date is useless, a truncated title is not.
  const contentMax = headers.map((_, i) => Math.max(0, ...texts.map((r) => displayWidth(r[i] ?? ''))));
  const floor = headers.map((h, i) => (ID_COLUMNS.has(h) || contentMax[i] <= 14 ? Math.max(contentMax[i], 4) : 8));
  while (widths.reduce((a, b) => a + b, 0) > budget) {
    let i = -1;
    widths.forEach((w, j) => {
      if (w > floor[j] && (i < 0 || w > widths[i])) i = j;
    });
    if (i < 0) break;
    widths[i] -= 1;
  }
  // cli-table3's layout is quadratic in the number of rows (it checks every cell for spans), so
  // long tables are laid out in blocks of rows: with fixed column widths, no borders and one line
  // per row, the blocks join into exactly the text one table would give.
  const lines: string[] = [];
  for (let start = 0; start === 0 || start < texts.length; start += TABLE_BLOCK) {
    const table = new Table({
      head: headers.map((h) => (opts.head ? opts.head(h) : h)),
      chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
      wordWrap: false,
      colWidths: widths,
      truncate: '…',
    });
    for (const r of texts.slice(start, start + TABLE_BLOCK)) table.push(r.map((c, i) => truncate(c, widths[i])));
    const block = table.toString().split('\n');
    lines.push(...(start === 0 ? block : block.slice(1)));
  }
  return lines.map((l) => l.replace(/\s+$/, '')).join('\n');
}

const TABLE_BLOCK = 100;
/** Columns of ids (the record's own, or the one it refers to): never cut, whatever the width. */
const ID_COLUMNS = new Set(['id', 'contact', 'deal', 'company']);

export function renderMarkdownTable(headers: string[], rows: Cell[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`| ${headers.map(esc).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.map((c) => esc(cellText(c))).join(' | ')} |`);
  return lines.join('\n');
}

/** CSV: a list is one cell of `a; b`, as `tb export csv` writes it (and imports it back). */
export function renderCsvTable(headers: string[], rows: Cell[][]): string {
  const text = (v: Cell) => defuseFormula(Array.isArray(v) ? v.map(cellText).join('; ') : cellText(v));
  return csvText([headers.map(defuseFormula), ...rows.map((r) => r.map(text))]);
}
