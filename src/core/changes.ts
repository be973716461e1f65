/** Command-line field changes (`key=value`, `+tag`, `-tag`, `key+=v`, `key-=v`) turned into edits. Pure. */
import { UsageError } from '../errors.js';
import type { FrontMatter } from './types.js';
import { asList, normalizeRef } from './fields.js';
import { parseCliValue } from './values.js';
import { isBooleanField, parseBoolean } from './booleans.js';
import { LIST_REFERENCE_KEYS, LIST_VALUED_FIELDS as LIST_VALUED, REFERENCE_KEYS, REQUIRED_FIELDS, type RecordType } from './schema.js';

export type Edit = { key: string; value: unknown } | { key: string; remove: true };

const PROTECTED = new Set(['id', 'type', 'path']);
// Reference fields (REFERENCE_KEYS) hold ids: `[[acme]]` and plain names are taken as typed, then
// resolved by the caller.

function cliValue(key: string, raw: string): unknown {
  if (!(key in REFERENCE_KEYS)) return parseCliValue(raw);
  const refs = (LIST_REFERENCE_KEYS.has(key) ? (/^\[(?!\[)[\s\S]*\]$/.test(raw.trim()) ? raw.trim().slice(1, -1) : raw).split(',') : [raw]).map((r) => normalizeRef(r.trim())).filter((r): r is string => r !== undefined);
  return LIST_REFERENCE_KEYS.has(key) ? refs : refs[0];
}
/** Keys that would reach an object's prototype: never field names. */
export const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Applies the changes to a copy of `data` and returns the edits for the changed keys, in order. */
export function planChanges(type: string, data: FrontMatter, changes: string[]): { edits: Edit[]; next: FrontMatter } {
  const next: FrontMatter = { ...data };
  const touched: string[] = [];
  const touch = (k: string) => {
    if (PROTECTED.has(k)) throw new UsageError(`'${k}' comes from the file name and cannot be set`);
    if (UNSAFE_KEYS.has(k)) throw new UsageError(`'${k}' cannot be used as a field name`);
    if (type === 'deal' && k === 'history') throw new UsageError("a deal's history is appended by tb on every stage change (tb deal move, or stage=…)", 'to correct a past entry, edit the file: tb edit <deal>');
    if (!touched.includes(k)) touched.push(k);
  };
  for (const change of changes) {
    let m: RegExpExecArray | null;
    if ((m = /^([+-])([^=\s]+)$/.exec(change))) {
      touch('tags');
      const tags = asList(next.tags);
      const tag = m[2];
      next.tags = m[1] === '+' ? (tags.includes(tag) ? tags : [...tags, tag]) : tags.filter((t) => t.toLowerCase() !== tag.toLowerCase());
    } else if ((m = /^([A-Za-z_][A-Za-z0-9_.-]*)([+-])=(.*)$/s.exec(change))) {
      const [, key, op, raw] = m;
      touch(key);
      const list = asList(Object.prototype.hasOwnProperty.call(next, key) ? next[key] : undefined);
      const value = String(key in REFERENCE_KEYS ? normalizeRef(raw) ?? raw : parseCliValue(raw));
      next[key] = op === '+' ? (list.includes(value) ? list : [...list, value]) : list.filter((v) => v !== value);
    } else if ((m = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(change))) {
      const [, key, raw] = m;
      touch(key);
      // `tags=[a, b` is a list someone forgot to close: say so rather than store the bracket.
      if (LIST_VALUED.has(key) && raw.trim().startsWith('[') && !raw.includes(']')) throw new UsageError(`'${raw.trim()}' is not a list: close it with ]`, `e.g. ${key}=[a, b]`);
      next[key] = raw === '' ? undefined : cliValue(key, raw);
      // `do_not_contact=yes` is stored as true; `=maybe` stays as typed, and the write refuses it.
      if (isBooleanField(type, key)) next[key] = parseBoolean(next[key]) ?? next[key];
    } else {
      throw new UsageError(`cannot understand '${change}'`, 'use key=value, key= (remove), key+=value, key-=value, +tag or -tag');
    }
  }
  for (const k of REQUIRED_FIELDS[type as RecordType] ?? []) {
    if (touched.includes(k) && (next[k] === undefined || next[k] === '')) throw new UsageError(`'${k}' is required and cannot be removed`);
  }
  const edits: Edit[] = touched.map((k) => {
    const v = next[k];
    // The last tag (or list entry) removed takes the key with it: no `tags: []` left behind.
    if (v === undefined || (Array.isArray(v) && v.length === 0)) return { key: k, remove: true as const };
    return { key: k, value: v };
  });
  return { edits, next };
}
