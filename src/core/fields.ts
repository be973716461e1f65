/** Small readers for loosely typed front matter values. Pure. */
import type { CrmRecord } from './types.js';

/** Printable ASCII other than space: never trimmed away. */
function isAsciiVisible(code: number): boolean {
  return code > 32 && code < 127;
}

/** `[[ada-lovelace]]` → `ada-lovelace` (Obsidian-style links are accepted on read). */
export function normalizeRef(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  // The common case, a plain id: no String(), trim or regex (this runs for every interaction).
  if (typeof value === 'string' && value !== '' && isAsciiVisible(value.charCodeAt(0)) && value.charCodeAt(0) !== 91 /* [ */ && isAsciiVisible(value.charCodeAt(value.length - 1))) return value;
  const s = String(value).trim();
  const m = /^\[\[([^\]|#]+)(?:[|#][^\]]*)?\]\]$/.exec(s);
  return (m ? m[1] : s).trim() || undefined;
}

/** A value that may be a scalar or a list, as a list of strings. */
export function asList(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined && v !== '').map((v) => String(v));
  return [String(value)];
}

export function asRefList(value: unknown): string[] {
  return asList(value).map((v) => normalizeRef(v)).filter((v): v is string => v !== undefined);
}

export function asString(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'object') return undefined;
  return String(value);
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** The display name of any record: name, title, summary or text, else the id. */
export function displayName(rec: CrmRecord): string {
  const d = rec.data;
  return asString(d.name) ?? asString(d.title) ?? asString(d.summary) ?? asString(d.text) ?? rec.id;
}

/** Contacts an interaction is about (`contacts:` list, or a single `contact:`). */
export function interactionContacts(rec: CrmRecord): string[] {
  return [...asRefList(rec.data.contacts), ...asRefList(rec.data.contact)];
}

/** Contacts a deal involves. */
export function dealContacts(rec: CrmRecord): string[] {
  return [...asRefList(rec.data.contacts), ...asRefList(rec.data.contact)];
}

/** Contacts a reminder is about: `contact:` (docs/architecture.md, "Record files"), also a `contacts:` list written by hand. */
export function reminderContacts(rec: CrmRecord): string[] {
  return [...asRefList(rec.data.contact), ...asRefList(rec.data.contacts)];
}

export function emailsOf(rec: CrmRecord): string[] {
  return [...asList(rec.data.emails), ...asList(rec.data.email)].map((e) => e.toLowerCase());
}

export function phonesOf(rec: CrmRecord): string[] {
  return [...asList(rec.data.phones), ...asList(rec.data.phone)];
}

export function tagsOf(rec: CrmRecord): string[] {
  return asList(rec.data.tags).map((t) => t.toLowerCase());
}

/** Reminder status, defaulting to open. */
export function reminderStatus(rec: CrmRecord): string {
  return (asString(rec.data.status) ?? 'open').toLowerCase();
}
