/**
 * Finding likely duplicate contacts (or companies) and planning the merge of two records. Pure:
 * records in, pairs and edits out; src/commands/{dedupe,merge}.ts do the reading and writing.
 */
import type { CrmRecord, FrontMatter, RecordType } from './types.js';
import { asList, asString, displayName, normalizeRef } from './fields.js';
import { REFERRED_BY } from './schema.js';
import { levenshtein } from './suggest.js';
import { foldText, phoneKey, phoneMatchKey, samePhone } from './text.js';

export interface DuplicatePair {
  a: CrmRecord;
  b: CrmRecord;
  /** 0–100: how sure we are these are one person (or one company). */
  score: number;
  reasons: string[];
  /**
   * Two people of one household (contacts sharing a phone or postal address, no email, with
   * different first names): reported apart and never proposed as a merge.
   */
  household?: boolean;
}

/** Folded (core/text.ts), punctuation to spaces, whitespace collapsed: how names compare here. */
function foldName(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9@.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function tokens(name: string): string[] {
  return foldName(name).replace(/[.@]/g, ' ').split(' ').filter((t) => t.length > 0);
}

function emailsOfRec(r: CrmRecord): string[] {
  return [...asList(r.data.emails), ...asList(r.data.email)].map((e) => e.trim().toLowerCase());
}

function phonesOfRec(r: CrmRecord): string[] {
  return [...asList(r.data.phones), ...asList(r.data.phone)];
}

function domainOf(r: CrmRecord): string | undefined {
  const d = asString(r.data.domain)?.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '');
  return d || undefined;
}

/**
 * Scores one pair. Signals (the strongest counts, each further one adds 5, capped at 100):
 * same email 100, same domain (companies) 90, same phone 90, same name ignoring case and
 * accents 85, same words in another order 80, names one or two edits apart 70 / 60.
 */
export function scorePair(a: CrmRecord, b: CrmRecord): { score: number; reasons: string[] } {
  const signals: Array<[number, string]> = [];
  const emailsB = new Set(emailsOfRec(b));
  for (const e of unique(emailsOfRec(a))) if (emailsB.has(e)) signals.push([100, `same email ${e}`]);
  const da = domainOf(a);
  if (da && da === domainOf(b)) signals.push([90, `same domain ${da}`]);
  const phonesB = phonesOfRec(b);
  const sharedPhone = phonesOfRec(a).some((p) => phonesB.some((q) => samePhone(p, q)));
  if (sharedPhone) signals.push([90, 'same phone number']);
  const addressesB = new Set(addressKeys(b));
  if (addressKeys(a).some((k) => addressesB.has(k))) signals.push([90, 'same postal address']);
  const na = displayName(a);
  const nb = displayName(b);
  const fa = tokens(na).join(' ');
  const fb = tokens(nb).join(' ');
  if (fa !== '' && fb !== '') {
    if (fa === fb) signals.push([85, na === nb ? 'same name' : 'same name ignoring case and accents']);
    else if ([...tokens(na)].sort().join(' ') === [...tokens(nb)].sort().join(' ')) signals.push([80, 'same name, words in another order']);
    else if (Math.min(fa.length, fb.length) >= 5) {
      const d = levenshtein(fa, fb);
      if (d === 1) signals.push([70, 'names one letter apart']);
      else if (d === 2 && Math.min(fa.length, fb.length) >= 8) signals.push([60, 'names two letters apart']);
    }
  }
  if (signals.length === 0) return { score: 0, reasons: [] };
  signals.sort((x, y) => y[0] - x[0]);
  const score = Math.min(100, signals[0][0] + 5 * (signals.length - 1));
  return { score, reasons: signals.map((s) => s[1]) };
}

/** Postal addresses (`addresses:` objects or a plain `address`) as comparable keys: street and postcode or city. */
function addressKeys(r: CrmRecord): string[] {
  const out: string[] = [];
  for (const a of [...asList(r.data.addresses as unknown), ...asList(r.data.address as unknown)] as unknown[]) {
    const o = typeof a === 'string' ? { street: a } : (a as Record<string, unknown> | null) ?? {};
    const street = foldName(String(o.street ?? ''));
    const place = foldName(String(o.postcode ?? o.city ?? ''));
    if (street) out.push(`${street}|${place}`);
  }
  return out;
}

/** First names that cannot be one person's: neither equal, nor one a prefix of the other, nor a letter apart. */
function differentFirstNames(a: CrmRecord, b: CrmRecord): boolean {
  const [fa] = tokens(displayName(a));
  const [fb] = tokens(displayName(b));
  if (!fa || !fb || fa === fb || fa.startsWith(fb) || fb.startsWith(fa)) return false;
  return levenshtein(fa, fb) > 1;
}

/** A household, not a duplicate: a shared phone or address, no shared email, different first names. */
function isHousehold(a: CrmRecord, b: CrmRecord, reasons: readonly string[]): boolean {
  if (a.type !== 'contact' || reasons.some((r) => r.startsWith('same email'))) return false;
  return reasons.some((r) => r === 'same phone number' || r === 'same postal address') && differentFirstNames(a, b);
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

/**
 * Likely duplicates among `records`, best first. Only pairs that share a blocking key (an email,
 * a phone, a domain, the whole name, a name word, or the first four letters of the name) are
 * compared, and a key shared by more than 200 records is not used, so this stays near-linear on
 * ten thousand contacts.
 */
export function findDuplicates(records: CrmRecord[], minScore = 60): DuplicatePair[] {
  const blocks = new Map<string, number[]>();
  const add = (key: string, i: number) => {
    const list = blocks.get(key);
    if (!list) blocks.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  records.forEach((r, i) => {
    for (const e of emailsOfRec(r)) add(`e:${e}`, i);
    for (const p of phonesOfRec(r)) {
      const key = phoneMatchKey(p);
      if (key !== undefined) add(`p:${key}`, i);
    }
    const d = domainOf(r);
    if (d) add(`d:${d}`, i);
    for (const k of addressKeys(r)) add(`a:${k}`, i);
    const t = tokens(displayName(r));
    for (const w of t) if (w.length >= 3) add(`w:${w}`, i);
    const joined = t.join('');
    if (joined.length >= 4) add(`n:${joined.slice(0, 4)}`, i);
    // The whole name, words sorted: equal names meet even when each word is common.
    if (t.length) add(`f:${[...t].sort().join(' ')}`, i);
  });
  const seen = new Set<string>();
  const pairs: DuplicatePair[] = [];
  for (const list of blocks.values()) {
    // A block shared by hundreds of records (a common first name) says nothing on its own.
    if (list.length < 2 || list.length > 200) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const key = `${list[x]}/${list[y]}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const [a, b] = [records[list[x]], records[list[y]]];
        const { score, reasons } = scorePair(a, b);
        if (score < minScore) continue;
        const pair: DuplicatePair = a.id < b.id ? { a, b, score, reasons } : { a: b, b: a, score, reasons };
        if (isHousehold(a, b, reasons)) pair.household = true;
        pairs.push(pair);
      }
    }
  }
  pairs.sort((p, q) => q.score - p.score || p.a.id.localeCompare(q.a.id) || p.b.id.localeCompare(q.b.id));
  return pairs;
}

// ---------------------------------------------------------------------------------------------
// Merging

export interface FieldChange {
  key: string;
  /** `added`: keep had no value; `extended`: list gained values; `kept`: both had a value, keep's won. */
  kind: 'added' | 'extended' | 'kept';
  value: unknown;
  dropped?: unknown;
}

export interface ReferenceRewrite {
  record: CrmRecord;
  key: string;
  before: unknown;
  after: unknown;
}

export interface MergePlan {
  keep: CrmRecord;
  drop: CrmRecord;
  fields: FieldChange[];
  /** Front matter edits for keep's file, in key order. */
  edits: Array<{ key: string; value: unknown }>;
  /** Text appended to keep's body ('' when drop has no notes). */
  bodyAppend: string;
  references: ReferenceRewrite[];
}

const LIST_KEY_FNS: Record<string, (s: string) => string> = {
  emails: (s) => s.trim().toLowerCase(),
  phones: phoneKey,
  tags: (s) => s.toLowerCase(),
};

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function itemKey(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** Merges drop's front matter into keep's: keep's non-empty values win, lists are unioned. */
export function mergeFields(keep: FrontMatter, drop: FrontMatter): { fields: FieldChange[]; edits: Array<{ key: string; value: unknown }> } {
  const fields: FieldChange[] = [];
  const edits: Array<{ key: string; value: unknown }> = [];
  for (const [key, value] of Object.entries(drop)) {
    if (isEmpty(value)) continue;
    const have = keep[key];
    if (isEmpty(have)) {
      fields.push({ key, kind: 'added', value });
      edits.push({ key, value });
      continue;
    }
    const listy = key in LIST_KEY_FNS || (Array.isArray(have) && Array.isArray(value));
    if (listy && key !== 'history') {
      const fn = LIST_KEY_FNS[key] ?? itemKey;
      const list = Array.isArray(have) ? [...have] : [have];
      const seen = new Set(list.map((x) => fn(itemKey(x))));
      const added: unknown[] = [];
      for (const v of Array.isArray(value) ? value : [value]) {
        if (seen.has(fn(itemKey(v)))) continue;
        seen.add(fn(itemKey(v)));
        list.push(v);
        added.push(v);
      }
      if (added.length) {
        fields.push({ key, kind: 'extended', value: added });
        edits.push({ key, value: list });
      }
      continue;
    }
    if (JSON.stringify(have) !== JSON.stringify(value)) fields.push({ key, kind: 'kept', value: have, dropped: value });
  }
  return { fields, edits };
}

/** Reference fields that may name a record of `type`, per referring record type. */
/** Replaces `from` by `to` in one reference value (a scalar or a list), keeping its shape. */
export function rewriteRef(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const ref = normalizeRef(v);
      const next = ref === from ? to : v;
      if (!out.some((o) => normalizeRef(o) === normalizeRef(next))) out.push(next);
    }
    return out;
  }
  return normalizeRef(value) === from ? to : value;
}

function mentions(value: unknown, id: string): boolean {
  return asList(value).some((v) => normalizeRef(v) === id);
}

export function planMerge(keep: CrmRecord, drop: CrmRecord, referrers: CrmRecord[]): MergePlan {
  const { fields, edits } = mergeFields(keep.data, drop.data);
  const notes = (drop.body ?? '').trim();
  const bodyAppend = notes ? `\n## Merged from ${displayName(drop)} (${drop.id})\n\n${notes}\n` : '';
  const references: ReferenceRewrite[] = [];
  const rules = REFERRED_BY[keep.type];
  for (const rec of referrers) {
    if (rec.id === drop.id && rec.type === drop.type) continue;
    for (const [type, key] of rules) {
      if (rec.type !== type || !mentions(rec.data[key], drop.id)) continue;
      references.push({ record: rec, key, before: rec.data[key], after: rewriteRef(rec.data[key], drop.id, keep.id) });
    }
  }
  references.sort((x, y) => (x.record.path < y.record.path ? -1 : x.record.path > y.record.path ? 1 : 0));
  return { keep, drop, fields, edits, bodyAppend, references };
}

/** The record types whose files may refer to a record of `type`. */
export function referringTypes(type: RecordType): RecordType[] {
  return unique(REFERRED_BY[type].map(([t]) => t));
}
