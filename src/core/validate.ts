/**
 * The checks behind `tb check`: every problem a loaded dataset can have that the parser did not
 * already report. Pure: records in, problems out. Problems carry the top-level key they are about
 * (line 0); the store layer turns the key into a line.
 */
import { isEmailAddress } from './email-address.js';
import { nearMissField } from './field-names.js';
import { keysWithControlChars } from './control-chars.js';
import type { Config, CrmRecord, Dataset, FieldDef, Problem, RecordType } from './types.js';
import { allRecords, FOLDER_OF, RECORD_TYPES } from './types.js';
import { declarationOf, FIELD_ORDER, SCHEMA, UNSTORABLE_FIELDS, type FieldDeclaration } from './schema.js';
import { daysInMonth, hasIsoDateShape, isIsoDate, parseDuration, YEAR_MAX, YEAR_MIN } from './dates.js';
import { asList, asNumber, asRefList, asString, normalizeRef } from './fields.js';
import { dealHistory } from './derived.js';
import { stageById } from './config.js';
import { didYouMean } from './suggest.js';
import { isValidSlug, slugify } from './slug.js';
import { caseOrderProblems, caseSettingsOf } from './cases.js';
import { ENUM_LABEL, enumValues } from './enums.js';
import { parseInstant } from './instants.js';
import { BOOLEAN_FIELDS, BOOLEAN_SPELLINGS, parseBoolean } from './booleans.js';
import { caseInstantProblems } from './instant-range.js';

type Severity = Problem['severity'];

/** Collects problems for one record. */
interface Reporter {
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

function perType<V>(value: (type: RecordType) => V): Readonly<Record<RecordType, V>> {
  return Object.fromEntries(RECORD_TYPES.map((t) => [t, value(t)])) as Record<RecordType, V>;
}

const isAlias = (f: Declared, type: RecordType): boolean => !FIELD_ORDER[type].includes(f.key);

const REQUIRED = perType((t) => declared(t, (f) => f.required === true && !isAlias(f, t)));

/** Plain date fields; datetime and yearless dates are checked on their own. */
const DATE_FIELDS = perType((t) => declared(t, (f) => f.kind === 'date' && !f.yearless).map((f) => f.key));
const DATE_TIME_FIELDS = perType((t) => declared(t, (f) => f.kind === 'datetime').map((f) => f.key));
const INSTANT_FIELDS = perType((t) => declared(t, (f) => f.kind === 'instant').map((f) => f.key));
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

const REF_FIELDS = perType((t): readonly RefField[] =>
  declared(t, (f) => f.kind === 'ref').map((f) => ({ key: f.key, target: f.target as RecordType, many: f.many !== undefined })),
);

const NUMBER_FIELDS = perType((t) => declared(t, (f) => f.kind === 'number'));
const CURRENCY_FIELDS = perType((t) => declared(t, (f) => f.kind === 'currency').map((f) => f.key));
const INTERVAL_FIELDS = perType((t) => declared(t, (f) => f.kind === 'interval').map((f) => f.key));
const ENUM_FIELDS = perType((t) => declared(t, (f) => f.kind === 'enum'));

/** The shape `tb check` accepts for an email; imports test values with it before writing them. */
export const looksLikeEmail = isEmailAddress;

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value quoted for a message, kept short. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return `'${text.length > 40 ? `${text.slice(0, 37)}...` : text}'`;
}

function withHint(message: string, word: string, candidates: Iterable<string>): string {
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

function checkDates(rec: CrmRecord, report: Reporter): void {
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
function checkInstants(rec: CrmRecord, report: Reporter): void {
  for (const key of INSTANT_FIELDS[rec.type]) {
    const v = rec.data[key];
    if (isAbsent(v) || parseInstant(v) !== undefined) continue;
    report(`'${key}' must be a date-time like 2026-11-20T09:15+01:00 (or YYYY-MM-DDTHH:MM), got ${show(v)}`, key);
  }
}

function checkLists(rec: CrmRecord, report: Reporter): void {
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

function checkNumbers(rec: CrmRecord, report: Reporter): void {
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

function checkEnums(rec: CrmRecord, config: Config, report: Reporter): void {
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
function checkBooleans(rec: CrmRecord, report: Reporter): void {
  for (const key of BOOLEAN_FIELDS[rec.type] ?? []) {
    const v = rec.data[key];
    if (v === undefined || v === null) continue;
    const b = parseBoolean(v);
    if (b === undefined) report(`'${key}' must be ${BOOLEAN_SPELLINGS}, got ${show(v)}`, key);
    else if (typeof v !== 'boolean') report(`'${key}' is read as ${b}; write ${key}: ${b}`, key, 'warning');
  }
}

function checkIntervals(rec: CrmRecord, report: Reporter): void {
  for (const key of INTERVAL_FIELDS[rec.type]) {
    const v = rec.data[key];
    if (isAbsent(v)) continue;
    if (typeof v !== 'string' || !parseDuration(v)) report(`'${key}' must be an interval like 30d, 2w, 3m or 1y, got ${show(v)}`, key);
  }
}

function checkEmails(rec: CrmRecord, report: Reporter): void {
  for (const key of ['emails', 'email']) {
    for (const email of asList(rec.data[key])) {
      if (!isEmailAddress(email)) report(`${show(email)} does not look like an email address`, key);
    }
  }
}

/** `company` and `deal` name one record; a list there is a mistake unless it is a `[[link]]`. */
function checkSingleRefs(rec: CrmRecord, report: Reporter): void {
  for (const ref of REF_FIELDS[rec.type]) {
    const v = rec.data[ref.key];
    if (ref.many || isAbsent(v) || linkTarget(v) !== undefined) continue;
    if (typeof v === 'object') report(`'${ref.key}' must be a single ${ref.target} id, got ${show(v)}`, ref.key);
  }
}

/** `interactions: 5` on a contact would sit beside the computed count and contradict it. */
function checkDerivedKeys(rec: CrmRecord, report: Reporter): void {
  for (const key of UNSTORABLE_FIELDS[rec.type]) {
    if (Object.hasOwn(rec.data, key)) report(`'${key}' is a derived field (computed from other records) and cannot be stored; remove it`, key);
  }
}

function checkRequired(rec: CrmRecord, report: Reporter): void {
  for (const f of REQUIRED[rec.type]) {
    // An interaction may name its one contact as `contact:`, which the readers accept.
    const spellings = [f.name, ...(f.aliases ?? [])];
    if (spellings.every((key) => isAbsent(rec.data[key]))) report(`missing required field '${f.name}'`, f.name);
  }
}

// ---------------------------------------------------------------------------------------------
// Custom fields from config.fields

const TYPE_OF_ON: Readonly<Record<string, RecordType>> = Object.fromEntries(
  RECORD_TYPES.flatMap((t) => [[t, t], [FOLDER_OF[t], t]]),
);

function fieldApplies(def: FieldDef, type: RecordType): boolean {
  if (def.on === undefined || def.on === null) return true;
  const targets = Array.isArray(def.on) ? def.on : [def.on];
  return targets.some((t) => TYPE_OF_ON[String(t).toLowerCase()] === type);
}

function customFieldProblem(key: string, def: FieldDef, v: unknown): string | undefined {
  switch (def.type) {
    case 'number': {
      const n = asNumber(v);
      if (n === undefined) return `'${key}' must be a number, got ${show(v)}`;
      if (typeof def.min === 'number' && n < def.min) return `'${key}' must be at least ${def.min}, got ${n}`;
      if (typeof def.max === 'number' && n > def.max) return `'${key}' must be at most ${def.max}, got ${n}`;
      break;
    }
    case 'date':
      return dateProblem(key, v, false);
    case 'boolean':
      if (typeof v !== 'boolean') return `'${key}' must be true or false, got ${show(v)}`;
      break;
    case 'list':
      if (!Array.isArray(v)) return `'${key}' must be a list, got ${show(v)}`;
      break;
    case 'string':
      if (typeof v === 'object') return `'${key}' must be text, got ${show(v)}`;
      break;
  }
  if (Array.isArray(def.values) && def.values.length) {
    const allowed = def.values.map(String);
    for (const item of Array.isArray(v) ? v : [v]) {
      const text = asString(item);
      if (text === undefined || !allowed.includes(text)) {
        return withHint(`'${key}' value ${show(item)} is not one of: ${allowed.join(', ')}`, text ?? '', allowed);
      }
    }
  }
  return undefined;
}

function checkCustomFields(rec: CrmRecord, config: Config, report: Reporter): void {
  for (const [key, def] of Object.entries(config.fields)) {
    if (!fieldApplies(def, rec.type)) continue;
    const v = rec.data[key];
    if (isAbsent(v)) {
      if (def.required === true) report(`missing required field '${key}'`, key);
      continue;
    }
    const problem = customFieldProblem(key, def, v);
    if (problem) report(problem, key);
  }
}

// ---------------------------------------------------------------------------------------------
// Checks that need the other records

type IdIndex = Readonly<Record<RecordType, ReadonlySet<string>>>;

/** The record type a root-relative path is filed under, from its first folder. */
function typeOfPath(rel: string): RecordType | undefined {
  const folder = rel.slice(0, rel.indexOf('/'));
  return RECORD_TYPES.find((t) => FOLDER_OF[t] === folder);
}

function buildIdIndex(ds: Dataset, unreadable: readonly string[]): IdIndex {
  const index = perType((t) => new Set((ds[FOLDER_OF[t]] ?? []).map((r) => r.id)));
  for (const rel of unreadable) {
    const type = typeOfPath(rel);
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (type && base.endsWith('.md')) index[type].add(base.slice(0, -3));
  }
  return index;
}

function checkReferences(rec: CrmRecord, ids: IdIndex, report: Reporter): void {
  for (const ref of REF_FIELDS[rec.type]) {
    const v = rec.data[ref.key];
    if (isAbsent(v)) continue;
    const link = linkTarget(v);
    const targets = link !== undefined ? [link] : asRefList(v);
    for (const id of targets) {
      if (!ids[ref.target].has(id)) report(withHint(`unknown ${ref.target} ${show(id)}`, id, ids[ref.target]), ref.key);
    }
  }
}

/** Records sharing an id make every reference to that id ambiguous, whatever their folders. */
function duplicateIdProblems(records: CrmRecord[]): Problem[] {
  const byId = new Map<string, CrmRecord[]>();
  for (const r of records) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const problems: Problem[] = [];
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    for (const r of group) {
      const others = group.filter((o) => o !== r).map((o) => o.path);
      problems.push({ path: r.path, line: 0, severity: 'error', message: `duplicate id '${id}': also used by ${others.join(', ')}` });
    }
  }
  return problems;
}

/** Two contacts with the same email are most likely the same person. */
function duplicateEmailProblems(contacts: CrmRecord[]): Problem[] {
  const owners = new Map<string, Array<{ rec: CrmRecord; key: string }>>();
  for (const rec of contacts) {
    const seen = new Set<string>();
    for (const key of ['emails', 'email']) {
      for (const raw of asList(rec.data[key])) {
        const email = raw.trim().toLowerCase();
        if (!email || seen.has(email)) continue;
        seen.add(email);
        owners.set(email, [...(owners.get(email) ?? []), { rec, key }]);
      }
    }
  }
  const problems: Problem[] = [];
  for (const [email, group] of owners) {
    if (group.length < 2) continue;
    for (const { rec, key } of group) {
      const others = group.filter((o) => o.rec !== rec).map((o) => o.rec.path);
      problems.push({ path: rec.path, line: 0, severity: 'warning', key, message: `email '${email}' is also on ${others.join(', ')}; possible duplicate (see tb dedupe)` });
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// File placement

function checkFileName(rec: CrmRecord, report: Reporter): void {
  if (isValidSlug(rec.id)) return;
  const better = slugify(rec.id);
  const hint = better && better !== rec.id ? `; rename it to '${better}.md'` : '';
  report(`file name '${rec.id}' is not a valid id (lowercase letters, digits and single hyphens)${hint}`);
}

/**
 * Deliberately conservative: only a record that lacks its own identifying field and clearly has
 * another type's shape is flagged, so odd-but-valid records are never called misplaced.
 */
function looksLike(rec: CrmRecord, config: Config): RecordType | undefined {
  const d = rec.data;
  const has = (key: string) => !isAbsent(d[key]);
  const stage = asString(d.stage);
  const pipelineStage = stage !== undefined && stageById(config, stage) !== undefined;
  const dealOnlyStage = pipelineStage && !config.lifecycle.includes(stage);
  if (has('title') && pipelineStage && (dealOnlyStage || has('value') || has('expected_close'))) return 'deal';
  if (has('due') && has('text') && !has('title')) return 'reminder';
  if (has('date') && (has('contacts') || has('contact')) && !has('title') && !has('due')) return 'interaction';
  return undefined;
}

function checkFolder(rec: CrmRecord, config: Config, report: Reporter): void {
  const ownKey = REQUIRED[rec.type][0].name;
  if (rec.type !== 'interaction' && isAbsent(rec.data[ownKey])) {
    const guess = looksLike(rec, config);
    if (guess && guess !== rec.type) {
      report(`looks like a ${guess}, not a ${rec.type} (no '${ownKey}'); move it to ${FOLDER_OF[guess]}/`, undefined, 'warning');
    }
  }
  const dateKey = declarationOf(rec.type).monthFoldersBy;
  const date = dateKey === undefined ? undefined : rec.data[dateKey];
  if (dateKey !== undefined && typeof date === 'string' && isIsoDate(date)) {
    const folder = `${FOLDER_OF[rec.type]}/${date.slice(0, 4)}/${date.slice(5, 7)}/`;
    const file = rec.path.slice(rec.path.lastIndexOf('/') + 1);
    if (rec.path !== folder + file) {
      report(`dated ${date.slice(0, 10)} but not filed under ${folder}; expected ${folder}${file}`, dateKey, 'warning');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Deals

function checkHistory(rec: CrmRecord, report: Reporter): void {
  const h = rec.data.history;
  if (!Array.isArray(h)) return;
  h.forEach((entry, i) => {
    if (!isMapping(entry)) {
      report(`history entry ${i + 1} must be a mapping {date, stage}, got ${show(entry)}`, 'history');
      return;
    }
    const problem = dateProblem('date', entry.date, false);
    if (problem) report(`history entry ${i + 1}: ${problem}`, 'history');
    if (asString(entry.stage) === undefined) report(`history entry ${i + 1} has no stage`, 'history');
  });
}

function checkDealConsistency(rec: CrmRecord, config: Config, report: Reporter): void {
  const stage = asString(rec.data.stage);
  const closedStage = stage === undefined ? undefined : stageById(config, stage)?.closed;
  const hasClosedDate = !isAbsent(rec.data.closed);
  if (hasClosedDate && stage !== undefined && stageById(config, stage) && !closedStage) {
    report(`has a 'closed' date but stage '${stage}' is not a closed stage`, 'closed', 'warning');
  }
  if (closedStage && !hasClosedDate) report(`stage '${stage}' is ${closedStage} but there is no 'closed' date`, 'stage', 'warning');
  const history = dealHistory(rec);
  const last = history[history.length - 1];
  if (last && stage !== undefined && last.stage !== stage) {
    report(`last history entry is stage '${last.stage}' but the deal's stage is '${stage}'`, 'history', 'warning');
  }
}

// ---------------------------------------------------------------------------------------------

function recordProblems(rec: CrmRecord, config: Config, ids: IdIndex): Problem[] {
  const problems: Problem[] = [];
  const report: Reporter = (message, key, severity = 'error') => {
    const p: Problem = { path: rec.path, line: 0, message, severity };
    if (key !== undefined) p.key = key;
    problems.push(p);
  };
  checkFileName(rec, report);
  checkFolder(rec, config, report);
  checkRequired(rec, report);
  checkDerivedKeys(rec, report);
  checkDates(rec, report);
  checkInstants(rec, report);
  checkLists(rec, report);
  checkNumbers(rec, report);
  checkEnums(rec, config, report);
  checkIntervals(rec, report);
  checkBooleans(rec, report);
  checkEmails(rec, report);
  checkSingleRefs(rec, report);
  checkReferences(rec, ids, report);
  if (rec.type === 'deal') {
    checkHistory(rec, report);
    checkDealConsistency(rec, config, report);
  }
  // Cases: opened ≤ first_response ≤ resolved (docs/cases.md).
  if (rec.type === 'case') for (const p of caseOrderProblems(rec, caseSettingsOf(config))) report(p.message, p.key);
  // Instants and the deadlines derived from them stay in 1000–9999, so no read crashes (core/instant-range.ts).
  if (rec.type === 'case') for (const p of caseInstantProblems(rec, INSTANT_FIELDS.case, caseSettingsOf(config))) report(p.message, p.key);
  checkCustomFields(rec, config, report);
  checkNearMissKeys(rec, config, report);
  for (const key of keysWithControlChars(rec.data)) report(`'${key}' holds control characters (ESC, NUL, U+202E …); tb shows them escaped`, key, 'warning');
  return problems;
}

/** A key like `email` on a contact (meant: `emails`) is a warning naming the field. */
function checkNearMissKeys(rec: CrmRecord, config: Config, report: Reporter): void {
  for (const key of Object.keys(rec.data)) {
    // A single `contact:` on an interaction or deal is read everywhere as its one contact.
    if (key === 'contact' && (rec.type === 'interaction' || rec.type === 'deal')) continue;
    const meant = nearMissField(rec.type, key, Object.keys(config.fields));
    if (meant) report(`'${key}' is not a ${rec.type} field; did you mean '${meant}'? (${meant in rec.data ? 'move its value there' : 'rename the key'})`, key, 'warning');
  }
}

/**
 * Every problem in a loaded dataset, grouped by file (stable within a file). Parse failures and
 * config problems are reported by the loader and normalizeConfig, not here.
 */
export interface ValidateOptions {
  /**
   * Root-relative paths of record files that exist but could not be read (already reported).
   * References to their ids are not reported again: one merge conflict is one problem, not one
   * per interaction that names the contact.
   */
  unreadable?: readonly string[];
}

export function validateDataset(ds: Dataset, opts: ValidateOptions = {}): Problem[] {
  const records = allRecords(ds);
  const ids = buildIdIndex(ds, opts.unreadable ?? []);
  const problems = [
    ...records.flatMap((rec) => recordProblems(rec, ds.config, ids)),
    ...duplicateIdProblems(records),
    ...duplicateEmailProblems(ds.contacts),
  ];
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.path < b.p.path ? -1 : a.p.path > b.p.path ? 1 : a.i - b.i))
    .map(({ p }) => p);
}

/**
 * The errors `tb check` would report on one record about to be written (warnings are left to
 * `tb check`): write commands call this so they never save what check rejects.
 */
export function validateRecord(ds: Dataset, rec: CrmRecord): Problem[] {
  return recordValidator(ds)(rec);
}

/** validateRecord for many records: the id index is built once (imports check every row). */
export function recordValidator(ds: Dataset): (rec: CrmRecord) => Problem[] {
  const base = buildIdIndex(ds, []);
  return (rec) => {
    const ids: IdIndex = base[rec.type].has(rec.id) ? base : { ...base, [rec.type]: new Set([...base[rec.type], rec.id]) };
    return recordProblems(rec, ds.config, ids).filter((p) => p.severity === 'error');
  };
}
