/**
 * Meetings from an iCalendar file (RFC 5545), as Google Calendar, Outlook and Apple Calendar
 * export them: every VEVENT occurrence up to a day, recurring events expanded (RRULE, RDATE,
 * EXDATE and moved occurrences), times in their TZID converted to instants, all-day events kept as
 * days. ical.js does the parsing and the recurrence arithmetic. Cancelled events and occurrences,
 * and attendees who declined, are left out (docs/mail.md).
 */
import ICAL from 'ical.js';
import { isTimeZone, offsetMinutes } from '../core/zones.js';

export interface IcsPerson {
  address: string;
  name?: string;
}

export interface IcsOccurrence {
  /** `file:line` of the VEVENT. */
  line: number;
  uid: string;
  /** For an occurrence of a recurring event: its original start, in the same shape as `start`. */
  recurrenceId?: IcsStart;
  start: IcsStart;
  organizer?: IcsPerson;
  attendees: IcsPerson[];
  summary: string;
  description?: string;
  location?: string;
}

/** An instant (ms since 1970) or, for all-day events, a day. */
export type IcsStart = { instant: number } | { day: string };

export interface IcsIssue {
  line: number;
  message: string;
}

export interface IcsParse {
  occurrences: IcsOccurrence[];
  issues: IcsIssue[];
}

/** Occurrences one recurring event may expand to; a FREQ=SECONDLY rule since 1970 stops here. */
export const MAX_OCCURRENCES = 5000;

/** The VTIMEZONEs of the file by TZID, and the local zone (an IANA name) floating times are taken in. */
type Zones = Map<string, ICAL.Timezone> & { localZone?: string };

/** Thrown for a text that does not start with BEGIN:VCALENDAR (an e-mail, a CSV, …). */
export class NotICalendarError extends Error {
  constructor() {
    super('it does not start with a BEGIN:VCALENDAR line');
  }
}

/** Whether a text starts (after a byte order mark and blank lines) with BEGIN:VCALENDAR. */
export function isICalendar(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').slice(0, 4096).split('\n').find((l) => l.trim() !== '');
  return first !== undefined && /^BEGIN:VCALENDAR$/i.test(first.trim());
}

/**
 * The occurrences starting on or before `until` (YYYY-MM-DD), as `dayOf` sees an instant (the
 * caller's local day). Throws an Error with the parser's message for a file that is not iCalendar.
 */
export function parseIcsMeetings(text: string, until: string, dayOf: (instant: number) => string, localZone?: string): IcsParse {
  if (!isICalendar(text)) throw new NotICalendarError();
  // A byte order mark or blank lines before BEGIN:VCALENDAR are left out (the lines still count).
  const jcal = ICAL.parse(text.replace(/^\uFEFF?\s*/, ''));
  const root = new ICAL.Component(Array.isArray(jcal[0]) ? (jcal[0] as unknown as unknown[]) : (jcal as unknown as unknown[]));
  const zones: Zones = Object.assign(new Map<string, ICAL.Timezone>(), { localZone: localZone?.replace(/^:/, '') });
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(vtz);
    if (!tz.tzid) continue;
    zones.set(tz.tzid, tz);
    // Registered too, so recurrence expansion compares EXDATEs and moved occurrences in their zone.
    ICAL.TimezoneService.register(tz, tz.tzid);
  }
  const lines = eventLines(text);
  const issues: IcsIssue[] = [];
  const byUid = new Map<string, { master?: ICAL.Component; exceptions: ICAL.Component[]; line: number }>();
  root.getAllSubcomponents('vevent').forEach((ve, i) => {
    const line = lines[i] ?? 0;
    const uid = asText(ve.getFirstPropertyValue('uid'));
    if (!uid) {
      issues.push({ line, message: 'event without a UID; skipped' });
      return;
    }
    const entry = byUid.get(uid) ?? { exceptions: [], line };
    if (ve.hasProperty('recurrence-id')) entry.exceptions.push(ve);
    else entry.master = ve;
    byUid.set(uid, entry);
  });

  const occurrences: IcsOccurrence[] = [];
  for (const [uid, entry] of byUid) {
    try {
      occurrences.push(...expand(uid, entry, until, dayOf, zones, issues));
    } catch (err) {
      issues.push({ line: entry.line, message: `event ${uid} cannot be read: ${(err as Error).message}; skipped` });
    }
  }
  return { occurrences, issues };
}

function expand(
  uid: string,
  entry: { master?: ICAL.Component; exceptions: ICAL.Component[]; line: number },
  until: string,
  dayOf: (instant: number) => string,
  zones: Zones,
  issues: IcsIssue[],
): IcsOccurrence[] {
  const out: IcsOccurrence[] = [];
  const master = entry.master;
  if (!master) {
    // Moved occurrences exported without their series: each stands alone.
    for (const ex of entry.exceptions) {
      const occ = occurrence(uid, ex, entry.line, zones, startOf(ex.getFirstProperty('recurrence-id'), zones));
      if (occ && dayOfStart(occ.start, dayOf) <= until) out.push(occ);
    }
    return out;
  }
  const event = new ICAL.Event(master);
  for (const ex of entry.exceptions) event.relateException(ex);
  if (!event.isRecurring()) {
    const occ = occurrence(uid, master, entry.line, zones);
    if (occ && dayOfStart(occ.start, dayOf) <= until) out.push(occ);
    return out;
  }
  const it = event.iterator();
  for (let n = 0; ; n++) {
    if (n >= MAX_OCCURRENCES) {
      issues.push({ line: entry.line, message: `recurring event ${uid} has more than ${MAX_OCCURRENCES} occurrences up to ${until}; the rest are not imported` });
      break;
    }
    const next = it.next();
    if (!next) break;
    const original = timeStart(next, master.getFirstProperty('dtstart'), zones);
    if (dayOfStart(original, dayOf) > until) break;
    const details = event.getOccurrenceDetails(next);
    const occ = occurrence(uid, details.item.component, entry.line, zones, original, details.startDate);
    if (occ && dayOfStart(occ.start, dayOf) <= until) out.push(occ);
  }
  return out;
}

function dayOfStart(s: IcsStart, dayOf: (instant: number) => string): string {
  return 'day' in s ? s.day : dayOf(s.instant);
}

function occurrence(uid: string, ve: ICAL.Component, line: number, zones: Zones, recurrenceId?: IcsStart, start?: ICAL.Time): IcsOccurrence | undefined {
  if (asText(ve.getFirstPropertyValue('status'))?.toUpperCase() === 'CANCELLED') return undefined;
  const dtstart = ve.getFirstProperty('dtstart');
  if (!dtstart) throw new Error('no DTSTART');
  const begin = start ? timeStart(start, dtstart, zones) : startOf(dtstart, zones);
  const organizerProp = ve.getFirstProperty('organizer');
  const attendees = ve
    .getAllProperties('attendee')
    .filter((p) => String(p.getParameter('partstat') ?? '').toUpperCase() !== 'DECLINED')
    .map(person)
    .filter((p): p is IcsPerson => p !== undefined);
  return {
    line,
    uid,
    recurrenceId,
    start: begin,
    organizer: organizerProp ? person(organizerProp) : undefined,
    attendees,
    summary: (asText(ve.getFirstPropertyValue('summary')) ?? '').replace(/\s+/g, ' ').trim(),
    description: asText(ve.getFirstPropertyValue('description'))?.trim() || undefined,
    location: asText(ve.getFirstPropertyValue('location'))?.trim() || undefined,
  };
}

function startOf(prop: ICAL.Property | null, zones: Zones): IcsStart {
  if (!prop) throw new Error('no start');
  const value = prop.getFirstValue();
  if (!(value instanceof ICAL.Time)) throw new Error('a start that is not a date');
  return timeStart(value, prop, zones);
}

/** An ICAL.Time as an instant (in the zone its TZID names) or, when it is a date, a day. */
function timeStart(t: ICAL.Time, prop: ICAL.Property | null, zones: Zones): IcsStart {
  if (t.isDate) return { day: `${t.year}-${pad(t.month)}-${pad(t.day)}` };
  const tzid = String(prop?.getParameter('tzid') ?? '') || undefined;
  if (t.zone === ICAL.Timezone.utcTimezone || /Z$/.test(t.toString())) return { instant: Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) };
  const zone = tzid ? zones.get(tzid) : undefined;
  if (zone) {
    const copy = t.clone();
    copy.zone = zone;
    return { instant: copy.toUnixTime() * 1000 };
  }
  // A TZID without its VTIMEZONE (some exports leave it out): an IANA name the runtime knows.
  if (tzid && isTimeZone(tzid)) return { instant: wallTimeIn(tzid, t) };
  // Floating time (no zone): the wall time as written, taken in the local zone (the caller's, else the process's).
  if (zones.localZone && isTimeZone(zones.localZone)) return { instant: wallTimeIn(zones.localZone, t) };
  return { instant: new Date(t.year, t.month - 1, t.day, t.hour, t.minute, t.second).getTime() };
}

/** The instant whose wall-clock time in `tz` is `t`. */
function wallTimeIn(tz: string, t: ICAL.Time): number {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  let guess = wall - offsetAt(tz, wall);
  guess = wall - offsetAt(tz, guess);
  return guess;
}

function offsetAt(tz: string, instant: number): number {
  return offsetMinutes(instant, tz) * 60_000;
}

function person(prop: ICAL.Property): IcsPerson | undefined {
  const value = String(prop.getFirstValue() ?? '').trim();
  const address = value.replace(/^mailto:/i, '').trim().toLowerCase();
  if (!address.includes('@')) return undefined;
  const cn = prop.getParameter('cn');
  const name = typeof cn === 'string' ? cn.trim().replace(/^"|"$/g, '') : undefined;
  return { address, ...(name && name.toLowerCase() !== address ? { name } : {}) };
}

function asText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return String(value);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** 1-based line of each `BEGIN:VEVENT`, in order (ical.js keeps no positions). */
function eventLines(text: string): number[] {
  const out: number[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (/^BEGIN:VEVENT\s*$/i.test(l)) out.push(i + 1);
  });
  return out;
}
