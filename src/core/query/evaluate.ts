/**
 * Evaluator of the query language: validates fields, expands @segments and turns the AST into a
 * predicate over CrmRecords. Pure: "today" comes from ctx.today.
 *
 * Semantics where the design is silent:
 * - `field:v` is case-insensitive equality (membership for lists), with `*` wildcards, any-of
 *   alternatives (`a,b`) and inclusive ranges (`a..b`, `a..`, `..b`) that need numbers or dates.
 * - `=` and `!=` take the value literally (no lists, ranges or wildcards); they compare numbers
 *   numerically and dates as dates, and fall back to case-insensitive text equality otherwise.
 *   `> >= < <=` need a number or a date, else the query is an error.
 * - Every comparison, range and `!=` is false when the field is missing (`no:field` finds those);
 *   `-field:v` (negation) is true for them.
 * - A date value with a time compares by its date part; a number never compares with a date.
 * - `owner:me` with no known "me" matches nothing.
 * - Bare words and quoted phrases are case- and accent-insensitive substrings of
 *   name/title/summary/text, the emails and the body (when loaded); `*` inside them is a wildcard.
 * - Field names are case-insensitive; unknown ones are errors with a did-you-mean hint.
 */
import { dateHint, notABoolean, unknownConfiguredValue } from './hints.js';
import { QueryError } from '../../errors.js';
import { datePart, isIsoDate, tryParseWhen } from '../dates.js';
import type { Derived } from '../derived.js';
import { DATE_VALUED, DERIVED_FIELDS, LIST_ALIASES, QUERY_FIELDS, QUERY_REFERENCES, REFERENCE_ALIASES } from '../schema.js';
import { asList, asString, emailsOf, interactionContacts, normalizeRef, phonesOf } from '../fields.js';
import { didYouMean } from '../suggest.js';
import { foldText } from '../text.js';
import { DATASET_KEY, FOLDER_OF, type Config, type CrmRecord, type Ctx, type Dataset, type RecordType } from '../types.js';
import { parseQuery, type CompareOp, type MatchAlternative, type QueryNode, type ValueLiteral } from './parse.js';
import { joinQueryWords } from './tokenize.js';

export interface QueryEnv {
  dataset: Dataset;
  ctx: Ctx;
  derived: Derived;
  /** The type of the records the predicate will be given. */
  type: RecordType;
}

export type Predicate = (rec: CrmRecord) => boolean;
type Accessor = (rec: CrmRecord) => unknown;
type Scalar = string | number | boolean;

/** Front matter keys, references and aliases of each record type: derived in core/schema.ts. */
const SCHEMA_FIELDS = QUERY_FIELDS;
const REFERENCES = QUERY_REFERENCES;

/** The field a singular spelling stands for on `type` (`tag` → `tags`, `contact` → `contacts`), if any. */
function aliasOf(type: RecordType, alias: string): string | undefined {
  if (Object.hasOwn(LIST_ALIASES, alias)) return LIST_ALIASES[alias];
  return Object.hasOwn(REFERENCE_ALIASES[type], alias) ? REFERENCE_ALIASES[type][alias] : undefined;
}

function addAliases(type: RecordType, fields: Set<string>): void {
  for (const [alias, canonical] of Object.entries(LIST_ALIASES)) if (fields.has(canonical)) fields.add(alias);
  for (const [alias, canonical] of Object.entries(REFERENCE_ALIASES[type])) if (fields.has(canonical)) fields.add(alias);
}

const FULL_TEXT_FIELDS = ['name', 'title', 'summary', 'text'];
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** Looks like a date, so a malformed one (`2026-9-1`) is an error rather than a silent text match. */
const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\S*)?$/;
const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true, yes: true, y: true, on: true, '1': true,
  false: false, no: false, n: false, off: false, '0': false,
};

function own(data: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(data, key) ? data[key] : undefined;
}

function pick(obj: object, key: string): unknown {
  return (obj as Record<string, unknown>)[key];
}

/** Absent: undefined, null, blank strings and lists with nothing present in them. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some(isPresent);
  return true;
}

/** A field value as the scalars it holds: lists flattened, references normalised, objects skipped. */
function scalarsOf(value: unknown, out: Scalar[] = []): Scalar[] {
  if (Array.isArray(value)) for (const v of value) scalarsOf(v, out);
  else if (typeof value === 'string') {
    // normalizeRef runs a regex; most values are not `[[links]]`, so only trim those.
    const s = value.includes('[[') ? normalizeRef(value) : value.trim();
    if (s) out.push(s);
  } else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out.push(value);
  return out;
}

/** `*` matches any run of characters; both sides already lowercased. Linear-time, no regex. */
export function globMatch(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Reference ids in a scalar or list value, normalised (`[[acme]]` → `acme`), appended to `out`. */
function refIds(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) refIds(v, out);
  } else if (typeof value === 'string' || typeof value === 'number') {
    const id = typeof value === 'string' && value.includes('[[') ? normalizeRef(value) : String(value).trim();
    if (id) out.push(id);
  }
  return out;
}

/** isIsoDate builds a Date per call; values repeat a lot (one date per day), so remember answers. */
const isoDateCache = new Map<string, boolean>();
function isDate(value: string): boolean {
  let known = isoDateCache.get(value);
  if (known === undefined) {
    if (isoDateCache.size > 50_000) isoDateCache.clear();
    // A date-time with an offset (a case's `opened`, its deadlines) compares by its written date.
    const minutes = value.slice(0, 16);
    known = isIsoDate(value) || (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) && isIsoDate(minutes));
    isoDateCache.set(value, known);
  }
  return known;
}

function numericString(s: string): number | undefined {
  return NUMBER.test(s.trim()) ? Number(s) : undefined;
}

/** The derived `score` exists on contacts and companies once `scoring:` is configured (docs/scoring.md). */
function scoresType(env: QueryEnv, type: RecordType): boolean {
  return (type === 'contact' || type === 'company') && env.dataset.config.raw.scoring != null;
}

// ---------------------------------------------------------------------------------------------
// Fields: what is known per type, how a (dotted) name resolves, and how a value is read.

/** Field knowledge and record lookups for one dataset; maps are built lazily, once. */
class Catalog {
  private readonly staticFields = new Map<RecordType, Set<string>>();
  private readonly recordFields = new Map<RecordType, Set<string>>();
  private readonly byId = new Map<RecordType, Map<string, CrmRecord>>();
  private readonly accessors = new Map<string, Accessor>();
  private readonly lenientPaths = new Map<string, string[] | undefined>();

  constructor(readonly env: QueryEnv) {}

  /** Schema, aliases, id/type, derived and `fields:` from config: known without reading records. */
  private staticOf(type: RecordType): Set<string> {
    let set = this.staticFields.get(type);
    if (!set) {
      set = new Set([...SCHEMA_FIELDS[type], 'id', 'type', ...DERIVED_FIELDS[type]]);
      if (scoresType(this.env, type)) set.add('score');
      for (const [name, def] of Object.entries(this.env.dataset.config.fields ?? {})) {
        const on = def && def.on !== undefined ? asList(def.on) : undefined;
        if (!on || on.includes(type) || on.includes(FOLDER_OF[type])) set.add(name);
      }
      addAliases(type, set);
      this.staticFields.set(type, set);
    }
    return set;
  }

  /** Keys that loaded records of the type actually have. Only scanned when a name is not static. */
  private recordsOf(type: RecordType): Set<string> {
    let set = this.recordFields.get(type);
    if (!set) {
      set = new Set();
      for (const rec of this.env.dataset[DATASET_KEY[type]] ?? []) for (const key of Object.keys(rec.data)) set.add(key);
      addAliases(type, set);
      this.recordFields.set(type, set);
    }
    return set;
  }

  /** Plain (undotted) field names of a type, for did-you-mean and completion. */
  plainFields(type: RecordType): string[] {
    return [...new Set([...this.staticOf(type), ...this.recordsOf(type)])];
  }

  /** Plain fields plus one level of dotted references (`company.industry`), sorted. */
  allFields(type: RecordType): string[] {
    const dotted = Object.entries(REFERENCES[type]).flatMap(([head, target]) => this.plainFields(target).map((f) => `${head}.${f}`));
    return [...this.plainFields(type), ...dotted].sort();
  }

  /** The stored or derived name a user's spelling stands for, or undefined when unknown. */
  private canonical(type: RecordType, name: string, strict: boolean): string | undefined {
    const lower = name.toLowerCase();
    const alias = aliasOf(type, lower);
    if (alias) return alias;
    const statics = this.staticOf(type);
    if (statics.has(name)) return name;
    const staticMatch = [...statics].find((f) => f.toLowerCase() === lower);
    if (staticMatch) return staticMatch;
    if (!strict) return name;
    const stored = this.recordsOf(type);
    if (stored.has(name)) return name;
    return [...stored].find((f) => f.toLowerCase() === lower);
  }

  /**
   * Resolves `company.industry` to [company, industry] (and the alias `tag` to `tags` …). Strict
   * resolution returns undefined for unknown names; lenient resolution keeps them as typed.
   */
  resolve(type: RecordType, name: string, strict: boolean): string[] | undefined {
    const parts = name.split('.');
    const path: string[] = [];
    let current = type;
    for (let i = 0; i < parts.length - 1; i++) {
      const head = this.canonical(current, parts[i], false);
      const target = head !== undefined && Object.hasOwn(REFERENCES[current], head) ? REFERENCES[current][head] : undefined;
      if (!target) {
        // Not a reference: maybe a custom key that itself contains dots.
        const literal = this.canonical(current, parts.slice(i).join('.'), strict);
        return literal === undefined ? undefined : [...path, literal];
      }
      path.push(head!);
      current = target;
    }
    const last = this.canonical(current, parts[parts.length - 1], strict);
    return last === undefined || last === '' ? undefined : [...path, last];
  }

  /** Lenient resolution, memoised: fieldValue asks the same question once per record. */
  lenient(type: RecordType, name: string): string[] | undefined {
    const key = `${type}\u0000${name}`;
    if (!this.lenientPaths.has(key)) this.lenientPaths.set(key, this.resolve(type, name, false));
    return this.lenientPaths.get(key);
  }

  record(type: RecordType, id: string): CrmRecord | undefined {
    let map = this.byId.get(type);
    if (!map) {
      map = new Map((this.env.dataset[DATASET_KEY[type]] ?? []).map((r) => [r.id, r]));
      this.byId.set(type, map);
    }
    return map.get(id) ?? map.get(id.toLowerCase());
  }

  /** Reads a resolved path from records of `type`; dotted paths follow references. */
  accessor(type: RecordType, path: readonly string[]): Accessor {
    const key = `${type}\u0000${path.join('\u0000')}`;
    let acc = this.accessors.get(key);
    if (!acc) {
      acc = path.length === 1 ? this.direct(type, path[0]) : this.follow(type, path);
      this.accessors.set(key, acc);
    }
    return acc;
  }

  private follow(type: RecordType, path: readonly string[]): Accessor {
    const [head, ...rest] = path;
    const target = REFERENCES[type][head];
    const inner = this.accessor(target, rest);
    // Many records point at the same few (100k interactions, 10k contacts): read each target once.
    const memo = new WeakMap<CrmRecord, unknown>();
    const valueOf = (id: string): unknown => {
      const linked = this.record(target, id);
      if (!linked) return undefined;
      if (!memo.has(linked)) memo.set(linked, inner(linked));
      return memo.get(linked);
    };
    if (head === 'contacts') {
      // Several contacts: the values of all of them, so `contacts.tags:vip` means "any contact".
      return (rec) => {
        const out: unknown[] = [];
        for (const id of refIds(own(rec.data, 'contacts'), refIds(own(rec.data, 'contact')))) {
          const value = valueOf(id);
          if (Array.isArray(value)) out.push(...value);
          else if (value !== undefined) out.push(value);
        }
        return out;
      };
    }
    return (rec) => {
      const [id] = refIds(own(rec.data, head));
      return id === undefined ? undefined : valueOf(id);
    };
  }

  private direct(type: RecordType, name: string): Accessor {
    if (name === 'id') return (rec) => rec.id;
    if (name === 'type') return (rec) => rec.type;
    if (name === 'score' && scoresType(this.env, type)) return (rec) => this.env.derived.score(rec);
    if (DERIVED_FIELDS[type].includes(name)) {
      const derived = this.env.derived;
      if (type === 'contact') return (rec) => pick(derived.contact(rec.id), name);
      if (type === 'deal') return (rec) => pick(derived.deal(rec.id), name);
      if (type === 'company') return (rec) => pick(derived.company(rec.id), name);
      if (type === 'case') return (rec) => derived.fieldsOf(rec)[name];
    }
    switch (name) {
      case 'tags':
        return (rec) => [...asList(own(rec.data, 'tags')), ...asList(own(rec.data, 'tag'))];
      case 'emails':
        return emailsOf;
      case 'phones':
        return phonesOf;
      case 'contacts':
        if (REFERENCES[type].contacts) return interactionContacts;
    }
    return (rec) => own(rec.data, name);
  }
}

/** fieldValue is called once per record by list --sort/--fields: reuse one catalog per derived. */
const catalogs = new WeakMap<Derived, Catalog>();

function catalogFor(env: QueryEnv): Catalog {
  const cached = catalogs.get(env.derived);
  const same = cached && cached.env.dataset === env.dataset && cached.env.ctx.today === env.ctx.today && cached.env.ctx.me === env.ctx.me;
  if (cached && same) return cached;
  const fresh = new Catalog(env);
  catalogs.set(env.derived, fresh);
  return fresh;
}

/** A field's value on a record: stored, aliased (`tag`), derived (`last_contact`) or dotted (`company.industry`). */
export function fieldValue(rec: CrmRecord, field: string, env: QueryEnv): unknown {
  const catalog = catalogFor(env);
  const path = catalog.lenient(rec.type, field);
  return path ? catalog.accessor(rec.type, path)(rec) : undefined;
}

/** Every field name a query on `type` may use, including one level of dotted references. */
export function knownFields(type: RecordType, env: QueryEnv): string[] {
  return new Catalog(env).allFields(type);
}

// ---------------------------------------------------------------------------------------------
// Segments.

/** Where a node came from, so errors point into the right text (the query or a segment's). */
interface Source {
  query: string;
  segment?: string;
  /** Segments being expanded, outermost first, to detect cycles. */
  stack: readonly string[];
}

function errorAt(src: Source, message: string, column: number, hint?: string): QueryError {
  const where = src.segment ? `in segment @${src.segment}: ` : '';
  return new QueryError(`${where}${message} at column ${column}`, { column, query: src.query, hint });
}

function typeError(src: Source, message: string, column: number, hint?: string): QueryError {
  const where = src.segment ? `in segment @${src.segment}: ` : '';
  return new QueryError(`${where}${message} (column ${column})`, { column, query: src.query, hint });
}

function expandSegment(config: Config, node: Extract<QueryNode, { kind: 'segment' }>, src: Source): { node: QueryNode; src: Source } {
  const segments = config.segments ?? {};
  const name = Object.hasOwn(segments, node.name)
    ? node.name
    : Object.keys(segments).find((s) => s.toLowerCase() === node.name.toLowerCase());
  if (name === undefined) {
    const names = Object.keys(segments).map((s) => `@${s}`);
    const hint = didYouMean(`@${node.name}`, names) ?? (names.length ? `saved segments: ${names.join(', ')}` : 'save one with tb segment save');
    throw errorAt(src, `unknown segment '@${node.name}'`, node.column, hint);
  }
  if (src.stack.includes(name)) {
    throw errorAt(src, `segment cycle: ${[...src.stack, name].map((s) => `@${s}`).join(' → ')}`, node.column);
  }
  const query = String(segments[name]);
  const inner: Source = { query, segment: name, stack: [...src.stack, name] };
  try {
    return { node: parseQuery(query), src: inner };
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    throw new QueryError(`in segment @${name}: ${err.message}`, { column: err.column, query: err.query, hint: err.hint });
  }
}

function needsBodies(node: QueryNode, src: Source, config: Config): boolean {
  switch (node.kind) {
    case 'text':
      return true;
    case 'and':
    case 'or':
      return node.children.some((c) => needsBodies(c, src, config));
    case 'not':
      return needsBodies(node.child, src, config);
    case 'segment': {
      const expanded = expandSegment(config, node, src);
      return needsBodies(expanded.node, expanded.src, config);
    }
    default:
      return false;
  }
}

/** True when the query (segments expanded) has a bare word, so record bodies must be loaded. */
export function queryNeedsBodies(text: string | string[], config: Config): boolean {
  const query = Array.isArray(text) ? joinQueryWords(text) : text;
  return needsBodies(parseQuery(query), { query, stack: [] }, config);
}

// ---------------------------------------------------------------------------------------------
// Compilation.

/** A query value resolved once: its text and what it means as a number, date or boolean. */
interface Operand {
  lower: string;
  num?: number;
  date?: string;
  bool?: boolean;
  /** `owner:me` when nobody is "me". */
  never?: boolean;
}

/** An operand that can be ordered: a number or a date. */
type Ordered = { num: number; date?: undefined } | { date: string; num?: undefined };

function equalsScalar(v: Scalar, o: Operand): boolean {
  if (o.never) return false;
  if (typeof v === 'number') return o.num !== undefined && v === o.num;
  if (typeof v === 'boolean') return o.bool !== undefined && v === o.bool;
  if (o.date !== undefined && isDate(v)) return datePart(v) === o.date;
  if (o.num !== undefined) {
    const n = numericString(v);
    if (n !== undefined) return n === o.num;
  }
  return v.toLowerCase() === o.lower;
}

/** Sign of v − o, or undefined when they cannot be compared (text, a number against a date …). */
function compareScalar(v: Scalar, o: Ordered): number | undefined {
  if (o.num !== undefined) {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? numericString(v) : undefined;
    return n === undefined ? undefined : Math.sign(n - o.num);
  }
  if (typeof v !== 'string' || !isDate(v)) return undefined;
  const d = datePart(v);
  return d < o.date ? -1 : d > o.date ? 1 : 0;
}

const ORDER_TESTS: Readonly<Record<'>' | '>=' | '<' | '<=', (sign: number) => boolean>> = {
  '>': (s) => s > 0,
  '>=': (s) => s >= 0,
  '<': (s) => s < 0,
  '<=': (s) => s <= 0,
};

class Compiler {
  /** Full-text haystacks, lowercased once per record even when a query has several words. */
  private readonly haystacks = new WeakMap<CrmRecord, string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly env: QueryEnv,
  ) {}

  compile(node: QueryNode, src: Source): Predicate {
    switch (node.kind) {
      case 'all':
        return () => true;
      case 'and': {
        const parts = node.children.map((c) => this.compile(c, src));
        return (rec) => parts.every((p) => p(rec));
      }
      case 'or': {
        const parts = node.children.map((c) => this.compile(c, src));
        return (rec) => parts.some((p) => p(rec));
      }
      case 'not': {
        const inner = this.compile(node.child, src);
        return (rec) => !inner(rec);
      }
      case 'segment': {
        const expanded = expandSegment(this.env.dataset.config, node, src);
        return this.compile(expanded.node, expanded.src);
      }
      case 'text':
        return this.fullText(node.text);
      case 'presence': {
        const read = this.field(node.field, node.column, src).read;
        return node.present ? (rec) => isPresent(read(rec)) : (rec) => !isPresent(read(rec));
      }
      case 'match':
        return this.match(node, src);
      case 'compare':
        return this.compare(node, src);
    }
  }

  /** Resolves and validates a field name; unknown names are errors, never full text. */
  private field(name: string, column: number, src: Source): { read: Accessor; last: string } {
    const type = this.env.type;
    const path = this.catalog.resolve(type, name, true);
    if (!path) throw errorAt(src, `unknown field '${name}'`, column, didYouMean(name, this.catalog.allFields(type)));
    return { read: this.catalog.accessor(type, path), last: path[path.length - 1] };
  }

  private fullText(text: string): Predicate {
    const lower = foldText(text);
    const pattern = lower.includes('*') ? `*${lower}*`.replace(/\*+/g, '*') : undefined;
    return (rec) => {
      const hay = this.haystack(rec);
      return pattern ? globMatch(hay, pattern) : hay.includes(lower);
    };
  }

  private haystack(rec: CrmRecord): string {
    let hay = this.haystacks.get(rec);
    if (hay === undefined) {
      const parts = FULL_TEXT_FIELDS.map((f) => asString(own(rec.data, f)) ?? '');
      hay = foldText([...parts, ...emailsOf(rec), rec.body ?? ''].join('\n'));
      this.haystacks.set(rec, hay);
    }
    return hay;
  }

  private match(node: Extract<QueryNode, { kind: 'match' }>, src: Source): Predicate {
    const { read, last } = this.field(node.field, node.column, src);
    for (const alt of node.alternatives) if (alt.kind !== 'range') this.configured(node.field, last, alt.value, src);
    const tests = node.alternatives.map((alt) => this.alternative(alt, last, src));
    return (rec) => scalarsOf(read(rec)).some((v) => tests.some((t) => t(v)));
  }

  private alternative(alt: MatchAlternative, field: string, src: Source): (v: Scalar) => boolean {
    if (alt.kind === 'range') {
      const from = alt.from && this.ordered(alt.from, src);
      const to = alt.to && this.ordered(alt.to, src);
      if (from) this.dateBound(field, from, alt.from!, src, ':');
      if (to) this.dateBound(field, to, alt.to!, src, ':');
      if (from && to && (from.num === undefined) !== (to.num === undefined)) {
        throw typeError(src, `range '${alt.from!.text}..${alt.to!.text}' mixes a number and a date`, alt.column);
      }
      return (v) => {
        const low = from ? compareScalar(v, from) : 0;
        const high = to ? compareScalar(v, to) : 0;
        return low !== undefined && high !== undefined && low >= 0 && high <= 0;
      };
    }
    const operand = this.operand(alt.value, field, src);
    if (alt.value.text.includes('*') && !operand.never) {
      const pattern = operand.lower.replace(/\*+/g, '*');
      return (v) => globMatch(String(v).toLowerCase(), pattern);
    }
    return (v) => equalsScalar(v, operand);
  }

  private compare(node: Extract<QueryNode, { kind: 'compare' }>, src: Source): Predicate {
    const { read, last } = this.field(node.field, node.column, src);
    const op: CompareOp = node.op;
    if (op === '=' || op === '!=') {
      this.configured(node.field, last, node.value, src);
      const operand = this.operand(node.value, last, src);
      if (op === '=') return (rec) => scalarsOf(read(rec)).some((v) => equalsScalar(v, operand));
      return (rec) => {
        const values = scalarsOf(read(rec));
        return values.length > 0 && !operand.never && !values.some((v) => equalsScalar(v, operand));
      };
    }
    const bound = this.ordered(node.value, src);
    this.dateBound(last, bound, node.value, src, op);
    const test = ORDER_TESTS[op];
    return (rec) =>
      scalarsOf(read(rec)).some((v) => {
        const sign = compareScalar(v, bound);
        return sign !== undefined && test(sign);
      });
  }

  private operand(lit: ValueLiteral, field: string, src: Source): Operand {
    let text = normalizeRef(lit.text) ?? lit.text;
    if (field === 'owner' && text.toLowerCase() === 'me') {
      if (!this.env.ctx.me) return { lower: 'me', never: true };
      text = this.env.ctx.me;
    }
    const lower = text.toLowerCase();
    const num = NUMBER.test(text) ? Number(text) : undefined;
    const date = num === undefined ? this.date(text, lit.column, src) : undefined;
    // `last_contact:90d`, `created:23/11/2026` would compare a date with text: say how to write it.
    if (date === undefined && num === undefined && DATE_VALUED.has(field)) {
      const hint = dateHint(text);
      if (hint) throw typeError(src, `'${lit.text}' is not a date`, lit.column, hint);
    }
    const bool = Object.hasOwn(BOOLEANS, lower) ? BOOLEANS[lower] : undefined;
    return { lower, num, date, bool };
  }

  /** `stage:propsal`, `breached:maybe`: a value that nothing can have is an error with did-you-mean. */
  private configured(name: string, field: string, lit: ValueLiteral, src: Source): void {
    if (name.includes('.')) return;
    const value = normalizeRef(lit.text) ?? lit.text;
    const problem = unknownConfiguredValue(this.env.type, field, value, this.env.dataset) ?? notABoolean(this.env.type, field, value, Object.keys(BOOLEANS));
    if (problem) throw errorAt(src, problem.message, lit.column, problem.hint);
  }

  /**
   * A number against a field that holds dates (`created>2026`) would never match: an error, as a
   * malformed date is, rather than a silent "no matches".
   */
  private dateBound(field: string, bound: Ordered, lit: ValueLiteral, src: Source, op: string): void {
    if (bound.num === undefined || !DATE_VALUED.has(field)) return;
    const example = /^\d{4}$/.test(lit.text) ? `${lit.text}-01-01` : '2026-01-01';
    throw typeError(src, `'${lit.text}' is not a date; ${field} holds dates: use YYYY-MM-DD, e.g. ${field}${op}${example}${op === ':' ? '..' : ''}`, lit.column);
  }

  /** A value that must be a number or a date (comparisons and ranges). */
  private ordered(lit: ValueLiteral, src: Source): Ordered {
    const text = lit.text.trim();
    if (NUMBER.test(text)) return { num: Number(text) };
    const date = this.date(text, lit.column, src);
    if (date === undefined) throw typeError(src, `'${lit.text}' is not a number or date`, lit.column, dateHint(text));
    return { date };
  }

  /** ISO dates, `today`, `-90d`, `+2w`, `next friday` …; a malformed ISO date is an error. */
  private date(text: string, column: number, src: Source): string | undefined {
    if (DATE_LIKE.test(text) && !isIsoDate(text.toUpperCase())) {
      throw typeError(src, `'${text}' is not a valid date, use YYYY-MM-DD`, column);
    }
    let date: string | undefined;
    try {
      date = tryParseWhen(text, this.env.ctx.today);
    } catch {
      // Absurd offsets (`+99999999y`) overflow the calendar: not a date.
      return undefined;
    }
    return date !== undefined && isIsoDate(date) ? date : undefined;
  }
}

/**
 * Compiles a query for records of `env.type`: parses it, expands @segments, validates every field
 * and returns a predicate. Array input is joined like command-line words.
 */
export function compileQuery(text: string | string[], env: QueryEnv): Predicate {
  const query = Array.isArray(text) ? joinQueryWords(text) : text;
  const ast = parseQuery(query);
  return new Compiler(new Catalog(env), env).compile(ast, { query, stack: [] });
}
