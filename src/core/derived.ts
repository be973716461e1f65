/**
 * Derived fields: computed from the records and "today", never stored in files.
 * Built once per command in O(records) and then looked up per record.
 */
import type { Config, Ctx, CrmRecord, Dataset, RecordType } from './types.js';
import { datePart, daysBetween, durationDays, isIsoDate, parseDuration } from './dates.js';
import { reminderContacts, asNumber, asString, dealContacts, interactionContacts, normalizeRef, reminderStatus } from './fields.js';
import { stageById } from './config.js';
import { compileScoring, scoringOf, type ScoreResult, type Scorer } from './scoring.js';
import { DataError } from '../errors.js';
import { caseFieldReader } from './cases.js';
import { touchFilter } from './campaign-settings.js';
import { declarationOf, type SCHEMA } from './schema.js';

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
  /**
   * The lead score of a contact, or of a company (the highest of its contacts'); undefined when
   * `scoring:` is not configured (docs/scoring.md). Computed on first use, then remembered.
   */
  score(rec: CrmRecord): number | undefined;
  /** A contact's score with the breakdown per rule. */
  scoreDetail(contactId: string): ScoreResult | undefined;
}

/** Their names, per type, are declared in core/schema.ts. */
export { DERIVED_FIELDS } from './schema.js';

/** The names of a type's stored fields, as declared in core/schema.ts. */
type FieldName<T extends RecordType> = Extract<(typeof SCHEMA)[number], { type: T }>['fields'][number]['name'];

/**
 * The interaction fields the summary reads: `campaign` and `status` for the touch filter
 * (core/campaign-settings.ts), which the store applies to the kept keys only.
 */
const SUMMARY_FIELDS: readonly FieldName<'interaction'>[] = ['date', 'contacts', 'deal', 'campaign', 'status'];

/**
 * The interaction keys summarizeInteractions reads (the store keeps only these for it): each of
 * SUMMARY_FIELDS under its name and the aliases the schema declares (`contact` for `contacts`).
 */
export const SUMMARY_INPUTS: readonly string[] = SUMMARY_FIELDS.flatMap((name) => {
  const field = declarationOf('interaction').fields.find((f) => f.name === name)!;
  return [field.name, ...(field.aliases ?? [])];
});

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
    // A campaign's mail is not a touch unless configured (docs/campaigns.md); the store's summary
    // is built from the same filter.
    const counts = touchFilter(ds.config);
    for (const i of ds.interactions) {
      if (counts && !counts(i)) continue;
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

const blankContact = (): ContactDerived => ({ interactions: 0, open_deals: 0, pipeline_value: 0, overdue: false });
const blankDeal = (): DealDerived => ({ probability: 0, weighted: 0, stale: false, open: true });
const blankCompany = (): CompanyDerived => ({ contacts: 0, open_deals: 0, pipeline_value: 0 });

/** The entry of `id`, made blank on first use. */
function entryOf<T>(table: Map<string, T>, id: string, blank: () => T): T {
  let entry = table.get(id);
  if (!entry) table.set(id, (entry = blank()));
  return entry;
}

/** Contacts' interaction counts and dates, and their next open reminder (open deals come later). */
function contactTable(ds: Dataset, tally: InteractionTally, today: string): Map<string, ContactDerived> {
  const contacts = new Map<string, ContactDerived>();
  for (const [id, t] of tally.contacts) {
    const c = entryOf(contacts, id, blankContact);
    c.interactions = t.count;
    c.first_contact = t.first;
    c.last_contact = t.last;
  }
  for (const r of ds.reminders) {
    if (reminderStatus(r) !== 'open') continue;
    const due = asString(r.data.due);
    if (!due || !isIsoDate(due)) continue;
    for (const cid of reminderContacts(r)) {
      const c = entryOf(contacts, cid, blankContact);
      c.next_due = minDate(c.next_due, datePart(due));
      if (datePart(due) < today) c.overdue = true;
    }
  }
  return contacts;
}

/** One deal's derived fields; `lastInteraction` is the date of its last interaction, if any. */
function dealDerived(d: CrmRecord, config: Config, today: string, lastInteraction: string | undefined, staleDays: number): DealDerived {
  const history = dealHistory(d);
  const created = dealCreated(d);
  const outcome = dealOutcome(d, config);
  const probability = dealProbability(d, config);
  const value = asNumber(d.data.value) ?? 0;
  const lastStageChange = history.length ? history[history.length - 1].date : created;
  const lastActivity = maxDate(maxDate(lastInteraction, lastStageChange), created);
  const open = outcome === undefined;
  return {
    age: created ? daysBetween(created, today) : undefined,
    days_in_stage: lastStageChange ? daysBetween(lastStageChange, today) : undefined,
    probability,
    weighted: open ? value * probability : outcome === 'won' ? value : 0,
    last_activity: lastActivity,
    stale: open && lastActivity !== undefined && daysBetween(lastActivity, today) > staleDays,
    open,
    outcome,
  };
}

function dealTable(ds: Dataset, dealLastInteraction: ReadonlyMap<string, string>, today: string): Map<string, DealDerived> {
  const staleDays = durationDays(parseDuration(ds.config.stale_after) ?? { n: 21, unit: 'd' });
  const deals = new Map<string, DealDerived>();
  for (const d of ds.deals) deals.set(d.id, dealDerived(d, ds.config, today, dealLastInteraction.get(d.id), staleDays));
  return deals;
}

/** Counts each open deal, and its value, once for every contact it involves. */
function addOpenDeals(ds: Dataset, deals: ReadonlyMap<string, DealDerived>, contacts: Map<string, ContactDerived>): void {
  for (const d of ds.deals) {
    if (!deals.get(d.id)?.open) continue;
    const value = asNumber(d.data.value) ?? 0;
    for (const cid of new Set(dealContacts(d))) {
      const c = entryOf(contacts, cid, blankContact);
      c.open_deals++;
      c.pipeline_value += value;
    }
  }
}

/** Companies' contact counts and last contact, from their contacts; open deals from their deals. */
function companyTable(ds: Dataset, contacts: ReadonlyMap<string, ContactDerived>, deals: ReadonlyMap<string, DealDerived>): Map<string, CompanyDerived> {
  const companies = new Map<string, CompanyDerived>();
  for (const c of ds.contacts) {
    const comp = normalizeRef(c.data.company);
    if (!comp) continue;
    const info = entryOf(companies, comp, blankCompany);
    info.contacts++;
    info.last_contact = maxDate(info.last_contact, contacts.get(c.id)?.last_contact);
  }
  for (const d of ds.deals) {
    const comp = normalizeRef(d.data.company);
    if (!comp || !deals.get(d.id)?.open) continue;
    const c = entryOf(companies, comp, blankCompany);
    c.open_deals++;
    c.pipeline_value += asNumber(d.data.value) ?? 0;
  }
  return companies;
}

/** Each type's derived fields as a plain object; a new type must say what it has. */
function fieldReaders(derived: Derived, scored: boolean, caseFields: (rec: CrmRecord) => Record<string, unknown>): Record<RecordType, (rec: CrmRecord) => Record<string, unknown>> {
  const none = () => ({});
  return {
    contact: (rec) => (scored ? { ...derived.contact(rec.id), score: derived.score(rec) } : { ...derived.contact(rec.id) }),
    company: (rec) => (scored ? { ...derived.company(rec.id), score: derived.score(rec) } : { ...derived.company(rec.id) }),
    deal: (rec) => {
      const { outcome: _outcome, ...rest } = derived.deal(rec.id);
      return rest;
    },
    case: caseFields,
    interaction: none,
    reminder: none,
    campaign: none,
  };
}

export function buildDerived(ds: Dataset, ctx: Ctx): Derived {
  const tally = tallyInteractions(ds, ctx.today);
  const contacts = contactTable(ds, tally, ctx.today);
  const deals = dealTable(ds, tally.deals, ctx.today);
  addOpenDeals(ds, deals, contacts);
  const companies = companyTable(ds, contacts, deals);
  const scoreOf = lazyScores(ds, ctx, () => derived);
  // Service cases: SLA deadlines and breaches at ctx.now (docs/cases.md).
  const caseFields = caseFieldReader(ds.config, ctx);
  const derived: Derived = {
    score: scoreOf.score,
    scoreDetail: scoreOf.detail,
    contact: (id) => contacts.get(id) ?? blankContact(),
    deal: (id) => deals.get(id) ?? blankDeal(),
    company: (id) => companies.get(id) ?? blankCompany(),
    fieldsOf: (rec) => readers[rec.type]?.(rec) ?? {},
  };
  const readers = fieldReaders(derived, scoreOf.configured, caseFields);
  return derived;
}

/** Contacts grouped by the company they name. */
function contactsByCompany(contacts: readonly CrmRecord[]): Map<string, CrmRecord[]> {
  const byCompany = new Map<string, CrmRecord[]>();
  for (const c of contacts) {
    const comp = normalizeRef(c.data.company);
    if (!comp) continue;
    const list = byCompany.get(comp);
    if (list) list.push(c);
    else byCompany.set(comp, [c]);
  }
  return byCompany;
}

/**
 * Scores, computed only when asked for (most commands never read them) and each contact once. The
 * rules are compiled on first use. A rule that reaches a score while scores are being computed
 * (`company.score`) would recurse: that is an error, not a stack overflow.
 */
function lazyScores(ds: Dataset, ctx: Ctx, derived: () => Derived) {
  const scoring = scoringOf(ds.config);
  let scorer: Scorer | undefined;
  let busy = false;
  let contacts: Map<string, CrmRecord> | undefined;
  let byCompany: Map<string, CrmRecord[]> | undefined;
  const totals = new Map<string, number>();
  const companyScores = new Map<string, number | undefined>();
  /** Runs the scorer on a contact; a rule reaching back into the scores would recurse. */
  const run = <T>(contact: CrmRecord, how: (s: Scorer, c: CrmRecord) => T): T => {
    if (busy) throw new DataError('a scoring rule uses the score itself (through a reference such as company.score)', { path: 'touchbase.yaml' }, 'remove score from the scoring rules');
    busy = true;
    try {
      scorer ??= compileScoring(scoring!, { dataset: ds, ctx, derived: derived(), type: 'contact' });
      return how(scorer, contact);
    } finally {
      busy = false;
    }
  };
  const contactById = (id: string): CrmRecord | undefined => {
    contacts ??= new Map(ds.contacts.map((c) => [c.id, c]));
    return contacts.get(id);
  };
  const detail = (id: string): ScoreResult | undefined => {
    const contact = scoring && contactById(id);
    return contact ? run(contact, (s, c) => s.score(c)) : undefined;
  };
  const total = (contact: CrmRecord): number => {
    let known = totals.get(contact.id);
    if (known === undefined) totals.set(contact.id, (known = run(contact, (s, c) => s.total(c))));
    return known;
  };
  const companyScore = (id: string): number | undefined => {
    if (companyScores.has(id)) return companyScores.get(id);
    byCompany ??= contactsByCompany(ds.contacts);
    let best: number | undefined;
    for (const c of byCompany.get(id) ?? []) {
      const s = total(c);
      if (best === undefined || s > best) best = s;
    }
    companyScores.set(id, best);
    return best;
  };
  return {
    configured: scoring !== undefined,
    detail,
    score(rec: CrmRecord): number | undefined {
      if (!scoring) return undefined;
      if (rec.type === 'contact') return total(rec);
      if (rec.type === 'company') return companyScore(rec.id);
      return undefined;
    },
  };
}
