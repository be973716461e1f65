/**
 * Multi-touch attribution: each won deal's value shared among the touches that led to it
 * (docs/attribution.md). Pure.
 *
 * - A deal's **touches** are the interactions with one of its contacts or linked to it (`deal:`),
 *   dated from `lookback` days before its close up to and including the close day, oldest first
 *   by time (a touch without a time first on its day; ties by id).
 * - Each model gives every touch a weight; the value (in cents) is split in proportion, each share
 *   rounded down, and the rounding remainder goes to the last touch: the shares of one deal always
 *   sum exactly to its value.
 * - A won deal with no touch in the window is reported as unattributed.
 */
import type { Config, CrmRecord } from './types.js';
import { asString, dealContacts, interactionContacts, normalizeRef } from './fields.js';
import { datePart, daysBetween, isIsoDate } from './dates.js';
import { dealOutcome } from './derived.js';
import { compareMoments, momentOf } from './moments.js';
import { dealClosedDate } from './report.js';
import { dealCurrency, dealValue } from './pipeline.js';

export const MODELS = ['first', 'last', 'linear', 'u-shaped', 'time-decay'] as const;
export type AttributionModel = (typeof MODELS)[number];
export const GROUP_BY = ['channel', 'campaign', 'source', 'owner'] as const;
export type AttributionGroupBy = (typeof GROUP_BY)[number];

/** Time-decay: a touch's weight halves for every this many days before the close. */
export const HALF_LIFE_DAYS = 7;

/**
 * The relative weights of `n` touches, oldest first, for a model. `daysBeforeClose[i]` is only
 * read by time-decay. Integers where the model allows, so the split is exact.
 */
export function modelWeights(model: AttributionModel, daysBeforeClose: readonly number[]): number[] {
  const n = daysBeforeClose.length;
  if (n === 0) return [];
  switch (model) {
    case 'first':
      return daysBeforeClose.map((_, i) => (i === 0 ? 1 : 0));
    case 'last':
      return daysBeforeClose.map((_, i) => (i === n - 1 ? 1 : 0));
    case 'linear':
      return daysBeforeClose.map(() => 1);
    case 'u-shaped':
      // 40 % first, 40 % last, 20 % over the middle: in units of 1/(100·(n−2)) that is 40·(n−2),
      // 20 each, 40·(n−2). Two touches: 50/50; one: all of it.
      if (n <= 2) return daysBeforeClose.map(() => 1);
      return daysBeforeClose.map((_, i) => (i === 0 || i === n - 1 ? 40 * (n - 2) : 20));
    case 'time-decay':
      return daysBeforeClose.map((d) => Math.pow(0.5, Math.max(0, d) / HALF_LIFE_DAYS));
  }
}

/**
 * Splits `cents` by `weights`: each share rounded down, the remainder to the last touch, so the
 * shares sum exactly to `cents`. (The tiny epsilon keeps 2500 from becoming 2499 when a floating
 * weight lands a hair under the exact value.)
 */
export function splitCents(cents: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!weights.length) return [];
  if (total <= 0) return weights.map((_, i) => (i === weights.length - 1 ? cents : 0));
  const shares = weights.map((w) => Math.floor((cents * w) / total + 1e-9));
  const given = shares.slice(0, -1).reduce((a, b) => a + b, 0);
  shares[shares.length - 1] = cents - given;
  return shares;
}

export interface AttributionOptions {
  model: AttributionModel;
  by: AttributionGroupBy;
  /** Days before the close a touch may be; the close day itself always counts. */
  lookbackDays: number;
  /** Which won deals to attribute (the query); all when absent. */
  dealFilter?: (deal: CrmRecord) => boolean;
}

export interface TouchShare {
  interaction: string;
  date: string;
  channel?: string;
  /** The group this touch counts for (its channel, campaign, source or owner), `(none)` if unset. */
  group: string;
  /** The share of the deal's value, in the deal's currency (two decimals). */
  value: number;
}

export interface DealAttribution {
  id: string;
  title: string;
  closed: string;
  value: number;
  currency: string;
  /** Empty when no touch fell in the window: the deal is unattributed. */
  touches: TouchShare[];
}

export interface AttributionGroup {
  group: string;
  currency: string;
  /** Attributed value (sum of shares). */
  value: number;
  /** Touches counted (including those with a zero share under first/last). */
  touches: number;
  /** Deals that gave this group a share above zero. */
  deals: number;
}

export interface AttributionResult {
  model: AttributionModel;
  by: AttributionGroupBy;
  lookback_days: number;
  groups: AttributionGroup[];
  deals: DealAttribution[];
  unattributed: Array<{ id: string; title: string; closed: string; value: number; currency: string }>;
  /** Per currency: won value, attributed value, unattributed value. Attributed + unattributed = won. */
  totals: Array<{ currency: string; won: number; attributed: number; unattributed: number }>;
}

export const NO_GROUP = '(none)';

interface TouchIndex {
  byContact: Map<string, CrmRecord[]>;
  byDeal: Map<string, CrmRecord[]>;
}

function indexTouches(interactions: readonly CrmRecord[]): TouchIndex {
  const byContact = new Map<string, CrmRecord[]>();
  const byDeal = new Map<string, CrmRecord[]>();
  const push = (m: Map<string, CrmRecord[]>, k: string, r: CrmRecord) => {
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  };
  for (const i of interactions) {
    if (!touchDate(i)) continue;
    for (const c of new Set(interactionContacts(i))) push(byContact, c, i);
    const d = normalizeRef(i.data.deal);
    if (d) push(byDeal, d, i);
  }
  return { byContact, byDeal };
}

function touchDate(i: CrmRecord): string | undefined {
  const d = asString(i.data.date);
  return d && isIsoDate(d) ? d : undefined;
}

/** The touches of one deal in its window, oldest first. */
export function dealTouches(deal: CrmRecord, closed: string, lookbackDays: number, index: TouchIndex): CrmRecord[] {
  const seen = new Set<string>();
  const out: CrmRecord[] = [];
  const candidates = [...(index.byDeal.get(deal.id) ?? []), ...dealContacts(deal).flatMap((c) => index.byContact.get(c) ?? [])];
  for (const i of candidates) {
    if (seen.has(i.path)) continue;
    seen.add(i.path);
    const day = datePart(touchDate(i)!);
    const before = daysBetween(day, closed);
    if (before < 0 || before > lookbackDays) continue;
    out.push(i);
  }
  // By time, as campaign results are (core/moments.ts): `2026-11-10 15:00` comes after `2026-11-10T14:00`.
  return out.sort((a, b) => compareMoments(momentOf(touchDate(a))!, momentOf(touchDate(b))!) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The group a touch counts for. `source` is the first contact's lead source; `owner` the touch's, else the deal's. */
function groupOf(i: CrmRecord, by: AttributionGroupBy, deal: CrmRecord, contacts: ReadonlyMap<string, CrmRecord>): string {
  switch (by) {
    case 'channel':
      return asString(i.data.channel) ?? NO_GROUP;
    case 'campaign':
      return normalizeRef(i.data.campaign) ?? NO_GROUP;
    case 'owner':
      return asString(i.data.owner) ?? asString(deal.data.owner) ?? NO_GROUP;
    case 'source': {
      for (const c of interactionContacts(i)) {
        const s = asString(contacts.get(c)?.data.source);
        if (s) return s;
      }
      return NO_GROUP;
    }
  }
}

const toCents = (v: number) => Math.round(v * 100);
const fromCents = (c: number) => c / 100;

export function computeAttribution(
  input: { deals: readonly CrmRecord[]; interactions: readonly CrmRecord[]; contacts: readonly CrmRecord[]; config: Config },
  opts: AttributionOptions,
): AttributionResult {
  const index = indexTouches(input.interactions);
  const contacts = new Map(input.contacts.map((c) => [c.id, c]));
  const groups = new Map<string, AttributionGroup & { dealIds: Set<string> }>();
  const totals = new Map<string, { currency: string; won: number; attributed: number; unattributed: number }>();
  const result: AttributionResult = { model: opts.model, by: opts.by, lookback_days: opts.lookbackDays, groups: [], deals: [], unattributed: [], totals: [] };
  const won = input.deals
    .filter((d) => dealOutcome(d, input.config) === 'won' && (!opts.dealFilter || opts.dealFilter(d)))
    .map((d) => ({ deal: d, closed: dealClosedDate(d) }))
    .filter((x): x is { deal: CrmRecord; closed: string } => x.closed !== undefined)
    .sort((a, b) => (a.closed < b.closed ? -1 : a.closed > b.closed ? 1 : a.deal.id < b.deal.id ? -1 : 1));
  for (const { deal, closed } of won) {
    const cents = toCents(dealValue(deal));
    const currency = dealCurrency(deal, input.config);
    const total = totals.get(currency) ?? { currency, won: 0, attributed: 0, unattributed: 0 };
    totals.set(currency, total);
    total.won += cents;
    const touches = dealTouches(deal, closed, opts.lookbackDays, index);
    const base = { id: deal.id, title: asString(deal.data.title) ?? deal.id, closed, value: fromCents(cents), currency };
    if (!touches.length) {
      total.unattributed += cents;
      result.unattributed.push(base);
      continue;
    }
    total.attributed += cents;
    const shares = splitCents(cents, modelWeights(opts.model, touches.map((t) => daysBetween(datePart(touchDate(t)!), closed))));
    const rows: TouchShare[] = touches.map((t, k) => {
      const row: TouchShare = { interaction: t.id, date: touchDate(t)!, group: groupOf(t, opts.by, deal, contacts), value: fromCents(shares[k]) };
      const channel = asString(t.data.channel);
      if (channel) row.channel = channel;
      return row;
    });
    rows.forEach((row, k) => {
      const key = `${row.group}\u0000${currency}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { group: row.group, currency, value: 0, touches: 0, deals: 0, dealIds: new Set() }));
      g.value += shares[k];
      g.touches++;
      if (shares[k] > 0) g.dealIds.add(deal.id);
    });
    result.deals.push({ ...base, touches: rows });
  }
  result.groups = [...groups.values()]
    .map(({ dealIds, ...g }) => ({ ...g, value: fromCents(g.value), deals: dealIds.size }))
    .sort((a, b) => b.value - a.value || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0) || (a.currency < b.currency ? -1 : 1));
  result.totals = [...totals.values()]
    .map((t) => ({ currency: t.currency, won: fromCents(t.won), attributed: fromCents(t.attributed), unattributed: fromCents(t.unattributed) }))
    .sort((a, b) => (a.currency < b.currency ? -1 : 1));
  return result;
}
