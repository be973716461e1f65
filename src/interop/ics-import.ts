/**
 * Meetings from an iCalendar file (RFC 5545), as Google Calendar, Outlook, Exchange, Apple
 * Calendar, Evolution and Thunderbird export them: every VEVENT occurrence up to a day, recurring
 * events expanded (RRULE, RDATE, EXDATE and moved occurrences) within a budget, times in their
 * zone converted to instants, all-day events kept as days. ical.js parses and iterates rules;
 * ics-expand.ts bounds and filters the expansion, ics-zones.ts reads the zones. Cancelled events
 * and occurrences are returned apart; attendees who declined and non-persons (rooms, resources)
 * are left out (docs/mail.md).
 */
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { parseBlock, readableParseError, splitCalendar } from './ics-blocks.js';
import type { IcsBlock } from './ics-blocks.js';
import { BudgetSpent, DEFAULT_EXPANSION_LIMITS, ExpansionBudget } from './ics-budget.js';
import type { ExpansionLimits } from './ics-budget.js';
import { expandEvent } from './ics-expand.js';
import type { EventEntry, Expanded } from './ics-expand.js';
import { ZoneBook } from './ics-zones.js';
import type { IcsStart } from './ics-zones.js';

export type { IcsStart } from './ics-zones.js';

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
  /**
   * The stored identity of that occurrence: a day, `YYYY-MM-DDTHH:MM[:SS]Z` (UTC) or, for a
   * floating series, the wall-clock time as written (`YYYY-MM-DDTHH:MM[:SS]`, no zone).
   */
  recurrenceKey?: string;
  /** The key an earlier tb wrote for a floating occurrence (UTC minutes of the local reading). */
  legacyRecurrenceKey?: string;
  start: IcsStart;
  organizer?: IcsPerson;
  attendees: IcsPerson[];
  summary: string;
  description?: string;
  location?: string;
}

export interface IcsIssue {
  line: number;
  message: string;
}

export interface IcsParse {
  occurrences: IcsOccurrence[];
  /** Cancelled events and occurrences (STATUS:CANCELLED, METHOD:CANCEL), to withdraw what was logged. */
  cancelled: IcsOccurrence[];
  /** Events or occurrences not imported. */
  issues: IcsIssue[];
  /** Worth knowing about what was imported (a zone guessed, a cap applied, text ignored). */
  notes: IcsIssue[];
  /** Whether some event has occurrences after `until`, or could not be expanded within the budget. */
  later: boolean;
  /**
   * Events and moved occurrences (RECURRENCE-ID) that start after `until`: one logged before under
   * the same key was moved to a later day and has not happened (yet).
   */
  future: IcsOccurrence[];
}

export interface IcsParseOptions {
  /** Monotonic milliseconds for the time budget (default: performance.now). */
  clock?: () => number;
  limits?: Partial<ExpansionLimits>;
}

/** The fewest occurrences a series keeps however many series share the file's cap. */
const MIN_SHARE = 10;

/** Occurrences one recurring event keeps (the most recent). */
export const MAX_OCCURRENCES = DEFAULT_EXPANSION_LIMITS.perEvent;

/** Thrown for a text that does not start with BEGIN:VCALENDAR (an e-mail, a CSV, …). */
export class NotICalendarError extends Error {
  constructor() {
    super('it does not start with a BEGIN:VCALENDAR line');
  }
}

/** Whether a text starts (after a byte order mark and blank lines) with BEGIN:VCALENDAR. */
export function isICalendar(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').slice(0, 4096).split(/\r\n|\n|\r/).find((l) => l.trim() !== '');
  return first !== undefined && /^BEGIN:VCALENDAR$/i.test(first.trim());
}

/**
 * The occurrences starting on or before `until` (YYYY-MM-DD), as `dayOf` sees an instant (the
 * caller's local day). A floating time is read in `floatingZone` (an IANA name; else the
 * process's zone). Throws NotICalendarError for a text that is not iCalendar; anything wrong
 * inside is an issue of the event it is in.
 */
export function parseIcsMeetings(text: string, until: string, dayOf: (instant: number) => string, floatingZone?: string, opts: IcsParseOptions = {}): IcsParse {
  if (!isICalendar(text)) throw new NotICalendarError();
  const split = splitCalendar(text);
  const out: IcsParse = { occurrences: [], cancelled: [], issues: [...split.issues], notes: [...split.notes], later: false, future: [] };
  const zones = new ZoneBook(floatingZone?.replace(/^:/, '') || undefined);
  const events = new Map<string, EventEntry>();
  for (const block of split.blocks) readBlock(block, zones, events, out);
  const limits = { ...DEFAULT_EXPANSION_LIMITS, ...opts.limits };
  const budget = new ExpansionBudget(limits, opts.clock ?? (() => performance.now()));
  const expanded: Array<{ entry: EventEntry; result: Expanded }> = [];
  // The file's cap is shared among its series (at least MIN_SHARE each), so a file of 1,200
  // minutely series expands a few occurrences of each, not 100.
  const series = [...events.values()].filter((e) => e.master?.hasProperty('rrule') || e.master?.hasProperty('rdate')).length;
  const share = series ? Math.max(MIN_SHARE, Math.floor(limits.perFile / series)) : undefined;
  for (const entry of events.values()) {
    const spent = budget.spent;
    if (spent) {
      out.issues.push({ line: entry.line, message: `event ${entry.uid} not expanded: ${spentText(spent, limits)}; skipped` });
      continue;
    }
    try {
      expanded.push({ entry, result: expandEvent(entry, { until, dayOf, zones, budget, method: split.method, share }) });
    } catch (err) {
      // ical.js's own errors say what is wrong; a JavaScript TypeError would say nothing useful.
      const why = err instanceof BudgetSpent ? spentText(err.what, limits) : readableParseError(err);
      out.issues.push({ line: entry.line, message: `event ${entry.uid} cannot be read: ${why}; skipped` });
    }
  }
  for (const { result } of expanded) {
    out.issues.push(...result.issues);
    out.notes.push(...result.notes);
    out.cancelled.push(...result.cancelled);
    out.future.push(...result.future);
    out.later ||= result.later;
  }
  out.occurrences = capPerFile(expanded, limits.perFile, until, out.notes);
  out.notes.push(...zones.notes);
  return out;
}

function spentText(what: 'event' | 'file' | 'time', limits: ExpansionLimits): string {
  if (what === 'event') return `its rule tried over ${limits.stepsPerEvent.toLocaleString('en-US')} candidate times without finishing (limit per event)`;
  if (what === 'file') return `the file's recurrence rules tried over ${limits.stepsPerFile.toLocaleString('en-US')} candidate times (limit per file)`;
  return `expanding the file's recurring events took over ${limits.millisPerFile / 1000} s (limit per file)`;
}

/** Parses one top-level component into `zones` or `events`; a broken one is one issue. */
function readBlock(block: IcsBlock, zones: ZoneBook, events: Map<string, EventEntry>, out: IcsParse): void {
  if (block.name !== 'vevent' && block.name !== 'vtimezone') return;
  let comp: ICAL.Component;
  try {
    comp = parseBlock(block);
  } catch (err) {
    out.issues.push({ line: block.line, message: `${block.name === 'vevent' ? 'event' : 'VTIMEZONE'} cannot be read: ${(err as Error).message}; skipped` });
    return;
  }
  if (block.name === 'vtimezone') return readVtimezone(comp, block.line, zones, out);
  let uid = String(comp.getFirstPropertyValue('uid') ?? '').trim();
  if (!uid) {
    uid = contentUid(comp);
    out.notes.push({ line: block.line, message: `event without a UID; identified by its content as ${uid}` });
  }
  const entry = events.get(uid) ?? { uid, line: block.line, exceptions: [] };
  if (comp.hasProperty('recurrence-id')) entry.exceptions.push({ comp, line: block.line });
  else if (entry.master) out.issues.push({ line: block.line, message: `a second event with UID ${uid} (without RECURRENCE-ID); skipped` });
  else {
    entry.master = comp;
    entry.line = block.line;
  }
  events.set(uid, entry);
}

/** Real VTIMEZONEs repeat their rules yearly; any other frequency is refused (it could not end). */
function readVtimezone(comp: ICAL.Component, line: number, zones: ZoneBook, out: IcsParse): void {
  const tzid = String(comp.getFirstPropertyValue('tzid') ?? '');
  for (const obs of comp.getAllSubcomponents()) {
    for (const p of obs.getAllProperties('rrule')) {
      const freq = (p.getFirstValue() as ICAL.Recur).freq;
      if (freq !== 'YEARLY') {
        out.notes.push({ line, message: `VTIMEZONE ${tzid} repeats FREQ=${freq} (time zone rules are yearly); not used` });
        return;
      }
    }
  }
  zones.addVtimezone(new ICAL.Timezone(comp));
}

/** A stable id for an event without UID: a hash of what identifies it as written. */
function contentUid(comp: ICAL.Component): string {
  const parts = ['dtstart', 'dtend', 'duration', 'rrule', 'rdate', 'summary', 'location', 'organizer', 'recurrence-id'].flatMap((name) =>
    comp.getAllProperties(name).map((p) => p.toICALString()),
  );
  return `hash:${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16)}`;
}

/** Keeps the most recent `max` occurrences of the file, with a note per event that lost some. */
function capPerFile(expanded: Array<{ entry: EventEntry; result: Expanded }>, max: number, until: string, notes: IcsIssue[]): IcsOccurrence[] {
  const all = expanded.flatMap((e) => e.result.occurrences);
  if (all.length <= max) return all;
  const ms = (o: IcsOccurrence) => ('instant' in o.start ? o.start.instant : Date.parse(`${o.start.day}T00:00:00Z`));
  const kept = new Set([...all].sort((a, b) => ms(b) - ms(a)).slice(0, max));
  for (const { entry, result } of expanded) {
    const lost = result.occurrences.filter((o) => !kept.has(o)).length;
    if (lost) notes.push({ line: entry.line, message: `event ${entry.uid}: ${lost} older occurrence${lost === 1 ? '' : 's'} left out: the file has more than ${max.toLocaleString('en-US')} meetings up to ${until} (the most recent are imported)` });
  }
  return all.filter((o) => kept.has(o));
}
