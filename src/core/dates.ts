/**
 * Calendar-date arithmetic on `YYYY-MM-DD` strings. Dates are civil dates with no time zone:
 * everything is done on UTC day numbers so a date never shifts by a day.
 */
import { UsageError } from '../errors.js';
import { suggest } from './suggest.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Dates are limited to the years 1000–9999: four digits, and no two-digit year that JavaScript's
 * Date would read as 19xx (docs/reliability.md).
 */
export const YEAR_MIN = 1000;
export const YEAR_MAX = 9999;
const DAY_MIN = -354_285; // 1000-01-01
const DAY_MAX = 2_932_896; // 9999-12-31

/** Arithmetic that leaves the years 1000–9999: a usage error with the reason, never a wrong year. */
export class DateRangeError extends UsageError {
  constructor(what: string) {
    super(`${what} is outside the years ${YEAR_MIN}–${YEAR_MAX}`, 'tb handles dates from 1000-01-01 to 9999-12-31');
  }
}

export type DurationUnit = 'd' | 'w' | 'm' | 'y';
export interface Duration {
  n: number;
  unit: DurationUnit;
}

/** True for `2026-11-20` and `2026-11-20T14:30` that name a real calendar day. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  // Fast path for the common `YYYY-MM-DD`: called for every interaction on every read.
  if (value.length === 10) return isPlainIsoDate(value);
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < YEAR_MIN) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return false;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59)) return false;
  return true;
}

/** True for a `YYYY-MM-DD` without a time that names a real calendar day. */
export function isIsoDay(value: unknown): value is string {
  return typeof value === 'string' && value.length === 10 && isPlainIsoDate(value);
}

const DAY_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether a value is written as `YYYY-MM-DD` (`withTime`: optionally followed by `THH:MM`, `:SS`
 * or a space instead of the `T`), whatever its numbers: tb check tells a wrong shape from a day
 * that does not exist.
 */
export function hasIsoDateShape(value: string, withTime: boolean): boolean {
  return (withTime ? ISO_DATE : DAY_SHAPE).test(value);
}

/** The date part of an ISO date or date-time string. */
export function datePart(value: string): string {
  return value.slice(0, 10);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return MONTH_DAYS[month - 1];
}

function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function isPlainIsoDate(s: string): boolean {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y = digitsAt(s, 0, 4);
  const m = digitsAt(s, 5, 7);
  const d = digitsAt(s, 8, 10);
  return y >= YEAR_MIN && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

export function toDayNumber(date: string): number {
  // The common case without allocating: derived fields call this for every record.
  if (date.length >= 10 && date.charCodeAt(4) === 45 && date.charCodeAt(7) === 45) {
    const y = digitsAt(date, 0, 4);
    const m = digitsAt(date, 5, 7);
    const d = digitsAt(date, 8, 10);
    if (y >= 0 && m >= 0 && d >= 0) return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
  }
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function fromDayNumber(day: number): string {
  if (!(day >= DAY_MIN && day <= DAY_MAX)) throw new DateRangeError(Number.isFinite(day) ? 'the date' : 'a date that is not a number');
  // Civil date from days since 1970 (H. Hinnant's algorithm): no Date object per call.
  if (Number.isInteger(day)) {
    const z = day + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
  }
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  const day = toDayNumber(date) + n;
  if (!(day >= DAY_MIN && day <= DAY_MAX)) throw new DateRangeError(`${date.slice(0, 10)} ${n < 0 ? '-' : '+'} ${Math.abs(n)} days`);
  return fromDayNumber(day);
}

/** Adds months, clamping to the month's last day: 2027-01-31 + 1 month = 2027-02-28. */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  if (!(ny >= YEAR_MIN && ny <= YEAR_MAX)) throw new DateRangeError(`${date.slice(0, 10)} ${n < 0 ? '-' : '+'} ${Math.abs(n)} months`);
  const nm = (total % 12) + 1;
  const nd = Math.min(d, daysInMonth(ny, nm));
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(toDayNumber(date) * DAY_MS).getUTCDay();
}

const UNIT_WORDS: Record<string, DurationUnit> = {
  d: 'd', day: 'd', days: 'd',
  w: 'w', wk: 'w', week: 'w', weeks: 'w',
  m: 'm', mo: 'm', month: 'm', months: 'm',
  y: 'y', yr: 'y', year: 'y', years: 'y',
};

/** Parses `30d`, `2w`, `1m`, `1y` (also `2 weeks`). Returns undefined when it is not a duration. */
const durations = new Map<string, Duration | undefined>();

/** `90d`, `2 weeks`, `1m` … Read once per distinct text (the digest asks for every contact). */
export function parseDuration(text: string): Duration | undefined {
  if (durations.has(text)) {
    const known = durations.get(text);
    return known && { ...known };
  }
  const m = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(text);
  const word = m?.[2].toLowerCase();
  const unit = word !== undefined && Object.hasOwn(UNIT_WORDS, word) ? UNIT_WORDS[word] : undefined;
  const dur = m && unit ? { n: Number(m[1]), unit } : undefined;
  if (durations.size < 1000) durations.set(text, dur);
  return dur && { ...dur };
}

export function addDuration(date: string, dur: Duration, sign = 1): string {
  const n = dur.n * sign;
  switch (dur.unit) {
    case 'd':
      return addDays(date, n);
    case 'w':
      return addDays(date, 7 * n);
    case 'm':
      return addMonths(date, n);
    case 'y':
      return addMonths(date, 12 * n);
  }
}

/** Approximate length in days, for comparing "days since" against a cadence. */
export function durationDays(dur: Duration): number {
  const per = { d: 1, w: 7, m: 30, y: 365 }[dur.unit];
  return dur.n * per;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export const WHEN_EXAMPLES = '2026-12-01, today, tomorrow, +3d, -2w, in 2 weeks, 3 days ago, next friday, end of month';

/**
 * Resolves a human date relative to `today`. Returns undefined when the text is not understood,
 * so callers can choose the error message.
 */
export function tryParseWhen(input: string, today: string): string | undefined {
  try {
    const date = parseWhenUnchecked(input, today);
    // Huge offsets ("-99999999999d") overflow the calendar: treat them as not understood.
    return date !== undefined && isIsoDate(date) ? date : undefined;
  } catch (err) {
    if (err instanceof RangeError || err instanceof DateRangeError) return undefined;
    throw err;
  }
}

function parseWhenUnchecked(input: string, today: string): string | undefined {
  const text = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '') return undefined;
  if (isIsoDate(text.toUpperCase())) return datePart(text);
  switch (text) {
    case 'today':
    case 'now':
      return today;
    case 'tomorrow':
      return addDays(today, 1);
    case 'yesterday':
      return addDays(today, -1);
    case 'end of month':
    case 'eom': {
      const [y, m] = today.split('-').map(Number);
      return `${today.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
    }
    case 'end of week':
    case 'eow':
      // The week ends on Sunday.
      return addDays(today, (7 - weekday(today)) % 7);
    case 'next week':
      return addDays(today, 7);
    case 'next month':
      return addMonths(today, 1);
    case 'next year':
      return addMonths(today, 12);
  }
  let m = /^([+-])\s*(\d+\s*[a-z]+)$/.exec(text);
  if (m) {
    const dur = parseDuration(m[2]);
    if (dur) return addDuration(today, dur, m[1] === '-' ? -1 : 1);
  }
  m = /^in (\d+\s*[a-z]+)$/.exec(text);
  if (m) {
    const dur = parseDuration(m[1]);
    if (dur) return addDuration(today, dur);
  }
  m = /^(\d+\s*[a-z]+) ago$/.exec(text);
  if (m) {
    const dur = parseDuration(m[1]);
    if (dur) return addDuration(today, dur, -1);
  }
  m = /^(next |this |last )?([a-z]+)$/.exec(text);
  if (m) {
    const wd = WEEKDAYS.findIndex((w) => w === m![2] || w.slice(0, 3) === m![2]);
    if (wd >= 0) {
      const cur = weekday(today);
      if (m[1] === 'last ') {
        const back = (cur - wd + 7) % 7 || 7;
        return addDays(today, -back);
      }
      // "friday" and "next friday" both mean the first Friday after today.
      const ahead = (wd - cur + 7) % 7 || 7;
      return addDays(today, ahead);
    }
  }
  return undefined;
}

/** Like tryParseWhen but throws a usage error listing what is accepted. */
export function parseWhen(input: string, today: string, what = 'date'): string {
  // On the command line a bare interval means "from now": `--follow-up 2w` as in `--repeat 2w`.
  // (Queries keep needing the sign, where `cadence:30d` must stay a plain value.)
  const bare = parseDuration(input);
  const text = bare && /^\s*\d+\s*[a-z]+\s*$/i.test(input) ? `+${input.trim()}` : input;
  const date = tryParseWhen(text, today);
  if (date === undefined) {
    const year = /^\s*(\d{4})-\d{2}-\d{2}/.exec(input)?.[1];
    if (year !== undefined && Number(year) < YEAR_MIN) throw new DateRangeError(`${what} '${input.trim()}'`);
    try {
      parseWhenUnchecked(text, today);
    } catch (err) {
      if (err instanceof DateRangeError) throw new DateRangeError(`${what} '${input.trim()}' (from ${today})`);
    }
    throw new UsageError(`cannot understand ${what} '${input}'`, `${whenTypoHint(input)}try one of: ${WHEN_EXAMPLES}`);
  }
  return date;
}

/** The date words a WHEN may be, for did-you-mean on a typo (`tomorow`, `next fridy`). */
const WHEN_WORDS = [
  'today', 'tomorrow', 'yesterday', 'end of month', 'end of week', 'next week', 'next month', 'next year',
  ...WEEKDAYS, ...WEEKDAYS.map((w) => `next ${w}`), ...WEEKDAYS.map((w) => `last ${w}`),
];

function whenTypoHint(input: string): string {
  const close = suggest(input.trim().toLowerCase().replace(/\s+/g, ' '), WHEN_WORDS, 2);
  return close.length ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}? ` : '';
}

/**
 * Like parseWhen, but an ISO date with a time (`2026-12-02T09:30`, or with a space) keeps its time:
 * interaction dates may carry a time (docs/architecture.md, "Record files"), and so may reminder due dates.
 */
export function parseWhenKeepTime(input: string, today: string, what = 'date'): string {
  const t = input.trim();
  if (isIsoDate(t)) return t.replace(' ', 'T');
  return parseWhen(t, today, what);
}

/** The later of two dates (`YYYY-MM-DD`); either may be missing. */
export function maxDate(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** The earlier of two dates (`YYYY-MM-DD`); either may be missing. */
export function minDate(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}
