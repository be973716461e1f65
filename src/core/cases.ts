/**
 * Service cases (docs/cases.md): settings, ids, status transitions, derived fields, the digest's
 * Cases section (the figures of `tb report cases` are in ./case-report.ts). Pure: "now" is passed in as epoch ms.
 */
import type { CrmRecord, FrontMatter } from './types.js';
import { asString, normalizeRef } from './fields.js';
import { slugify } from './slug.js';
import { parseInstant } from './instants.js';
import { FIELD_ORDER } from './schema.js';
import { caseSla, readSlaSettings, slaTimeZone } from './sla.js';
import type { SlaDerived, SlaSettings } from './sla.js';
import { UsageError } from '../errors.js';

export interface CaseStatusDef {
  id: string;
  /** A done status stops the SLA clocks (resolved, closed). */
  done: boolean;
}

export interface CaseSettings {
  statuses: CaseStatusDef[];
  categories: string[];
  priorities: string[];
  sla: SlaSettings;
}

export const DEFAULT_CASE_STATUSES: readonly CaseStatusDef[] = [
  { id: 'open', done: false },
  { id: 'waiting', done: false },
  { id: 'resolved', done: true },
  { id: 'closed', done: true },
];
export const DEFAULT_CASE_CATEGORIES: readonly string[] = ['complaint', 'question', 'request', 'incident'];
export const CASE_PRIORITIES: readonly string[] = ['low', 'normal', 'high', 'urgent'];
/** The category whose open cases count toward churn risk and "most complaints". */
export const COMPLAINT = 'complaint';
/** Statuses named like this are done unless the config says otherwise. */
const DONE_BY_NAME = new Set(['resolved', 'closed', 'done', 'solved', 'cancelled']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads `case_statuses`, `case_categories`, `sla` and `business_hours` from touchbase.yaml.
 * `case_statuses` entries are ids or `{ id, done: true }`; without `done`, resolved/closed/done/
 * solved/cancelled are done. Priorities are low, normal, high, urgent plus any priority `sla:` names.
 */
export function readCaseSettings(raw: Record<string, unknown>): { settings: CaseSettings; problems: Array<{ key: string; message: string }> } {
  const { settings: sla, problems } = readSlaSettings(raw);
  const settings: CaseSettings = {
    statuses: DEFAULT_CASE_STATUSES.map((s) => ({ ...s })),
    categories: [...DEFAULT_CASE_CATEGORIES],
    priorities: [...CASE_PRIORITIES, ...Object.keys(sla.targets).filter((p) => !CASE_PRIORITIES.includes(p))],
    sla,
  };
  if (raw.case_statuses !== undefined) {
    const statuses: CaseStatusDef[] = [];
    const list = Array.isArray(raw.case_statuses) ? raw.case_statuses : [];
    for (const entry of list) {
      const id = typeof entry === 'string' ? entry : isObject(entry) && typeof entry.id === 'string' ? entry.id : undefined;
      if (!id) {
        problems.push({ key: 'case_statuses', message: 'case_statuses entries must be ids or { id, done }' });
        continue;
      }
      const done = isObject(entry) && typeof entry.done === 'boolean' ? entry.done : DONE_BY_NAME.has(id.toLowerCase());
      statuses.push({ id: id.toLowerCase(), done });
    }
    if (!statuses.some((s) => !s.done) || !statuses.some((s) => s.done)) {
      problems.push({ key: 'case_statuses', message: 'case_statuses must list at least one open and one done status (e.g. [open, waiting, resolved, closed])' });
    } else settings.statuses = statuses;
  }
  if (raw.case_categories !== undefined) {
    const list = Array.isArray(raw.case_categories) ? raw.case_categories.filter((c) => typeof c === 'string').map((c) => String(c).toLowerCase()) : [];
    if (list.length) settings.categories = list;
    else problems.push({ key: 'case_categories', message: 'case_categories must be a non-empty list' });
  }
  return { settings, problems };
}

// ---------------------------------------------------------------------------------------------
// Records

/** File stem base for a case: `2026-11-20-ada-lovelace-invoice-is-wrong` (a random suffix is added). */
export function caseBaseId(opened: string, contact: string, subject: string): string {
  const words = slugify(subject).split('-').slice(0, 5).join('-');
  return [opened.slice(0, 10), slugify(contact) || 'contact', words || 'case'].join('-');
}

/** Keeps the case keys in schema order, then the rest; drops empty values. */
export function caseData(data: FrontMatter): FrontMatter {
  const out: FrontMatter = {};
  for (const k of FIELD_ORDER.case) if (data[k] !== undefined && data[k] !== '' && data[k] !== null) out[k] = data[k];
  for (const [k, v] of Object.entries(data)) if (!(k in out) && v !== undefined && v !== '' && v !== null) out[k] = v;
  return out;
}

export function caseStatus(rec: CrmRecord): string {
  return (asString(rec.data.status) ?? 'open').toLowerCase();
}

export function casePriority(rec: CrmRecord): string {
  return (asString(rec.data.priority) ?? 'normal').toLowerCase();
}

export function caseCategory(rec: CrmRecord): string | undefined {
  return asString(rec.data.category)?.toLowerCase();
}

/** True while the case still needs work: its status is not a done one (unknown statuses count as open). */
export function isCaseActive(rec: CrmRecord, settings: CaseSettings): boolean {
  const status = caseStatus(rec);
  const def = settings.statuses.find((s) => s.id === status);
  return def ? !def.done : !DONE_BY_NAME.has(status);
}

export type StatusRole = 'open' | 'waiting' | 'resolved' | 'closed';

/**
 * The configured status that plays a role: the one named like the role if listed, else the first
 * open status (open, waiting) or the first / last done status (resolved / closed).
 */
export function statusFor(settings: CaseSettings, role: StatusRole): string {
  const named = settings.statuses.find((s) => s.id === role);
  if (named) return named.id;
  const open = settings.statuses.filter((s) => !s.done);
  const done = settings.statuses.filter((s) => s.done);
  if (role === 'open' || role === 'waiting') return open[0].id;
  return role === 'resolved' ? done[0].id : done[done.length - 1].id;
}

/** The interactions linked to a case (`case: <id>`), oldest first. */
export function caseThread(caseId: string, interactions: readonly CrmRecord[]): CrmRecord[] {
  return interactions
    .filter((i) => normalizeRef(i.data.case) === caseId)
    .sort((a, b) => String(a.data.date ?? '').localeCompare(String(b.data.date ?? '')) || a.id.localeCompare(b.id));
}

/** `tb check`: opened ≤ first_response ≤ resolved (unreadable stamps are reported elsewhere). */
export function caseOrderProblems(rec: CrmRecord, settings: CaseSettings): Array<{ key: string; message: string }> {
  const zone = slaTimeZone(settings.sla);
  const at = (key: string) => parseInstant(rec.data[key], zone);
  const [opened, responded, resolved] = [at('opened'), at('first_response'), at('resolved')];
  const out: Array<{ key: string; message: string }> = [];
  const text = (key: string) => String(rec.data[key]);
  if (opened !== undefined && responded !== undefined && responded < opened) out.push({ key: 'first_response', message: `first_response ${text('first_response')} is before opened ${text('opened')}` });
  if (opened !== undefined && resolved !== undefined && resolved < opened) out.push({ key: 'resolved', message: `resolved ${text('resolved')} is before opened ${text('opened')}` });
  else if (responded !== undefined && resolved !== undefined && resolved < responded) out.push({ key: 'resolved', message: `resolved ${text('resolved')} is before first_response ${text('first_response')}` });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Transitions: each returns the front matter keys to set (undefined = remove).

export type CaseChanges = Record<string, unknown>;

/** `tb case reply`: first_response if empty; status → waiting unless kept open or already done. */
export function replyChanges(rec: CrmRecord, settings: CaseSettings, stamp: string, keepOpen: boolean): CaseChanges {
  const changes: CaseChanges = {};
  if (!asString(rec.data.first_response)) changes.first_response = stamp;
  if (isCaseActive(rec, settings)) {
    const next = statusFor(settings, keepOpen ? 'open' : 'waiting');
    if (next !== caseStatus(rec)) changes.status = next;
  }
  return changes;
}

/** `tb case resolve`: status → resolved and the resolved stamp; on a resolved case only the rating changes. */
export function resolveChanges(rec: CrmRecord, settings: CaseSettings, stamp: string, satisfaction?: number): CaseChanges {
  if (satisfaction !== undefined && !(Number.isInteger(satisfaction) && satisfaction >= 1 && satisfaction <= 5)) {
    throw new UsageError(`--satisfaction must be a whole number from 1 to 5, got '${satisfaction}'`);
  }
  const changes: CaseChanges = {};
  if (isCaseActive(rec, settings)) {
    changes.status = statusFor(settings, 'resolved');
    changes.resolved = stamp;
  } else if (satisfaction === undefined) {
    throw new UsageError(`case ${rec.id} is already ${caseStatus(rec)}`, 'tb case reopen reopens it; --satisfaction N records a rating');
  }
  if (satisfaction !== undefined) changes.satisfaction = satisfaction;
  return changes;
}

/** `tb case reopen`: back to open; the resolved stamp goes (the resolve clock runs again). */
export function reopenChanges(rec: CrmRecord, settings: CaseSettings): CaseChanges {
  if (isCaseActive(rec, settings)) throw new UsageError(`case ${rec.id} is already ${caseStatus(rec)}`);
  // A reopened case is not solved: the rating given at resolve time no longer applies.
  return { status: statusFor(settings, 'open'), resolved: undefined, satisfaction: undefined };
}

/** `tb case close`: closed, and resolved stamped now if it never was. */
export function closeChanges(rec: CrmRecord, settings: CaseSettings, stamp: string): CaseChanges {
  const closed = statusFor(settings, 'closed');
  if (caseStatus(rec) === closed) throw new UsageError(`case ${rec.id} is already ${closed}`);
  const changes: CaseChanges = { status: closed };
  if (!asString(rec.data.resolved)) changes.resolved = stamp;
  return changes;
}

// ---------------------------------------------------------------------------------------------
// Derived fields

export interface CaseDerived extends SlaDerived {
  /** True while the status is not a done one. */
  active: boolean;
  /** The next deadline still running: first_response_due until answered, then resolve_due. */
  next_deadline?: string;
}

export function deriveCase(rec: CrmRecord, settings: CaseSettings, now: number): CaseDerived {
  const active = isCaseActive(rec, settings);
  const sla = caseSla(
    {
      priority: casePriority(rec),
      opened: asString(rec.data.opened),
      first_response: asString(rec.data.first_response),
      resolved: asString(rec.data.resolved),
      active,
    },
    settings.sla,
    now,
  );
  const out: CaseDerived = { ...sla, active };
  if (active) {
    const answered = asString(rec.data.first_response) !== undefined;
    const next = !answered && sla.first_response_due ? sla.first_response_due : sla.resolve_due;
    if (next) out.next_deadline = next;
  }
  return out;
}

/**
 * Derived fields as a plain object for queries and JSON, in the schema's order (`DERIVED_FIELDS.case`):
 * `breached` is true when any SLA is missed, `breached_sla` says which (docs/cases.md).
 */
export function caseDerivedFields(d: CaseDerived): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (d.age !== undefined) out.age = d.age;
  if (d.first_response_due !== undefined) out.first_response_due = d.first_response_due;
  if (d.resolve_due !== undefined) out.resolve_due = d.resolve_due;
  out.breached = d.breached.length > 0;
  out.breached_sla = d.breached;
  if (d.time_to_first_response !== undefined) out.time_to_first_response = d.time_to_first_response;
  if (d.time_to_resolve !== undefined) out.time_to_resolve = d.time_to_resolve;
  if (d.next_deadline !== undefined) out.next_deadline = d.next_deadline;
  return out;
}

/** Derived fields per case for one command (settings and "now" read once, each case computed once). */
export function caseFieldReader(config: { raw: Record<string, unknown> }, ctx: { today: string; now?: string }): (rec: CrmRecord) => Record<string, unknown> {
  const cache = new Map<string, Record<string, unknown>>();
  let settings: CaseSettings | undefined;
  let now = 0;
  return (rec) => {
    let fields = cache.get(rec.id);
    if (!fields) {
      if (!settings) {
        settings = caseSettingsOf(config);
        now = slaNow(ctx, settings);
      }
      fields = caseDerivedFields(deriveCase(rec, settings, now));
      cache.set(rec.id, fields);
    }
    return fields;
  };
}

// ---------------------------------------------------------------------------------------------
// The digest's Cases section

export interface CaseDueItem {
  id: string;
  path: string;
  subject: string;
  contact?: string;
  company?: string;
  owner?: string;
  status: string;
  priority: string;
  /** The deadline the item is about (an instant with offset). */
  deadline: string;
  /** Which deadline: first_response or resolve. */
  sla: 'first_response' | 'resolve';
  /** SLAs already missed. */
  breached: Array<'first_response' | 'resolve'>;
  /** Hours from now to the deadline on the wall clock: negative when late. */
  hours_left: number;
}

/**
 * Active cases that are breached, or whose next deadline falls before `horizon` (an instant:
 * the end of the digest window), most urgent deadline first.
 */
export function dueCases(cases: readonly CrmRecord[], settings: CaseSettings, now: number, horizon: number, owner?: string): CaseDueItem[] {
  const zone = slaTimeZone(settings.sla);
  const items: Array<CaseDueItem & { at: number }> = [];
  for (const rec of cases) {
    const d = deriveCase(rec, settings, now);
    if (!d.active) continue;
    const breachedDeadline = d.breached.includes('first_response') && d.first_response_due ? 'first_response' : d.breached.includes('resolve') ? 'resolve' : undefined;
    const which = breachedDeadline ?? (d.next_deadline === undefined ? undefined : d.next_deadline === d.first_response_due && !asString(rec.data.first_response) ? 'first_response' : 'resolve');
    const deadline = which === 'first_response' ? d.first_response_due : which === 'resolve' ? d.resolve_due : undefined;
    if (!which || !deadline) continue;
    const at = parseInstant(deadline, zone)!;
    if (!d.breached.length && at > horizon) continue;
    const caseOwner = asString(rec.data.owner);
    if (owner !== undefined && caseOwner?.toLowerCase() !== owner.toLowerCase()) continue;
    const item: CaseDueItem & { at: number } = {
      id: rec.id,
      path: rec.path,
      subject: asString(rec.data.subject) ?? rec.id,
      status: caseStatus(rec),
      priority: casePriority(rec),
      deadline,
      sla: which,
      breached: d.breached,
      hours_left: Math.round(((at - now) / 3_600_000) * 100) / 100,
      at,
    };
    const contact = normalizeRef(rec.data.contact);
    const company = normalizeRef(rec.data.company);
    if (contact) item.contact = contact;
    if (company) item.company = company;
    if (caseOwner) item.owner = caseOwner;
    items.push(item);
  }
  items.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  return items.map(({ at: _at, ...item }) => item);
}

/** Open complaints per contact id (for churn risk in `tb report`). */
export function openComplaintsByContact(cases: readonly CrmRecord[], settings: CaseSettings): Map<string, number> {
  const out = new Map<string, number>();
  for (const rec of cases) {
    if (caseCategory(rec) !== COMPLAINT || !isCaseActive(rec, settings)) continue;
    const contact = normalizeRef(rec.data.contact);
    if (contact) out.set(contact, (out.get(contact) ?? 0) + 1);
  }
  return out;
}

/** Each contact's active case, the latest opened when there are several (ties: the larger id). */
export function activeCaseByContact(cases: readonly CrmRecord[], settings: CaseSettings): Map<string, string> {
  const best = new Map<string, CrmRecord>();
  for (const rec of cases) {
    if (!isCaseActive(rec, settings)) continue;
    const contact = normalizeRef(rec.data.contact);
    if (!contact) continue;
    const had = best.get(contact);
    const key = (r: CrmRecord) => `${asString(r.data.opened) ?? ''}\u0000${r.id}`;
    if (!had || key(rec) > key(had)) best.set(contact, rec);
  }
  return new Map([...best].map(([contact, rec]) => [contact, rec.id]));
}

const settingsCache = new WeakMap<object, CaseSettings>();

/** The case settings of a loaded config (read once per config). */
export function caseSettingsOf(config: { raw: Record<string, unknown> }): CaseSettings {
  let s = settingsCache.get(config.raw);
  if (!s) {
    s = readCaseSettings(config.raw).settings;
    settingsCache.set(config.raw, s);
  }
  return s;
}

/**
 * "Now" for SLA clocks: `ctx.now` (the clock, or --as-of with a time), else midnight of
 * `ctx.today`, both read in the SLA zone.
 */
export function slaNow(ctx: { today: string; now?: string }, settings: CaseSettings): number {
  const zone = slaTimeZone(settings.sla);
  return parseInstant(ctx.now, zone) ?? parseInstant(ctx.today, zone)!;
}
