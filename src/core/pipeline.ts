/**
 * Pipeline arithmetic for `tb pipeline` and stage-change planning for `tb deal move|won|lost`. Pure:
 * records, derived fields and "today" in; plain data out.
 *
 * Money is never summed across currencies. Every total is a list with one entry per currency; a
 * grand total in one currency exists only as the separate `converted` figure, built from
 * `config.rates` (value in the config currency per 1 unit of the other currency).
 */
import type { Config, Ctx, CrmRecord, Dataset } from './types.js';
import type { Derived } from './derived.js';
import { reminderContacts, asNumber, asRefList, asString, dealContacts, displayName, normalizeRef, reminderStatus } from './fields.js';
import { datePart, daysBetween, isIsoDate } from './dates.js';
import { stageById } from './config.js';
import { dealHistory } from './derived.js';
import { didYouMean } from './suggest.js';
import { DataError, UsageError } from '../errors.js';

export type PipelineGroupBy = 'stage' | 'owner' | 'month' | 'company';

/** Count, value and weighted value of the deals in one currency. */
export interface CurrencyTotal {
  currency: string;
  count: number;
  value: number;
  weighted: number;
}

export interface PipelineGroup {
  /** Stage id, owner id, `YYYY-MM`, company id; '' for deals without one. */
  key: string;
  label: string;
  count: number;
  /** One entry per currency, sorted by currency code. */
  totals: CurrencyTotal[];
  /** Mean of the deals' `age` (days since created); null when no deal has a created date. */
  averageAgeDays: number | null;
}

/** A grand total in one currency, made with config.rates. */
export interface ConvertedTotal {
  currency: string;
  value: number;
  weighted: number;
  /** Currencies that had no rate and are left out of value and weighted. */
  unconverted: string[];
}

/** One deal that needs attention. */
export interface AttentionItem {
  id: string;
  title: string;
  stage: string;
  owner?: string;
  value: number;
  currency: string;
  expected_close?: string;
  last_activity?: string;
  /** pastClose: days since expected_close; stale: days since last activity; noNextStep: undefined. */
  days?: number;
}

export interface PipelineSummary {
  by: PipelineGroupBy;
  /** The currency `converted` is expressed in (opts.currency, else config.currency). */
  currency: string;
  /** Number of open deals. */
  count: number;
  groups: PipelineGroup[];
  totals: CurrencyTotal[];
  /**
   * Present when the open deals use a currency other than `currency` and at least one of those
   * currencies can be converted; otherwise `totals` already says everything.
   */
  converted?: ConvertedTotal;
  attention: {
    /** Open deals whose expected_close is before today, oldest first. */
    pastClose: AttentionItem[];
    /** Open deals with no activity or stage change for `stale_after`, least recently active first. */
    stale: AttentionItem[];
    /** Open deals with no open reminder on the deal nor on any of its contacts, by id. */
    noNextStep: AttentionItem[];
  };
}

export interface PipelineOptions {
  by: PipelineGroupBy;
  dealFilter?: (d: CrmRecord) => boolean;
  /** Currency of the converted grand total; defaults to config.currency. */
  currency?: string;
}

const NO_KEY = '';

/** A deal's currency, upper-cased, defaulting to the config currency. */
export function dealCurrency(deal: CrmRecord, config: Config): string {
  return (asString(deal.data.currency) ?? config.currency).toUpperCase();
}

export function dealValue(deal: CrmRecord): number {
  return asNumber(deal.data.value) ?? 0;
}

/** A date-valued field as `YYYY-MM-DD`, or undefined when absent or not a date. */
export function dateField(rec: CrmRecord, key: string): string | undefined {
  const v = asString(rec.data[key]);
  return v && isIsoDate(v) ? datePart(v) : undefined;
}

/**
 * How many units of `to` one unit of `from` is worth, through the config currency; undefined when a
 * rate is missing. Rates are "config currency per 1 unit", so the config currency's own rate is 1.
 */
export function conversionRate(from: string, to: string, config: Config): number | undefined {
  if (from === to) return 1;
  const base = config.currency.toUpperCase();
  const toBase = from === base ? 1 : config.rates[from];
  const targetToBase = to === base ? 1 : config.rates[to];
  if (toBase === undefined || targetToBase === undefined) return undefined;
  return toBase / targetToBase;
}

/** Accumulates count/value/weighted per currency. */
class CurrencyTotals {
  private readonly byCurrency = new Map<string, CurrencyTotal>();
  add(currency: string, value: number, weighted: number): void {
    let t = this.byCurrency.get(currency);
    if (!t) this.byCurrency.set(currency, (t = { currency, count: 0, value: 0, weighted: 0 }));
    t.count++;
    t.value += value;
    t.weighted += weighted;
  }
  list(): CurrencyTotal[] {
    return [...this.byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  }
}

function convertTotals(totals: CurrencyTotal[], target: string, config: Config): ConvertedTotal | undefined {
  const foreign = totals.filter((t) => t.currency !== target);
  if (!foreign.length) return undefined;
  const out: ConvertedTotal = { currency: target, value: 0, weighted: 0, unconverted: [] };
  let convertedAny = false;
  for (const t of totals) {
    const rate = conversionRate(t.currency, target, config);
    if (rate === undefined) {
      out.unconverted.push(t.currency);
      continue;
    }
    if (t.currency !== target) convertedAny = true;
    out.value += t.value * rate;
    out.weighted += t.weighted * rate;
  }
  return convertedAny ? out : undefined;
}

function groupKey(deal: CrmRecord, by: PipelineGroupBy): string {
  switch (by) {
    case 'stage':
      return asString(deal.data.stage) ?? NO_KEY;
    case 'owner':
      return asString(deal.data.owner) ?? NO_KEY;
    case 'month':
      return dateField(deal, 'expected_close')?.slice(0, 7) ?? NO_KEY;
    case 'company':
      return normalizeRef(deal.data.company) ?? NO_KEY;
  }
}

function groupLabel(key: string, by: PipelineGroupBy, ds: Dataset, companies: Map<string, CrmRecord>): string {
  if (key === NO_KEY) return { stage: '(no stage)', owner: '(no owner)', month: 'no date', company: '(no company)' }[by];
  if (by === 'owner') return ds.config.owners[key]?.name ?? key;
  if (by === 'company') {
    const company = companies.get(key);
    return company ? displayName(company) : key;
  }
  return key;
}

/** Order of the groups: stages in config order; others by key; the "none" bucket always last. */
function orderKeys(keys: string[], by: PipelineGroupBy, config: Config): string[] {
  const configured = by === 'stage' ? config.pipeline.filter((s) => !s.closed).map((s) => s.id) : [];
  const rest = keys.filter((k) => k !== NO_KEY && !configured.includes(k)).sort((a, b) => a.localeCompare(b));
  const none = keys.includes(NO_KEY) ? [NO_KEY] : [];
  return [...configured, ...rest, ...none];
}

function average(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** Deal ids and contact ids that have at least one open reminder. */
function openReminderTargets(reminders: CrmRecord[]): { deals: Set<string>; contacts: Set<string> } {
  const deals = new Set<string>();
  const contacts = new Set<string>();
  for (const r of reminders) {
    if (reminderStatus(r) !== 'open') continue;
    for (const id of asRefList(r.data.deal)) deals.add(id);
    for (const id of reminderContacts(r)) contacts.add(id);
    for (const id of asRefList(r.data.contacts)) contacts.add(id);
  }
  return { deals, contacts };
}

function attentionItem(deal: CrmRecord, derived: Derived, config: Config, days?: number): AttentionItem {
  const item: AttentionItem = {
    id: deal.id,
    title: displayName(deal),
    stage: asString(deal.data.stage) ?? '',
    value: dealValue(deal),
    currency: dealCurrency(deal, config),
  };
  const owner = asString(deal.data.owner);
  if (owner) item.owner = owner;
  const expected = dateField(deal, 'expected_close');
  if (expected) item.expected_close = expected;
  const last = derived.deal(deal.id).last_activity;
  if (last) item.last_activity = last;
  if (days !== undefined) item.days = days;
  return item;
}

/**
 * Open deals grouped and totalled, plus the deals that need attention. Closed (won/lost) deals are
 * left out entirely. `by: 'stage'` lists every open stage of the config, even empty ones, followed
 * by stages the config does not know (so a typo in a file still shows up).
 */
export function summarizePipeline(ds: Dataset, derived: Derived, ctx: Ctx, opts: PipelineOptions): PipelineSummary {
  const config = ds.config;
  const target = (opts.currency ?? config.currency).toUpperCase();
  const open = ds.deals.filter((d) => derived.deal(d.id).open && (opts.dealFilter?.(d) ?? true));

  const members = new Map<string, CrmRecord[]>();
  for (const d of open) {
    const key = groupKey(d, opts.by);
    const list = members.get(key);
    if (list) list.push(d);
    else members.set(key, [d]);
  }

  const grand = new CurrencyTotals();
  const companies = new Map(opts.by === 'company' ? ds.companies.map((c) => [c.id, c]) : []);
  const groups: PipelineGroup[] = orderKeys([...members.keys()], opts.by, config).map((key) => {
    const deals = members.get(key) ?? [];
    const totals = new CurrencyTotals();
    const ages: number[] = [];
    for (const d of deals) {
      const info = derived.deal(d.id);
      const value = dealValue(d);
      // Recomputed rather than info.weighted so a missing value cannot turn into NaN.
      const weighted = value * info.probability;
      totals.add(dealCurrency(d, config), value, weighted);
      grand.add(dealCurrency(d, config), value, weighted);
      if (info.age !== undefined) ages.push(info.age);
    }
    return { key, label: groupLabel(key, opts.by, ds, companies), count: deals.length, totals: totals.list(), averageAgeDays: average(ages) };
  });

  const targets = openReminderTargets(ds.reminders);
  const pastClose: AttentionItem[] = [];
  const stale: AttentionItem[] = [];
  const noNextStep: AttentionItem[] = [];
  for (const d of open) {
    const info = derived.deal(d.id);
    const expected = dateField(d, 'expected_close');
    if (expected && expected < ctx.today) pastClose.push(attentionItem(d, derived, config, daysBetween(expected, ctx.today)));
    if (info.stale) {
      const idle = info.last_activity ? daysBetween(info.last_activity, ctx.today) : undefined;
      stale.push(attentionItem(d, derived, config, idle));
    }
    const hasNextStep = targets.deals.has(d.id) || dealContacts(d).some((c) => targets.contacts.has(c));
    if (!hasNextStep) noNextStep.push(attentionItem(d, derived, config));
  }
  const byDaysDesc = (a: AttentionItem, b: AttentionItem) => (b.days ?? 0) - (a.days ?? 0) || a.id.localeCompare(b.id);
  pastClose.sort(byDaysDesc);
  stale.sort(byDaysDesc);
  noNextStep.sort((a, b) => a.id.localeCompare(b.id));

  const totals = grand.list();
  const summary: PipelineSummary = { by: opts.by, currency: target, count: open.length, groups, totals, attention: { pastClose, stale, noNextStep } };
  const converted = convertTotals(totals, target, config);
  if (converted) summary.converted = converted;
  return summary;
}

export type DealEdit = { key: string; value: unknown } | { key: string; remove: true };

export interface MovePlan {
  edits: DealEdit[];
  message: string;
  noop: boolean;
}

/** The configured stage `input` names: exact id, else a case-insensitive match; else a UsageError. */
export function resolveStage(input: string, config: Config): string {
  const ids = config.pipeline.map((s) => s.id);
  const exact = ids.find((id) => id === input) ?? ids.find((id) => id.toLowerCase() === input.toLowerCase());
  if (exact) return exact;
  const hint = [didYouMean(input, ids), `valid stages: ${ids.join(', ')}`].filter(Boolean).join(' ');
  throw new UsageError(`unknown stage '${input}'`, hint);
}

/**
 * Plans a stage change without touching any file: the caller applies `edits` with the store.
 * - appends `{date, stage}` to `history`; a deal without history first gets an entry for its current
 *   stage dated `created` (when it has both), so cycle and conversion reports see where it started;
 * - sets `stage`;
 * - closed stage: sets `closed: date`; lost with a reason sets `lost_reason`; moving to won drops
 *   an old `lost_reason`; reopening (to an open stage) removes `closed` and `lost_reason`.
 * `reason` is ignored for stages other than lost.
 */
export function moveDeal(deal: CrmRecord, toStage: string, date: string, config: Config, opts: { reason?: string } = {}): MovePlan {
  const stage = resolveStage(toStage, config);
  if (!isIsoDate(date)) throw new UsageError(`'${date}' is not a date like 2026-11-20`);
  const day = datePart(date);
  const current = asString(deal.data.stage);
  if (current === stage) {
    return { edits: [], message: `deal '${deal.id}' is already in stage '${stage}'`, noop: true };
  }

  const raw = deal.data.history;
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
    throw new DataError(`deal '${deal.id}' has a history that is not a list; fix it by hand first`, { path: deal.path });
  }
  const history: unknown[] = Array.isArray(raw) ? [...raw] : [];
  const created = dateField(deal, 'created');
  if (history.length === 0 && current && created) history.push({ date: created, stage: current });
  history.push({ date: day, stage });

  const edits: DealEdit[] = [
    { key: 'stage', value: stage },
    { key: 'history', value: history },
  ];
  const closed = stageById(config, stage)?.closed;
  const has = (key: string) => deal.data[key] !== undefined;
  if (closed) {
    edits.push({ key: 'closed', value: day });
    if (closed === 'lost' && opts.reason) edits.push({ key: 'lost_reason', value: opts.reason });
    else if (closed === 'won' && has('lost_reason')) edits.push({ key: 'lost_reason', remove: true });
  } else {
    if (has('closed')) edits.push({ key: 'closed', remove: true });
    if (has('lost_reason')) edits.push({ key: 'lost_reason', remove: true });
  }
  const from = current ? `from '${current}' ` : '';
  return { edits, message: `moved deal '${deal.id}' ${from}to '${stage}'`, noop: false };
}

/** The id of the stage marked `closed: won` (or lost); a UsageError when the config has none. */
export function closedStageId(config: Config, outcome: 'won' | 'lost'): string {
  const stage = config.pipeline.find((s) => s.closed === outcome);
  if (!stage) throw new UsageError(`the pipeline has no stage with 'closed: ${outcome}'`, `add one to the pipeline: list in touchbase.yaml`);
  return stage.id;
}

/** Open (not closed) stage ids, in pipeline order. */
export function openStageIds(config: Config): string[] {
  return config.pipeline.filter((s) => !s.closed).map((s) => s.id);
}

/**
 * Where `tb deal reopen` sends a closed deal: the given stage (which must be an open one), else the
 * last open stage in its history. Undefined when the deal is not closed (nothing to reopen).
 */
export function reopenTarget(deal: CrmRecord, config: Config, wanted?: string): string | undefined {
  const open = openStageIds(config);
  if (wanted !== undefined) {
    const stage = resolveStage(wanted, config);
    if (!open.includes(stage)) throw new UsageError(`cannot reopen into '${stage}': it is a closed stage`, `open stages: ${open.join(', ')}`);
    return stage;
  }
  const current = asString(deal.data.stage) ?? '';
  if (!stageById(config, current)?.closed) return undefined;
  const history = dealHistory(deal);
  for (let i = history.length - 1; i >= 0; i--) if (open.includes(history[i].stage)) return history[i].stage;
  throw new UsageError(`deal '${deal.id}' has no open stage in its history`, `name one: tb deal reopen ${deal.id} <stage> (open stages: ${open.join(', ')})`);
}
