/**
 * The field catalogue of the query language: which fields each record type has (schema, aliases,
 * derived, `fields:` from config, keys found on records), how a dotted name (`company.industry`)
 * resolves, and how a value is read from a record. Pure.
 */
import type { Derived } from '../derived.js';
import { DERIVED_FIELDS, LIST_ALIASES, QUERY_FIELDS, QUERY_REFERENCES, REFERENCE_ALIASES } from '../schema.js';
import { asList, emailsOf, interactionContacts, normalizeRef, phonesOf } from '../fields.js';
import { isBooleanField, parseBoolean } from '../booleans.js';
import { DATASET_KEY, FOLDER_OF, type CrmRecord, type Ctx, type Dataset, type RecordType } from '../types.js';

export interface QueryEnv {
  dataset: Dataset;
  ctx: Ctx;
  derived: Derived;
  /** The type of the records the predicate will be given. */
  type: RecordType;
}

export type Predicate = (rec: CrmRecord) => boolean;
export type Accessor = (rec: CrmRecord) => unknown;
export type Scalar = string | number | boolean;

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


export function own(data: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(data, key) ? data[key] : undefined;
}

function pick(obj: object, key: string): unknown {
  return (obj as Record<string, unknown>)[key];
}


/** Reference ids in a scalar or list value, normalised (`[[acme]]` → `acme`), appended to `out`. */
export function refIds(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) refIds(v, out);
  } else if (typeof value === 'string' || typeof value === 'number') {
    const id = typeof value === 'string' && value.includes('[[') ? normalizeRef(value) : String(value).trim();
    if (id) out.push(id);
  }
  return out;
}

/** The derived `score` exists on contacts and companies once `scoring:` is configured (docs/scoring.md). */
function scoresType(env: QueryEnv, type: RecordType): boolean {
  return (type === 'contact' || type === 'company') && env.dataset.config.raw.scoring != null;
}

// ---------------------------------------------------------------------------------------------
// Fields: what is known per type, how a (dotted) name resolves, and how a value is read.

/** Field knowledge and record lookups for one dataset; maps are built lazily, once. */
export class Catalog {
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

  /** The record type a resolved path's last field refers to (`company` → company), if it is a reference. */
  targetOf(type: RecordType, path: readonly string[]): RecordType | undefined {
    let current = type;
    for (const head of path.slice(0, -1)) current = REFERENCES[current][head];
    const last = path[path.length - 1];
    return Object.hasOwn(REFERENCES[current], last) ? REFERENCES[current][last] : undefined;
  }

  /** The type that holds a resolved path's last field (`deal.company` on an interaction → deal). */
  holderOf(type: RecordType, path: readonly string[]): RecordType {
    let current = type;
    for (const head of path.slice(0, -1)) current = REFERENCES[current][head];
    return current;
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
    // `do_not_contact: yes` is true for a query as for a campaign; an unreadable value stays as written.
    if (isBooleanField(type, name)) return (rec) => {
      const value = own(rec.data, name);
      return parseBoolean(value) ?? value;
    };
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
