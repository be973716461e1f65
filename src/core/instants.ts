/**
 * Instants: date-times that name one moment, as case files and options write them (docs/cases.md).
 * `tb` writes them with an explicit offset (`2026-03-30T09:15+02:00`, or `Z`) so a clone in another
 * time zone reads the same instant; a value without an offset is read as wall-clock time in a given
 * zone, and a bare date as midnight there. The one parser of such values, shared by validate, sla,
 * cases, due and queries. Pure; time zones come from Node's built-in `Intl` (core/zones.ts).
 */
import { isIsoDate } from './dates.js';
import { offsetMinutes, wallClock, zonedInstant } from './zones.js';

const MINUTE_MS = 60_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Reads a date or date-time from a file or an option: `2026-03-30`, `2026-03-30T09:15`,
 * `2026-03-30T09:15:00Z`, `2026-03-30T09:15+02:00`. Without an offset the wall clock of
 * `timeZone` is meant. Undefined when it is not such a value or names no real day or time.
 */
export function parseInstant(value: unknown, timeZone = 'UTC'): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = INSTANT.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(naive).getUTCDate() !== d) return undefined;
  const zone = m[7];
  if (zone === undefined) return zonedInstant(`${m[1]}-${m[2]}-${m[3]}`, h * 60 + mi, timeZone) + s * 1000;
  if (zone.toUpperCase() === 'Z') return naive;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  return naive - offset * MINUTE_MS;
}

/** `2026-03-30T09:15+02:00` in the zone (`Z` for UTC): minutes precision, the offset always written. */
export function formatInstant(ms: number, timeZone = 'UTC'): string {
  const w = wallClock(ms, timeZone);
  const base = `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
  const off = offsetMinutes(ms, timeZone);
  if (off === 0 && timeZone.toUpperCase() === 'UTC') return `${base}Z`;
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${base}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The written form of an instant with its offset: `2026-11-20T09:15+01:00`, `…T09:15:00.5Z` (a `T`, an offset). */
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * True for a date-time written with a `T` and an offset whose date and minute are real
 * (`2026-11-20T16:30+01:00`): the shape tb writes a case's `opened` and deadlines in. Only the
 * written date and time are checked, not the moment (queries compare such values by their text).
 */
export function isOffsetDateTime(value: string): boolean {
  return WITH_OFFSET.test(value) && isIsoDate(value.slice(0, 16));
}
