/**
 * CSV import and export. Reads Google Contacts, Outlook, helpdesk/CRM and hand-made contact
 * sheets, comma-, semicolon- or tab-separated (rows and delimiters: ./csv-table.ts; locale number
 * and date shapes: ./csv-locale.ts); writes RFC 4180 CSV.
 */
import { csvText, defuseFormula } from '../core/csv-text.js';
import type { RecordType } from '../core/types.js';
import { declarationOf, LIST_REFERENCE_KEYS, LIST_VALUED_FIELDS } from '../core/schema.js';
import { checkedOverrides, delimiterName, readTable, unrecognisedHeader } from './csv-table.js';
import {
  addressColumn, CONTACT_HEADERS, CONTACT_PATTERNS, CONTACT_TARGETS, contactHeaderScore, eventColumn, GROUP_TYPE, NOISE_COLUMNS, TARGET_ALIASES,
  type ColumnPlan, type ContactTarget,
} from './csv-headers.js';
export { parseDelimiter } from './csv-table.js';
import type { Delimiter, Table, TableRow } from './csv-table.js';
import { decideConventions, decimalEvidence, parseLocaleDate, parseLocaleNumber, parsePlainNumber } from './csv-locale.js';
import type { CsvConventions } from './csv-locale.js';
import {
  addAddress, addEmail, addUnique, emptyDraft, isBlankBirthday, locationOf, nameFromEmail, normalizeBirthday, normalizeTag, phoneKey,
  setBirthday, stripControls, type ContactDraft, type ImportIssue, type ParseResult, type PostalAddress,
} from './types.js';
import type { RecordRow } from '../core/import-shapes.js';

export interface CsvImportOptions {
  /** Column → field overrides from `--map col=field`; column names match case-insensitively. */
  map?: Record<string, string>;
  /** `--delimiter`; when absent the header row decides (comma, semicolon or tab). */
  delimiter?: Delimiter;
}

/** How a CSV file was read: the `csv` object of `tb import csv --json` (docs/import-export.md). */
export interface CsvReading {
  delimiter: string;
  /** `header`: the header row decided; `given`: `--delimiter` or the file's `sep=` line. */
  delimiter_from: 'header' | 'given';
  /** Present when the sheet has number-typed cells (a deal's value) or numbers in custom columns: `,` for `4.800,50`. */
  decimal_separator?: ',' | '.';
  decimal_from?: 'values' | 'assumed';
  /** Present when the sheet has dates not written YYYY-MM-DD: `DMY` for `23.11.2026`. */
  date_order?: 'DMY' | 'MDY';
  date_order_from?: 'values' | 'assumed';
}

export interface CsvParseResult<T> extends ParseResult<T> {
  reading: CsvReading;
}

function readingOf(table: Table, conventions?: CsvConventions, typed?: { numbers: boolean; dates: boolean }): CsvReading {
  return {
    delimiter: delimiterName(table.delimiter),
    delimiter_from: table.delimiterGiven ? 'given' : 'header',
    ...(conventions && typed?.numbers ? { decimal_separator: conventions.decimal, decimal_from: conventions.decimalFrom } : {}),
    ...(conventions && typed?.dates ? { date_order: conventions.dateOrder, date_order_from: conventions.dateOrderFrom } : {}),
  };
}

/** Cells that are dates in another shape than YYYY-MM-DD (`23.11.2026`, `11/23/2026`). */
function localeDates(values: string[]): string[] {
  return values.filter((v) => /^\d{1,2}[./-]\d{1,2}[./-]\d{4}/.test(v.trim()));
}

/** Targets that make a row a contact: without a column for one of them nothing can be imported. */
const IDENTIFYING: ReadonlySet<ContactTarget | undefined> = new Set<ContactTarget>(['name', 'given', 'middle', 'family', 'email', 'phone', 'id']);

function identifiesContacts(plan: ColumnPlan[]): boolean {
  return plan.some((c) => IDENTIFYING.has(c.target));
}

/** Reads a contacts sheet. Bad rows become issues; everything else becomes a draft. */
export function parseContactsCsv(text: string, opts: CsvImportOptions = {}): CsvParseResult<ContactDraft> {
  const mapped = new Set(Object.keys(opts.map ?? {}).map((k) => k.trim().toLowerCase()));
  // A column named in --map counts as known: it helps the header row decide the delimiter.
  const headerScore = (cells: string[]) => contactHeaderScore(cells) + cells.filter((c) => mapped.has(c.trim().toLowerCase())).length;
  const table = readTable(text, { delimiter: opts.delimiter, headerScore });
  if (!table.header) return { items: [], issues: table.issues, reading: readingOf(table) };
  const plan = planContactColumns(table, opts.map ?? {});
  if (!identifiesContacts(plan)) {
    const issue = unrecognisedHeader(table, 'name, email or phone', (cells) => identifiesContacts(planContactColumns({ ...table, header: { ...table.header!, cells } }, {})));
    return { items: [], issues: [issue], reading: readingOf(table) };
  }
  const { conventions, numbers, dates } = readContactConventions(table.rows, plan, table.delimiter);
  const issues = [...table.issues];
  const items: ContactDraft[] = [];
  for (const row of table.rows) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    const draft = contactFromRow(row, plan, conventions.decimal, issues);
    if (draft) items.push(draft);
  }
  return { items, issues: sortIssues(issues), reading: readingOf(table, conventions, { numbers, dates }) };
}

/** A custom column's cell that reads as a number in either convention: the file's evidence. */
function numberCandidates(cells: string[]): string[] {
  return cells.filter((v) => parsePlainNumber(v, ',') !== undefined || parsePlainNumber(v, '.') !== undefined);
}

/**
 * The file's conventions from its birthdays and anniversaries (`23.11.1980`, `11/23/1980`, which
 * become YYYY-MM-DD in place) and the numbers in its custom columns (`1.234,56`, `12,5`, which
 * contactFromRow writes as numbers): csv-locale.ts decides per file.
 */
function readContactConventions(rows: TableRow[], plan: ColumnPlan[], delimiter: Delimiter): { conventions: CsvConventions; numbers: boolean; dates: boolean } {
  const columns = plan.flatMap((c, i) => (c.target === 'birthday' || c.target === 'anniversary' || c.event?.part === 'value' ? [i] : []));
  const custom = plan.flatMap((c, i) => (c.target === undefined && !c.address && !c.event ? [i] : []));
  const dates = localeDates(rows.flatMap((r) => columns.map((i) => r.cells[i] ?? '')));
  const numbers = numberCandidates(rows.flatMap((r) => custom.map((i) => r.cells[i] ?? '')));
  const conventions = decideConventions(numbers, dates, delimiter);
  for (const row of rows) {
    for (const i of columns) {
      const iso = row.cells[i] ? parseLocaleDate(row.cells[i], conventions.dateOrder) : undefined;
      if (iso) row.cells[i] = iso.slice(0, 10);
    }
  }
  // Integers alone read alike in both conventions: only a separator makes the reading worth saying.
  return { conventions, numbers: numbers.some((v) => /[.,]/.test(v)), dates: dates.length > 0 };
}

function planContactColumns(table: Table, map: Record<string, string>): ColumnPlan[] {
  const header = table.header?.cells ?? [];
  const overrides = checkedOverrides(map, table);
  const keys = header.map((h) => h.trim().toLowerCase());
  // In an Outlook sheet `Title` is the honorific (Mr., Dr.) and `Job Title` is the job.
  const hasJobTitle = keys.includes('job title');
  // German sheets write `Vorname;Name`: beside a given-name column and no family one, `Name` is the family name.
  const nameIsFamily = keys.some((k) => CONTACT_HEADERS[k] === 'given') && !keys.some((k) => CONTACT_HEADERS[k] === 'family');
  return header.map((h, i) => {
    const key = keys[i];
    const override = overrides[key];
    // A --map target that is not a contact field names the key the value gets in `extra`.
    if (override !== undefined) return { header: contactTarget(override) ? h : override.trim(), target: contactTarget(override) };
    if (key === 'title' && hasJobTitle) return { header: h, target: undefined };
    if (key === 'name' && nameIsFamily) return { header: h, target: 'family' };
    const address = addressColumn(key);
    if (address) return { header: h, target: undefined, address };
    const event = eventColumn(key);
    if (event) return { header: h, target: undefined, event };
    return { header: h, target: CONTACT_HEADERS[key] ?? CONTACT_PATTERNS.find(([re]) => re.test(key))?.[1] };
  });
}

/** A `--map` target: a contact field, or any other name which lands in `extra` under that name. */
function contactTarget(field: string): ContactTarget | undefined {
  const f = field.trim().toLowerCase();
  if (CONTACT_TARGETS.has(f)) return f as ContactTarget;
  return TARGET_ALIASES[f];
}

function contactFromRow(row: TableRow, plan: ColumnPlan[], decimal: CsvConventions['decimal'], issues: ImportIssue[]): ContactDraft | undefined {
  const draft = emptyDraft(row.line);
  const nameParts: Partial<Record<'given' | 'middle' | 'family', string>> = {};
  const birth: Partial<Record<'birth_year' | 'birth_month' | 'birth_day', string>> = {};
  const addresses = new Map<string, PostalAddress & { street2?: string; formatted?: string }>();
  const part = (group: string) => addresses.get(group) ?? addresses.set(group, { type: GROUP_TYPE[group] }).get(group)!;
  const events = new Map<string, { type?: string; value?: string }>();
  plan.forEach((col, i) => {
    const value = stripControls(row.cells[i] ?? '').trim();
    if (value === '') return;
    if (col.event) {
      const e = events.get(col.event.group) ?? events.set(col.event.group, {}).get(col.event.group)!;
      e[col.event.part] ??= value.replace(/^\*\s*/, '');
      return;
    }
    if (col.address) {
      const a = part(col.address.group);
      // Google labels read `* Home` for the primary one.
      a[col.address.part] ??= col.address.part === 'type' ? value.replace(/^\*\s*/, '') : value;
      return;
    }
    switch (col.target) {
      case 'given': case 'middle': case 'family': nameParts[col.target] ??= value; break;
      case 'birth_year': case 'birth_month': case 'birth_day': birth[col.target] ??= value; break;
      case 'city': case 'country': case 'street': case 'region': case 'postcode': part('main')[col.target] ??= value; break;
      case 'ignore': break;
      // A custom column's `1.234,56` is a number in this file's shape, as a deal's value is.
      case undefined: addExtra(draft, col.header, parsePlainNumber(value, decimal) ?? value); break;
      default: applyContactValue(draft, col.target, value, row.line, issues);
    }
  });
  draft.name ??= joinName(nameParts) ?? (draft.emails[0] ? nameFromEmail(draft.emails[0]) : undefined);
  for (const a of addresses.values()) {
    const { street2, formatted, ...rest } = a;
    const street = [rest.street, street2].filter(Boolean).join('\n') || undefined;
    // Only the formatted text (Google) when the exporter split nothing: keep it as the street.
    const only = Object.entries({ ...rest, street }).some(([k, v]) => k !== 'type' && v) ? undefined : formatted;
    addAddress(draft.addresses, { ...rest, street: street ?? only });
  }
  // tb's own export (an id column) has its own location column; other sheets get "city, country".
  if (!draft.ref) draft.location ??= draft.addresses.map(locationOf).find(Boolean);
  // Google: `Event 1 - Type` Anniversary (or a label of the user's own) with its date.
  for (const e of events.values()) {
    if (!e.value) continue;
    const key = !e.type || /^anniversary$/i.test(e.type) ? 'anniversary' : snakeCase(e.type);
    if (key && draft.extra[key] === undefined) draft.extra[key] = normalizeBirthday(e.value) ?? e.value;
  }
  if (birth.birth_month && birth.birth_day) {
    const mm = birth.birth_month.padStart(2, '0');
    const dd = birth.birth_day.padStart(2, '0');
    setBirthday(draft, birth.birth_year ? `${birth.birth_year.padStart(4, '0')}-${mm}-${dd}` : `--${mm}-${dd}`, row.line, issues);
  }
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
    case 'email': for (const e of value.split(/\s*(?::::|[;,])\s*/)) addEmail(draft, e, line, issues); break;
    // Google packs several numbers of one kind into one cell: `+1 555 ::: +1 556`.
    case 'phone': for (const p of value.split(/\s*(?::::|;)\s*/)) addUnique(draft.phones, p, phoneKey); break;
    // tb's own export joins lists with `; `; Google with ` ::: `.
    case 'links': for (const l of value.split(/\s*(?::::|;)\s*|\s+/)) addUnique(draft.links, l, (s) => s); break;
    case 'department': case 'nickname': draft.extra[target] ??= value; break;
    case 'anniversary': if (!isBlankBirthday(value)) draft.extra.anniversary ??= normalizeBirthday(value) ?? value; break;
    case 'id': draft.ref ??= value.toLowerCase(); break;
    case 'connected_on': draft.extra.connected_on ??= dayMonthYear(value) ?? value; break;
    case 'addresses': addJsonAddresses(draft, value, line, issues); break;
    case 'tags': for (const t of value.split(/\s*[;,]\s*/)) addUnique(draft.tags, normalizeTag(t)); break;
    case 'groups': addGroups(draft, value); break;
    case 'birthday': setBirthday(draft, value, line, issues); break;
    default: break;
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** LinkedIn's `14 Mar 2024` → `2024-03-14`; undefined for any other spelling. */
function dayMonthYear(value: string): string | undefined {
  const m = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$/.exec(value.trim());
  const month = m ? MONTHS.indexOf(m[2].toLowerCase()) + 1 : 0;
  return m && month > 0 ? normalizeBirthday(`${m[3]}-${String(month).padStart(2, '0')}-${m[1].padStart(2, '0')}`) : undefined;
}

/** tb's own export writes a list of mappings as JSON in one cell. */
function addJsonAddresses(draft: ContactDraft, value: string, line: number, issues: ImportIssue[]): void {
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) {
    issues.push({ line, message: 'the addresses cell is not a JSON list of addresses; kept as addresses_text' });
    draft.extra.addresses_text ??= value;
    return;
  }
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const a: PostalAddress = {};
    for (const [k, v] of Object.entries(item as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') (a as Record<string, string>)[k] = String(v);
    addAddress(draft.addresses, a);
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

function addExtra(draft: ContactDraft, header: string, value: string | number): void {
  const key = header.trim();
  if (NOISE_COLUMNS.some((re) => re.test(key.toLowerCase()))) return;
  if (!(key in draft.extra)) draft.extra[key] = value;
}

// ---------------------------------------------------------------------------------------------
// Companies, deals, interactions, reminders

export type { RecordRow } from '../core/import-shapes.js';

/** Header spellings from other CRMs' exports, per record type, mapped to touchbase keys. */
const RECORD_ALIASES: Partial<Record<RecordType, Record<string, string>>> = {
  company: {
    company: 'name', company_name: 'name', organization: 'name', website: 'domain', url: 'domain', employees: 'size', categories: 'tags',
    firma: 'name', unternehmen: 'name', branche: 'industry', webseite: 'domain', mitarbeiter: 'size',
    societe: 'name', entreprise: 'name', secteur: 'industry', site_web: 'domain', effectif: 'size',
  },
  deal: {
    name: 'title', deal: 'title', deal_name: 'title', amount: 'value', deal_value: 'value', close_date: 'expected_close', deal_stage: 'stage', contact: 'contacts', categories: 'tags',
    // HubSpot and Zoho deal exports.
    closing_date: 'expected_close', account_name: 'company', contact_name: 'contacts', create_date: 'created', created_time: 'created',
    // German and French sheets (Excel in those locales), header accents folded: Währung → wahrung.
    titel: 'title', bezeichnung: 'title', firma: 'company', unternehmen: 'company', kunde: 'company', kontakt: 'contacts', ansprechpartner: 'contacts',
    wert: 'value', betrag: 'value', volumen: 'value', wahrung: 'currency', abschluss: 'expected_close', abschlussdatum: 'expected_close',
    phase: 'stage', wahrscheinlichkeit: 'probability',
    titre: 'title', intitule: 'title', societe: 'company', entreprise: 'company', montant: 'value', devise: 'currency', etape: 'stage',
    date_de_cloture: 'expected_close', cloture: 'expected_close', probabilite: 'probability',
  },
  interaction: { contact: 'contacts', type: 'channel', subject: 'summary', notes: 'body', details: 'body' },
  reminder: { task: 'text', title: 'text', due_date: 'due', contact: 'contact' },
};

/** Keys whose cells split on `;`: plain lists and lists of references (a reminder's one `contact` stays whole). */
const LIST_FIELDS: ReadonlySet<string> = new Set([...LIST_VALUED_FIELDS, ...LIST_REFERENCE_KEYS]);

/** The keys of a type's number-typed and date-typed fields (the schema's kinds). */
function typedKeys(type: RecordType): { numbers: Set<string>; dates: Set<string>; days: Set<string>; declared: Set<string> } {
  const fields = declarationOf(type).fields;
  const named = (kinds: string[]) => new Set(fields.filter((f) => kinds.includes(f.kind)).map((f) => f.name));
  const declared = new Set(fields.flatMap((f) => [f.name, ...(f.aliases ?? [])]));
  return { numbers: named(['number']), dates: named(['date', 'datetime']), days: named(['date']), declared };
}

/**
 * Reads a sheet of companies, deals, interactions or reminders: each header becomes a snake_case
 * key (after `opts.map` and the aliases above), list fields split on `;`, numeric fields become
 * numbers, empty cells are omitted. Checking required fields is the importer's job.
 */
export function parseRecordsCsv(text: string, type: RecordType, opts: CsvImportOptions = {}): CsvParseResult<RecordRow> {
  const table = readTable(text, { delimiter: opts.delimiter });
  if (!table.header) return { items: [], issues: table.issues, reading: readingOf(table) };
  const overrides = checkedOverrides(opts.map ?? {}, table);
  const aliases = RECORD_ALIASES[type] ?? {};
  const keyOf = (h: string) => {
    const override = overrides[h.trim().toLowerCase()];
    if (override !== undefined) return override.trim();
    const key = snakeCase(h);
    return aliases[snakeCase(withoutAccents(h))] ?? aliases[key] ?? key;
  };
  const keys = table.header.cells.map(keyOf);
  // A sheet with a column for none of the required fields (a deal's title) is refused, as a
  // contacts sheet with no name, email or phone column is: every row would be skipped.
  const required = declarationOf(type).fields.filter((f) => f.required).map((f) => f.name);
  const lacking = required.filter((r) => !keys.includes(r));
  if (required.length && lacking.length === required.length) {
    const recognised = (cells: string[]) => required.some((r) => cells.map(keyOf).includes(r));
    return { items: [], issues: [...table.issues, unrecognisedHeader(table, lacking.join(' or '), recognised)], reading: readingOf(table) };
  }
  const typed = typedKeys(type);
  const cellsOf = (wanted: (key: string) => boolean) => table.rows.flatMap((r) => keys.flatMap((k, i) => (wanted(k) ? [r.cells[i] ?? ''] : [])));
  const [known, dates] = [cellsOf((k) => typed.numbers.has(k)).filter((v) => v.trim() !== ''), localeDates(cellsOf((k) => typed.dates.has(k)))];
  // Custom columns' numbers decide the decimal separator only when the known ones do not.
  const custom = numberCandidates(cellsOf((k) => !typed.declared.has(k) && !LIST_FIELDS.has(k)));
  const numbers = known.some((v) => decimalEvidence(v)) ? known : [...known, ...custom];
  const conventions = decideConventions(numbers, dates, table.delimiter);
  const issues = [...table.issues];
  const items: RecordRow[] = [];
  for (const row of table.rows) {
    const fields: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      const value = (row.cells[i] ?? '').trim();
      if (value === '' || key === '' || key === 'ignore' || key === '-' || key in fields) return;
      fields[key] = recordValue(key, value, { ...typed, conventions }, row.line, issues);
    });
    if (Object.keys(fields).length > 0) items.push({ fields, line: row.line });
  }
  const reading = readingOf(table, conventions, { numbers: known.length > 0 || custom.some((v) => /[.,]/.test(v)), dates: dates.length > 0 });
  return { items, issues: sortIssues(issues), reading };
}

interface CellTypes {
  numbers: Set<string>;
  dates: Set<string>;
  /** Date fields without a time: HubSpot's `2026-12-15 00:00` is the day. */
  days: Set<string>;
  /** Every field the schema declares: the others are custom columns. */
  declared: Set<string>;
  conventions: CsvConventions;
}

function recordValue(key: string, value: string, types: CellTypes, line: number, issues: ImportIssue[]): unknown {
  if (LIST_FIELDS.has(key)) return value.split(/\s*;\s*/).filter((v) => v !== '');
  if (types.numbers.has(key)) {
    // `12,500.00`, `4.800,50`, `4 800,50`, `$12500` and `50%` (probability) as spreadsheets write them.
    const percent = value.trim().endsWith('%');
    const n = parseLocaleNumber(value, types.conventions.decimal);
    if (n !== undefined) return percent ? n / 100 : n;
    const shape = types.conventions.decimal === ',' ? 'decimal comma, as 4.800,50' : 'decimal point, as 4,800.50';
    issues.push({ line, message: `${key} '${value}' is not a number in this file's shape (${shape}); kept as text` });
  }
  // A custom column's `1.234,56` is a number in this file's shape, as a deal's value is.
  if (!types.declared.has(key)) return parsePlainNumber(value, types.conventions.decimal) ?? value;
  if (!types.dates.has(key)) return value;
  const date = parseLocaleDate(value, types.conventions.dateOrder) ?? value;
  const isoWithTime = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?$/.exec(date);
  if (!isoWithTime) return date;
  return types.days.has(key) ? isoWithTime[1] : `${isoWithTime[1]}T${isoWithTime[2]}`;
}

function withoutAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '');
}

/** `Währung (€)` → `wahrung`: accents folded, not dropped (`w_hrung`). */
function snakeCase(header: string): string {
  return withoutAccents(header.trim().toLowerCase().replace(/ß/g, 'ss')).replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface CsvExportOptions {
  /** Prefix a UTF-8 byte order mark so Excel opens accented text correctly. */
  bom?: boolean;
}

/** RFC 4180 CSV with a header row and CRLF line ends; lists are joined with `; `. */
export function toCsv(rows: Array<Record<string, unknown>>, columns: string[], opts: CsvExportOptions = {}): string {
  const cells = rows.map((row) => columns.map((c) => (typeof row[c] === 'number' ? cellText(row[c]) : defuseFormula(cellText(row[c])))));
  const text = csvText([columns, ...cells]);
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

function sortIssues(issues: ImportIssue[]): ImportIssue[] {
  return [...issues].sort((a, b) => a.line - b.line);
}
