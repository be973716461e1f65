/** Values of the query language: scalars of a field, operands, equality, order and wildcards. Pure. */
import { datePart, isIsoDate } from '../dates.js';
import { isOffsetDateTime } from '../instants.js';
import { normalizeRef } from '../fields.js';
import type { Scalar } from './catalog.js';

export const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/** Looks like a date, so a malformed one (`2026-9-1`) is an error rather than a silent text match. */
export const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\S*)?$/;
export const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true, yes: true, y: true, on: true, '1': true,
  false: false, no: false, n: false, off: false, '0': false,
};


/** Absent: undefined, null, blank strings and lists with nothing present in them. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some(isPresent);
  return true;
}

/** A field value as the scalars it holds: lists flattened, references normalised, objects skipped. */
export function scalarsOf(value: unknown, out: Scalar[] = []): Scalar[] {
  if (Array.isArray(value)) for (const v of value) scalarsOf(v, out);
  else if (typeof value === 'string') {
    // normalizeRef runs a regex; most values are not `[[links]]`, so only trim those.
    const s = value.includes('[[') ? normalizeRef(value) : value.trim();
    if (s) out.push(s);
  } else if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out.push(value);
  return out;
}

/** `*` matches any run of characters; both sides already lowercased. Linear-time, no regex. */
export function globMatch(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}


/** isIsoDate builds a Date per call; values repeat a lot (one date per day), so remember answers. */
const isoDateCache = new Map<string, boolean>();
export function isDate(value: string): boolean {
  let known = isoDateCache.get(value);
  if (known === undefined) {
    if (isoDateCache.size > 50_000) isoDateCache.clear();
    // A date-time with an offset (a case's `opened`, its deadlines) compares by its written date.
    known = isIsoDate(value) || isOffsetDateTime(value);
    isoDateCache.set(value, known);
  }
  return known;
}

export function numericString(s: string): number | undefined {
  return NUMBER.test(s.trim()) ? Number(s) : undefined;
}

/** A query value resolved once: its text and what it means as a number, date or boolean. */
export interface Operand {
  lower: string;
  num?: number;
  date?: string;
  bool?: boolean;
  /** `owner:me` when nobody is "me". */
  never?: boolean;
}

/** An operand that can be ordered: a number or a date. */
export type Ordered = { num: number; date?: undefined } | { date: string; num?: undefined };

export function equalsScalar(v: Scalar, o: Operand): boolean {
  if (o.never) return false;
  if (typeof v === 'number') return o.num !== undefined && v === o.num;
  if (typeof v === 'boolean') return o.bool !== undefined && v === o.bool;
  if (o.date !== undefined && isDate(v)) return datePart(v) === o.date;
  if (o.num !== undefined) {
    const n = numericString(v);
    if (n !== undefined) return n === o.num;
  }
  return v.toLowerCase() === o.lower;
}

/** Sign of v − o, or undefined when they cannot be compared (text, a number against a date …). */
export function compareScalar(v: Scalar, o: Ordered): number | undefined {
  if (o.num !== undefined) {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? numericString(v) : undefined;
    return n === undefined ? undefined : Math.sign(n - o.num);
  }
  if (typeof v !== 'string' || !isDate(v)) return undefined;
  const d = datePart(v);
  return d < o.date ? -1 : d > o.date ? 1 : 0;
}

export const ORDER_TESTS: Readonly<Record<'>' | '>=' | '<' | '<=', (sign: number) => boolean>> = {
  '>': (s) => s > 0,
  '>=': (s) => s >= 0,
  '<': (s) => s < 0,
  '<=': (s) => s <= 0,
};
