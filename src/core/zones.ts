/**
 * Time zones through Node's built-in `Intl` (full ICU): wall clocks, offsets and the instant of a
 * local time. Pure. Used by service-case SLAs (core/sla.ts), calendar import (interop/ics-import.ts)
 * and mail import's local dates.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `Intl` knows the IANA zone name (`Europe/Berlin`, `UTC` …). */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || !name) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock as `Intl` reads it: exact, but slow (tens of µs a call). */
function intlWallClock(ms: number, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year, month: out.month, day: out.day, hour: out.hour, minute: out.minute, second: out.second };
}

const QUARTER_MS = 15 * MINUTE_MS;
/** Offsets per zone and quarter hour: zones change offset only on quarter hours. */
const offsets = new Map<string, number>();

/** The zone's offset from UTC at an instant, in minutes (Berlin in summer: 120). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const quarter = Math.floor(ms / QUARTER_MS) * QUARTER_MS;
  const key = `${timeZone}|${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const w = intlWallClock(quarter, timeZone);
    offset = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - quarter) / MINUTE_MS);
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The wall clock of an instant in a zone. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const local = new Date(ms + offsetMinutes(ms, timeZone) * MINUTE_MS);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/**
 * The instant of a local wall-clock time. A time inside a DST gap lands after the gap; a time
 * that occurs twice (the autumn hour) is read as the first one.
 */
export function zonedInstant(date: string, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d) + minuteOfDay * MINUTE_MS;
  // The offsets half a day either side cover every real transition; keep the readings that
  // show the asked wall clock and take the earlier.
  const before = guess - offsetMinutes(guess - 12 * HOUR_MS, timeZone) * MINUTE_MS;
  const after = guess - offsetMinutes(guess + 12 * HOUR_MS, timeZone) * MINUTE_MS;
  const fits = [before, after].filter((t) => t + offsetMinutes(t, timeZone) * MINUTE_MS === guess);
  return fits.length ? Math.min(...fits) : before;
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in a zone. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DDTHH:MM` of an instant in a zone (no offset written). */
export function wallClockText(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${localDate(ms, timeZone)}T${pad(w.hour)}:${pad(w.minute)}`;
}
