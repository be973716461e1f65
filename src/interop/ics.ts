/**
 * iCalendar (RFC 5545) export of reminders (VTODO) and dated items (all-day VEVENT). The output is
 * deterministic: DTSTAMP comes from the caller's `stamp` date, never from the clock.
 */
import { addDays, isIsoDate } from '../core/dates.js';
import { DataError } from '../errors.js';
import { escapeText, foldLine } from './types.js';

export interface IcsItem {
  /** Stable across exports so calendars update instead of duplicating, e.g. `${id}@touchbase`. */
  uid: string;
  kind: 'todo' | 'event';
  /** `YYYY-MM-DD`: the due date of a todo, the day of an event. */
  date: string;
  summary: string;
  description?: string;
  status?: 'open' | 'done' | 'cancelled';
  /** `YYYY-MM-DD` (or with a time) when a todo was completed. */
  completed?: string;
  url?: string;
  categories?: string[];
}

export interface IcsOptions {
  prodId?: string;
  /** Shown as the calendar's name by Apple and Google (X-WR-CALNAME). */
  calName?: string;
  /** `YYYY-MM-DD`: DTSTAMP of every component is midnight UTC of this day. */
  stamp: string;
}

const DEFAULT_PRODID = '-//touchbase//touchbase//EN';

const TODO_STATUS: Record<NonNullable<IcsItem['status']>, string> = {
  open: 'NEEDS-ACTION',
  done: 'COMPLETED',
  cancelled: 'CANCELLED',
};

export function toIcs(items: IcsItem[], opts: IcsOptions): string {
  const stamp = `${basicDate(opts.stamp, 'stamp')}T000000Z`;
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${opts.prodId ?? DEFAULT_PRODID}`, 'CALSCALE:GREGORIAN'];
  if (opts.calName) lines.push(`X-WR-CALNAME:${escapeText(opts.calName)}`);
  for (const item of items) lines.push(...(item.kind === 'todo' ? todoLines(item, stamp) : eventLines(item, stamp)));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

function todoLines(item: IcsItem, stamp: string): string[] {
  const lines = ['BEGIN:VTODO', ...commonLines(item, stamp), `DUE;VALUE=DATE:${basicDate(item.date, item.uid)}`];
  lines.push(`STATUS:${TODO_STATUS[item.status ?? 'open']}`);
  // COMPLETED must be a UTC date-time (RFC 5545 §3.8.2.1).
  if (item.completed) lines.push(`COMPLETED:${utcDateTime(item.completed, item.uid)}`);
  lines.push(...optionalLines(item), 'END:VTODO');
  return lines;
}

function eventLines(item: IcsItem, stamp: string): string[] {
  const day = basicDate(item.date, item.uid);
  const lines = ['BEGIN:VEVENT', ...commonLines(item, stamp), `DTSTART;VALUE=DATE:${day}`];
  // DTEND is exclusive: an all-day event on the 20th ends on the 21st.
  lines.push(`DTEND;VALUE=DATE:${basicDate(addDays(item.date, 1), item.uid)}`);
  // All-day reminders of a CRM should not block the user's free/busy time.
  lines.push('TRANSP:TRANSPARENT');
  if (item.status === 'cancelled') lines.push('STATUS:CANCELLED');
  lines.push(...optionalLines(item), 'END:VEVENT');
  return lines;
}

function commonLines(item: IcsItem, stamp: string): string[] {
  if (item.uid.trim() === '') throw new DataError('calendar item without a uid');
  return [`UID:${item.uid}`, `DTSTAMP:${stamp}`, `SUMMARY:${escapeText(item.summary)}`];
}

function optionalLines(item: IcsItem): string[] {
  const lines: string[] = [];
  if (item.description) lines.push(`DESCRIPTION:${escapeText(item.description)}`);
  // URL is a URI value, not TEXT: it is written as is (minus line breaks, which cannot occur in a URI).
  if (item.url) lines.push(`URL:${item.url.replace(/[\r\n]+/g, '')}`);
  if (item.categories && item.categories.length > 0) lines.push(`CATEGORIES:${item.categories.map(escapeText).join(',')}`);
  return lines;
}

/** `2026-11-20` → `20261120`; a bad date is a data problem naming the item. */
function basicDate(date: string, what: string): string {
  if (!isIsoDate(date)) throw new DataError(`'${date}' is not a YYYY-MM-DD date (${what})`);
  return date.slice(0, 10).replace(/-/g, '');
}

/** `2026-11-20` → `20261120T000000Z`; `2026-11-20T14:30` → `20261120T143000Z` (times are taken as UTC). */
function utcDateTime(value: string, what: string): string {
  const day = basicDate(value, what);
  const time = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  return time ? `${day}T${time[1]}${time[2]}${time[3] ?? '00'}Z` : `${day}T000000Z`;
}
