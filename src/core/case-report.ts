/**
 * The figures of `tb report cases` (docs/cases.md): counts, response and resolution times against
 * the SLA targets, per group, and the companies with the most complaints. Pure: "now" is epoch ms.
 */
import type { CrmRecord } from './types.js';
import { asNumber, asString, normalizeRef } from './fields.js';
import { formatInstant, parseInstant } from './instants.js';
import { slaTimeZone } from './sla.js';
import { localDate } from './zones.js';
import type { SlaSettings } from './sla.js';
import { CASE_PRIORITIES, caseCategory, casePriority, COMPLAINT, deriveCase, type CaseDerived, type CaseSettings } from './cases.js';

export type CaseGroupBy = 'category' | 'owner' | 'priority' | 'company';
export const CASE_GROUPS: readonly CaseGroupBy[] = ['category', 'owner', 'priority', 'company'];

export interface TimeFigures {
  /** Cases measured. */
  count: number;
  /** Hours on the SLA clock; null when nothing was measured. */
  median: number | null;
  p90: number | null;
}

export interface CaseFigures {
  opened: number;
  resolved: number;
  /** Cases opened by `until` and not resolved by then. */
  backlog: number;
  first_response: TimeFigures;
  resolution: TimeFigures;
  sla: { decided: number; met: number; attainment: number | null };
  csat: { average: number | null; rated: number; response_rate: number | null };
}

export interface CaseReport {
  since: string;
  until: string;
  /** The instant breaches were judged at. */
  as_of: string;
  totals: CaseFigures;
  by?: CaseGroupBy;
  groups?: Array<{ key: string; figures: CaseFigures }>;
  /** Companies with the most complaints opened in the period, most first (at most five). */
  top_complaints: Array<{ company: string; complaints: number; open: number }>;
}

/** Median (mean of the middle two for an even count) and 90th percentile (nearest rank), 2 decimals. */
export function percentiles(values: number[]): { median: number | null; p90: number | null } {
  if (!values.length) return { median: null, p90: null };
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  const p90 = v[Math.ceil(0.9 * v.length) - 1];
  return { median: round(median), p90: round(p90) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

interface Facts {
  rec: CrmRecord;
  d: CaseDerived;
  /** Local dates (SLA zone) of the three stamps. */
  opened?: string;
  responded?: string;
  resolved?: string;
}

function figures(facts: Facts[], since: string, until: string, targets: SlaSettings['targets']): CaseFigures {
  const inPeriod = (date: string | undefined) => date !== undefined && date >= since && date <= until;
  const opened = facts.filter((f) => inPeriod(f.opened));
  const resolved = facts.filter((f) => inPeriod(f.resolved));
  const responded = facts.filter((f) => inPeriod(f.responded) && f.d.time_to_first_response !== undefined);
  const backlog = facts.filter((f) => f.opened !== undefined && f.opened <= until && (f.resolved === undefined ? f.d.active : f.resolved > until));
  // SLA: cases opened in the period with a target whose outcome is known — a breach, or every clock stopped.
  let decided = 0;
  let met = 0;
  for (const f of opened) {
    const target = targets[casePriority(f.rec)];
    if (!target || (!target.first_response && !target.resolve)) continue;
    const stopped = (!target.first_response || f.responded !== undefined || f.resolved !== undefined) && (!target.resolve || f.resolved !== undefined);
    if (f.d.breached.length) decided++;
    else if (stopped) {
      decided++;
      met++;
    }
  }
  const ratings = resolved.map((f) => asNumber(f.rec.data.satisfaction)).filter((n): n is number => n !== undefined && n >= 1 && n <= 5);
  return {
    opened: opened.length,
    resolved: resolved.length,
    backlog: backlog.length,
    first_response: { count: responded.length, ...percentiles(responded.map((f) => f.d.time_to_first_response!)) },
    resolution: { count: resolved.length, ...percentiles(resolved.filter((f) => f.d.time_to_resolve !== undefined).map((f) => f.d.time_to_resolve!)) },
    sla: { decided, met, attainment: decided ? round(met / decided) : null },
    csat: {
      average: ratings.length ? round(ratings.reduce((a, b) => a + b, 0) / ratings.length) : null,
      rated: ratings.length,
      response_rate: resolved.length ? round(ratings.length / resolved.length) : null,
    },
  };
}

function groupKey(rec: CrmRecord, by: CaseGroupBy): string {
  if (by === 'priority') return casePriority(rec);
  if (by === 'category') return caseCategory(rec) ?? '(none)';
  const v = by === 'company' ? normalizeRef(rec.data.company) : asString(rec.data.owner);
  return v ?? '(none)';
}

/**
 * The figures of `tb report cases` for `since`..`until` (both days included, dates in the SLA
 * zone). Opened/resolved/responded are counted by the day of their stamp; times and CSAT over the
 * cases answered / resolved in the period; SLA attainment over cases opened in the period whose
 * outcome is known at `now`.
 */
export function caseReport(cases: readonly CrmRecord[], settings: CaseSettings, now: number, opts: { since: string; until: string; by?: CaseGroupBy }): CaseReport {
  const zone = slaTimeZone(settings.sla);
  const localDay = (v: unknown) => {
    const ms = parseInstant(v, zone);
    return ms === undefined ? undefined : localDate(ms, zone);
  };
  const facts: Facts[] = cases.map((rec) => ({
    rec,
    d: deriveCase(rec, settings, now),
    opened: localDay(rec.data.opened),
    responded: localDay(rec.data.first_response),
    resolved: localDay(rec.data.resolved),
  }));
  const report: CaseReport = {
    since: opts.since,
    until: opts.until,
    as_of: formatInstant(now, zone),
    totals: figures(facts, opts.since, opts.until, settings.sla.targets),
    top_complaints: topComplaints(facts, opts.since, opts.until),
  };
  if (opts.by) {
    const by = opts.by;
    const keys = [...new Set(facts.map((f) => groupKey(f.rec, by)))].sort((a, b) => groupOrder(a, b, by));
    report.by = by;
    report.groups = keys.map((key) => ({ key, figures: figures(facts.filter((f) => groupKey(f.rec, by) === key), opts.since, opts.until, settings.sla.targets) }));
  }
  return report;
}

/** Priorities from most to least urgent, everything else alphabetically, `(none)` last. */
function groupOrder(a: string, b: string, by: CaseGroupBy): number {
  if (a === '(none)' || b === '(none)') return a === b ? 0 : a === '(none)' ? 1 : -1;
  if (by === 'priority') {
    const rank = (p: string) => {
      const i = CASE_PRIORITIES.indexOf(p);
      return i < 0 ? -1 : i;
    };
    return rank(b) - rank(a) || a.localeCompare(b);
  }
  return a.localeCompare(b);
}

function topComplaints(facts: Facts[], since: string, until: string): CaseReport['top_complaints'] {
  const counts = new Map<string, { complaints: number; open: number }>();
  for (const f of facts) {
    if (caseCategory(f.rec) !== COMPLAINT || f.opened === undefined || f.opened < since || f.opened > until) continue;
    const company = normalizeRef(f.rec.data.company);
    if (!company) continue;
    const c = counts.get(company) ?? { complaints: 0, open: 0 };
    c.complaints++;
    if (f.d.active) c.open++;
    counts.set(company, c);
  }
  return [...counts.entries()]
    .map(([company, c]) => ({ company, ...c }))
    .sort((a, b) => b.complaints - a.complaints || b.open - a.open || a.company.localeCompare(b.company))
    .slice(0, 5);
}

