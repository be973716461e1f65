/**
 * Planning `tb rm`: which records name the one being removed, which of them belong to it alone
 * (removed with --cascade) and which would be left pointing at nothing. Pure; see docs/removing.md.
 */
import type { CrmRecord, Dataset, RecordType } from './types.js';
import { asRefList, normalizeRef } from './fields.js';
import { DATASET_KEY, SCHEMA, type TypeDeclaration } from './schema.js';

/**
 * Reference fields that may name a record of a type, per referring type: every `ref` field of the
 * schema (core/schema.ts) with its aliases and query name (a reminder's `contacts:` written by
 * hand), so a new reference field is covered without listing it here.
 */
const REFERENCE_KEYS: Readonly<Partial<Record<RecordType, ReadonlyArray<[RecordType, string]>>>> = (() => {
  const out: Partial<Record<RecordType, Array<[RecordType, string]>>> = {};
  for (const decl of SCHEMA as readonly TypeDeclaration[]) {
    for (const f of decl.fields) {
      if (f.kind !== 'ref' || !f.target) continue;
      const target = f.target as RecordType;
      for (const key of new Set([f.name, ...(f.aliases ?? []), ...(f.queryName ? [f.queryName] : [])])) {
        (out[target] ??= []).push([decl.type as RecordType, key]);
      }
    }
  }
  return out;
})();

/** One field of one record that names the removed record. */
export interface Reference {
  record: CrmRecord;
  key: string;
}

/** A reference --cascade rewrites: the removed id taken out of a list that names others too. */
export interface Unlink extends Reference {
  before: unknown;
  /** The new value; undefined removes the key. */
  after: unknown;
}

export interface RemovePlan {
  target: CrmRecord;
  /** Every field that names the target. */
  references: Reference[];
  /** Records removed along with the target (--cascade). */
  cascade: CrmRecord[];
  /** Fields --cascade rewrites so they stop naming the target. */
  unlinks: Unlink[];
  /** References left pointing at nothing after a --cascade removal (they need --force). */
  dangling: Reference[];
}

function byPath(a: Reference, b: Reference): number {
  return a.record.path < b.record.path ? -1 : a.record.path > b.record.path ? 1 : a.key.localeCompare(b.key);
}

/** Every field in `ds` that names `target`. */
export function referencesTo(ds: Dataset, target: CrmRecord): Reference[] {
  const out: Reference[] = [];
  for (const [type, key] of REFERENCE_KEYS[target.type] ?? []) {
    for (const rec of ds[DATASET_KEY[type]] ?? []) if (asRefList(rec.data[key]).includes(target.id)) out.push({ record: rec, key });
  }
  return out.sort(byPath);
}

/** The value of a reference field without `id` (a list stays a list; a lone value goes away). */
function without(value: unknown, id: string): unknown {
  if (!Array.isArray(value)) return undefined;
  const rest = value.filter((v) => normalizeRef(v) !== id);
  return rest.length ? rest : undefined;
}

/**
 * What removing `target` means. --cascade covers the target's own interactions and reminders:
 * one that names only the target goes with it; one that names others too keeps them and loses the
 * target; the interactions of a deal, case or campaign stay (they are the contacts' history, real
 * touchpoints) and only lose `deal:`, `case:` or `campaign:`. Contacts, companies, deals, cases
 * and campaigns naming the removed record are never changed: they dangle (and need --force).
 */
export function planRemove(ds: Dataset, target: CrmRecord): RemovePlan {
  const references = referencesTo(ds, target);
  const cascade: CrmRecord[] = [];
  const unlinks: Unlink[] = [];
  const dangling: Reference[] = [];
  const byRecord = new Map<string, Reference[]>();
  for (const ref of references) byRecord.set(ref.record.path, [...(byRecord.get(ref.record.path) ?? []), ref]);
  for (const refs of byRecord.values()) {
    const rec = refs[0].record;
    const owned = rec.type === 'interaction' || rec.type === 'reminder';
    if (!owned) {
      dangling.push(...refs);
      continue;
    }
    const keepsHistory = rec.type === 'interaction' && target.type !== 'contact';
    const namesOthers = refs.some((r) => without(r.record.data[r.key], target.id) !== undefined) || otherTargets(rec, target);
    if (!keepsHistory && !namesOthers) {
      cascade.push(rec);
      continue;
    }
    for (const r of refs) unlinks.push({ ...r, before: rec.data[r.key], after: without(rec.data[r.key], target.id) });
  }
  cascade.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { target, references, cascade, unlinks, dangling: dangling.sort(byPath) };
}

/** True when an interaction or reminder is also about some other contact or deal. */
function otherTargets(rec: CrmRecord, target: CrmRecord): boolean {
  const contacts = [...asRefList(rec.data.contacts), ...asRefList(rec.data.contact)].filter((id) => !(target.type === 'contact' && id === target.id));
  const deals = asRefList(rec.data.deal).filter((id) => !(target.type === 'deal' && id === target.id));
  return contacts.length > 0 || deals.length > 0;
}
