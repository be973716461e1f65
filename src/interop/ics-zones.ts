/**
 * Which time zone a calendar time is read in (docs/mail.md, "Calendars"): a TZID that names an
 * IANA zone is read by the runtime's zone data even when the file carries a VTIMEZONE of that
 * name (Apple writes bogus offsets such as `+023017`); a VTIMEZONE otherwise (Outlook's Windows
 * names); a globally unique TZID (`/freeassociation.sourceforge.net/Europe/Berlin`,
 * `/mozilla.org/20070129_1/America/New_York`) as the IANA zone it ends with; a floating time in
 * the CRM's zone. Pure: no clock, no environment.
 */
import ICAL from 'ical.js';
import { isTimeZone, offsetMinutes } from '../core/zones.js';

export type IcsStart = { instant: number } | { day: string };

/** How one TZID is read. */
type Resolved = { iana: string } | { vtimezone: ICAL.Timezone } | { floating: true };

export class ZoneBook {
  private readonly vtimezones = new Map<string, ICAL.Timezone>();
  private readonly resolved = new Map<string, Resolved>();
  private readonly noted = new Set<string>();
  private readonly checked = new Set<string>();
  /** Notes about zones, each once per file (`line` of the first event that used the zone). */
  readonly notes: Array<{ line: number; message: string }> = [];

  /** `floatingZone`: the IANA zone a time without zone is read in (undefined: the process's zone). */
  constructor(readonly floatingZone: string | undefined) {}

  addVtimezone(tz: ICAL.Timezone): void {
    if (tz.tzid) this.vtimezones.set(tz.tzid, tz);
  }

  /** The zone a TZID is read in; `line` says where a note about it points. */
  resolve(tzid: string | undefined, line: number): Resolved {
    if (!tzid) return { floating: true };
    let r = this.resolved.get(tzid);
    if (!r) {
      r = this.decide(tzid, line);
      this.resolved.set(tzid, r);
    }
    return r;
  }

  private decide(tzid: string, line: number): Resolved {
    if (isTimeZone(tzid)) return { iana: tzid };
    const vtz = this.vtimezones.get(tzid);
    if (vtz) return { vtimezone: vtz };
    const iana = globalTzidZone(tzid);
    if (iana) {
      this.note(line, `TZID ${tzid} read as the time zone ${iana}`);
      return { iana };
    }
    this.note(line, `unknown time zone '${tzid}' (no VTIMEZONE for it); its times are read as ${this.floatingZone ?? 'local'} time`);
    return { floating: true };
  }

  /** Warns once when a file's VTIMEZONE of an IANA name disagrees with the zone data at `instant`. */
  checkAgainstVtimezone(tzid: string, instant: number, line: number): void {
    const vtz = this.vtimezones.get(tzid);
    if (!vtz || this.noted.has(`vtz:${tzid}`) || !isTimeZone(tzid)) return;
    // Once per zone and month is enough to catch a wrong offset, and keeps long series cheap.
    const month = `${tzid}|${new Date(instant).toISOString().slice(0, 7)}`;
    if (this.checked.has(month)) return;
    this.checked.add(month);
    const t = ICAL.Time.fromData({ year: 2000, month: 1, day: 1 });
    t.fromUnixTime(instant / 1000);
    t.zone = ICAL.Timezone.utcTimezone;
    let fileOffset: number;
    try {
      fileOffset = vtz.utcOffset(t) / 60;
    } catch {
      return;
    }
    const real = offsetMinutes(instant, tzid);
    if (Math.round(fileOffset) === real) return;
    this.noted.add(`vtz:${tzid}`);
    this.notes.push({ line, message: `the file's VTIMEZONE ${tzid} gives UTC${formatOffset(fileOffset)}, the time zone database UTC${formatOffset(real)}; the time zone database is used` });
  }

  note(line: number, message: string): void {
    if (this.noted.has(message)) return;
    this.noted.add(message);
    this.notes.push({ line, message });
  }

  /** A wall-clock time with its TZID (or none: floating) as an instant or, for a date, a day. */
  startOf(t: ICAL.Time, tzid: string | undefined, line: number, fallbackTzid?: string): IcsStart {
    if (t.isDate) return { day: dayText(t) };
    if (t.zone === ICAL.Timezone.utcTimezone) return { instant: Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) };
    const name = tzid ?? fallbackTzid;
    const r = this.resolve(name, line);
    if ('iana' in r) {
      const instant = wallTimeIn(r.iana, t);
      if (name) this.checkAgainstVtimezone(name, instant, line);
      return { instant };
    }
    if ('vtimezone' in r) {
      const copy = t.clone();
      copy.zone = r.vtimezone;
      return { instant: copy.toUnixTime() * 1000 };
    }
    return { instant: this.floatingInstant(t) };
  }

  /** A floating wall-clock time in the CRM's zone (else the process's). */
  floatingInstant(t: ICAL.Time): number {
    if (this.floatingZone && isTimeZone(this.floatingZone)) return wallTimeIn(this.floatingZone, t);
    const d = new Date(2000, 0, 1);
    d.setFullYear(t.year, t.month - 1, t.day);
    d.setHours(t.hour, t.minute, t.second, 0);
    return d.getTime();
  }
}

/** The IANA zone a `/vendor/…/Area/City` TZID ends with (the longest such tail), if any. */
export function globalTzidZone(tzid: string): string | undefined {
  if (!tzid.startsWith('/')) return undefined;
  const parts = tzid.split('/').filter(Boolean);
  // Area/City (or Area/Region/City) tails only: a bare last word (`Berlin`, `EST`) is no zone name.
  for (let n = Math.min(3, parts.length - 1); n >= 2; n--) {
    const tail = parts.slice(-n).join('/');
    if (isTimeZone(tail)) return tail;
  }
  const last = parts[parts.length - 1];
  return last && /^(UTC|GMT)$/i.test(last) ? 'UTC' : undefined;
}

/** The instant whose wall-clock time in the IANA zone `tz` is `t` (years 1000–9999). */
export function wallTimeIn(tz: string, t: ICAL.Time): number {
  const wall = utcOfWall(t);
  let guess = wall - offsetMinutes(wall, tz) * 60_000;
  guess = wall - offsetMinutes(guess, tz) * 60_000;
  return guess;
}

function utcOfWall(t: ICAL.Time): number {
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const d = new Date(0);
  d.setUTCFullYear(t.year, t.month - 1, t.day);
  d.setUTCHours(t.hour, t.minute, t.second, 0);
  return d.getTime();
}

export function dayText(t: { year: number; month: number; day: number }): string {
  return `${String(t.year).padStart(4, '0')}-${pad(t.month)}-${pad(t.day)}`;
}

/** `YYYY-MM-DDTHH:MM`, with `:SS` only when the seconds are not zero (ids stay as before otherwise). */
export function wallText(t: { year: number; month: number; day: number; hour: number; minute: number; second: number }): string {
  return `${dayText(t)}T${pad(t.hour)}:${pad(t.minute)}${t.second ? `:${pad(t.second)}` : ''}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = Math.floor(abs % 60);
  const s = Math.round((abs * 60) % 60);
  return `${sign}${pad(h)}:${pad(m)}${s ? `:${pad(s)}` : ''}`;
}
