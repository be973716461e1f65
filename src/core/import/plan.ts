/**
 * The plan an import makes: the steps (create a record, fill empty fields of an existing one), the
 * counts and the per-row report. Pure: it gets the loaded records and "today" and returns the steps;
 * src/commands/import.ts writes them. Each format plans through one Planner: contacts.ts (CSV and
 * vCard contacts), json.ts (tb's own export), sheets.ts (companies, deals, interactions from CSV).
 *
 * - a match only gains what it lacks: an empty field is filled, a list gains missing values, a
 *   non-empty value is never overwritten;
 * - companies are linked by exact name or id, and created when missing;
 * - a value tb check would reject is moved to `imported_<key>` and reported.
 */
import { withoutControlChars } from '../control-chars.js';
import { normalizeBooleans } from '../booleans.js';
import type { Config, CrmRecord, FrontMatter, RecordType } from '../types.js';
import { emptyRecordLists } from '../types.js';
import { FIELD_ORDER, ordered } from '../records.js';
import { REQUIRED_FIELDS } from '../schema.js';
import { asList, asString, normalizeRef } from '../fields.js';
import { recordValidator } from '../validate.js';
import { slugify, uniqueSlug } from '../slug.js';
import type { ImportIssue } from '../import-shapes.js';
import { phoneKey } from '../text.js';
import { isEmpty, nameKey } from './match.js';

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

export function addTag(data: FrontMatter, tag: string | undefined): boolean {
  if (!tag) return false;
  const tags = asList(data.tags);
  if (tags.some((t) => t.toLowerCase() === tag.toLowerCase())) return false;
  data.tags = [...tags, tag];
  return true;
}

/** A record being imported into: an existing file or one this import will create. */
export interface Working {
  type: RecordType;
  id: string;
  path?: string;
  data: FrontMatter;
  original?: FrontMatter;
  step?: PlanStep & { op: 'create' };
  changed: Set<string>;
}

export class Planner {
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
        // A required field is reported missing by tb check: never renamed away.
        if (REQUIRED_FIELDS[step.type].includes(key)) continue;
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

/** Changed keys in a stable order: schema order, then the rest as they were added. */
function FIELD_ORDER_KEYS(w: Working): string[] {
  const order = (FIELD_ORDER as Record<string, readonly string[]>)[w.type] ?? [];
  return [...order.filter((k) => w.changed.has(k)), ...[...w.changed].filter((k) => !order.includes(k))];
}
