/**
 * Interactions by what they name: the index `show` reads a timeline from instead of every
 * interaction (docs/index-cache.md, "Interactions by contact"). Each interaction is filed under a
 * key per contact it names (`c:`), its deal (`d:`), its case (`k:`) and its own id (`i:`); keys are
 * spread over REF_SHARDS shards by a hash, so a lookup reads one small shard and adding an
 * interaction rewrites only the shards of its keys. Pure: the store keeps the shards in files.
 */
import { NotFoundError } from '../errors.js';
import type { CrmRecord, RecordLists } from './types.js';
import { DATASET_KEY, NAMED_TYPES, RECORD_TYPES } from './schema.js';
import { interactionContacts, normalizeRef } from './fields.js';
import { resolveRef } from './resolve.js';

/** The front matter keys the keys of an interaction come from (kept by the index that files them). */
export const REF_INPUTS: readonly string[] = ['contacts', 'contact', 'deal', 'case'];

/** Enough that a shard stays small at a million interactions (a few hundred KB), few enough to write all at once. */
export const REF_SHARDS = 256;

/** Key → paths of the interactions filed under it, sorted. */
export type RefShard = Record<string, string[]>;

/** The keys one interaction is filed under. */
export function refKeys(i: CrmRecord): string[] {
  const keys = new Set<string>([`i:${i.id}`]);
  for (const c of interactionContacts(i)) keys.add(`c:${c}`);
  const deal = normalizeRef(i.data.deal);
  if (deal) keys.add(`d:${deal}`);
  const kase = normalizeRef(i.data.case);
  if (kase) keys.add(`k:${kase}`);
  return [...keys];
}

/** Which shard holds `key` (FNV-1a over its UTF-16 units: stable across runs and platforms). */
export function shardOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % REF_SHARDS;
}

/**
 * Files `records` into `shards` (created as needed); returns the shards that changed. Paths stay
 * sorted and unique, so a shard's content does not depend on the order interactions came in.
 */
export function fileRefs(shards: Map<number, RefShard>, records: readonly CrmRecord[]): Set<number> {
  const changed = new Set<number>();
  for (const r of records) {
    for (const key of refKeys(r)) {
      const n = shardOf(key);
      let shard = shards.get(n);
      if (!shard) shards.set(n, (shard = {}));
      (shard[key] ??= []).push(r.path);
      changed.add(n);
    }
  }
  for (const n of changed) {
    const shard = shards.get(n)!;
    for (const key of Object.keys(shard)) shard[key] = [...new Set(shard[key])].sort();
  }
  return changed;
}

/** Whether a value read back is a shard. */
export function isRefShard(x: unknown): x is RefShard {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every((v) => Array.isArray(v) && v.every((p) => typeof p === 'string'));
}

/**
 * The keys of the interactions `show` puts in the timeline of `rec` (core/related.ts): the
 * contact's, the company's contacts', the deal's, the case's; none for other records.
 */
export function timelineKeys(rec: CrmRecord, contacts: readonly CrmRecord[]): string[] {
  switch (rec.type) {
    case 'contact':
      return [`c:${rec.id}`];
    case 'company':
      return contacts.filter((c) => normalizeRef(c.data.company) === rec.id).map((c) => `c:${c.id}`);
    case 'deal':
      return [`d:${rec.id}`];
    case 'case':
      return [`k:${rec.id}`];
    default:
      return [];
  }
}

/** The id resolveAny compares with (core/resolve.ts): the key of the interactions it could match exactly. */
export function exactIdKey(ref: string): string {
  return `i:${(normalizeRef(ref) ?? '').toLowerCase()}`;
}

/**
 * Whether resolveAny decides `ref` without any interaction but those whose id is exactly `ref`
 * (included in `records`): by an exact id, or among the named types. Only a prefix of an id
 * needs every interaction's id.
 */
export function resolvedWithoutPrefixes(records: Partial<RecordLists>, ref: string): boolean {
  const id = exactIdKey(ref).slice(2);
  if (RECORD_TYPES.some((t) => (records[DATASET_KEY[t]] ?? []).some((r) => r.id === id))) return true;
  try {
    resolveRef(NAMED_TYPES.flatMap((t) => records[DATASET_KEY[t]] ?? []), ref, 'record');
    return true;
  } catch (err) {
    return !(err instanceof NotFoundError);
  }
}

/** Interactions by key, as a load gives them (the store reads shards lazily). */
export interface InteractionLookup {
  /** The paths filed under any of `keys`, sorted; undefined when they cannot be told now. */
  paths(keys: readonly string[]): string[] | undefined;
}
