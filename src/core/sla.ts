/**
 * Service-level clocks for cases (docs/cases.md): SLA durations, business hours, and the derived
 * deadlines of one case. Pure: "now" is passed in as epoch milliseconds; time zones come from
 * Node's built-in `Intl` (full ICU), no extra dependency.
 *
 * Instants in files (core/instants.ts) without an offset are read as wall-clock time in the SLA
 * time zone (`business_hours.timezone`, else UTC), and a bare date as midnight there.
 */

import { isTimeZone, localDate, zonedInstant } from './zones.js';
import { formatInstant, parseInstant } from './instants.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** When the clock runs: on these weekdays (0 = Sunday … 6 = Saturday), start..end minutes of the day, local to `timezone`. */
export interface BusinessHours {
  days: number[];
  /** Minutes after local midnight, e.g. 540 for 09:00. */
  start: number;
  end: number;
  timezone: string;
}

/** An SLA length as written: minutes and hours are clock time; days and weeks depend on the clock. */
export interface SlaSpan {
  text: string;
  minutes: number;
  days: number;
}

export interface SlaTarget {
  first_response?: SlaSpan;
  resolve?: SlaSpan;
}

export interface SlaSettings {
  /** Targets per priority (`urgent`, `high`, `normal`, `low` …). */
  targets: Record<string, SlaTarget>;
  businessHours?: BusinessHours;
}

// ---------------------------------------------------------------------------------------------
// Durations and settings

const SPAN = /^(\d+(?:\.\d+)?)\s*(min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i;

/** `90min`, `2h`, `1d`, `2w` (also `1.5h`). Undefined for anything else; months are not SLA units. */
export function parseSlaSpan(value: unknown): SlaSpan | undefined {
  const text = typeof value === 'number' ? `${value}h` : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) return undefined;
  const m = SPAN.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!(n > 0)) return undefined;
  const unit = m[2].toLowerCase();
  if (unit.startsWith('min')) return { text, minutes: n, days: 0 };
  if (unit.startsWith('h')) return { text, minutes: n * 60, days: 0 };
  if (unit.startsWith('d')) return { text, minutes: 0, days: n };
  return { text, minutes: 0, days: n * 7 };
}

const FULL_DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `mon`, `Monday`, `1` → 1. */
function dayNumber(word: string): number | undefined {
  const w = word.trim().toLowerCase();
  if (/^[0-6]$/.test(w)) return Number(w);
  const i = FULL_DAY_NAMES.findIndex((name) => w.length >= 3 && name.startsWith(w));
  return i >= 0 ? i : undefined;
}

/** `mon-fri`, `[mon, tue, wed]`, `mon,wed,fri`, `sat-mon` (wraps) → day numbers. */
export function parseBusinessDays(value: unknown): number[] | undefined {
  const parts = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : undefined;
  if (!parts || !parts.length) return undefined;
  const days = new Set<number>();
  for (const part of parts) {
    const range = part.split(/\s*(?:-|–|\.\.)\s*/);
    if (range.length === 2) {
      const [a, b] = [dayNumber(range[0]), dayNumber(range[1])];
      if (a === undefined || b === undefined) return undefined;
      for (let d = a; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === b) break;
      }
    } else {
      const d = dayNumber(part);
      if (d === undefined) return undefined;
      days.add(d);
    }
  }
  return [...days].sort((a, b) => a - b);
}

/** `09:00` → 540; `24:00` is allowed as an end. */
export function parseClock(value: unknown): number | undefined {
  const text = typeof value === 'number' ? `${value}:00` : typeof value === 'string' ? value.trim() : '';
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 24 * 60 ? minutes : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads `sla:` and `business_hours:` from touchbase.yaml. Problems are returned as messages
 * (with the key they are about) so `tb check` can list them; bad entries are left out.
 */
export function readSlaSettings(raw: Record<string, unknown>): { settings: SlaSettings; problems: Array<{ key: string; message: string }> } {
  const problems: Array<{ key: string; message: string }> = [];
  const settings: SlaSettings = { targets: {} };
  const sla = raw.sla;
  if (sla !== undefined && !isObject(sla)) problems.push({ key: 'sla', message: 'sla must be a mapping of priority to {first_response, resolve}' });
  if (isObject(sla)) {
    for (const [priority, def] of Object.entries(sla)) {
      if (priority === '__proto__') continue;
      if (!isObject(def)) {
        problems.push({ key: 'sla', message: `sla.${priority} must be a mapping like { first_response: 4h, resolve: 2d }` });
        continue;
      }
      const target: SlaTarget = {};
      for (const which of ['first_response', 'resolve'] as const) {
        if (def[which] === undefined) continue;
        const span = parseSlaSpan(def[which]);
        if (span) target[which] = span;
        else problems.push({ key: 'sla', message: `sla.${priority}.${which} '${String(def[which])}' is not a length like 30min, 4h, 2d, 1w` });
      }
      for (const k of Object.keys(def)) {
        if (k !== 'first_response' && k !== 'resolve') problems.push({ key: 'sla', message: `sla.${priority}: unknown key '${k}' (use first_response and resolve)` });
      }
      settings.targets[priority.toLowerCase()] = target;
    }
  }
  const bh = raw.business_hours;
  if (bh !== undefined) {
    const parsed = isObject(bh) ? readBusinessHours(bh) : 'business_hours must be a mapping {days, start, end, timezone}';
    if (typeof parsed === 'string') problems.push({ key: 'business_hours', message: parsed });
    else settings.businessHours = parsed;
  }
  return { settings, problems };
}

function readBusinessHours(bh: Record<string, unknown>): BusinessHours | string {
  const days = bh.days === undefined ? [1, 2, 3, 4, 5] : parseBusinessDays(bh.days);
  if (!days || !days.length) return `business_hours.days '${String(bh.days)}' is not a list of weekdays like mon-fri`;
  const start = bh.start === undefined ? 9 * 60 : parseClock(bh.start);
  const end = bh.end === undefined ? 17 * 60 : parseClock(bh.end);
  if (start === undefined) return `business_hours.start '${String(bh.start)}' is not a time like 09:00`;
  if (end === undefined) return `business_hours.end '${String(bh.end)}' is not a time like 17:00`;
  if (end <= start) return 'business_hours.end must be later than business_hours.start';
  const timezone = bh.timezone === undefined ? 'UTC' : bh.timezone;
  if (!isTimeZone(timezone)) return `business_hours.timezone '${String(timezone)}' is not a time zone like Europe/Berlin`;
  return { days, start, end, timezone };
}

/** The zone the SLA clock and written timestamps use. */
export function slaTimeZone(settings: SlaSettings): string {
  return settings.businessHours?.timezone ?? 'UTC';
}

// ---------------------------------------------------------------------------------------------
// The clock

/** A span's length on the clock: with business hours a day is one business day's hours, a week as many business days as the week has. */
function spanMs(span: SlaSpan, bh: BusinessHours | undefined): number {
  if (!bh) return span.minutes * MINUTE_MS + span.days * DAY_MS;
  const dayMs = (bh.end - bh.start) * MINUTE_MS;
  const weekDays = span.days % 7 === 0 && span.days > 0 ? (span.days / 7) * bh.days.length : span.days;
  return span.minutes * MINUTE_MS + weekDays * dayMs;
}

/** Civil day number of a `YYYY-MM-DD`. */
function dayNum(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Windows already worked out: every case of a digest walks the same few days (Intl is slow). */
const windows = new Map<string, [number, number]>();

/** The business window [start, end) of a local day, as instants (DST-aware). */
function windowOf(day: number, bh: BusinessHours): [number, number] | undefined {
  if (!bh.days.includes(((day % 7) + 11) % 7)) return undefined; // day 0 (1970-01-01) was a Thursday
  const key = `${bh.timezone}|${bh.start}|${bh.end}|${day}`;
  let w = windows.get(key);
  if (!w) {
    if (windows.size > 20_000) windows.clear();
    const date = dateOf(day);
    w = [zonedInstant(date, bh.start, bh.timezone), zonedInstant(date, bh.end, bh.timezone)];
    windows.set(key, w);
  }
  return w;
}

/** Ten years of days: a bound on the loops below however odd the settings are. */
const MAX_DAYS = 3660;

/** The instant `span` after `from` on the SLA clock. */
export function addSlaTime(from: number, span: SlaSpan, bh: BusinessHours | undefined): number {
  let remaining = spanMs(span, bh);
  if (!bh) return from + remaining;
  const first = dayNum(localDate(from, bh.timezone));
  for (let day = first; day < first + MAX_DAYS; day++) {
    const w = windowOf(day, bh);
    if (!w) continue;
    const start = Math.max(from, w[0]);
    if (start >= w[1]) continue;
    const available = w[1] - start;
    if (remaining <= available) return start + remaining;
    remaining -= available;
  }
  return Number.POSITIVE_INFINITY;
}

/** Time from `a` to `b` on the SLA clock, in milliseconds (0 when b is not after a). */
export function slaTimeBetween(a: number, b: number, bh: BusinessHours | undefined): number {
  if (b <= a) return 0;
  if (!bh) return b - a;
  let total = 0;
  const last = dayNum(localDate(b, bh.timezone));
  for (let day = dayNum(localDate(a, bh.timezone)); day <= last; day++) {
    const w = windowOf(day, bh);
    if (!w) continue;
    const overlap = Math.min(b, w[1]) - Math.max(a, w[0]);
    if (overlap > 0) total += overlap;
  }
  return total;
}

/** Milliseconds as hours with two decimals (the unit of time_to_* fields). */
export function toHours(ms: number): number {
  return Math.round((ms / HOUR_MS) * 100) / 100;
}

// ---------------------------------------------------------------------------------------------
// One case's SLA

export interface SlaInput {
  priority?: string;
  opened?: string;
  first_response?: string;
  resolved?: string;
  /** False for a resolved or closed case: its clock stopped (at `resolved`, else not counted). */
  active: boolean;
}

export interface SlaDerived {
  /** Whole days from the opened date to today (the SLA zone's calendar). */
  age?: number;
  first_response_due?: string;
  resolve_due?: string;
  /** The SLAs missed so far: `first_response`, `resolve`; empty when none. */
  breached: Array<'first_response' | 'resolve'>;
  /** Hours on the SLA clock from opened to first_response (business hours when configured). */
  time_to_first_response?: number;
  time_to_resolve?: number;
}

/**
 * Deadlines and breaches of one case at `now`. The first-response clock stops at
 * `first_response`, or at `resolved` for a case solved without a reply; the resolve clock at
 * `resolved`. A case that is no longer active and has no such date is never counted as breached
 * by the passing of time (nothing says when it stopped).
 */
export function caseSla(input: SlaInput, settings: SlaSettings, now: number): SlaDerived {
  const zone = slaTimeZone(settings);
  const bh = settings.businessHours;
  const out: SlaDerived = { breached: [] };
  const opened = parseInstant(input.opened, zone);
  if (opened === undefined) return out;
  out.age = Math.max(0, dayNum(localDate(now, zone)) - dayNum(localDate(opened, zone)));
  const responded = parseInstant(input.first_response, zone);
  const resolved = parseInstant(input.resolved, zone);
  if (responded !== undefined) out.time_to_first_response = toHours(slaTimeBetween(opened, responded, bh));
  if (resolved !== undefined) out.time_to_resolve = toHours(slaTimeBetween(opened, resolved, bh));
  const target = settings.targets[(input.priority ?? 'normal').toLowerCase()];
  const stopAt = (stamp: number | undefined): number | undefined => stamp ?? (input.active ? now : undefined);
  if (target?.first_response) {
    const due = addSlaTime(opened, target.first_response, bh);
    if (Number.isFinite(due)) out.first_response_due = formatInstant(due, zone);
    const at = stopAt(responded ?? resolved);
    if (at !== undefined && at > due) out.breached.push('first_response');
  }
  if (target?.resolve) {
    const due = addSlaTime(opened, target.resolve, bh);
    if (Number.isFinite(due)) out.resolve_due = formatInstant(due, zone);
    const at = stopAt(resolved);
    if (at !== undefined && at > due) out.breached.push('resolve');
  }
  return out;
}
