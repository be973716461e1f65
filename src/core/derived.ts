/**
 * Derived fields: computed from the records and "today", never stored in files.
 * Built once per command in O(records) and then looked up per record.
 */
import type { Config, Ctx, CrmRecord, Dataset } from './types.js';
import { datePart, daysBetween, durationDays, isIsoDate, parseDuration } from './dates.js';
import { reminderContacts, asNumber, asString, dealContacts, interactionContacts, normalizeRef, reminderStatus } from './fields.js';
import { stageById } from './config.js';

export interface ContactDerived {
  last_contact?: string;
  first_contact?: string;
  interactions: number;
  open_deals: number;
  pipeline_value: number;
  next_due?: string;
  overdue: boolean;
}

export interface DealDerived {
  age?: number;
  days_in_stage?: number;
  probability: number;
  weighted: number;
  last_activity?: string;
  stale: boolean;
  open: boolean;
  /** The stage's `closed` marker, if the deal is won or lost. */
  outcome?: 'won' | 'lost';
}

export interface CompanyDerived {
  contacts: number;
  last_contact?: string;
  open_deals: number;
  pipeline_value: number;
}

export interface Derived {
  contact(id: string): ContactDerived;
  deal(id: string): DealDerived;
  company(id: string): CompanyDerived;
  /** Derived fields of any record as a plain object (empty for interactions and reminders). */
  fieldsOf(rec: CrmRecord): Record<string, unknown>;
}

/** Their names, per type, are declared in core/schema.ts. */
export { DERIVED_FIELDS } from './schema.js';

/** The interaction keys summarizeInteractions reads (the store keeps only these for it). */
export const SUMMARY_INPUTS: readonly string[] = ['date', 'contacts', 'contact', 'deal'];

/** The date of an interaction or undefined when it has none we can read. */
export function interactionDate(rec: CrmRecord): string | undefined {
  const d = asString(rec.data.date);
  return d && isIsoDate(d) ? datePart(d) : undefined;
}

function maxDate(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function minDate(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

/** A deal's stage history as [{date, stage}], sorted by date (stable). */
export function dealHistory(deal: CrmRecord): Array<{ date: string; stage: string }> {
  const h = deal.data.history;
  if (!Array.isArray(h)) return [];
  const out: Array<{ date: string; stage: string }> = [];
  for (const e of h) {
    if (e && typeof e === 'object' && !Array.isArray(e)) {
      const date = asString((e as Record<string, unknown>).date);
      const stage = asString((e as Record<string, unknown>).stage);
      if (date && isIsoDate(date) && stage) out.push({ date: datePart(date), stage });
    }
  }
  return out.map((e, i) => ({ e, i })).sort((x, y) => (x.e.date < y.e.date ? -1 : x.e.date > y.e.date ? 1 : x.i - y.i)).map((x) => x.e);
}

/** The stage probability, overridden by the deal's own `probability`. */
export function dealProbability(deal: CrmRecord, config: Config): number {
  const own = asNumber(deal.data.probability);
  if (own !== undefined && own >= 0 && own <= 1) return own;
  const stage = stageById(config, String(deal.data.stage ?? ''));
  return stage?.probability ?? 0;
}

export function dealOutcome(deal: CrmRecord, config: Config): 'won' | 'lost' | undefined {
  return stageById(config, String(deal.data.stage ?? ''))?.closed;
}

export function dealCreated(deal: CrmRecord): string | undefined {
  const c = asString(deal.data.created);
  if (c && isIsoDate(c)) return datePart(c);
  return dealHistory(deal)[0]?.date;
}

/** Interaction counts and dates per contact, and the last interaction date per deal. */
interface InteractionTally {
  contacts: Map<string, { count: number; first: string; last: string }>;
  deals: Map<string, string>;
}

function emptyTally(): InteractionTally {
  return { contacts: new Map(), deals: new Map() };
}

/** Adds one dated interaction; `contactIds` must be distinct. */
function addToTally(t: InteractionTally, date: string, contactIds: readonly string[], dealId: string | undefined): void {
  for (const cid of contactIds) {
    const c = t.contacts.get(cid);
    if (!c) t.contacts.set(cid, { count: 1, first: date, last: date });
    else {
      c.count++;
      if (date < c.first) c.first = date;
      if (date > c.last) c.last = date;
    }
  }
  if (dealId) t.deals.set(dealId, maxDate(t.deals.get(dealId), date)!);
}

/** The distinct contacts of an interaction. */
export function distinctContacts(i: CrmRecord): string[] {
  const { contacts, contact } = i.data;
  // The shape tb writes (`contacts: [one]`), without the general path's intermediate arrays:
  // this runs for every one of 100k interactions when a summary is built.
  if (contact === undefined && Array.isArray(contacts) && contacts.length === 1 && typeof contacts[0] === 'string') {
    const id = normalizeRef(contacts[0]);
    return id === undefined ? [] : [id];
  }
  const ids = interactionContacts(i);
  return ids.length > 1 ? [...new Set(ids)] : ids;
}

/**
 * What buildDerived needs from the interactions, so that a command that uses them only for derived
 * fields (list, due, pipeline) need not hold 100k records: totals over every interaction dated on or
 * before `cutoff`, and the few dated after it one by one (a later "today" counts them). Plain JSON,
 * cached by the store next to its index. Valid for any today on or after the cutoff.
 */
export interface InteractionSummary {
  cutoff: string;
  /** [contact id, interactions, first date, last date], dated on or before the cutoff. */
  contacts: Array<[string, number, string, string]>;
  /** [deal id, last interaction date], dated on or before the cutoff. */
  deals: Array<[string, string]>;
  /** Interactions dated after the cutoff: [date, distinct contact ids, deal id or ''] */
  later: Array<[string, string[], string]>;
}

export function summarizeInteractions(interactions: readonly CrmRecord[], cutoff: string): InteractionSummary {
  return foldInteractions(emptyTally(), [], interactions, cutoff);
}

/** Past this many interactions kept one by one, extending a summary costs more than rebuilding it. */
const MAX_LATER = 5000;

/**
 * The summary of its interactions plus `added` (new interactions, none of them already counted):
 * what a store folds in after `tb log` instead of reading every interaction again. Undefined when
 * the summary would carry too many interactions one by one: build it afresh instead.
 */
export function extendSummary(s: InteractionSummary, added: readonly CrmRecord[]): InteractionSummary | undefined {
  const t: InteractionTally = {
    contacts: new Map(s.contacts.map(([id, count, first, last]) => [id, { count, first, last }])),
    deals: new Map(s.deals),
  };
  const out = foldInteractions(t, [...s.later], added, s.cutoff);
  return out.later.length > MAX_LATER ? undefined : out;
}

function foldInteractions(t: InteractionTally, later: InteractionSummary['later'], interactions: readonly CrmRecord[], cutoff: string): InteractionSummary {
  for (const i of interactions) {
    const date = interactionDate(i);
    if (!date) continue;
    if (date > cutoff) later.push([date, distinctContacts(i), normalizeRef(i.data.deal) ?? '']);
    else addToTally(t, date, distinctContacts(i), normalizeRef(i.data.deal));
  }
  return {
    cutoff,
    contacts: [...t.contacts].map(([id, c]) => [id, c.count, c.first, c.last]),
    deals: [...t.deals],
    later,
  };
}

/** Whether a value (read back from the cache) is a summary that answers for `today`. */
export function summaryAnswers(value: unknown, today: string): value is InteractionSummary {
  if (!value || typeof value !== 'object') return false;
  const s = value as Partial<InteractionSummary>;
  return (
    typeof s.cutoff === 'string' && isIsoDate(s.cutoff) && s.cutoff <= today &&
    Array.isArray(s.contacts) && s.contacts.every((c) => Array.isArray(c) && c.length === 4 && typeof c[0] === 'string' && typeof c[1] === 'number' && typeof c[2] === 'string' && typeof c[3] === 'string') &&
    Array.isArray(s.deals) && s.deals.every((d) => Array.isArray(d) && d.length === 2 && typeof d[0] === 'string' && typeof d[1] === 'string') &&
    Array.isArray(s.later) && s.later.every((l) => Array.isArray(l) && l.length === 3 && typeof l[0] === 'string' && Array.isArray(l[1]) && l[1].every((id) => typeof id === 'string') && typeof l[2] === 'string')
  );
}

/** Interactions dated on or before today, from the summary when the dataset has one. */
function tallyInteractions(ds: Dataset, today: string): InteractionTally {
  const s = ds.interactionSummary;
  if (!s) {
    const t = emptyTally();
    for (const i of ds.interactions) {
      const date = interactionDate(i);
      if (date && date <= today) addToTally(t, date, distinctContacts(i), normalizeRef(i.data.deal));
    }
    return t;
  }
  if (s.cutoff > today) throw new Error(`interaction summary up to ${s.cutoff} cannot answer for ${today}`);
  const t: InteractionTally = {
    contacts: new Map(s.contacts.map(([id, count, first, last]) => [id, { count, first, last }])),
    deals: new Map(s.deals),
  };
  for (const [date, ids, deal] of s.later) if (date <= today) addToTally(t, date, ids, deal || undefined);
  return t;
}

export function buildDerived(ds: Dataset, ctx: Ctx): Derived {
  const today = ctx.today;
  const contactInfo = new Map<string, ContactDerived>();
  const blankContact = (): ContactDerived => ({ interactions: 0, open_deals: 0, pipeline_value: 0, overdue: false });
  const contactOf = (id: string): ContactDerived => {
    let c = contactInfo.get(id);
    if (!c) contactInfo.set(id, (c = blankContact()));
    return c;
  };
  const tally = tallyInteractions(ds, today);
  for (const [id, t] of tally.contacts) {
    const c = contactOf(id);
    c.interactions = t.count;
    c.first_contact = t.first;
    c.last_contact = t.last;
  }
  const dealLastInteraction = tally.deals;

  for (const r of ds.reminders) {
    if (reminderStatus(r) !== 'open') continue;
    const due = asString(r.data.due);
    if (!due || !isIsoDate(due)) continue;
    for (const cid of reminderContacts(r)) {
      const c = contactOf(cid);
      c.next_due = minDate(c.next_due, datePart(due));
      if (datePart(due) < today) c.overdue = true;
    }
  }

  const staleDays = durationDays(parseDuration(ds.config.stale_after) ?? { n: 21, unit: 'd' });
  const dealInfo = new Map<string, DealDerived>();
  for (const d of ds.deals) {
    const history = dealHistory(d);
    const created = dealCreated(d);
    const outcome = dealOutcome(d, ds.config);
    const probability = dealProbability(d, ds.config);
    const value = asNumber(d.data.value) ?? 0;
    const lastStageChange = history.length ? history[history.length - 1].date : created;
    const lastActivity = maxDate(maxDate(dealLastInteraction.get(d.id), lastStageChange), created);
    const open = outcome === undefined;
    const info: DealDerived = {
      age: created ? daysBetween(created, today) : undefined,
      days_in_stage: lastStageChange ? daysBetween(lastStageChange, today) : undefined,
      probability,
      weighted: open ? value * probability : outcome === 'won' ? value : 0,
      last_activity: lastActivity,
      stale: open && lastActivity !== undefined && daysBetween(lastActivity, today) > staleDays,
      open,
      outcome,
    };
    dealInfo.set(d.id, info);
    if (open) {
      for (const cid of new Set(dealContacts(d))) {
        const c = contactOf(cid);
        c.open_deals++;
        c.pipeline_value += value;
      }
    }
  }

  const companyInfo = new Map<string, CompanyDerived>();
  const companyOf = (id: string): CompanyDerived => {
    let c = companyInfo.get(id);
    if (!c) companyInfo.set(id, (c = { contacts: 0, open_deals: 0, pipeline_value: 0 }));
    return c;
  };
  for (const c of ds.contacts) {
    const comp = normalizeRef(c.data.company);
    if (!comp) continue;
    const info = companyOf(comp);
    info.contacts++;
    info.last_contact = maxDate(info.last_contact, contactInfo.get(c.id)?.last_contact);
  }
  for (const d of ds.deals) {
    const comp = normalizeRef(d.data.company);
    const info = dealInfo.get(d.id);
    if (!comp || !info?.open) continue;
    const c = companyOf(comp);
    c.open_deals++;
    c.pipeline_value += asNumber(d.data.value) ?? 0;
  }

  const derived: Derived = {
    contact: (id) => contactInfo.get(id) ?? blankContact(),
    deal: (id) => dealInfo.get(id) ?? { probability: 0, weighted: 0, stale: false, open: true },
    company: (id) => companyInfo.get(id) ?? { contacts: 0, open_deals: 0, pipeline_value: 0 },
    fieldsOf(rec) {
      switch (rec.type) {
        case 'contact':
          return { ...derived.contact(rec.id) };
        case 'deal': {
          const { outcome: _outcome, ...rest } = derived.deal(rec.id);
          return rest;
        }
        case 'company':
          return { ...derived.company(rec.id) };
        default:
          return {};
      }
    },
  };
  return derived;
}
