/**
 * Repeating reminders and keep-in-touch cadences. Pure: dates arrive as `YYYY-MM-DD` strings.
 *
 * Repeating reminders
 * -------------------
 * A reminder with `repeat: 1w` (any interval parseDuration accepts: 3d, 2w, 1m, 3m, 1y …) is,
 * when completed, followed by a new reminder whose `due` is computed by `nextOccurrence`:
 *
 * - counted from the reminder's `due` (the default, `repeat_from: due`), or from the completion
 *   date with `repeat_from: done`;
 * - when counted from `due` and the next date is still on or before the completion date (the
 *   reminder was completed very late), it skips forward to the first occurrence after completion,
 *   so completing a weekly reminder a month late does not create four overdue copies;
 * - months and years clamp to the end of a shorter month (Jan 31 + 1m = Feb 28, or 29 in a leap
 *   year) without drifting: the intended day of the month is remembered in an optional
 *   `anchor_day` field. nextOccurrence returns `anchor_day` whenever it is 29, 30 or 31 (the only
 *   days a month can lose) and the caller writes it into the new reminder, so a monthly reminder
 *   created on Jan 31 goes Jan 31 → Feb 28 → Mar 31 → Apr 30.
 *   `anchor_day` is honoured only while it agrees with `due` (the due day equals it, or `due` is the
 *   last day of a month shorter than it): a hand-edited or snoozed due date wins over a stale anchor.
 *   With `repeat_from: done` the schedule follows the completion date and there is no anchor.
 * - a time of day on `due` (`2026-11-20T14:30`) is kept on the next occurrence.
 */
import type { Config, CrmRecord } from './types.js';
import { addDays, addMonths, datePart, daysBetween, daysInMonth, isIsoDate, parseDuration } from './dates.js';
import type { Duration } from './dates.js';
import { asNumber, asString, tagsOf } from './fields.js';
import { DataError, UsageError } from '../errors.js';

export interface Occurrence {
  /** The next due date (with the original time of day, if `due` had one). */
  due: string;
  /** Day of month to store on the new reminder so month clamping does not drift (29–31 only). */
  anchor_day?: number;
}

/** The smallest day an anchor must have to be worth storing: days 1–28 exist in every month. */
const FIRST_CLAMPABLE_DAY = 29;

/**
 * The occurrence that follows `reminder` once it is completed on `completedOn`, or undefined when
 * the reminder does not repeat. Throws DataError for an unreadable `repeat` or `repeat_from`.
 */
export function nextOccurrence(reminder: CrmRecord, completedOn: string): Occurrence | undefined {
  const repeatText = asString(reminder.data.repeat);
  if (repeatText === undefined) return undefined;
  const step = parseDuration(repeatText);
  if (!step || step.n <= 0) {
    throw new DataError(`repeat '${repeatText}' is not an interval like 1w, 1m, 1y`, { path: reminder.path });
  }
  if (!isIsoDate(completedOn)) throw new UsageError(`completion date '${completedOn}' is not a date (YYYY-MM-DD)`);
  const completed = datePart(completedOn);

  const dueText = asString(reminder.data.due);
  const due = dueText !== undefined && isIsoDate(dueText) ? dueText : undefined;
  const timeOfDay = due ? due.slice(10) : '';
  // Without a readable due date there is nothing to count from but the completion.
  if (repeatFrom(reminder) === 'done' || due === undefined) {
    return { due: addStep(completed, step) + timeOfDay };
  }
  const next = isMonthly(step) ? nextMonthly(datePart(due), step, completed, anchorDayOf(reminder, datePart(due))) : nextDaily(datePart(due), step, completed);
  return { ...next, due: next.due + timeOfDay };
}

function repeatFrom(reminder: CrmRecord): 'due' | 'done' {
  const raw = asString(reminder.data.repeat_from)?.toLowerCase();
  if (raw === undefined || raw === 'due') return 'due';
  if (raw === 'done') return 'done';
  throw new DataError(`repeat_from must be 'due' or 'done', got '${raw}'`, { path: reminder.path });
}

function isMonthly(step: Duration): boolean {
  return step.unit === 'm' || step.unit === 'y';
}

function stepMonths(step: Duration): number {
  return step.unit === 'y' ? 12 * step.n : step.n;
}

function stepDays(step: Duration): number {
  return step.unit === 'w' ? 7 * step.n : step.n;
}

function addStep(date: string, step: Duration): string {
  return isMonthly(step) ? addMonths(date, stepMonths(step)) : addDays(date, stepDays(step));
}

/** Days and weeks: plain arithmetic, jumping straight past a late completion. */
function nextDaily(due: string, step: Duration, completed: string): Occurrence {
  const days = stepDays(step);
  const late = daysBetween(due, completed);
  const steps = late < days ? 1 : Math.floor(late / days) + 1;
  return { due: addDays(due, steps * days) };
}

/** Months and years: every occurrence is computed from `due` and the anchor, never from the last clamped date. */
function nextMonthly(due: string, step: Duration, completed: string, anchor: number): Occurrence {
  const months = stepMonths(step);
  let k = 1;
  let next = onDay(addMonths(firstOfMonth(due), k * months), anchor);
  while (next <= completed) next = onDay(addMonths(firstOfMonth(due), ++k * months), anchor);
  return anchor >= FIRST_CLAMPABLE_DAY ? { due: next, anchor_day: anchor } : { due: next };
}

/** The intended day of month: a valid `anchor_day` that agrees with `due`, else the due's own day. */
function anchorDayOf(reminder: CrmRecord, due: string): number {
  const [year, month, day] = due.split('-').map(Number);
  const anchor = asNumber(reminder.data.anchor_day);
  if (anchor === undefined || !Number.isInteger(anchor) || anchor < 1 || anchor > 31) return day;
  const agrees = anchor === day || (anchor > day && day === daysInMonth(year, month));
  return agrees ? anchor : day;
}

function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The given day in `date`'s month, clamped to the month's last day. */
function onDay(date: string, day: number): string {
  const [year, month] = date.split('-').map(Number);
  return `${date.slice(0, 7)}-${String(Math.min(day, daysInMonth(year, month))).padStart(2, '0')}`;
}

export type CadenceSource = 'contact' | 'tag' | 'stage' | 'default';

export interface Cadence {
  /** The interval as written, e.g. `90d`. */
  interval: string;
  source: CadenceSource;
  /** The tag or stage whose rule matched (only for those sources), e.g. `customer`. */
  rule?: string;
}

/** Values of a contact's `cadence` that switch keep-in-touch off for that contact. */
const CADENCE_OFF = new Set(['none', 'never', 'off', 'false', 'no', '0']);

/**
 * The keep-in-touch interval that applies to a contact: its own `cadence`, else the rule of the
 * first of its tags (in the contact's order) that has one, else its lifecycle stage's rule, else
 * `cadence.default`. `cadence: none` (or never/off/false) on the contact opts it out.
 * An unreadable interval is skipped so the next rule applies (`tb check` reports it); matching of
 * tags and stages against config keys is case-insensitive.
 */
export function effectiveCadence(contact: CrmRecord, config: Config): Cadence | undefined {
  const own = asString(contact.data.cadence)?.trim();
  if (own !== undefined) {
    if (CADENCE_OFF.has(own.toLowerCase())) return undefined;
    if (parseDuration(own)) return { interval: own, source: 'contact' };
  }
  const tagRules = lowerKeys(config.cadence.tags);
  for (const tag of tagsOf(contact)) {
    const interval = tagRules.get(tag);
    if (interval !== undefined && parseDuration(interval)) return { interval, source: 'tag', rule: tag };
  }
  const stage = asString(contact.data.stage)?.toLowerCase();
  const stageInterval = stage === undefined ? undefined : lowerKeys(config.cadence.stages).get(stage);
  if (stage !== undefined && stageInterval !== undefined && parseDuration(stageInterval)) {
    return { interval: stageInterval, source: 'stage', rule: stage };
  }
  const fallback = config.cadence.default;
  if (fallback !== undefined && parseDuration(fallback)) return { interval: fallback, source: 'default' };
  return undefined;
}

const lowered = new WeakMap<Record<string, string>, Map<string, string>>();

/** The rules with lower-case keys, built once per rules object (the digest asks for every contact). */
function lowerKeys(rules: Record<string, string>): Map<string, string> {
  let map = lowered.get(rules);
  if (!map) lowered.set(rules, (map = new Map(Object.entries(rules).map(([key, value]) => [key.toLowerCase(), value.trim()]))));
  return map;
}
