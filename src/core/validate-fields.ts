/**
 * The checks of one record's field values against their declared kinds (core/schema.ts): required,
 * dates, instants, lists, numbers, enums, booleans, intervals, emails, single references, derived
 * keys. The tables are derived from the schema once, at module load. Used by core/validate.ts.
 */
import { isEmailAddress } from './email-address.js';
import type { Config, CrmRecord, Problem, RecordType } from './types.js';
import { RECORD_TYPES } from './types.js';
import { FIELD_ORDER, SCHEMA, UNSTORABLE_FIELDS, type FieldDeclaration } from './schema.js';
import { daysInMonth, hasIsoDateShape, isIsoDate, parseDuration, YEAR_MAX, YEAR_MIN } from './dates.js';
import { asList, asNumber, asString, normalizeRef } from './fields.js';
import { didYouMean } from './suggest.js';
import { ENUM_LABEL, enumValues } from './enums.js';
import { parseInstant } from './instants.js';
import { BOOLEAN_FIELDS, BOOLEAN_SPELLINGS, parseBoolean } from './booleans.js';

export type Severity = Problem['severity'];

/** Collects problems for one record. */
export interface Reporter {
  (message: string, key?: string, severity?: Severity): void;
}

// The tables below are derived from core/schema.ts once, at module load.

interface Declared extends FieldDeclaration {
  /** The key as written in the file: the field's name or one of its aliases. */
  key: string;
}

/** Each field of a type, then each alias of it right after (a deal's `contact` after `contacts`). */
const DECLARED: Readonly<Record<RecordType, readonly Declared[]>> = Object.fromEntries(
  SCHEMA.map((t) => [t.type, (t.fields as readonly FieldDeclaration[]).flatMap((f) => [f, ...(f.aliases ?? []).map((alias) => ({ ...f, name: alias }))]).map((f) => ({ ...f, key: f.name }))]),
) as Record<RecordType, Declared[]>;

function declared(type: RecordType, test: (f: Declared) => boolean): readonly Declared[] {
  return DECLARED[type].filter(test);
}

export function perType<V>(value: (type: RecordType) => V): Readonly<Record<RecordType, V>> {
  return Object.fromEntries(RECORD_TYPES.map((t) => [t, value(t)])) as Record<RecordType, V>;
}

const isAlias = (f: Declared, type: RecordType): boolean => !FIELD_ORDER[type].includes(f.key);

export const REQUIRED = perType((t) => declared(t, (f) => f.required === true && !isAlias(f, t)));

/** Plain date fields; datetime and yearless dates are checked on their own. */
const DATE_FIELDS = perType((t) => declared(t, (f) => f.kind === 'date' && !f.yearless).map((f) => f.key));
const DATE_TIME_FIELDS = perType((t) => declared(t, (f) => f.kind === 'datetime').map((f) => f.key));
export const INSTANT_FIELDS = perType((t) => declared(t, (f) => f.kind === 'instant').map((f) => f.key));
const YEARLESS_DATE_FIELDS = perType((t) => declared(t, (f) => f.kind === 'date' && f.yearless === true).map((f) => f.key));

/** List fields keep their shape on every type (`tags` on an interaction is still a list). */
const LIST_FIELDS = RECORD_TYPES.flatMap((t) => declared(t, (f) => f.kind === 'list' && !isAlias(f, t)));
/** A plain string here is readable (asList wraps it) but not the documented shape. */
const LOOSE_LIST_FIELDS = [...new Set(LIST_FIELDS.filter((f) => f.loose === true).map((f) => f.key))];
/** Must be YAML lists: strict lists, entries, and references to several records written as a list. */
const STRICT_LIST_FIELDS = perType((t) => [
  ...new Set(LIST_FIELDS.filter((f) => !f.loose).map((f) => f.key)),
  ...declared(t, (f) => !isAlias(f, t) && (f.kind === 'entries' || (f.kind === 'ref' && f.many === 'list'))).map((f) => f.key),
]);

interface RefField {
  key: string;
  target: RecordType;
  /** Whether the key may hold several ids. */
  many: boolean;
}

export const REF_FIELDS = perType((t): readonly RefField[] =>
  declared(t, (f) => f.kind === 'ref').map((f) => ({ key: f.key, target: f.target as RecordType, many: f.many !== undefined })),
);

const NUMBER_FIELDS = perType((t) => declared(t, (f) => f.kind === 'number'));
const CURRENCY_FIELDS = perType((t) => declared(t, (f) => f.kind === 'currency').map((f) => f.key));
const INTERVAL_FIELDS = perType((t) => declared(t, (f) => f.kind === 'interval').map((f) => f.key));
const ENUM_FIELDS = perType((t) => declared(t, (f) => f.kind === 'enum'));

/** The shape `tb check` accepts for an email; imports test values with it before writing them. */
export const looksLikeEmail = isEmailAddress;

export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value quoted for a message, kept short. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return `'${text.length > 40 ? `${text.slice(0, 37)}...` : text}'`;
}

export function withHint(message: string, word: string, candidates: Iterable<string>): string {
  const hint = didYouMean(word, candidates);
  return hint ? `${message}; ${hint}` : message;
}

/**
 * The id an Obsidian link names. `"[[acme]]"` is a string; unquoted `[[acme]]` is YAML for a list
 * holding a list holding `acme`, so both shapes are links.
 */
export function linkTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return /^\s*\[\[.*\]\]\s*$/.test(value) ? normalizeRef(value) : undefined;
  if (Array.isArray(value) && value.length === 1 && Array.isArray(value[0]) && value[0].length === 1) {
    const inner: unknown = value[0][0];
    if (typeof inner === 'string' || typeof inner === 'number') return normalizeRef(String(inner));
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Per-field checks

/** Problem text for a value that should be a date, or undefined when it is one. */
export function dateProblem(key: string, value: unknown, allowTime: boolean): string | undefined {
  const expected = allowTime ? 'a date YYYY-MM-DD (optionally with a time, YYYY-MM-DDTHH:MM)' : 'a date YYYY-MM-DD';
  if (typeof value !== 'string' || !hasIsoDateShape(value, allowTime)) return `'${key}' must be ${expected}, got ${show(value)}`;
  if (Number(value.slice(0, 4)) < YEAR_MIN) return `'${key}' has a year before ${YEAR_MIN}: ${show(value)} (tb reads the years ${YEAR_MIN}–${YEAR_MAX})`;
  if (!isIsoDate(value)) return `'${key}' is not a real date: ${show(value)}`;
  return undefined;
}

/** Birthdays may omit the year, as vCard does: `--MM-DD`. */
function yearlessDateProblem(key: string, value: unknown): string | undefined {
  if (typeof value === 'string') {
    const m = /^--(\d{2})-(\d{2})$/.exec(value);
    if (m) {
      const [month, day] = [Number(m[1]), Number(m[2])];
      // 2000 is a leap year, so --02-29 is a real birthday.
      const real = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(2000, month);
      return real ? undefined : `'${key}' is not a real date: ${show(value)}`;
    }
  }
  const problem = dateProblem(key, value, false);
  return problem?.replace('a date YYYY-MM-DD', 'a date YYYY-MM-DD or --MM-DD');
}

/** The first wrong date of a record's front matter (tb import refuses such records), or undefined. */
export function firstDateProblem(type: RecordType, data: Record<string, unknown>): string | undefined {
  const problems: string[] = [];
  checkDates({ type, id: '', path: '', data } as CrmRecord, (message: string) => problems.push(message));
  return problems[0];
}

export function checkDates(rec: CrmRecord, report: Reporter): void {
  const d = rec.data;
  const check = (keys: readonly string[], problemOf: (key: string, value: unknown) => string | undefined): void => {
    for (const key of keys) {
      if (isAbsent(d[key])) continue;
      const problem = problemOf(key, d[key]);
      if (problem) report(problem, key);
    }
  };
  check(DATE_FIELDS[rec.type], (key, value) => dateProblem(key, value, false));
  check(DATE_TIME_FIELDS[rec.type], (key, value) => dateProblem(key, value, true));
  check(YEARLESS_DATE_FIELDS[rec.type], yearlessDateProblem);
}

/** Instants (a case's `opened` …): a date-time with or without an offset, or a date. */
export function checkInstants(rec: CrmRecord, report: Reporter): void {
  for (const key of INSTANT_FIELDS[rec.type]) {
    const v = rec.data[key];
    if (isAbsent(v) || parseInstant(v) !== undefined) continue;
    report(`'${key}' must be a date-time like 2026-11-20T09:15+01:00 (or YYYY-MM-DDTHH:MM), got ${show(v)}`, key);
  }
}

export function checkLists(rec: CrmRecord, report: Reporter): void {
  const d = rec.data;
  for (const key of LOOSE_LIST_FIELDS) {
    const v = d[key];
    if (isAbsent(v)) continue;
    if (Array.isArray(v)) {
      if (v.some((item) => typeof item === 'object' && item !== null)) report(`'${key}' must be a list of text values`, key);
    } else if (isMapping(v)) report(`'${key}' must be a list, not a mapping`, key);
    else report(`'${key}' should be a list, e.g. ${key}: [${String(v)}]`, key, 'warning');
  }
  // `contacts` on deals and interactions is a list of ids; a link `[[ada]]` parses as a list too.
  for (const key of STRICT_LIST_FIELDS[rec.type]) {
    const v = d[key];
    if (!isAbsent(v) && !Array.isArray(v)) report(`'${key}' must be a list, got ${show(v)}`, key);
  }
}

export function checkNumbers(rec: CrmRecord, report: Reporter): void {
  const d = rec.data;
  for (const f of NUMBER_FIELDS[rec.type]) {
    if (isAbsent(d[f.key])) continue;
    const n = asNumber(d[f.key]);
    const bounded = f.min !== undefined || f.max !== undefined;
    if (n !== undefined && (f.min === undefined || n >= f.min) && (f.max === undefined || n <= f.max)) continue;
    const range = bounded ? ` from ${f.min ?? '-∞'} to ${f.max ?? '∞'}` : '';
    report(`'${f.key}' must be a number${range}, got ${show(d[f.key])}`, f.key);
  }
  for (const key of CURRENCY_FIELDS[rec.type]) {
    const v = d[key];
    if (!isAbsent(v) && !(typeof v === 'string' && /^[A-Za-z]{3}$/.test(v))) {
      report(`'${key}' must be a 3-letter code such as EUR, got ${show(v)}`, key);
    }
  }
}

export function checkEnums(rec: CrmRecord, config: Config, report: Reporter): void {
  const d = rec.data;
  for (const f of ENUM_FIELDS[rec.type]) {
    const allowed = enumValues(f, config);
    const v = d[f.key];
    // No owners configured means any owner goes.
    if (isAbsent(v) || (f.from === 'owners' && !allowed.length)) continue;
    const text = asString(v);
    if (text !== undefined && allowed.includes(text)) continue;
    const base = `${f.from ? ENUM_LABEL[f.from] : f.key} ${show(v)} is not one of: ${allowed.join(', ')}`;
    report(text === undefined ? base : withHint(base, text, allowed), f.key);
  }
}

/** do_not_contact, unsubscribed …: a boolean spelling or an error (never silently false). */
export function checkBooleans(rec: CrmRecord, report: Reporter): void {
  for (const key of BOOLEAN_FIELDS[rec.type] ?? []) {
    const v = rec.data[key];
    if (v === undefined || v === null) continue;
    const b = parseBoolean(v);
    if (b === undefined) report(`'${key}' must be ${BOOLEAN_SPELLINGS}, got ${show(v)}`, key);
    else if (typeof v !== 'boolean') report(`'${key}' is read as ${b}; write ${key}: ${b}`, key, 'warning');
  }
}

export function checkIntervals(rec: CrmRecord, report: Reporter): void {
  for (const key of INTERVAL_FIELDS[rec.type]) {
    const v = rec.data[key];
    if (isAbsent(v)) continue;
    if (typeof v !== 'string' || !parseDuration(v)) report(`'${key}' must be an interval like 30d, 2w, 3m or 1y, got ${show(v)}`, key);
  }
}

export function checkEmails(rec: CrmRecord, report: Reporter): void {
  for (const key of ['emails', 'email']) {
    for (const email of asList(rec.data[key])) {
      if (!isEmailAddress(email)) report(`${show(email)} does not look like an email address`, key);
    }
  }
}

/** `company` and `deal` name one record; a list there is a mistake unless it is a `[[link]]`. */
export function checkSingleRefs(rec: CrmRecord, report: Reporter): void {
  for (const ref of REF_FIELDS[rec.type]) {
    const v = rec.data[ref.key];
    if (ref.many || isAbsent(v) || linkTarget(v) !== undefined) continue;
    if (typeof v === 'object') report(`'${ref.key}' must be a single ${ref.target} id, got ${show(v)}`, ref.key);
  }
}

/** `interactions: 5` on a contact would sit beside the computed count and contradict it. */
export function checkDerivedKeys(rec: CrmRecord, report: Reporter): void {
  for (const key of UNSTORABLE_FIELDS[rec.type]) {
    if (Object.hasOwn(rec.data, key)) report(`'${key}' is a derived field (computed from other records) and cannot be stored; remove it`, key);
  }
}

export function checkRequired(rec: CrmRecord, report: Reporter): void {
  for (const f of REQUIRED[rec.type]) {
    // An interaction may name its one contact as `contact:`, which the readers accept.
    const spellings = [f.name, ...(f.aliases ?? [])];
    if (spellings.every((key) => isAbsent(rec.data[key]))) report(`missing required field '${f.name}'`, f.name);
  }
}

