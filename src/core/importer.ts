/**
 * Planning an import: matching what a file brings against the records already there, and deciding
 * per row whether to create a record, fill empty fields of an existing one, or skip it. Pure: it
 * gets the loaded records and "today" and returns the steps; src/commands/import.ts writes them.
 *
 * Rules (docs/import-export.md, "How rows are matched"):
 * - a row is the same person as a contact (stored, or created by an earlier row of the same file)
 *   when they share an identifier: tb's own id, an email, a profile URL (LinkedIn, GitHub …);
 * - sharing only a name or only a phone (core/text.ts's phone rule, as tb dedupe) is enough only
 *   when nothing conflicts (another email, profile URL, company, name or birthday); a conflicting
 *   match is a possible duplicate: created as its own contact and reported with both names;
 * - a match only gains what it lacks: an empty field is filled, a list gains missing values, a
 *   non-empty value is never overwritten; every row's outcome is recorded (ImportPlan.rows);
 * - companies are linked by exact name or id, and created when missing;
 * - a value tb check would reject is moved to `imported_<key>` and reported.
 */
import { withoutControlChars } from './control-chars.js';
import { firstDateProblem } from './validate.js';
import { normalizeBooleans } from './booleans.js';
import type { Config, CrmRecord, FrontMatter, RecordType } from './types.js';
import { emptyRecordLists } from './types.js';
import { FIELD_ORDER, interactionBaseId, interactionSubdir, ordered } from './records.js';
import { asList, asRefList, asString, normalizeRef } from './fields.js';
import { recordValidator } from './validate.js';
import { slugify, uniqueSlug } from './slug.js';
import { isIsoDate } from './dates.js';
import { resolveRef } from './resolve.js';
import { UNSTORABLE_FIELDS } from './schema.js';
import type { ContactDraft, ImportIssue, JsonRecord, RecordRow } from './import-shapes.js';
import { phoneKey, phoneMatchKey, samePhone } from './text.js';

export type Edit = { key: string; value: unknown };

export type PlanStep =
  | { op: 'create'; type: RecordType; id: string; data: FrontMatter; body?: string; subdir?: string; randomSuffix?: boolean }
  | { op: 'update'; type: RecordType; id: string; path: string; edits: Edit[] };

export interface ImportCounts {
  created: number;
  updated: number;
  skipped: number;
  /** Of `created`: contacts that share a name or phone with another but conflict (not merged). */
  duplicates: number;
}

/** What happened to one row or card (docs/import-export.md, "Per-row report"). */
export interface RowOutcome {
  line: number;
  action: 'created' | 'updated' | 'unchanged' | 'skipped';
  id?: string;
  /** How an existing (or earlier-row) contact was recognised: id, email, profile URL, name, phone. */
  matched_by?: string;
  /** Fields the row added to the matched contact. */
  fields?: string[];
  /** When the row was merged into a contact an earlier row of the same file created. */
  merged_into_line?: number;
  possible_duplicate_of?: string;
  reason?: string;
}

export interface ImportPlan {
  /** The record type the rows are (contacts for csv/vcard, several for json). */
  steps: PlanStep[];
  counts: ImportCounts;
  /** Companies created to link contacts or deals to, not counted in `counts`. */
  companiesCreated: number;
  issues: ImportIssue[];
  /** Contacts imports only: one entry per row or card that was read. */
  rows: RowOutcome[];
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
  // One place written twice (`DE` by one exporter, `Germany` by another) is one address.
  addresses: addressKey,
};

function addressKey(json: string): string {
  try {
    const a = JSON.parse(json) as Record<string, unknown>;
    return ['street', 'postcode', 'city'].map((k) => String(a[k] ?? '').toLowerCase().replace(/\s+/g, ' ')).join('|');
  } catch {
    return json;
  }
}

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
  readonly counts: ImportCounts = { created: 0, updated: 0, skipped: 0, duplicates: 0 };
  readonly rows: RowOutcome[] = [];
  companiesCreated = 0;
  private readonly companies: Working[];
  private readonly updates = new Map<string, Working>();

  constructor(readonly ctx: ImportContext) {
    this.companies = ctx.companies.map((c) => ({ type: 'company', id: c.id, path: c.path, data: c.data, original: c.data, changed: new Set() }));
    for (const c of this.companies) this.indexCompany(c);
  }

  issue(line: number, message: string): void {
    this.issues.push({ line, message });
  }

  row(outcome: RowOutcome): void {
    this.rows.push(outcome);
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

  /** Applies `incoming` to a matched record; returns the keys that changed. */
  fill(target: Working, incoming: FrontMatter): string[] {
    const { next, changed } = fillEmpty(target.data, incoming);
    if (changed.length === 0) return changed;
    if (addTag(next, this.ctx.tag) && !changed.includes('tags')) changed.push('tags');
    if (target.step) {
      Object.assign(target.step.data, next);
      target.data = target.step.data;
    } else {
      target.data = next;
      for (const k of changed) target.changed.add(k);
      this.updates.set(`${target.type}/${target.id}`, target);
    }
    return changed;
  }

  /** The id of the company called `name` (or with that id, or linked as `[[id]]`), if there is one. */
  findCompany(name: string): string | undefined {
    const key = nameKey(name);
    const ref = normalizeRef(name)?.toLowerCase() ?? '';
    const slug = slugify(name);
    return this.companyByName.get(key) ?? (this.companyIds.has(ref) ? ref : undefined) ?? (slug !== '' && this.companyIds.has(slug) ? slug : undefined);
  }

  // Large imports look a company up per row: by name (first one wins) and by id.
  private readonly companyByName = new Map<string, string>();
  private readonly companyIds = new Set<string>();

  private indexCompany(c: Working): void {
    const key = nameKey(asString(c.data.name) ?? '');
    if (!this.companyByName.has(key)) this.companyByName.set(key, c.id);
    this.companyIds.add(c.id);
  }

  /** The id of the company called `name` (or with that id), creating it when there is none. */
  companyId(raw: string): string {
    const name = normalizeRef(raw) ?? raw;
    const hit = this.findCompany(raw);
    if (hit) return hit;
    const id = this.newId(name, 'company');
    const data = ordered('company', { name: name.trim(), tags: this.ctx.tag ? [this.ctx.tag] : undefined, owner: this.ctx.owner, created: this.ctx.today });
    const created = this.create('company', id, data);
    this.companies.push(created);
    this.indexCompany(created);
    this.companiesCreated++;
    return id;
  }

  finish(): ImportPlan {
    for (const w of this.updates.values()) {
      const data = normalizeBooleans(w.type, w.data);
      const edits = FIELD_ORDER_KEYS(w).filter((k) => w.changed.has(k)).map((k) => ({ key: k, value: data[k] }));
      this.steps.push({ op: 'update', type: w.type, id: w.id, path: w.path!, edits });
    }
    // What other programs wrote may hold ESC, NUL or U+202E: never written into a record.
    for (const step of this.steps) {
      if (step.op === 'create') {
        step.data = withoutControlChars(step.data);
        if (step.body !== undefined) step.body = withoutControlChars(step.body);
      } else step.edits = step.edits.map((e) => ('value' in e ? { key: e.key, value: withoutControlChars(e.value) } : e));
    }
    this.keepCheckable();
    return {
      steps: this.steps, counts: this.counts, companiesCreated: this.companiesCreated,
      issues: [...this.issues].sort((a, b) => a.line - b.line), rows: this.rows,
    };
  }

  /**
   * Nothing `tb check` rejects is written: a value that fails a check moves to `imported_<key>`
   * (kept as text, reported). Runs the same checks as tb check (src/core/validate.ts).
   */
  private keepCheckable(): void {
    const created = (t: RecordType) => this.steps.filter((s) => s.op === 'create' && s.type === t).map((s) => ({ type: t, id: s.id, path: '', data: (s as { data: FrontMatter }).data }));
    const c = this.ctx;
    const validate = recordValidator({
      ...emptyRecordLists(), root: '', config: c.config, problems: [], interactions: c.interactions ?? [],
      contacts: [...c.contacts, ...created('contact')], companies: [...c.companies, ...created('company')], deals: [...(c.deals ?? []), ...created('deal')],
    });
    for (const step of this.steps) {
      const data = step.op === 'create' ? step.data : Object.fromEntries(step.edits.map((e) => [e.key, e.value]));
      const keys = new Set(validate({ type: step.type, id: step.id, path: '', data }).map((p) => p.key).filter((k): k is string => k !== undefined && k in data));
      for (const key of keys) {
        if (REQUIRED_KEYS.has(key)) continue;
        const value = data[key];
        const kept = `imported_${key}`;
        const line = this.lineOf(step.id);
        this.issue(line, `${step.type} ${step.id}: ${key} ${JSON.stringify(value)} would fail tb check; kept as ${kept}`);
        if (step.op === 'create') {
          delete step.data[key];
          if (isEmpty(step.data[kept])) step.data[kept] = typeof value === 'object' ? JSON.stringify(value) : value;
        } else {
          step.edits = step.edits.filter((e) => e.key !== key);
          step.edits.push({ key: kept, value: typeof value === 'object' ? JSON.stringify(value) : value });
        }
      }
    }
    this.steps.splice(0, this.steps.length, ...this.steps.filter((s) => s.op === 'create' || s.edits.length > 0));
  }

  private lineOf(id: string): number {
    return this.rows.find((r) => r.id === id)?.line ?? 0;
  }
}

/** Fields check reports as missing; never renamed away. */
const REQUIRED_KEYS = new Set(['name', 'title', 'date', 'contacts', 'due', 'text']);

/** Changed keys in a stable order: schema order, then the rest as they were added. */
function FIELD_ORDER_KEYS(w: Working): string[] {
  const order = (FIELD_ORDER as Record<string, readonly string[]>)[w.type] ?? [];
  return [...order.filter((k) => w.changed.has(k)), ...[...w.changed].filter((k) => !order.includes(k))];
}

// ---------------------------------------------------------------------------------------------
// Contacts (CSV and vCard)

/** Keys a draft fills itself; an `extra` column with one of these names is not used. */
const DRAFT_KEYS = new Set(['name', 'emails', 'phones', 'company', 'title', 'tags', 'birthday', 'location', 'links', 'addresses', 'notes', 'body']);
const NEVER_IMPORTED = new Set(['id', 'type', 'path', 'derived', 'front_matter', 'uid', ...UNSTORABLE_FIELDS.contact]);

function snakeKey(text: string): string {
  return text.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * Numbers and booleans from text cells; everything else (postal codes with a leading zero, phone
 * numbers, dates) stays text.
 */
function scalarOf(text: string): unknown {
  const t = text.trim();
  // tb's own CSV writes lists of mappings (and other structured values) as JSON.
  if (/^[[{]/.test(t)) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return t;
    }
  }
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
    addresses: draft.addresses.length ? draft.addresses.map((a) => ({ ...a })) : undefined,
  });
}

/** Hosts whose URLs name one person: such a link is an explicit identifier, like an email. */
const PROFILE_HOSTS = /^(?:[a-z]{2,3}\.)?(?:linkedin\.com\/in|xing\.com\/profile|github\.com|twitter\.com|x\.com|facebook\.com|instagram\.com|mastodon\.[a-z]+\/@)/;

/** A profile URL in comparable form (`https://www.linkedin.com/in/joe/` → `linkedin.com/in/joe`), else undefined. */
export function profileKey(url: string): string | undefined {
  const bare = url.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/[?#].*$/, '').replace(/\/+$/, '');
  return PROFILE_HOSTS.test(bare) && bare.split('/').length >= 2 && bare.split('/')[1] !== '' ? bare : undefined;
}

function emailsOf(data: FrontMatter): string[] {
  return unique(asList(data.emails).concat(asList(data.email)).map((e) => e.trim().toLowerCase()));
}

function profilesOf(data: FrontMatter): string[] {
  return unique(asList(data.links).map(profileKey).filter((k): k is string => k !== undefined));
}

function phonesOf(data: FrontMatter): string[] {
  return unique(asList(data.phones).concat(asList(data.phone)).map(phoneMatchKey).filter((k): k is string => k !== undefined));
}

/** Why two records cannot be the same person, or undefined when nothing conflicts. */
function conflictOf(incoming: FrontMatter, target: FrontMatter, sameCompany: (a: unknown, b: unknown) => boolean): string | undefined {
  const disjoint = (a: string[], b: string[]) => a.length > 0 && b.length > 0 && !a.some((x) => b.includes(x));
  const [ea, eb] = [emailsOf(incoming), emailsOf(target)];
  if (disjoint(ea, eb)) return `different email (${ea[0]} vs ${eb[0]})`;
  const [pa, pb] = [profilesOf(incoming), profilesOf(target)];
  if (disjoint(pa, pb)) return `different profile URL (${pa[0]} vs ${pb[0]})`;
  const [na, nb] = [asString(incoming.name), asString(target.name)];
  if (na && nb && nameKey(na) !== nameKey(nb)) return `different name ('${na}' vs '${nb}')`;
  if (!isEmpty(incoming.company) && !isEmpty(target.company) && !sameCompany(incoming.company, target.company)) {
    return 'different company';
  }
  const [ba, bb] = [asString(incoming.birthday), asString(target.birthday)];
  if (ba && bb && ba !== bb && !ba.startsWith('--') && !bb.startsWith('--')) return `different birthday (${ba} vs ${bb})`;
  return undefined;
}

class ContactIndex {
  private readonly byId = new Map<string, Working>();
  private readonly byEmail = new Map<string, Working[]>();
  private readonly byProfile = new Map<string, Working[]>();
  private readonly byPhone = new Map<string, Working[]>();
  private readonly byName = new Map<string, Working[]>();

  add(w: Working): void {
    this.byId.set(w.id, w);
    for (const e of emailsOf(w.data)) push(this.byEmail, e, w);
    for (const u of profilesOf(w.data)) push(this.byProfile, u, w);
    for (const p of phonesOf(w.data)) push(this.byPhone, p, w);
    const name = asString(w.data.name);
    if (name) push(this.byName, nameKey(name), w);
  }

  /** Records sharing an identifier with `data` (its id, an email, a profile URL): the same person. */
  strong(data: FrontMatter, ref: string | undefined): { hits: Working[]; by: string } | undefined {
    const byRef = ref ? this.byId.get(ref) : undefined;
    if (byRef) return { hits: [byRef], by: 'id' };
    const email = unique(emailsOf(data).flatMap((k) => this.byEmail.get(k) ?? []));
    const profile = unique(profilesOf(data).flatMap((k) => this.byProfile.get(k) ?? []));
    const hits = unique([...email, ...profile]);
    if (hits.length === 0) return undefined;
    return { hits, by: email.length && profile.length ? 'email and profile URL' : email.length ? 'email' : 'profile URL' };
  }

  /** Records sharing only a name or a phone: the same person only when nothing conflicts. */
  weak(data: FrontMatter): Array<{ w: Working; by: string }> {
    const out = new Map<Working, string>();
    const name = asString(data.name);
    for (const w of name ? this.byName.get(nameKey(name)) ?? [] : []) out.set(w, 'name');
    // Equal match keys are candidates: the numbers themselves must agree (core/text.ts).
    const phones = asList(data.phones).concat(asList(data.phone));
    for (const w of phonesOf(data).flatMap((k) => this.byPhone.get(k) ?? [])) {
      if (sharesPhone(w, phones)) out.set(w, out.has(w) ? 'name and phone' : 'phone');
    }
    return [...out].map(([w, by]) => ({ w, by }));
  }
}

function sharesPhone(w: Working, phones: readonly string[]): boolean {
  const stored = asList(w.data.phones).concat(asList(w.data.phone));
  return phones.some((p) => stored.some((q) => samePhone(p, q)));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

/** Git's conflict markers at a line start make the whole file unreadable; a backslash keeps the text. */
function safeBody(notes: string): string {
  const text = notes.replace(/\r\n?/g, '\n').trim().replace(/^(<{7}|>{7}|={7})/gm, '\\$1');
  return `\n${text}\n`;
}

export function planContactImport(drafts: ContactDraft[], ctx: ImportContext): ImportPlan {
  const p = new Planner(ctx);
  const index = new ContactIndex();
  for (const c of ctx.contacts) index.add({ type: 'contact', id: c.id, path: c.path, data: c.data, original: c.data, changed: new Set() });
  const sameCompany = (a: unknown, b: unknown) => p.findCompany(String(normalizeRef(a) ?? a)) === (normalizeRef(b) ?? String(b));
  const originLine = new Map<Working, number>();
  for (const draft of drafts) {
    const line = draft.source.line;
    const name = draft.name ?? draft.emails[0] ?? draft.phones[0] ?? 'contact';
    // The draft's fields with its company as the id it would link to (for comparing, not creating).
    const probe = draftData(draft, draft.company ? p.findCompany(draft.company) ?? `?${draft.company}` : undefined);
    const strong = index.strong(probe, draft.ref);
    let target: Working | undefined;
    let by = '';
    let duplicateOf: { w: Working; why: string } | undefined;
    if (strong && strong.hits.length > 1) {
      p.issue(line, `'${name}' matches ${strong.hits.length} contacts by ${strong.by} (${strong.hits.map((h) => h.id).join(', ')}); skipped, see tb dedupe`);
      p.row({ line, action: 'skipped', reason: `matches ${strong.hits.map((h) => h.id).join(', ')}` });
      p.counts.skipped++;
      continue;
    } else if (strong) {
      [target, by] = [strong.hits[0], strong.by];
    } else {
      const weak = index.weak(probe);
      const fitting = weak.filter(({ w }) => conflictOf(probe, w.data, sameCompany) === undefined);
      if (fitting.length > 1) {
        p.issue(line, `'${name}' matches ${fitting.length} contacts by ${fitting[0].by} (${fitting.map((f) => f.w.id).join(', ')}); skipped, see tb dedupe`);
        p.row({ line, action: 'skipped', reason: `matches ${fitting.map((f) => f.w.id).join(', ')}` });
        p.counts.skipped++;
        continue;
      }
      if (fitting.length === 1) [target, by] = [fitting[0].w, fitting[0].by];
      else if (weak.length > 0) duplicateOf = { w: weak[0].w, why: `same ${weak[0].by} but ${conflictOf(probe, weak[0].w.data, sameCompany)}` };
    }
    if (target) {
      const company = draft.company && isEmpty(target.data.company) ? p.companyId(draft.company) : undefined;
      const changed = p.fill(target, draftData(draft, company));
      index.add(target);
      const from = originLine.get(target);
      if (changed.length) {
        p.counts.updated++;
        p.row({ line, action: 'updated', id: target.id, matched_by: by, fields: changed, ...(from ? { merged_into_line: from } : {}) });
      } else {
        p.counts.skipped++;
        p.row({ line, action: 'unchanged', id: target.id, matched_by: by });
      }
      continue;
    }
    const data = draftData({ ...draft, name }, draft.company ? p.companyId(normalizeRef(draft.company) ?? draft.company) : undefined);
    addTag(data, ctx.tag);
    const full = ordered('contact', { ...data, owner: data.owner ?? ctx.owner, created: data.created ?? ctx.today });
    const w = p.create('contact', p.newId(name, 'contact'), full, { body: draft.notes ? safeBody(draft.notes) : undefined });
    index.add(w);
    originLine.set(w, line);
    p.counts.created++;
    if (duplicateOf) {
      const other = duplicateOf.w;
      const otherName = asString(other.data.name) ?? other.id;
      const where = originLine.has(other) ? `${other.id} (line ${originLine.get(other)})` : other.id;
      p.counts.duplicates++;
      p.issue(line, `possible duplicate: '${name}' imported as ${w.id}, not merged into ${where} '${otherName}': ${duplicateOf.why}; see tb dedupe / tb merge`);
      p.row({ line, action: 'created', id: w.id, possible_duplicate_of: other.id, reason: duplicateOf.why });
    } else {
      p.row({ line, action: 'created', id: w.id });
    }
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
    for (const key of Object.keys(data)) {
      if (!UNSTORABLE_FIELDS[type]?.has(key)) continue;
      delete data[key];
      p.issue(line, `'${key}' is a derived field of a ${type} (computed from other records); not imported`);
    }
    const have = existing.get(`${type}/${item.id}`);
    if (have) {
      const w: Working = { type, id: have.id, path: have.path, data: have.data, original: have.data, changed: new Set() };
      if (p.fill(w, data).length) p.counts.updated++;
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
        if (p.fill(hit, data).length) p.counts.updated++;
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
        if (p.fill(hit, fields).length) p.counts.updated++;
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
  const derived = UNSTORABLE_FIELDS[type];
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'id' || k === 'type' || k === 'path' || derived.has(k)) continue;
    out[k] = v;
  }
  return out;
}
