/**
 * The arithmetic of `tb report` (core/report.ts): ISO weeks and the weeks and months of a period,
 * average and median, rates, money added per currency, and counts per key.
 */
import { addDays, daysBetween, weekday } from './dates.js';
import type { CountRow, MoneyAmount, ReportOptions } from './report.js';

/** How a missing value is counted. */
export const NONE = '(none)';

/** `2026-W47`: the ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(date: string): string {
  const mondayBased = (weekday(date) + 6) % 7;
  const thursday = addDays(date, 3 - mondayBased);
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function weeksOf(since: string, until: string): string[] {
  const weeks: string[] = [];
  for (let d = since; d <= until; d = addDays(d, 7)) weeks.push(isoWeek(d));
  const last = isoWeek(until);
  if (weeks[weeks.length - 1] !== last) weeks.push(last);
  return weeks;
}

export function monthsOf(since: string, until: string): string[] {
  const months: string[] = [];
  let [y, m] = since.slice(0, 7).split('-').map(Number);
  const end = until.slice(0, 7);
  for (;;) {
    const key = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (key > end) break;
    months.push(key);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return months;
}

export function average(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const rate = (part: number, whole: number): number | null => (whole ? part / whole : null);

/** Adds money per currency into a map and lists it sorted by currency. */
export class Money {
  private readonly totals = new Map<string, number>();
  add(currency: string, value: number): void {
    this.totals.set(currency, (this.totals.get(currency) ?? 0) + value);
  }
  list(): MoneyAmount[] {
    return [...this.totals].map(([currency, value]) => ({ currency, value })).sort((a, b) => a.currency.localeCompare(b.currency));
  }
}

export class Counter {
  readonly counts = new Map<string, number>();
  constructor(keys: string[] = []) {
    for (const k of keys) this.counts.set(k, 0);
  }
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  /** Sorted by count (desc) then key, `(none)` last — or in insertion order when `keepOrder`. */
  rows(keepOrder = false): CountRow[] {
    const rows = [...this.counts].map(([key, count]) => ({ key, count }));
    if (keepOrder) return rows;
    return rows.sort((a, b) => Number(a.key === NONE) - Number(b.key === NONE) || b.count - a.count || a.key.localeCompare(b.key));
  }
}


/** Whether a date is in the report's period, both days included. */
export const inPeriod = (date: string | undefined, opts: ReportOptions): date is string =>
  date !== undefined && date >= opts.since && date <= opts.until;
