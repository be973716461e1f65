/**
 * One event's occurrences (docs/mail.md, "Calendars"). ical.js iterates RRULE and RDATE, inside
 * the budget of ics-budget.ts; EXDATEs and moved occurrences (RECURRENCE-ID) are matched here on
 * the event's own timeline whatever their value type: a floating EXDATE on a zoned series is a
 * wall-clock time in the series' zone (Thunderbird), a DATE-TIME EXDATE on an all-day series
 * removes that day (Exchange 2010), a DATE EXDATE on a timed series removes that day's
 * occurrence. The most recent occurrences are kept when a series has more than the cap.
 */
import ICAL from 'ical.js';
import { impossibleRule, isSubDaily, withBudget } from './ics-budget.js';
import type { ExpansionBudget } from './ics-budget.js';
import { dayText, wallText } from './ics-zones.js';
import type { IcsStart, ZoneBook } from './ics-zones.js';
import type { IcsIssue, IcsOccurrence, IcsPerson } from './ics-import.js';

export interface EventEntry {
  uid: string;
  line: number;
  master?: ICAL.Component;
  exceptions: Array<{ comp: ICAL.Component; line: number }>;
}

export interface ExpandContext {
  until: string;
  dayOf: (instant: number) => string;
  zones: ZoneBook;
  budget: ExpansionBudget;
  /** The calendar's METHOD: CANCEL withdraws every event in it. */
  method?: string;
  /** Occurrences each recurring event may keep: the file's cap shared among its series. */
  share?: number;
}

export interface Expanded {
  occurrences: IcsOccurrence[];
  cancelled: IcsOccurrence[];
  issues: IcsIssue[];
  notes: IcsIssue[];
  /** Whether the event has occurrences after `until` (a calendar folder reads it again later). */
  later: boolean;
  /** The event, or a moved occurrence, when it starts after `until` (not a rule's later occurrences). */
  future: IcsOccurrence[];
}

/** Seconds per step of the frequencies whose grid can be shifted. */
const GRID_SECONDS: Partial<Record<string, number>> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600, DAILY: 86400, WEEKLY: 7 * 86400 };

export const MIN_YEAR = 1000;
export const MAX_YEAR = 9999;

export function expandEvent(entry: EventEntry, ctx: ExpandContext): Expanded {
  const out: Expanded = { occurrences: [], cancelled: [], issues: [], notes: [], later: false, future: [] };
  const series = new Series(entry, ctx, out);
  if (!entry.master) {
    // Moved occurrences exported without their series: each stands alone.
    for (const ex of entry.exceptions) series.addStandalone(ex.comp);
    return out;
  }
  ctx.budget.forEvent();
  withBudget(ctx.budget, () => series.expand(entry.master as ICAL.Component));
  return out;
}

class Series {
  private readonly line: number;
  private readonly uid: string;
  /** TZID of DTSTART: the timeline floating EXDATEs, RDATEs and RECURRENCE-IDs are read on. */
  private tzid?: string;
  private allDay = false;
  private floating = false;

  constructor(private readonly entry: EventEntry, private readonly ctx: ExpandContext, private readonly out: Expanded) {
    this.line = entry.line;
    this.uid = entry.uid;
  }

  expand(master: ICAL.Component): void {
    const dtstart = master.getFirstProperty('dtstart');
    const first = dtstart?.getFirstValue();
    if (!dtstart || !(first instanceof ICAL.Time)) return this.issue('event has no DTSTART; skipped');
    if (!this.yearOk(first, 'DTSTART')) return;
    this.tzid = tzidOf(dtstart);
    this.allDay = first.isDate;
    this.floating = !first.isDate && first.zone !== ICAL.Timezone.utcTimezone && !this.tzid;
    const rules = master.getAllProperties('rrule').map((p) => p.getFirstValue() as ICAL.Recur);
    if (rules.length === 0 && !master.hasProperty('rdate')) return this.emit(master, first, undefined);
    // A deep copy: toJSON shares its arrays, and the copy loses its EXDATEs (matched here instead).
    const clone = new ICAL.Component(JSON.parse(JSON.stringify(master.toJSON())) as unknown[]);
    clone.removeAllProperties('exdate');
    for (const p of clone.getAllProperties('rrule')) {
      const why = impossibleRule(p.getFirstValue() as ICAL.Recur);
      if (!why) continue;
      this.note(`RRULE can never repeat (${why}); only its first occurrence is imported`);
      clone.removeProperty(p);
    }
    const live = clone.getAllProperties('rrule').map((p) => p.getFirstValue() as ICAL.Recur);
    const subDaily = live.some(isSubDaily);
    const cap = Math.min(subDaily ? this.ctx.budget.limits.subDaily : this.ctx.budget.limits.perEvent, this.ctx.share ?? Infinity);
    const shifted = this.shiftGrid(clone, live, cap);
    this.iterate(clone, cap, subDaily ? live.find(isSubDaily)?.freq : undefined, shifted);
  }

  /**
   * A plain grid (one rule up to WEEKLY without COUNT, BY parts or RDATE) starts `cap` steps
   * before the end of `until`, so a FREQ=SECONDLY or DAILY rule from 1970 costs what its last
   * occurrences cost (ical.js takes tens of µs per occurrence). Steps are wall-clock steps.
   */
  private shiftGrid(clone: ICAL.Component, rules: ICAL.Recur[], cap: number): boolean {
    if (rules.length !== 1 || clone.hasProperty('rdate')) return false;
    const rule = rules[0];
    const unit = GRID_SECONDS[rule.freq];
    if (!unit || rule.count || Object.keys(rule.parts).length > 0) return false;
    const prop = clone.getFirstProperty('dtstart') as ICAL.Property;
    const start = prop.getFirstValue() as ICAL.Time;
    if (start.isDate && unit < 86400) return false;
    const step = unit * (rule.interval || 1);
    const [y, m, d] = this.ctx.until.split('-').map(Number);
    const end = start.clone();
    end.year = y;
    end.month = m;
    end.day = d + 1;
    end.hour = 0;
    end.minute = 0;
    end.second = 0;
    const skip = Math.floor(end.subtractDate(start).toSeconds() / step) - cap;
    if (skip <= 0) return false;
    const shifted = start.clone();
    shifted.addDuration(ICAL.Duration.fromSeconds(skip * step));
    prop.setValue(shifted);
    return true;
  }

  private iterate(clone: ICAL.Component, cap: number, subDailyFreq: string | undefined, shifted: boolean): void {
    const exdates = this.exdateKeys();
    const moved = this.exceptionsByKey();
    const iterator = new ICAL.Event(clone).iterator();
    // The last `cap` originals, in a ring (slot total % cap).
    const slots: ICAL.Time[] = [];
    let total = 0;
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (!this.yearOk(next, 'an occurrence')) break;
      const keys = this.keysOf(next);
      if (this.dayOf(this.startOf(next)) > this.ctx.until) {
        this.out.later = true;
        break;
      }
      if (exdates.size && keys.some((k) => exdates.has(k))) continue;
      slots[total % cap] = next.clone();
      total++;
    }
    const ring = total <= cap ? slots : [...slots.slice(total % cap), ...slots.slice(0, total % cap)];
    if (total > cap || (shifted && total === cap)) {
      const what = subDailyFreq
        ? `repeats ${subDailyFreq} (more often than daily)`
        : `has ${shifted ? 'more than ' : ''}${(shifted ? cap : total).toLocaleString('en-US')} occurrences up to ${this.ctx.until}`;
      this.note(`recurring event ${this.uid} ${what}; the most recent ${cap.toLocaleString('en-US')} are imported, the older ones are not`);
    }
    const used = new Set<ICAL.Component>();
    const oldest = ring.length ? this.ms(this.startOf(ring[0])) : Infinity;
    for (const original of ring) {
      const ex = this.keysOf(original).map((k) => moved.get(k)).find(Boolean);
      if (ex) used.add(ex);
      const comp = ex ?? (this.entry.master as ICAL.Component);
      this.emit(comp, ex ? undefined : original, original);
    }
    // A moved occurrence whose original start no rule produces still happened.
    for (const ex of new Set(moved.values())) {
      if (used.has(ex)) continue;
      const prop = ex.getFirstProperty('recurrence-id');
      const rid = prop?.getFirstValue();
      if (rid instanceof ICAL.Time && this.ms(this.startOf(rid, tzidOf(prop))) >= oldest) this.addStandalone(ex);
    }
  }

  addStandalone(comp: ICAL.Component): void {
    const rid = comp.getFirstProperty('recurrence-id');
    const value = rid?.getFirstValue();
    if (!(value instanceof ICAL.Time) || !this.yearOk(value, 'RECURRENCE-ID')) return;
    this.tzid ??= tzidOf(comp.getFirstProperty('dtstart'));
    this.floating = !value.isDate && value.zone !== ICAL.Timezone.utcTimezone && !tzidOf(rid);
    this.emit(comp, undefined, value, tzidOf(rid));
  }

  /** One occurrence of `comp`; `start` when it is the rule's (else the component's DTSTART). */
  private emit(comp: ICAL.Component, start: ICAL.Time | undefined, original: ICAL.Time | undefined, originalTzid?: string): void {
    const dtstart = comp.getFirstProperty('dtstart');
    const value = start ?? dtstart?.getFirstValue();
    if (!(value instanceof ICAL.Time)) return this.issue('event has no DTSTART; skipped');
    if (!this.yearOk(value, 'DTSTART')) return;
    const begin = start ? this.startOf(start) : this.ctx.zones.startOf(value, tzidOf(dtstart), this.line, this.tzid);
    const occ: IcsOccurrence = { line: this.line, uid: this.uid, start: begin, ...this.detailsOf(comp) };
    if (original) Object.assign(occ, this.identity(original, originalTzid));
    const cancelled = this.ctx.method === 'CANCEL' || String(comp.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
    if (this.dayOf(begin) > this.ctx.until) {
      this.out.later = true;
      // Moved to a later day: what was logged under its key has not happened (yet); cancelled
      // there, it is withdrawn like any cancelled one.
      (cancelled ? this.out.cancelled : this.out.future).push(occ);
      return;
    }
    (cancelled ? this.out.cancelled : this.out.occurrences).push(occ);
  }

  private readonly details = new Map<ICAL.Component, ReturnType<typeof people> & ReturnType<typeof texts>>();

  /** People and texts of a component, read once for all its occurrences. */
  private detailsOf(comp: ICAL.Component): ReturnType<typeof people> & ReturnType<typeof texts> {
    let d = this.details.get(comp);
    if (!d) this.details.set(comp, (d = { ...people(comp), ...texts(comp) }));
    return d;
  }

  /** recurrenceId (the original start), its stored key, and the key an earlier tb wrote. */
  private identity(original: ICAL.Time, tzid?: string): Partial<IcsOccurrence> {
    const start = this.startOf(original, tzid);
    if ('day' in start) return { recurrenceId: start, recurrenceKey: start.day };
    const utc = new Date(start.instant).toISOString();
    const seconds = utc.slice(17, 19) !== '00' ? utc.slice(16, 19) : '';
    if (this.floating && original.zone !== ICAL.Timezone.utcTimezone && !tzid) {
      return { recurrenceId: start, recurrenceKey: wallText(original), legacyRecurrenceKey: `${utc.slice(0, 16)}Z` };
    }
    return { recurrenceId: start, recurrenceKey: `${utc.slice(0, 16)}${seconds}Z` };
  }

  /** A time on the event's timeline: in its own TZID, else (floating) in the series' zone. */
  private startOf(t: ICAL.Time, tzid?: string): IcsStart {
    return this.ctx.zones.startOf(t, tzid, this.line, this.tzid);
  }

  /** Where an occurrence or EXDATE sits on the event's timeline: its instant and/or its day. */
  private keysOf(t: ICAL.Time, tzid?: string): string[] {
    if (t.isDate) return [`d:${dayText(t)}`];
    const start = this.startOf(t, tzid);
    const instant = 'instant' in start ? start.instant : 0;
    const day = t.zone === ICAL.Timezone.utcTimezone && this.allDay ? this.dayOf(start) : dayText(t);
    return [`i:${instant}`, `d:${day}`];
  }

  /** EXDATE keys: a DATE-TIME removes its instant, or its day on an all-day series; a DATE removes its day. */
  private exdateKeys(): Set<string> {
    const keys = new Set<string>();
    for (const p of (this.entry.master as ICAL.Component).getAllProperties('exdate')) {
      for (const v of p.getValues()) {
        if (!(v instanceof ICAL.Time)) continue;
        const k = this.keysOf(v, tzidOf(p));
        if (v.isDate) keys.add(k[0]);
        else keys.add(this.allDay ? k[1] : k[0]);
      }
    }
    return keys;
  }

  private exceptionsByKey(): Map<string, ICAL.Component> {
    const map = new Map<string, ICAL.Component>();
    for (const { comp } of this.entry.exceptions) {
      const prop = comp.getFirstProperty('recurrence-id');
      const rid = prop?.getFirstValue();
      if (!(rid instanceof ICAL.Time)) continue;
      const k = this.keysOf(rid, tzidOf(prop));
      map.set(rid.isDate || this.allDay ? k[k.length - 1] : k[0], comp);
    }
    return map;
  }

  private yearOk(t: ICAL.Time, what: string): boolean {
    if (t.year >= MIN_YEAR && t.year <= MAX_YEAR) return true;
    this.issue(`${what} in the year ${t.year} (only years 1000–9999 are read); skipped`);
    return false;
  }

  private dayOf(s: IcsStart): string {
    return 'day' in s ? s.day : this.ctx.dayOf(s.instant);
  }

  private ms(s: IcsStart): number {
    return 'instant' in s ? s.instant : Date.parse(`${s.day}T00:00:00Z`);
  }

  private issue(message: string): void {
    this.out.issues.push({ line: this.line, message: `event ${this.uid}: ${message}` });
  }

  private note(message: string): void {
    this.out.notes.push({ line: this.line, message });
  }
}

function tzidOf(prop: ICAL.Property | null | undefined): string | undefined {
  const tzid = prop?.getParameter('tzid');
  return typeof tzid === 'string' && tzid.trim() ? tzid.trim().replace(/^"|"$/g, '') : undefined;
}

/** Organizer and attendees who are people: not rooms, resources or groups, not declined, not non-participants. */
function people(comp: ICAL.Component): { organizer?: IcsPerson; attendees: IcsPerson[] } {
  const organizerProp = comp.getFirstProperty('organizer');
  const attendees = comp
    .getAllProperties('attendee')
    .filter((p) => param(p, 'partstat') !== 'DECLINED' && param(p, 'role') !== 'NON-PARTICIPANT' && !['RESOURCE', 'ROOM', 'GROUP'].includes(param(p, 'cutype')))
    .map(person)
    .filter((p): p is IcsPerson => p !== undefined);
  const organizer = organizerProp ? person(organizerProp) : undefined;
  return { ...(organizer ? { organizer } : {}), attendees };
}

function param(p: ICAL.Property, name: string): string {
  return String(p.getParameter(name) ?? '').toUpperCase();
}

function texts(comp: ICAL.Component): { summary: string; description?: string; location?: string } {
  const text = (name: string) => {
    const v = comp.getFirstPropertyValue(name);
    return v === null || v === undefined ? undefined : String(v).trim() || undefined;
  };
  return {
    summary: (text('summary') ?? '').replace(/\s+/g, ' ').trim(),
    ...(text('description') ? { description: text('description') } : {}),
    ...(text('location') ? { location: text('location') } : {}),
  };
}

function person(prop: ICAL.Property): IcsPerson | undefined {
  const value = String(prop.getFirstValue() ?? '').trim();
  const address = value.replace(/^mailto:/i, '').trim().toLowerCase();
  if (!address.includes('@')) return undefined;
  const cn = prop.getParameter('cn');
  const name = typeof cn === 'string' ? cn.trim().replace(/^"|"$/g, '') : undefined;
  return { address, ...(name && name.toLowerCase() !== address ? { name } : {}) };
}
