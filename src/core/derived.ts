/**
 * Derived fields: computed from the records and "today", never stored in files.
 * Built once per command in O(records) and then looked up per record: the tables per type here,
 * a deal's own fields in ./deal-fields.ts, the interaction tallies in ./interaction-summary.ts,
 * lead scores in ./lazy-scores.ts, a case's SLA fields in ./cases.ts.
 */
import type { Ctx, CrmRecord, Dataset, RecordType } from './types.js';
import { datePart, durationDays, isIsoDate, maxDate, minDate, parseDuration } from './dates.js';
import { reminderContacts, asNumber, asString, dealContacts, normalizeRef, reminderStatus } from './fields.js';
import type { ScoreResult } from './scoring.js';
import { caseFieldReader } from './cases.js';
import { tallyInteractions, type InteractionTally } from './interaction-summary.js';
import { dealDerived } from './deal-fields.js';
import { lazyScores } from './lazy-scores.js';

// Moved by job; re-exported so their users keep one import.
export { dealCreated, dealHistory, dealOutcome, dealProbability } from './deal-fields.js';
export { distinctContacts, extendSummary, interactionDate, SUMMARY_INPUTS, summarizeInteractions, summaryAnswers, type InteractionSummary } from './interaction-summary.js';

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

