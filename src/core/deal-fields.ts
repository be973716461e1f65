/**
 * A deal's own answers: its stage history, probability, outcome, creation date, and its derived
 * fields (age, days in stage, weighted value, last activity, stale, open).
 */
import type { Config, CrmRecord } from './types.js';
import { datePart, daysBetween, isIsoDate, maxDate } from './dates.js';
import { asNumber, asString } from './fields.js';
import { stageById } from './config.js';
import type { DealDerived } from './derived.js';

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

/** One deal's derived fields; `lastInteraction` is the date of its last interaction, if any. */
export function dealDerived(d: CrmRecord, config: Config, today: string, lastInteraction: string | undefined, staleDays: number): DealDerived {
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

