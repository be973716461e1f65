/**
 * Reading a CSV file into rows that know their physical line. Rows are cut by a quote-aware
 * scanner first, so one broken row is reported and skipped without losing the rest of the file;
 * each row is then parsed by csv-parse with the file's delimiter.
 *
 * The delimiter is the file's own choice: Excel writes commas in English locales and semicolons
 * in most European ones (where the comma is the decimal separator); many helpdesk and CRM exports
 * follow the locale too, and some write tabs. The header row decides (docs/import-export.md).
 */
import { parse } from 'csv-parse/sync';
import { undoDefuse } from '../core/csv-text.js';
import { didYouMean } from '../core/suggest.js';
import { UsageError } from '../errors.js';
import type { ImportIssue } from '../core/import-shapes.js';

export type Delimiter = ',' | ';' | '\t' | '|';

export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** `comma`, `semicolon` … as the messages and the JSON summary name them. */
export function delimiterName(d: Delimiter): string {
  return DELIMITER_NAMES[d];
}

/** `--delimiter`: a character (`;`, `,`, `|`, a real tab or `\t`) or its name (`semicolon`, `tab` …). */
export function parseDelimiter(word: string): Delimiter {
  const w = word.trim().toLowerCase();
  const byName = (Object.entries(DELIMITER_NAMES) as Array<[Delimiter, string]>).find(([, name]) => name === w)?.[0];
  if (byName) return byName;
  if (w === '\\t' || word === '\t') return '\t';
  if (w === ',' || w === ';' || w === '|') return w;
  throw new UsageError(`--delimiter '${word}' is not a CSV delimiter`, "use one of: comma (','), semicolon (';'), tab, pipe ('|')");
}

export interface TableRow {
  cells: string[];
  line: number;
  /** The row as written (the header's is quoted in messages). */
  text: string;
}

export interface Table {
  header?: TableRow;
  rows: TableRow[];
  issues: ImportIssue[];
  delimiter: Delimiter;
  /** True when the file or `--delimiter` said which delimiter it is, false when the header decided. */
  delimiterGiven: boolean;
}

export interface TableOptions {
  /** `--delimiter`; when absent the header row decides. */
  delimiter?: Delimiter;
  /** How much a row looks like this kind of sheet's header (the number of cells naming a known column). */
  headerScore?: (cells: string[]) => number;
}

/**
 * Splits the text into rows (header first), reporting rows that do not parse or have the wrong
 * width. The header is the first row, unless `headerScore` finds a better one among the first
 * rows: LinkedIn's Connections.csv starts with a "Notes:" preamble. Rows with extra cells that are
 * all empty (Thunderbird ends every row with a comma) are trimmed.
 */
export function readTable(raw: string, opts: TableOptions = {}): Table {
  const issues: ImportIssue[] = [];
  let text = raw.replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) {
    issues.push({ line: lineOf(text, text.indexOf('\u0000')), message: 'NUL characters in the file were removed' });
    text = text.replace(/\u0000/g, '');
  }
  const chunks = splitRecords(text);
  // Excel reads (and some exporters write) a first line `sep=;` naming the delimiter.
  const sep = chunks.length ? /^sep=(.)$/i.exec(chunks[0].text.trim()) : null;
  if (sep) chunks.shift();
  const given = opts.delimiter ?? (sep && isDelimiter(sep[1]) ? sep[1] : undefined);
  const score = opts.headerScore ?? (() => 0);
  const delimiter = given ?? chooseDelimiter(chunks, score);
  const table = readRows(chunks, findHeader(chunks, score, delimiter), delimiter, issues);
  return { ...table, delimiter, delimiterGiven: given !== undefined };
}

function isDelimiter(c: string): c is Delimiter {
  return c === ',' || c === ';' || c === '\t' || c === '|';
}

/**
 * The delimiter under which the header row names the most known columns, then splits into the
 * most cells; a tie keeps the earlier of comma, semicolon, tab.
 */
function chooseDelimiter(chunks: RawRecord[], score: (cells: string[]) => number): Delimiter {
  let best: { d: Delimiter; score: number; cells: number } = { d: ',', score: -1, cells: 0 };
  for (const d of DELIMITERS) {
    const at = findHeader(chunks, score, d);
    const cells = chunks[at] ? parseOneRecord(chunks[at], d) : [];
    if (typeof cells === 'string') continue;
    const s = score(cells);
    if (s > best.score || (s === best.score && cells.length > best.cells)) best = { d, score: s, cells: cells.length };
  }
  return best.d;
}

function readRows(chunks: RawRecord[], headerAt: number, delimiter: Delimiter, issues: ImportIssue[]): Omit<Table, 'delimiter' | 'delimiterGiven'> {
  const rows: TableRow[] = [];
  let header: TableRow | undefined;
  for (const chunk of chunks.slice(headerAt)) {
    const cells = parseOneRecord(chunk, delimiter);
    if (typeof cells === 'string' && !header) {
      // Without its header no row can be understood: stop rather than read data as column names.
      return { rows, issues: [{ line: chunk.line, message: `the header row cannot be read: ${cells}` }] };
    }
    if (typeof cells === 'string') {
      issues.push({ line: chunk.line, message: `malformed row: ${cells}; skipped` });
    } else if (!header) {
      header = { cells: trimTrailingEmpty(cells), line: chunk.line, text: chunk.text };
    } else {
      const width = header.cells.length;
      const fitted = cells.length > width && cells.slice(width).every((c) => c.trim() === '') ? cells.slice(0, width) : cells;
      // A short row may be half of a record an unquoted line break cut: never guess its columns.
      if (fitted.length !== width) {
        issues.push({ line: chunk.line, message: `expected ${width} columns, found ${cells.length}; row skipped` });
      } else {
        // Cells an export defused against formulas (`'=…`, `'+49 …`) are read as they were.
        rows.push({ cells: fitted.map(undoDefuse), line: chunk.line, text: chunk.text });
      }
    }
  }
  if (!header) issues.push({ line: 1, message: 'the file has no header row' });
  return { header, rows, issues };
}

/** Index of the header among the first rows: the first that scores best, at least 2. */
function findHeader(chunks: RawRecord[], score: (cells: string[]) => number, delimiter: Delimiter): number {
  let best = 0;
  let bestScore = 1;
  for (let i = 0; i < Math.min(chunks.length, 12); i++) {
    const cells = parseOneRecord(chunks[i], delimiter);
    if (typeof cells === 'string') continue;
    const s = score(cells);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  }
  return best;
}

function trimTrailingEmpty(cells: string[]): string[] {
  let end = cells.length;
  while (end > 1 && cells[end - 1].trim() === '') end--;
  return cells.slice(0, end);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text[i] === '\n') line++;
  return line;
}

function parseOneRecord(chunk: RawRecord, delimiter: Delimiter): string[] | string {
  if (chunk.error) return chunk.error;
  try {
    const records = parse(chunk.text, { relax_column_count: true, delimiter }) as string[][];
    return records[0] ?? [];
  } catch (err) {
    // csv-parse reports positions within this one record; the caller knows the real line.
    return err instanceof Error ? err.message.replace(/ at line \d+/, '').replace(/:.*$/, '') : String(err);
  }
}

interface RawRecord {
  text: string;
  line: number;
  error?: string;
}

/**
 * Cuts the text into records at line breaks outside quotes. A quote left open to the end of the
 * file is reported on the line it opened, and reading resumes on the next line.
 */
function splitRecords(text: string): RawRecord[] {
  const records: RawRecord[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  let lineIndex = 0;
  while (lineIndex < lineStarts.length) {
    const start = lineStarts[lineIndex];
    const end = recordEnd(text, start);
    if (end === undefined) {
      records.push({ text: '', line: lineIndex + 1, error: 'a quoted cell is never closed' });
      lineIndex++;
      continue;
    }
    const raw = text.slice(start, end).replace(/\r?\n$/, '');
    if (raw.trim() !== '') records.push({ text: raw, line: lineIndex + 1 });
    lineIndex += countNewlines(text, start, end);
    if (end >= text.length && !text.slice(start, end).endsWith('\n')) break;
  }
  return records;
}

/** Index just after the newline ending the record that starts at `start`; undefined when a quote never closes. */
function recordEnd(text: string, start: number): number | undefined {
  let inQuotes = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\n' && !inQuotes) return i + 1;
  }
  return inQuotes ? undefined : text.length;
}

function countNewlines(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (text[i] === '\n') n++;
  return Math.max(n, 1);
}

/** How a message shows the header it read: `"Name;E-Mail" read as comma-separated`. */
export function describeHeader(table: Table): string {
  const text = table.header?.text ?? '';
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `header ${JSON.stringify(shown)} read as ${delimiterName(table.delimiter)}-separated`;
}

/** The hint for a header that names nothing known: the delimiter under which it would, if any. */
function delimiterHint(table: Table, wanted: (cells: string[]) => boolean): string | undefined {
  const text = table.header?.text;
  if (text === undefined) return undefined;
  const other = DELIMITERS.find((d) => d !== table.delimiter && wanted(parseCells(text, d)));
  return other ? `the header looks ${delimiterName(other)}-separated: add --delimiter ${other === '\t' ? 'tab' : `'${other}'`}` : undefined;
}

function parseCells(text: string, d: Delimiter): string[] {
  const cells = parseOneRecord({ text, line: 0 }, d);
  return typeof cells === 'string' ? [] : cells;
}

/**
 * `--map` keyed by lower-cased column. A column the file does not have is a usage error naming
 * the header as read and its delimiter, not a silent no-op.
 */
export function checkedOverrides(map: Record<string, string>, table: Table): Record<string, string> {
  const header = table.header?.cells ?? [];
  const columns = new Set(header.map((h) => h.trim().toLowerCase()));
  const overrides: Record<string, string> = {};
  for (const [column, field] of Object.entries(map)) {
    const key = column.trim().toLowerCase();
    if (!columns.has(key)) {
      const other = delimiterHint(table, (cells) => cells.some((c) => c.trim().toLowerCase() === key));
      throw new UsageError(`--map: the file has no column '${column}' (${describeHeader(table)})`, other ?? didYouMean(column, header));
    }
    overrides[key] = field;
  }
  return overrides;
}

/** The refusal for a header in which no column is recognised, with the delimiter that would help. */
export function unrecognisedHeader(table: Table, what: string, recognised: (cells: string[]) => boolean): ImportIssue {
  const hint = delimiterHint(table, recognised);
  const advice = hint ?? `name the delimiter with --delimiter or a column with --map column=field`;
  return { line: table.header?.line ?? 1, message: `no ${what} column recognised in the ${describeHeader(table)}; nothing imported (${advice})` };
}
