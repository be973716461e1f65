/**
 * What derived fields need from the interactions, without holding them: counts and first/last
 * dates per contact, the last date per deal, and a cacheable summary of them (the store keeps it
 * next to its index, core/derived.ts reads it).
 */
import type { CrmRecord, Dataset, RecordType } from './types.js';
import { datePart, isIsoDate, maxDate } from './dates.js';
import { asString, interactionContacts, normalizeRef } from './fields.js';
import { touchFilter } from './campaign-settings.js';
import { declarationOf, type SCHEMA } from './schema.js';

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

/** Interaction counts and dates per contact, and the last interaction date per deal. */
export interface InteractionTally {
  contacts: Map<string, { count: number; first: string; last: string }>;
  deals: Map<string, string>;
}

export function emptyTally(): InteractionTally {
  return { contacts: new Map(), deals: new Map() };
}

/** Adds one dated interaction; `contactIds` must be distinct. */
export function addToTally(t: InteractionTally, date: string, contactIds: readonly string[], dealId: string | undefined): void {
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
export function tallyInteractions(ds: Dataset, today: string): InteractionTally {
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

