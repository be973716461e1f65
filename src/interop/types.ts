/**
 * Shapes shared by the import/export converters, plus the few tiny helpers more than one format
 * needs (birthday normalisation, de-duplicated lists, content-line folding). Pure.
 */
import { isIsoDate } from '../core/dates.js';
import { looksLikeEmail } from '../core/validate.js';

/** The shapes the importer (core/import/) reads; declared in core so core never imports interop. */
import type { ContactDraft, ImportIssue, PostalAddress } from '../core/import-shapes.js';
export type { ContactDraft, ImportIssue, PostalAddress } from '../core/import-shapes.js';

export const ADDRESS_KEYS = ['type', 'street', 'extended', 'pobox', 'city', 'region', 'postcode', 'country'] as const;

/** Drops empty components; undefined when nothing but the label is left. */
export function cleanAddress(a: PostalAddress): PostalAddress | undefined {
  const out: PostalAddress = {};
  for (const k of ADDRESS_KEYS) {
    const v = a[k]?.replace(/\r\n?/g, '\n').split('\n').map((s) => s.trim()).filter(Boolean).join('\n');
    if (v) out[k] = k === 'type' ? v.toLowerCase() : v;
  }
  return Object.keys(out).some((k) => k !== 'type') ? out : undefined;
}

/** "City, Country" for the one-line `location` field. */
export function locationOf(a: PostalAddress): string | undefined {
  return [a.city ?? a.region, a.country].filter(Boolean).join(', ') || undefined;
}

/** Adds an address unless one with the same components (label aside) is there. */
export function addAddress(list: PostalAddress[], a: PostalAddress): void {
  const clean = cleanAddress(a);
  if (!clean) return;
  const key = (x: PostalAddress) => ADDRESS_KEYS.filter((k) => k !== 'type').map((k) => (x[k] ?? '').toLowerCase()).join('\u0000');
  if (!list.some((x) => key(x) === key(clean))) list.push(clean);
}


export interface ParseResult<T> {
  items: T[];
  issues: ImportIssue[];
}

export function emptyDraft(line: number): ContactDraft {
  return { emails: [], phones: [], tags: [], links: [], addresses: [], extra: {}, source: { line } };
}

/** Appends `value` unless an equal one (by `key`) is already there; blank values are ignored. */
export function addUnique(list: string[], value: string, key: (s: string) => string = (s) => s.toLowerCase()): void {
  const trimmed = value.trim();
  if (trimmed === '') return;
  const k = key(trimmed);
  if (!list.some((existing) => key(existing) === k)) list.push(trimmed);
}

/** Phones in a draft's list compare by the one rule of core/text.ts. */
export { phoneKey } from '../core/text.js';

/** Tags are lower-case words joined by hyphens, so `tag:close-friends` can query them. */
export function normalizeTag(tag: string): string {
  return tag.trim().toLowerCase().replace(/\s+/g, '-');
}

/** A usable name from an address: `ada.lovelace@x.org` → `Ada Lovelace`. */
export function nameFromEmail(email: string): string | undefined {
  const local = email.split('@')[0] ?? '';
  const words = local.split(/[._+-]+/).filter((w) => /[a-z]/i.test(w));
  if (words.length === 0) return undefined;
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

/**
 * Normalises the birthday spellings exports use. Returns `YYYY-MM-DD`, `--MM-DD` when the source
 * has no year (Google's `--10-01`, vCard's `--1001`, Apple's placeholder year 1604), or undefined
 * when the text is not a recognisable date. US order is assumed for slashed dates (Outlook).
 */
export function normalizeBirthday(raw: string): string | undefined {
  const text = raw.trim();
  const iso = /^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$/.exec(text);
  if (iso) return fullDate(iso[1], iso[2], iso[3]);
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(text);
  if (noYear) return monthDay(noYear[1], noYear[2]);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (us) return fullDate(us[3], us[1].padStart(2, '0'), us[2].padStart(2, '0'));
  return undefined;
}

/** Outlook writes `0/0/00` (a German Outlook `0.0.00`; Google an empty cell) for "no birthday". */
export function isBlankBirthday(raw: string): boolean {
  return /^\s*$|^0?0([/.])0?0\1(00|0000)$/.test(raw.trim());
}

// Apple Contacts stores "birthday without year" with the placeholder year 1604.
const APPLE_NO_YEAR = '1604';

function fullDate(year: string, month: string, day: string): string | undefined {
  if (year === APPLE_NO_YEAR) return monthDay(month, day);
  const date = `${year}-${month}-${day}`;
  return isIsoDate(date) ? date : undefined;
}

function monthDay(month: string, day: string): string | undefined {
  // 2000 is a leap year, so 02-29 is accepted.
  return isIsoDate(`2000-${month}-${day}`) ? `--${month}-${day}` : undefined;
}

const MAX_OCTETS = 75;

/**
 * Folds one content line (RFC 5545 §3.1 / RFC 6350 §3.2) so no physical line exceeds 75 octets,
 * never splitting a UTF-8 sequence or a surrogate pair. Continuation lines start with one space.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

/** TEXT escaping shared by vCard and iCalendar: backslash, semicolon, comma and newlines. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Sets a draft's birthday from source text (first one wins). Text that is not a date is kept in
 * `extra.birthday_text` (the `birthday_text` custom field) and reported, so nothing the source said is lost.
 */
export function setBirthday(draft: ContactDraft, value: string, line: number, issues: ImportIssue[]): void {
  if (isBlankBirthday(value) || draft.birthday) return;
  const date = normalizeBirthday(value);
  if (date) {
    draft.birthday = date;
    return;
  }
  draft.extra.birthday_text = value;
  issues.push({ line, message: `birthday '${value}' is not a recognised date; kept as birthday_text` });
}

/** The shape `tb check` accepts for an email (src/core/validate.ts). */
export const isEmailAddress = looksLikeEmail;

/**
 * Adds an address to the draft when `tb check` would accept it; otherwise reports it and keeps
 * the text in `extra.unparsed_emails`, so nothing is lost and nothing invalid is written.
 */
export function addEmail(draft: ContactDraft, raw: string, line: number, issues: ImportIssue[]): void {
  const email = raw.trim().replace(/^mailto:/i, '');
  if (email === '') return;
  if (isEmailAddress(email)) {
    addUnique(draft.emails, email);
    return;
  }
  const kept = Array.isArray(draft.extra.unparsed_emails) ? (draft.extra.unparsed_emails as string[]) : [];
  if (!kept.includes(email)) draft.extra.unparsed_emails = [...kept, email];
  issues.push({ line, message: `'${email}' is not an email address; kept as unparsed_emails` });
}

/** Removes NUL and other C0 control characters (but tab and line breaks) that make a file binary. */
export function stripControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}
