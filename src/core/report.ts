/**
 * KPIs for `tb report`. Pure: records, derived fields and "today" in; a plain `Report` out.
 *
 * ## KPI definitions
 *
 * All KPIs cover the period `since`..`until`, both days included. Money is never added across
 * currencies: every amount is a list with one entry per currency.
 *
 * - **Closed date** of a deal: its `closed` field; if it has none, the date of the last entry in its
 *   `history`. A won or lost deal with neither is not counted (it cannot be placed in time).
 * - **Won / lost**: deals whose current stage is the won (lost) stage and whose closed date is in the
 *   period.
 * - **Win rate**: won / (won + lost). `null` when no deal was won or lost in the period.
 * - **Won value**: total and average `value` of the won deals, per currency; also per calendar
 *   month of the period (every month listed, zeros included) for charts.
 * - **Sales cycle**: for each won deal with a created date (`created`, else its first history date),
 *   the days from created to closed; the report gives the average and the median.
 * - **Stage conversion**: computed from each deal's timeline — its `history`, or, when it has none,
 *   one entry `{created, stage}`. For every open pipeline stage S (in config order):
 *   *reached* = number of deals with a timeline entry for S dated in the period (a deal counts once
 *   per stage, however often it re-entered it; the first entry in the period is the one used);
 *   *advanced* = how many of those, after that entry and no later than `until`, have an entry for a
 *   later stage — an open stage further down the pipeline, or the won stage (lost is never later).
 *   A deal that went backwards (proposal → qualified → proposal) counts once for each stage it
 *   reached. Stages a deal skipped are not counted as reached. *rate* = advanced / reached (null
 *   when nothing reached the stage).
 * - **Days per stage**: each pair of consecutive timeline entries is one stay in the first entry's
 *   stage, lasting the days between the two dates; stays that ended in the period are averaged per
 *   open stage. The stay a deal is in now has not ended and is not counted.
 * - **Pipeline created**: deals whose created date is in the period, whatever their stage now:
 *   count and value per currency.
 * - **Activity**: interactions dated in the period, counted by channel, direction, owner and ISO
 *   week (`2026-W47`, every week touching the period is listed, zeros included). Missing values are
 *   counted under `(none)`.
 * - **New contacts**: contacts whose `created` date is in the period.
 * - **Churned**: contacts whose lifecycle `stage` is `churned`. Those with a `churned` date (else an
 *   `updated` date) in the period are counted as churned in the period; those with neither date are
 *   reported separately as `undated` — they are churned, but we cannot say when, so they are never
 *   counted in a period's figure.
 * - **Retention risk**: customers (stage `customer`) past their keep-in-touch cadence *today* (not
 *   at `until`): cadence from the contact's `cadence`, else the first tag rule of the config (in
 *   config order) that matches one of its tags, else the rule for its stage, else `cadence.default`.
 *   The clock starts at the last interaction, else the contact's `created` date; a customer with
 *   neither is at risk. At risk means: today is after clock start + cadence — or the customer has
 *   an open complaint (an active case of category `complaint` naming them, docs/cases.md), whatever
 *   the cadence says; such customers carry `open_complaints` and are listed first, most first.
 * - **Breakdown** (`by`): won, lost, win rate, won value and interaction count per owner, channel,
 *   month or stage. Deals are grouped by their `owner` / `channel` field / closed month / the last
 *   open stage they were in before closing; interactions by their `owner` / `channel` / month /
 *   the current stage of their `deal`.
 *
 * Filters: `dealFilter` limits the deals; `contactFilter` the contacts; interactions are limited
 * by `interactionFilter`, else (when `contactFilter` is given) to those touching a kept contact.
 */
import type { LeadReport } from './lead-report.js';
import type { Config, Ctx, CrmRecord, Dataset } from './types.js';
import type { Derived } from './derived.js';
import { dealCreated, dealHistory, dealOutcome, interactionDate } from './derived.js';
import { asString, displayName, interactionContacts, normalizeRef } from './fields.js';
import { daysBetween, isIsoDay } from './dates.js';
import { dateField, dealCurrency, dealValue } from './pipeline.js';
import { UsageError } from '../errors.js';
import { caseSettingsOf, openComplaintsByContact } from './cases.js';
import { average, Counter, inPeriod, isoWeek, median, Money, monthsOf, NONE, rate, weeksOf } from './report-math.js';
import { dealTimeline, stageConversion, stageDurations } from './report-stages.js';
import { churned, contactCadence, retentionRisk } from './report-contacts.js';

export { contactCadence, dealTimeline, isoWeek };

export type ReportGroupBy = 'owner' | 'channel' | 'month' | 'stage';

export interface ReportOptions {
  since: string;
  until: string;
  by?: ReportGroupBy;
  dealFilter?: (d: CrmRecord) => boolean;
  contactFilter?: (c: CrmRecord) => boolean;
  interactionFilter?: (i: CrmRecord) => boolean;
}

export interface MoneyAmount {
  currency: string;
  value: number;
}

export interface WonValue {
  currency: string;
  count: number;
  total: number;
  average: number;
}

export interface CountRow {
  key: string;
  count: number;
}

export interface StageConversion {
  stage: string;
  reached: number;
  advanced: number;
  rate: number | null;
}

export interface StageDuration {
  stage: string;
  averageDays: number | null;
  /** Number of completed stays averaged. */
  stays: number;
}

export interface RiskContact {
  id: string;
  name: string;
  cadence: string;
  last_contact?: string;
  /** The day the contact became due; undefined when there is nothing to count from. */
  due_since?: string;
  days_overdue?: number;
  /** Open complaints (active cases of category complaint) the customer raised: docs/cases.md. */
  open_complaints?: number;
}

export interface ReportGroup {
  key: string;
  won: number;
  lost: number;
  winRate: number | null;
  wonValue: MoneyAmount[];
  interactions: number;
}

/** A deal won or lost in the period, for listing. */
export interface ClosedDealRow {
  id: string;
  title: string;
  outcome: 'won' | 'lost';
  closed: string;
  value: number;
  currency: string;
  owner?: string;
  lost_reason?: string;
}

export interface MonthWon {
  /** `YYYY-MM` */
  month: string;
  won: number;
  value: MoneyAmount[];
}

export interface Report {
  since: string;
  until: string;
  /** The day retention risk was judged on (ctx.today). */
  today: string;
  /** The config currency. */
  currency: string;
  deals: {
    won: number;
    lost: number;
    winRate: number | null;
    wonValue: WonValue[];
    /** The deals won or lost in the period, by closed date then id. */
    closed: ClosedDealRow[];
    /** Won deals per month of the period, every month listed. */
    wonByMonth: MonthWon[];
    cycle: { deals: number; averageDays: number | null; medianDays: number | null };
    conversion: StageConversion[];
    stageDays: StageDuration[];
    created: { count: number; value: MoneyAmount[] };
  };
  activity: {
    total: number;
    byChannel: CountRow[];
    byDirection: CountRow[];
    byOwner: CountRow[];
    byWeek: CountRow[];
  };
  contacts: {
    created: number;
    churned: { inPeriod: number; undated: number; ids: string[] };
    retentionRisk: RiskContact[];
  };
  by?: ReportGroupBy;
  groups?: ReportGroup[];
  /** Lead figures, when scoring is configured (core/lead-report.ts, docs/scoring.md). */
  leads?: LeadReport;
}

/** The closed date as defined above. */
export function dealClosedDate(deal: CrmRecord): string | undefined {
  const history = dealHistory(deal);
  return dateField(deal, 'closed') ?? history[history.length - 1]?.date;
}

/** The last open stage a deal was in before it closed (for the `by: 'stage'` breakdown). */
function stageBeforeClose(deal: CrmRecord, config: Config): string {
  const openIds = new Set(config.pipeline.filter((s) => !s.closed).map((s) => s.id));
  const timeline = dealTimeline(deal);
  for (let k = timeline.length - 1; k >= 0; k--) if (openIds.has(timeline[k].stage)) return timeline[k].stage;
  return NONE;
}

interface ClosedDeal {
  deal: CrmRecord;
  outcome: 'won' | 'lost';
  closed: string;
}

function closedRow({ deal, outcome, closed }: ClosedDeal, config: Config): ClosedDealRow {
  const row: ClosedDealRow = { id: deal.id, title: displayName(deal), outcome, closed, value: dealValue(deal), currency: dealCurrency(deal, config) };
  const owner = asString(deal.data.owner);
  if (owner) row.owner = owner;
  const reason = asString(deal.data.lost_reason);
  if (outcome === 'lost' && reason) row.lost_reason = reason;
  return row;
}

function breakdown(
  by: ReportGroupBy,
  closed: ClosedDeal[],
  interactions: Array<{ rec: CrmRecord; date: string }>,
  ds: Dataset,
  opts: ReportOptions,
): ReportGroup[] {
  const dealsById = new Map(ds.deals.map((d) => [d.id, d]));
  const dealKey = ({ deal, closed: date }: ClosedDeal): string => {
    if (by === 'month') return date.slice(0, 7);
    if (by === 'stage') return stageBeforeClose(deal, ds.config);
    return asString(deal.data[by]) ?? NONE;
  };
  const interactionKey = ({ rec, date }: { rec: CrmRecord; date: string }): string => {
    if (by === 'month') return date.slice(0, 7);
    if (by === 'stage') {
      const deal = dealsById.get(normalizeRef(rec.data.deal) ?? '');
      return (deal && asString(deal.data.stage)) ?? NONE;
    }
    const v = asString(rec.data[by]);
    return (by === 'channel' ? v?.toLowerCase() : v) ?? NONE;
  };
  const groups = new Map<string, { won: number; lost: number; money: Money; interactions: number }>();
  const groupOf = (key: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { won: 0, lost: 0, money: new Money(), interactions: 0 }));
    return g;
  };
  if (by === 'month') monthsOf(opts.since, opts.until).forEach(groupOf);
  if (by === 'stage') ds.config.pipeline.filter((s) => !s.closed).forEach((s) => groupOf(s.id));
  for (const c of closed) {
    const g = groupOf(dealKey(c));
    if (c.outcome === 'won') {
      g.won++;
      g.money.add(dealCurrency(c.deal, ds.config), dealValue(c.deal));
    } else g.lost++;
  }
  for (const i of interactions) groupOf(interactionKey(i)).interactions++;
  const keys = [...groups.keys()];
  const ordered = by === 'month' || by === 'stage' ? keys : keys.sort((a, b) => Number(a === NONE) - Number(b === NONE) || a.localeCompare(b));
  return ordered.map((key) => {
    const g = groups.get(key)!;
    return { key, won: g.won, lost: g.lost, winRate: rate(g.won, g.won + g.lost), wonValue: g.money.list(), interactions: g.interactions };
  });
}

function validatePeriod(opts: ReportOptions): void {
  for (const [name, value] of [['since', opts.since], ['until', opts.until]] as const) {
    if (!isIsoDay(value)) throw new UsageError(`--${name} '${value}' is not a date like 2026-11-20`);
  }
  if (opts.since > opts.until) throw new UsageError(`--since ${opts.since} is after --until ${opts.until}`);
}

export function computeReport(ds: Dataset, derived: Derived, ctx: Ctx, opts: ReportOptions): Report {
  validatePeriod(opts);
  const config = ds.config;
  const deals = opts.dealFilter ? ds.deals.filter(opts.dealFilter) : ds.deals;
  const contacts = opts.contactFilter ? ds.contacts.filter(opts.contactFilter) : ds.contacts;
  const closed = closedInPeriod(deals, config, opts);
  const activity = periodActivity(ds.interactions, interactionFilter(contacts, opts), config, opts);
  const report: Report = {
    since: opts.since,
    until: opts.until,
    today: ctx.today,
    currency: config.currency,
    deals: dealKpis(deals, closed, config, opts),
    activity: activity.kpis,
    contacts: {
      created: contacts.filter((c) => inPeriod(dateField(c, 'created'), opts)).length,
      churned: churned(contacts, opts),
      retentionRisk: retentionRisk(contacts, derived, ctx, config, ds.cases?.length ? openComplaintsByContact(ds.cases, caseSettingsOf(config)) : new Map()),
    },
  };
  if (opts.by) {
    report.by = opts.by;
    report.groups = breakdown(opts.by, closed, activity.interactions, ds, opts);
  }
  return report;
}

/** The interactions the report counts: the option's filter, else those naming a kept contact. */
function interactionFilter(contacts: readonly CrmRecord[], opts: ReportOptions): (i: CrmRecord) => boolean {
  if (opts.interactionFilter) return opts.interactionFilter;
  if (!opts.contactFilter) return () => true;
  const kept = new Set(contacts.map((c) => c.id));
  return (i) => interactionContacts(i).some((id) => kept.has(id));
}

/** Won and lost deals of the period. */
function closedInPeriod(deals: readonly CrmRecord[], config: Config, opts: ReportOptions): ClosedDeal[] {
  const closed: ClosedDeal[] = [];
  for (const deal of deals) {
    const outcome = dealOutcome(deal, config);
    const date = outcome ? dealClosedDate(deal) : undefined;
    if (outcome && inPeriod(date, opts)) closed.push({ deal, outcome, closed: date });
  }
  return closed;
}

function dealKpis(deals: CrmRecord[], closed: ClosedDeal[], config: Config, opts: ReportOptions): Report['deals'] {
  const won = closed.filter((c) => c.outcome === 'won');
  const { byCurrency, byMonth, cycles } = wonValues(won, config, opts);
  return {
    won: won.length,
    lost: closed.length - won.length,
    winRate: rate(won.length, closed.length),
    wonValue: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    closed: closed.map((c) => closedRow(c, config)).sort((a, b) => a.closed.localeCompare(b.closed) || a.id.localeCompare(b.id)),
    wonByMonth: [...byMonth].map(([month, m]) => ({ month, won: m.won, value: m.money.list() })),
    cycle: { deals: cycles.length, averageDays: average(cycles), medianDays: median(cycles) },
    conversion: stageConversion(deals, config, opts),
    stageDays: stageDurations(deals, config, opts),
    created: createdInPeriod(deals, config, opts),
  };
}

/** Won value per currency and per month of the period, and the sales cycle of each won deal. */
function wonValues(won: ClosedDeal[], config: Config, opts: ReportOptions) {
  const byCurrency = new Map<string, WonValue>();
  const byMonth = new Map(monthsOf(opts.since, opts.until).map((m) => [m, { won: 0, money: new Money() }]));
  const cycles: number[] = [];
  for (const { deal, closed: date } of won) {
    const currency = dealCurrency(deal, config);
    const value = dealValue(deal);
    const w = byCurrency.get(currency) ?? { currency, count: 0, total: 0, average: 0 };
    w.count++;
    w.total += value;
    w.average = w.total / w.count;
    byCurrency.set(currency, w);
    const month = byMonth.get(date.slice(0, 7))!;
    month.won++;
    month.money.add(currency, value);
    const created = dealCreated(deal);
    if (created && created <= date) cycles.push(daysBetween(created, date));
  }
  return { byCurrency, byMonth, cycles };
}

/** Deals created in the period, whatever their stage now: count and value per currency. */
function createdInPeriod(deals: readonly CrmRecord[], config: Config, opts: ReportOptions): Report['deals']['created'] {
  const money = new Money();
  let count = 0;
  for (const deal of deals) {
    if (!inPeriod(dealCreated(deal), opts)) continue;
    count++;
    money.add(dealCurrency(deal, config), dealValue(deal));
  }
  return { count, value: money.list() };
}

/** Interactions dated in the period, counted by channel, direction, owner and ISO week. */
function periodActivity(interactions: readonly CrmRecord[], kept: (i: CrmRecord) => boolean, config: Config, opts: ReportOptions) {
  const byChannel = new Counter(config.channels);
  const byDirection = new Counter(['in', 'out']);
  const byOwner = new Counter();
  const byWeek = new Counter(weeksOf(opts.since, opts.until));
  const dated: Array<{ rec: CrmRecord; date: string }> = [];
  for (const rec of interactions) {
    const date = interactionDate(rec);
    if (!inPeriod(date, opts) || !kept(rec)) continue;
    dated.push({ rec, date });
    byChannel.add(asString(rec.data.channel)?.toLowerCase() ?? NONE);
    byDirection.add(asString(rec.data.direction)?.toLowerCase() ?? NONE);
    byOwner.add(asString(rec.data.owner) ?? NONE);
    byWeek.add(isoWeek(date));
  }
  const kpis: Report['activity'] = { total: dated.length, byChannel: byChannel.rows(), byDirection: byDirection.rows(), byOwner: byOwner.rows(), byWeek: byWeek.rows(true) };
  return { kpis, interactions: dated };
}
