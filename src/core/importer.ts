/**
 * Planning an import: matching what a file brings against the records already there, and deciding
 * per row whether to create a record, fill empty fields of an existing one, or skip it. Pure: it
 * gets the loaded records and "today" and returns the steps; src/commands/import.ts writes them.
 *
 * Rules (the README's "Import and export" documents them):
 * - contacts match by email, then phone (digits), then exact name (case-insensitive);
 * - a match only gains what it lacks: an empty field is filled, a list gains missing values, a
 *   non-empty value is never overwritten;
 * - companies are linked by exact name or id, and created when missing;
 * - rows of one file that match each other are merged into the first.
 */
import { withoutControlChars } from './control-chars.js';
import { firstDateProblem } from './validate.js';
import type { Config, CrmRecord, FrontMatter, RecordType } from './types.js';
import { FIELD_ORDER, interactionBaseId, interactionSubdir, ordered } from './records.js';
import { asList, asRefList, asString } from './fields.js';
import { slugify, uniqueSlug } from './slug.js';
import { isIsoDate } from './dates.js';
import { resolveRef } from './resolve.js';
import { DERIVED_FIELDS } from './derived.js';
import type { ContactDraft, ImportIssue } from '../interop/types.js';
import { phoneKey } from '../interop/types.js';
import type { JsonRecord } from '../interop/json.js';
import type { RecordRow } from '../interop/csv.js';

export type Edit = { key: string; value: unknown };

export type PlanStep =
  | { op: 'create'; type: RecordType; id: string; data: FrontMatter; body?: string; subdir?: string; randomSuffix?: boolean }
  | { op: 'update'; type: RecordType; id: string; path: string; edits: Edit[] };

export interface ImportCounts {
  created: number;
  updated: number;
  skipped: number;
}

export interface ImportPlan {
  /** The record type the rows are (contacts for csv/vcard, several for json). */
  steps: PlanStep[];
  counts: ImportCounts;
  /** Companies created to link contacts or deals to, not counted in `counts`. */
  companiesCreated: number;
  issues: ImportIssue[];
}

export interface ImportContext {
  today: string;
  /** Owner stamped on new records (the importing user when configured). */
  owner?: string;
  /** `--tag`: added to every record the import creates or changes. */
  tag?: string;
  config: Config;
  contacts: CrmRecord[];
  companies: CrmRecord[];
  deals?: CrmRecord[];
  interactions?: CrmRecord[];
  /** Ids already used by contacts, companies and deals (they share one namespace). */
  takenIds: Set<string>;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

export function foldName(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Exact name comparison: case-insensitive, whitespace-normalised, accents significant. */
function nameKey(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

const LIST_KEYS: Record<string, (s: string) => string> = {
  emails: (s) => s.toLowerCase(),
  phones: phoneKey,
  tags: (s) => s.toLowerCase(),
  links: (s) => s,
  contacts: (s) => s,
};

/**
 * Fills what `current` lacks from `incoming`: empty fields are set, lists gain missing values,
 * non-empty values are never overwritten. Returns the keys that changed and the merged data.
 */
export function fillEmpty(current: FrontMatter, incoming: FrontMatter): { next: FrontMatter; changed: string[] } {
  const next: FrontMatter = { ...current };
  const changed: string[] = [];
  for (const [key, value] of Object.entries(incoming)) {
    if (isEmpty(value)) continue;
    const have = next[key];
    if (isEmpty(have)) {
      next[key] = value;
      changed.push(key);
      continue;
    }
    const keyFn = LIST_KEYS[key] ?? (Array.isArray(have) && Array.isArray(value) ? (s: string) => s : undefined);
    if (!keyFn || !(Array.isArray(value) || key in LIST_KEYS)) continue;
    if (!Array.isArray(have) && !(key in LIST_KEYS)) continue;
    const list = Array.isArray(have) ? [...have] : [have];
    const seen = new Set(list.map((x) => keyFn(typeof x === 'object' ? JSON.stringify(x) : String(x))));
    let grew = false;
    for (const v of Array.isArray(value) ? value : [value]) {
      const k = keyFn(typeof v === 'object' ? JSON.stringify(v) : String(v));
      if (seen.has(k)) continue;
      seen.add(k);
      list.push(v);
      grew = true;
    }
    if (grew) {
      next[key] = list;
      changed.push(key);
    }
  }
  return { next, changed };
}

function addTag(data: FrontMatter, tag: string | undefined): boolean {
  if (!tag) return false;
  const tags = asList(data.tags);
  if (tags.some((t) => t.toLowerCase() === tag.toLowerCase())) return false;
  data.tags = [...tags, tag];
  return true;
}

/** A record being imported into: an existing file or one this import will create. */
interface Working {
  type: RecordType;
  id: string;
  path?: string;
  data: FrontMatter;
  original?: FrontMatter;
  step?: PlanStep & { op: 'create' };
  changed: Set<string>;
}

class Planner {
  readonly steps: PlanStep[] = [];
  readonly issues: ImportIssue[] = [];
  readonly counts: ImportCounts = { created: 0, updated: 0, skipped: 0 };
  companiesCreated = 0;
  private readonly companies: Working[];
  private readonly updates = new Map<string, Working>();

  constructor(readonly ctx: ImportContext) {
    this.companies = ctx.companies.map((c) => ({ type: 'company', id: c.id, path: c.path, data: c.data, original: c.data, changed: new Set() }));
  }

  issue(line: number, message: string): void {
    this.issues.push({ line, message });
  }

  newId(name: string, fallback: string): string {
    const id = uniqueSlug(slugify(name) || fallback, (x) => this.ctx.takenIds.has(x));
    this.ctx.takenIds.add(id);
    return id;
  }

  create(type: RecordType, id: string, data: FrontMatter, extra: { body?: string; subdir?: string; randomSuffix?: boolean } = {}): Working {
    const step = { op: 'create' as const, type, id, data, ...extra };
    this.steps.push(step);
    return { type, id, data, step, changed: new Set() };
  }

  /** Applies `incoming` to a matched record; returns whether anything changed. */
  fill(target: Working, incoming: FrontMatter): boolean {
    const { next, changed } = fillEmpty(target.data, incoming);
    if (changed.length === 0) return false;
    if (addTag(next, this.ctx.tag)) changed.push('tags');
    if (target.step) {
      Object.assign(target.step.data, next);
      target.data = target.step.data;
    } else {
      target.data = next;
      for (const k of changed) target.changed.add(k);
      this.updates.set(`${target.type}/${target.id}`, target);
    }
    return true;
  }

  /** The id of the company called `name` (or with that id), creating it when there is none. */
  companyId(name: string): string {
    const key = nameKey(name);
    const slug = slugify(name);
    const hit = this.companies.find((c) => nameKey(asString(c.data.name) ?? '') === key)
      ?? this.companies.find((c) => c.id === name.trim().toLowerCase() || (slug !== '' && c.id === slug));
    if (hit) return hit.id;
    const id = this.newId(name, 'company');
    const data = ordered('company', { name: name.trim(), tags: this.ctx.tag ? [this.ctx.tag] : undefined, owner: this.ctx.owner, created: this.ctx.today });
    this.companies.push(this.create('company', id, data));
    this.companiesCreated++;
    return id;
  }

  finish(): ImportPlan {
    for (const w of this.updates.values()) {
      const edits = FIELD_ORDER_KEYS(w).filter((k) => w.changed.has(k)).map((k) => ({ key: k, value: w.data[k] }));
      this.steps.push({ op: 'update', type: w.type, id: w.id, path: w.path!, edits });
    }
    // What other programs wrote may hold ESC, NUL or U+202E: never written into a record.
    for (const step of this.steps) {
      if (step.op === 'create') {
        step.data = withoutControlChars(step.data);
        if (step.body !== undefined) step.body = withoutControlChars(step.body);
      } else step.edits = step.edits.map((e) => ('value' in e ? { key: e.key, value: withoutControlChars(e.value) } : e));
    }
    return { steps: this.steps, counts: this.counts, companiesCreated: this.companiesCreated, issues: [...this.issues].sort((a, b) => a.line - b.line) };
  }
}

/** Changed keys in a stable order: schema order, then the rest as they were added. */
function FIELD_ORDER_KEYS(w: Working): string[] {
  const order = (FIELD_ORDER as Record<string, readonly string[]>)[w.type] ?? [];
  return [...order.filter((k) => w.changed.has(k)), ...[...w.changed].filter((k) => !order.includes(k))];
}

// ---------------------------------------------------------------------------------------------
// Contacts (CSV and vCard)

/** Keys a draft fills itself; an `extra` column with one of these names is not used. */
const DRAFT_KEYS = new Set(['name', 'emails', 'phones', 'company', 'title', 'tags', 'birthday', 'location', 'links', 'notes', 'body']);
const NEVER_IMPORTED = new Set(['id', 'type', 'path', 'derived', 'front_matter', 'uid', ...DERIVED_FIELDS.contact]);

function snakeKey(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * Numbers and booleans from text cells; everything else (postal codes with a leading zero, phone
 * numbers, dates) stays text.
 */
function scalarOf(text: string): unknown {
  const t = text.trim();
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return t;
}

/** The front matter a draft brings (without owner/created, which only new records get). */
export function draftData(draft: ContactDraft, companyId: string | undefined): FrontMatter {
  const extras: FrontMatter = {};
  for (const [raw, value] of Object.entries(draft.extra)) {
    const key = snakeKey(raw);
    if (key === '' || DRAFT_KEYS.has(key) || NEVER_IMPORTED.has(key) || key in extras) continue;
    extras[key] = typeof value === 'string' ? scalarOf(value) : value;
  }
  return ordered('contact', {
    name: draft.name, emails: draft.emails, phones: draft.phones, company: companyId, title: draft.title,
    tags: draft.tags, birthday: draft.birthday, location: draft.location, links: draft.links, ...extras,
  });
}

class ContactIndex {
  private readonly byEmail = new Map<string, Working[]>();
  private readonly byPhone = new Map<string, Working[]>();
  private readonly byName = new Map<string, Working[]>();

  add(w: Working): void {
    for (const e of asList(w.data.emails).concat(asList(w.data.email))) push(this.byEmail, e.toLowerCase(), w);
    for (const p of asList(w.data.phones).concat(asList(w.data.phone))) {
      const k = phoneKey(p);
      if (k.replace(/\D/g, '').length >= 5) push(this.byPhone, k, w);
    }
    const name = asString(w.data.name);
    if (name) push(this.byName, nameKey(name), w);
  }

  /** The first rule that finds anything decides: email, then phone, then exact name. */
  match(draft: ContactDraft): { hits: Working[]; by: string } | undefined {
    const rules: Array<[string, Map<string, Working[]>, string[]]> = [
      ['email', this.byEmail, draft.emails.map((e) => e.toLowerCase())],
      ['phone', this.byPhone, draft.phones.map(phoneKey).filter((k) => k.replace(/\D/g, '').length >= 5)],
      ['name', this.byName, draft.name ? [nameKey(draft.name)] : []],
    ];
    for (const [by, map, keys] of rules) {
      const hits = unique(keys.flatMap((k) => map.get(k) ?? []));
      if (hits.length) return { hits, by };
    }
    return undefined;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

export function planContactImport(drafts: ContactDraft[], ctx: ImportContext): ImportPlan {
  const p = new Planner(ctx);
  const index = new ContactIndex();
  for (const c of ctx.contacts) index.add({ type: 'contact', id: c.id, path: c.path, data: c.data, original: c.data, changed: new Set() });
  for (const draft of drafts) {
    const line = draft.source.line;
    const match = index.match(draft);
    if (match && match.hits.length > 1) {
      p.issue(line, `matches ${match.hits.length} contacts by ${match.by} (${match.hits.map((h) => h.id).join(', ')}); skipped`);
      p.counts.skipped++;
      continue;
    }
    if (match) {
      const target = match.hits[0];
      const company = draft.company && isEmpty(target.data.company) ? p.companyId(draft.company) : undefined;
      const changed = p.fill(target, draftData(draft, company));
      index.add(target);
      if (changed) p.counts.updated++;
      else p.counts.skipped++;
      continue;
    }
    const name = draft.name ?? draft.emails[0] ?? draft.phones[0] ?? 'contact';
    const company = draft.company ? p.companyId(draft.company) : undefined;
    const data = draftData({ ...draft, name }, company);
    addTag(data, ctx.tag);
    const full = ordered('contact', { ...data, owner: ctx.owner, created: ctx.today });
    const body = draft.notes ? `\n${draft.notes.replace(/\r\n/g, '\n').trim()}\n` : undefined;
    const w = p.create('contact', p.newId(name, 'contact'), full, { body });
    index.add(w);
    p.counts.created++;
  }
  return p.finish();
}

// ---------------------------------------------------------------------------------------------
// JSON (the lossless round trip of `tb export json`)

export function planJsonImport(items: JsonRecord[], ctx: ImportContext, existing: Map<string, CrmRecord>): ImportPlan {
  const p = new Planner(ctx);
  const shared = new Set<RecordType>(['contact', 'company', 'deal']);
  for (const item of items) {
    const type = item.type as RecordType;
    const data = { ...item.data };
    delete data.path;
    const line = item.line ?? 0;
    const have = existing.get(`${type}/${item.id}`);
    if (have) {
      const w: Working = { type, id: have.id, path: have.path, data: have.data, original: have.data, changed: new Set() };
      if (p.fill(w, data)) p.counts.updated++;
      else p.counts.skipped++;
      continue;
    }
    if (shared.has(type) && ctx.takenIds.has(item.id)) {
      p.issue(line, `id '${item.id}' is already used by another contact, company or deal; skipped`);
      p.counts.skipped++;
      continue;
    }
    // A wrong date is refused here: an interaction's date even names its folder (`../../x` must not).
    const badDate = firstDateProblem(type, data);
    if (badDate) {
      p.issue(line, `${type} '${item.id}': ${badDate}; skipped`);
      p.counts.skipped++;
      continue;
    }
    if (shared.has(type)) ctx.takenIds.add(item.id);
    const date = asString(type === 'interaction' ? data.date : undefined);
    const subdir = date && isIsoDate(date) ? interactionSubdir(date) : undefined;
    p.create(type, item.id, data, { body: item.body, subdir });
    p.counts.created++;
  }
  return p.finish();
}

// ---------------------------------------------------------------------------------------------
// Companies, deals and interactions from a CSV sheet

export function planRecordsImport(type: RecordType, rows: RecordRow[], ctx: ImportContext): ImportPlan {
  const p = new Planner(ctx);
  const contacts = ctx.contacts;
  const resolveContacts = (refs: string[], line: number): string[] => {
    const ids: string[] = [];
    for (const ref of refs) {
      try {
        ids.push(resolveRef(contacts, ref, 'contact').id);
      } catch (err) {
        p.issue(line, `${(err as Error).message}; reference dropped`);
      }
    }
    return unique(ids);
  };
  const companyRef = (value: unknown): string | undefined => (asString(value) ? p.companyId(String(value)) : undefined);

  if (type === 'company') {
    const known: Working[] = ctx.companies.map((c) => ({ type: 'company', id: c.id, path: c.path, data: c.data, changed: new Set() }));
    for (const row of rows) {
      const name = asString(row.fields.name);
      if (!name) {
        p.issue(row.line, 'row has no name; skipped');
        p.counts.skipped++;
        continue;
      }
      const domain = asString(row.fields.domain)?.toLowerCase();
      const hit = known.find((c) => nameKey(asString(c.data.name) ?? '') === nameKey(name))
        ?? (domain ? known.find((c) => asString(c.data.domain)?.toLowerCase() === domain) : undefined);
      const data = recordFields('company', row.fields);
      if (hit) {
        if (p.fill(hit, data)) p.counts.updated++;
        else p.counts.skipped++;
        continue;
      }
      addTag(data, ctx.tag);
      const w = p.create('company', p.newId(name, 'company'), ordered('company', { ...data, owner: data.owner ?? ctx.owner, created: data.created ?? ctx.today }));
      known.push(w);
      p.counts.created++;
    }
    return p.finish();
  }

  if (type === 'deal') {
    const known: Working[] = (ctx.deals ?? []).map((d) => ({ type: 'deal', id: d.id, path: d.path, data: d.data, changed: new Set() }));
    const stages = ctx.config.pipeline.map((s) => s.id);
    for (const row of rows) {
      const title = asString(row.fields.title);
      if (!title) {
        p.issue(row.line, 'row has no title; skipped');
        p.counts.skipped++;
        continue;
      }
      const stage = asString(row.fields.stage)?.toLowerCase();
      if (stage && !stages.includes(stage)) {
        p.issue(row.line, `unknown pipeline stage '${stage}' (use one of: ${stages.join(', ')}); skipped`);
        p.counts.skipped++;
        continue;
      }
      const fields = recordFields('deal', row.fields);
      fields.contacts = resolveContacts(asList(row.fields.contacts), row.line);
      const hit = known.find((d) => nameKey(asString(d.data.title) ?? '') === nameKey(title));
      if (hit) {
        if (isEmpty(hit.data.company)) fields.company = companyRef(row.fields.company);
        else delete fields.company;
        if (p.fill(hit, fields)) p.counts.updated++;
        else p.counts.skipped++;
        continue;
      }
      fields.company = companyRef(row.fields.company);
      const created = asString(fields.created) ?? ctx.today;
      const s = stage ?? stages[0];
      addTag(fields, ctx.tag);
      const data = ordered('deal', { ...fields, stage: s, owner: fields.owner ?? ctx.owner, created, history: fields.history ?? [{ date: created, stage: s }] });
      known.push(p.create('deal', p.newId(title, 'deal'), data));
      p.counts.created++;
    }
    return p.finish();
  }

  if (type === 'interaction') {
    const seen = new Set((ctx.interactions ?? []).map((i) => interactionKey(asString(i.data.date), asRefList(i.data.contacts), asString(i.data.summary))));
    for (const row of rows) {
      const date = asString(row.fields.date);
      if (!date || !isIsoDate(date)) {
        p.issue(row.line, date ? `date '${date}' is not YYYY-MM-DD; skipped` : 'row has no date; skipped');
        p.counts.skipped++;
        continue;
      }
      const ids = resolveContacts(asList(row.fields.contacts), row.line);
      if (ids.length === 0) {
        p.issue(row.line, 'row names no known contact; skipped');
        p.counts.skipped++;
        continue;
      }
      const key = interactionKey(date, ids, asString(row.fields.summary));
      if (seen.has(key)) {
        p.counts.skipped++;
        continue;
      }
      seen.add(key);
      const { body, ...rest } = recordFields('interaction', row.fields);
      const channel = asString(rest.channel)?.toLowerCase() ?? 'note';
      addTag(rest, ctx.tag);
      const data = ordered('interaction', { ...rest, date, contacts: ids, channel, owner: rest.owner ?? ctx.owner });
      const text = asString(body);
      p.create('interaction', interactionBaseId(date, ids[0], channel), data, {
        body: text ? `\n${text.replace(/\r\n/g, '\n').trim()}\n` : undefined, subdir: interactionSubdir(date), randomSuffix: true,
      });
      p.counts.created++;
    }
    return p.finish();
  }
  throw new Error(`importing ${type} from CSV is not supported`);
}

function interactionKey(date: string | undefined, contacts: string[], summary: string | undefined): string {
  return JSON.stringify([date?.slice(0, 16), [...contacts].sort(), (summary ?? '').trim().toLowerCase()]);
}

/** Row fields minus keys that are never stored (ids, paths, derived values). */
function recordFields(type: RecordType, fields: Record<string, unknown>): FrontMatter {
  const out: FrontMatter = {};
  const derived: readonly string[] = (DERIVED_FIELDS as Record<string, readonly string[]>)[type] ?? [];
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'id' || k === 'type' || k === 'path' || derived.includes(k)) continue;
    out[k] = v;
  }
  return out;
}
