/**
 * CSV import and export. Reads Google Contacts, Outlook and hand-made contact sheets; writes
 * RFC 4180 CSV. Rows are split by a quote-aware scanner first so that every row knows its
 * physical line and one broken row is reported and skipped without losing the rest of the file.
 */
import { defuseFormula, undoDefuse } from '../render/csv.js';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { didYouMean } from '../core/suggest.js';
import type { RecordType } from '../core/types.js';
import { UsageError } from '../errors.js';
import {
  addUnique, emptyDraft, nameFromEmail, normalizeTag, phoneKey, setBirthday,
  type ContactDraft, type ImportIssue, type ParseResult,
} from './types.js';

export interface CsvImportOptions {
  /** Column → field overrides from `--map col=field`; column names match case-insensitively. */
  map?: Record<string, string>;
}

/** A contact field a column can feed. `given`/`middle`/`family` build the name when there is no full name. */
type ContactTarget =
  | 'name' | 'given' | 'middle' | 'family' | 'email' | 'phone' | 'company' | 'title' | 'tags'
  | 'groups' | 'birthday' | 'location' | 'city' | 'country' | 'links' | 'notes' | 'ignore';

const CONTACT_TARGETS: ReadonlySet<string> = new Set<ContactTarget>([
  'name', 'given', 'middle', 'family', 'email', 'phone', 'company', 'title', 'tags', 'groups',
  'birthday', 'location', 'city', 'country', 'links', 'notes', 'ignore',
]);

/** Spellings accepted in `--map` for each target, besides the target's own name. */
const TARGET_ALIASES: Record<string, ContactTarget> = {
  emails: 'email', phones: 'phone', tag: 'tags', note: 'notes', link: 'links', url: 'links',
  first_name: 'given', last_name: 'family', given_name: 'given', family_name: 'family', '-': 'ignore',
};

/** Exact header names (lower-cased) of Google, Outlook and generic sheets. */
const CONTACT_HEADERS: Record<string, ContactTarget> = {
  name: 'name', 'full name': 'name', 'display name': 'name', fn: 'name', contact: 'name',
  'given name': 'given', 'first name': 'given', firstname: 'given', first: 'given',
  'additional name': 'middle', 'middle name': 'middle',
  'family name': 'family', 'last name': 'family', lastname: 'family', surname: 'family', last: 'family',
  email: 'email', emails: 'email', 'e-mail': 'email', 'email address': 'email', 'e-mail address': 'email',
  'e-mail 2 address': 'email', 'e-mail 3 address': 'email', mail: 'email',
  phone: 'phone', phones: 'phone', telephone: 'phone', tel: 'phone', mobile: 'phone', cell: 'phone',
  'phone number': 'phone', 'business phone': 'phone', 'business phone 2': 'phone', 'mobile phone': 'phone',
  'home phone': 'phone', 'home phone 2': 'phone', 'primary phone': 'phone', 'other phone': 'phone',
  'company main phone': 'phone', 'car phone': 'phone',
  company: 'company', organization: 'company', organisation: 'company', 'organization name': 'company',
  org: 'company', employer: 'company',
  title: 'title', 'job title': 'title', 'organization title': 'title', position: 'title', role: 'title',
  tags: 'tags', tag: 'tags', categories: 'tags', category: 'tags', labels: 'groups', 'group membership': 'groups',
  groups: 'tags',
  birthday: 'birthday', bday: 'birthday', 'date of birth': 'birthday', dob: 'birthday', birthdate: 'birthday',
  location: 'location', city: 'city', country: 'country', 'business city': 'city', 'home city': 'city',
  'business country/region': 'country', 'home country/region': 'country',
  links: 'links', link: 'links', url: 'links', website: 'links', 'web page': 'links', linkedin: 'links',
  notes: 'notes', note: 'notes', comments: 'notes',
};

/** Numbered Google columns: `E-mail 2 - Value`, `Organization 1 - Name`, `Address 1 - City` … */
const CONTACT_PATTERNS: Array<[RegExp, ContactTarget]> = [
  [/^e-?mail \d+ - value$/, 'email'],
  [/^phone \d+ - value$/, 'phone'],
  [/^organi[sz]ation \d+ - name$/, 'company'],
  [/^organi[sz]ation \d+ - title$/, 'title'],
  [/^address \d+ - city$/, 'city'],
  [/^address \d+ - country$/, 'country'],
  [/^website \d+ - value$/, 'links'],
];

/** Columns that only describe other columns (labels, types) or carry export boilerplate. */
const NOISE_COLUMNS: RegExp[] = [
  /^.+ \d+ - (type|label)$/, /^e-mail( \d)? (type|display name)$/, /^(priority|sensitivity|private|gender)$/,
  /^(yomi name|.+ yomi|phonetic .+|file as|initials|photo)$/,
];

interface ColumnPlan {
  header: string;
  target: ContactTarget | undefined;
}

/** Reads a contacts sheet. Bad rows become issues; everything else becomes a draft. */
export function parseContactsCsv(text: string, opts: CsvImportOptions = {}): ParseResult<ContactDraft> {
  const table = readTable(text);
  if (!table.header) return { items: [], issues: table.issues };
  const plan = planContactColumns(table.header.cells, opts.map ?? {});
  const issues = [...table.issues];
  const items: ContactDraft[] = [];
  for (const row of table.rows) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    const draft = contactFromRow(row, plan, issues);
    if (draft) items.push(draft);
  }
  return { items, issues: sortIssues(issues) };
}

function planContactColumns(header: string[], map: Record<string, string>): ColumnPlan[] {
  const overrides = checkedOverrides(map, header);
  const keys = header.map((h) => h.trim().toLowerCase());
  // In an Outlook sheet `Title` is the honorific (Mr., Dr.) and `Job Title` is the job.
  const hasJobTitle = keys.includes('job title');
  return header.map((h, i) => {
    const key = keys[i];
    const override = overrides[key];
    // A --map target that is not a contact field names the key the value gets in `extra`.
    if (override !== undefined) return { header: contactTarget(override) ? h : override.trim(), target: contactTarget(override) };
    if (key === 'title' && hasJobTitle) return { header: h, target: undefined };
    return { header: h, target: CONTACT_HEADERS[key] ?? CONTACT_PATTERNS.find(([re]) => re.test(key))?.[1] };
  });
}

/** A `--map` target: a contact field, or any other name which lands in `extra` under that name. */
function contactTarget(field: string): ContactTarget | undefined {
  const f = field.trim().toLowerCase();
  if (CONTACT_TARGETS.has(f)) return f as ContactTarget;
  return TARGET_ALIASES[f];
}

function contactFromRow(row: TableRow, plan: ColumnPlan[], issues: ImportIssue[]): ContactDraft | undefined {
  const draft = emptyDraft(row.line);
  const nameParts: Partial<Record<'given' | 'middle' | 'family', string>> = {};
  const place: { city?: string; country?: string } = {};
  plan.forEach((col, i) => {
    const value = (row.cells[i] ?? '').trim();
    if (value === '') return;
    switch (col.target) {
      case 'given': case 'middle': case 'family': nameParts[col.target] ??= value; break;
      case 'city': case 'country': place[col.target] ??= value; break;
      case 'ignore': break;
      case undefined: addExtra(draft, col.header, value); break;
      default: applyContactValue(draft, col.target, value, row.line, issues);
    }
  });
  draft.name ??= joinName(nameParts) ?? (draft.emails[0] ? nameFromEmail(draft.emails[0]) : undefined);
  draft.location ??= [place.city, place.country].filter(Boolean).join(', ') || undefined;
  if (!draft.name && draft.emails.length === 0 && draft.phones.length === 0) {
    issues.push({ line: row.line, message: 'row has no name, email or phone; skipped' });
    return undefined;
  }
  return draft;
}

function applyContactValue(draft: ContactDraft, target: ContactTarget, value: string, line: number, issues: ImportIssue[]): void {
  switch (target) {
    case 'name': draft.name ??= value; break;
    case 'company': draft.company ??= value; break;
    case 'title': draft.title ??= value; break;
    case 'location': draft.location ??= value; break;
    case 'notes': draft.notes = draft.notes ? `${draft.notes}\n\n${value}` : value; break;
    case 'email': addEmails(draft, value, line, issues); break;
    // Google packs several numbers of one kind into one cell: `+1 555 ::: +1 556`.
    case 'phone': for (const p of value.split(/\s*(?::::|;)\s*/)) addUnique(draft.phones, p, phoneKey); break;
    case 'links': for (const l of value.split(/\s*:::\s*|\s+/)) addUnique(draft.links, l, (s) => s); break;
    case 'tags': for (const t of value.split(/\s*[;,]\s*/)) addUnique(draft.tags, normalizeTag(t)); break;
    case 'groups': addGroups(draft, value); break;
    case 'birthday': setBirthday(draft, value, line, issues); break;
    default: break;
  }
}

function addEmails(draft: ContactDraft, value: string, line: number, issues: ImportIssue[]): void {
  for (const email of value.split(/\s*(?::::|[;,])\s*/)) {
    if (email === '') continue;
    if (/^[^\s@]+@[^\s@]+$/.test(email)) addUnique(draft.emails, email);
    else issues.push({ line, message: `'${email}' is not an email address; ignored` });
  }
}

// Google system groups that say nothing about the person.
const GOOGLE_BOOKKEEPING_GROUPS = new Set(['* mycontacts', '* starred']);

/** Google `Group Membership`/`Labels`: `* myContacts ::: Friends ::: * Family`. */
function addGroups(draft: ContactDraft, value: string): void {
  for (const group of value.split(/\s*:::\s*/)) {
    if (GOOGLE_BOOKKEEPING_GROUPS.has(group.toLowerCase())) continue;
    addUnique(draft.tags, normalizeTag(group.replace(/^\*\s*/, '')));
  }
}

function joinName(parts: Partial<Record<'given' | 'middle' | 'family', string>>): string | undefined {
  return [parts.given, parts.middle, parts.family].filter(Boolean).join(' ') || undefined;
}

function addExtra(draft: ContactDraft, header: string, value: string): void {
  const key = header.trim();
  if (NOISE_COLUMNS.some((re) => re.test(key.toLowerCase()))) return;
  if (!(key in draft.extra)) draft.extra[key] = value;
}

// ---------------------------------------------------------------------------------------------
// Companies, deals, interactions, reminders

export interface RecordRow {
  fields: Record<string, unknown>;
  line: number;
}

/** Header spellings from other CRMs' exports, per record type, mapped to touchbase keys. */
const RECORD_ALIASES: Partial<Record<RecordType, Record<string, string>>> = {
  company: { company: 'name', company_name: 'name', organization: 'name', website: 'domain', url: 'domain', employees: 'size', categories: 'tags' },
  deal: { name: 'title', deal: 'title', deal_name: 'title', amount: 'value', deal_value: 'value', close_date: 'expected_close', deal_stage: 'stage', contact: 'contacts', categories: 'tags' },
  interaction: { contact: 'contacts', type: 'channel', subject: 'summary', notes: 'body', details: 'body' },
  reminder: { task: 'text', title: 'text', due_date: 'due', contact: 'contact' },
};

const LIST_FIELDS = new Set(['tags', 'contacts', 'emails', 'phones', 'links']);
const NUMBER_FIELDS = new Set(['value', 'probability']);

/**
 * Reads a sheet of companies, deals, interactions or reminders: each header becomes a snake_case
 * key (after `opts.map` and the aliases above), list fields split on `;`, numeric fields become
 * numbers, empty cells are omitted. Checking required fields is the importer's job.
 */
export function parseRecordsCsv(text: string, type: RecordType, opts: CsvImportOptions = {}): ParseResult<RecordRow> {
  const table = readTable(text);
  if (!table.header) return { items: [], issues: table.issues };
  const overrides = checkedOverrides(opts.map ?? {}, table.header.cells);
  const aliases = RECORD_ALIASES[type] ?? {};
  const keys = table.header.cells.map((h) => {
    const override = overrides[h.trim().toLowerCase()];
    if (override !== undefined) return override.trim();
    const key = snakeCase(h);
    return aliases[key] ?? key;
  });
  const issues = [...table.issues];
  const items: RecordRow[] = [];
  for (const row of table.rows) {
    const fields: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      const value = (row.cells[i] ?? '').trim();
      if (value === '' || key === '' || key === 'ignore' || key === '-' || key in fields) return;
      fields[key] = recordValue(key, value, row.line, issues);
    });
    if (Object.keys(fields).length > 0) items.push({ fields, line: row.line });
  }
  return { items, issues: sortIssues(issues) };
}

function recordValue(key: string, value: string, line: number, issues: ImportIssue[]): unknown {
  if (LIST_FIELDS.has(key)) return value.split(/\s*;\s*/).filter((v) => v !== '');
  if (NUMBER_FIELDS.has(key)) {
    // Accept `12,500.00`, `$12500` and `50%` (probability) as spreadsheets write them.
    const cleaned = value.replace(/[\s,$€£]/g, '');
    const percent = cleaned.endsWith('%');
    const n = Number(percent ? cleaned.slice(0, -1) : cleaned);
    if (cleaned !== '' && Number.isFinite(n)) return percent ? n / 100 : n;
    issues.push({ line, message: `${key} '${value}' is not a number; kept as text` });
  }
  return value;
}

function snakeCase(header: string): string {
  return header.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

// ---------------------------------------------------------------------------------------------
// Reading rows with their line numbers

interface TableRow {
  cells: string[];
  line: number;
}

interface Table {
  header?: TableRow;
  rows: TableRow[];
  issues: ImportIssue[];
}

/** Splits the text into rows (header first), reporting rows that do not parse or have the wrong width. */
function readTable(text: string): Table {
  const issues: ImportIssue[] = [];
  const rows: TableRow[] = [];
  let header: TableRow | undefined;
  for (const chunk of splitRecords(text.replace(/^\uFEFF/, ''))) {
    const cells = chunk.error ?? parseOneRecord(chunk.text);
    if (typeof cells === 'string' && !header) {
      // Without its header no row can be understood: stop rather than read data as column names.
      return { rows, issues: [{ line: chunk.line, message: `the header row cannot be read: ${cells}` }] };
    }
    if (typeof cells === 'string') {
      issues.push({ line: chunk.line, message: `malformed row: ${cells}; skipped` });
    } else if (!header) {
      header = { cells, line: chunk.line };
    } else if (cells.length !== header.cells.length) {
      issues.push({ line: chunk.line, message: `expected ${header.cells.length} columns, found ${cells.length}; row skipped` });
    } else {
      // Cells an export defused against formulas (`'=…`, `'+49 …`) are read as they were.
      rows.push({ cells: cells.map(undoDefuse), line: chunk.line });
    }
  }
  if (!header) issues.push({ line: 1, message: 'the file has no header row' });
  return { header, rows, issues };
}

function parseOneRecord(text: string): string[] | string {
  try {
    const records = parse(text, { relax_column_count: true }) as string[][];
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

/** `--map` keyed by lower-cased column; a column the file does not have is a usage error, not a silent no-op. */
function checkedOverrides(map: Record<string, string>, header: string[]): Record<string, string> {
  const columns = new Set(header.map((h) => h.trim().toLowerCase()));
  const overrides: Record<string, string> = {};
  for (const [column, field] of Object.entries(map)) {
    const key = column.trim().toLowerCase();
    if (!columns.has(key)) throw new UsageError(`--map: the file has no column '${column}'`, didYouMean(column, header));
    overrides[key] = field;
  }
  return overrides;
}

function sortIssues(issues: ImportIssue[]): ImportIssue[] {
  return [...issues].sort((a, b) => a.line - b.line);
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface CsvExportOptions {
  /** Prefix a UTF-8 byte order mark so Excel opens accented text correctly. */
  bom?: boolean;
}

/** RFC 4180 CSV with a header row and CRLF line ends; lists are joined with `; `. */
export function toCsv(rows: Array<Record<string, unknown>>, columns: string[], opts: CsvExportOptions = {}): string {
  const body = stringify(
    rows.map((row) => columns.map((c) => (typeof row[c] === 'number' ? cellText(row[c]) : defuseFormula(cellText(row[c]))))),
    // With CRLF records csv-stringify would leave a bare LF unquoted, which breaks the row.
    { header: true, columns, record_delimiter: '\r\n', quoted_match: /[\r\n]/ },
  );
  // csv-stringify omits the header when there are no rows; a header-only file is still useful.
  const text = rows.length === 0 ? stringify([columns], { record_delimiter: '\r\n' }) : body;
  return (opts.bom ? '\uFEFF' : '') + text;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    const allScalars = value.every((v) => v === null || typeof v !== 'object');
    return allScalars ? value.filter((v) => v !== null && v !== undefined).map(String).join('; ') : JSON.stringify(value);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
