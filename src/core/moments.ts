/**
 * When something happened, as precisely as a record says: a day, and the minute when a time is
 * written. Campaign results and attribution order events with it (docs/campaigns.md, "Report").
 * Times are taken as written (record dates carry no offset: the wall clock of whoever recorded
 * them), `T` or a space between date and time alike. Pure.
 */
import { addDays, datePart, isIsoDate } from './dates.js';
import { asString } from './fields.js';

export interface Moment {
  /** The written date, `YYYY-MM-DD`. */
  day: string;
  /** Milliseconds for comparison, only when a time of day is written. */
  at?: number;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The moment of a date or date-time value, or undefined when it is none. */
export function momentOf(value: unknown): Moment | undefined {
  const text = asString(value)?.trim();
  if (!text || !isIsoDate(text)) return undefined;
  const m = TIME.exec(text);
  if (!m) return { day: datePart(text) };
  return { day: datePart(text), at: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) };
}

/**
 * True when `event` is known to have happened after `start`: a later day, or the same day with
 * both times written and the event's later. A same-day event without a time (a deal's `created`, a
 * note logged without one) cannot be shown to follow, so it does not.
 */
export function isAfter(event: Moment, start: Moment): boolean {
  if (event.day !== start.day) return event.day > start.day;
  return event.at !== undefined && start.at !== undefined && event.at > start.at;
}

/** True when `event` falls on or before the last day of a window of `days` days from `start`. */
export function withinDays(event: Moment, start: Moment, days: number): boolean {
  return event.day <= addDays(start.day, days);
}

/** Order of two moments: by day, then by time (a day without a time first, as the start of that day). */
export function compareMoments(a: Moment, b: Moment): number {
  if (a.day !== b.day) return a.day < b.day ? -1 : 1;
  return (a.at ?? -Infinity) - (b.at ?? -Infinity) || 0;
}
