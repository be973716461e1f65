/** Tables for humans (cli-table3) and the machine formats (json, csv, md) for rows of values. */
import Table from 'cli-table3';
import { toCsvText } from './csv.js';

export type Cell = string | number | boolean | null | undefined | string[];

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(cellText).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(1, width - 1)).join('')}…`;
}

/**
 * A borderless table that fits `width` columns: the widest columns are shrunk first and their cells
 * truncated with an ellipsis.
 */
export function renderTable(headers: string[], rows: Cell[][], opts: { width: number; head?: (s: string) => string }): string {
  const texts = rows.map((r) => r.map((c) => cellText(c).replace(/\s*\n\s*/g, ' ')));
  const widths = headers.map((h, i) => Math.max(h.length, ...texts.map((r) => [...(r[i] ?? '')].length)));
  const gap = 2;
  const budget = opts.width - gap * (headers.length - 1);
  while (widths.reduce((a, b) => a + b, 0) > budget) {
    const max = Math.max(...widths);
    const i = widths.indexOf(max);
    if (max <= 6) break;
    widths[i] = max - 1;
  }
  const table = new Table({
    head: headers.map((h) => (opts.head ? opts.head(h) : h)),
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    wordWrap: false,
  });
  for (const r of texts) table.push(r.map((c, i) => truncate(c, widths[i])));
  return table
    .toString()
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n');
}

export function renderMarkdownTable(headers: string[], rows: Cell[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`| ${headers.map(esc).join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.map((c) => esc(cellText(c))).join(' | ')} |`);
  return lines.join('\n');
}

export function renderCsvTable(headers: string[], rows: Cell[][]): string {
  return toCsvText([headers, ...rows.map((r) => r.map(cellText))]);
}
