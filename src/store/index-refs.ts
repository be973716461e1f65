/**
 * Interactions by contact, deal, case and id on disk (docs/index-cache.md, "Interactions by
 * contact"): an aggregate of the interaction index, kept with the interaction summary, so it is
 * exactly as fresh as the index (the same change detection decides when it is served). The keys
 * are spread over shards (core/interaction-refs.ts): `show` reads the manifest and the one shard it
 * needs, and a `tb log` rewrites only the shards of the new interaction's keys.
 *
 * Files: `<type>.<variant>.refs.json`, the manifest `{ indexId, shards }` naming the id of every
 * shard ('' for an empty one), and `<type>.<variant>.refs/<n>.json`, each `{ id, refs }`. Shards
 * are written first, each under a new id, then the manifest: a kill at any point leaves a manifest
 * whose index id or shard ids do not match, so the shards are built again, never served wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CrmRecord } from '../core/types.js';
import { fileRefs, isRefShard, REF_SHARDS, shardOf, refKeys, type RefShard } from '../core/interaction-refs.js';
import type { Aggregate } from './index-cache.js';
import { readJson, uniqueId, writeAtomic } from './index-format.js';

/** Shards as read (lazily, one by one) or built, and which of them differ from the files. */
export class InteractionRefs {
  readonly dirty = new Set<number>();
  private readonly shards = new Map<number, RefShard>();

  /** `stored`: the manifest file and its shard ids, when the shards are on disk. */
  constructor(private readonly stored?: { file: string; ids: string[] }) {}

  static built(records: readonly CrmRecord[]): InteractionRefs {
    const refs = new InteractionRefs();
    fileRefs(refs.shards, records);
    for (let n = 0; n < REF_SHARDS; n++) refs.dirty.add(n);
    return refs;
  }

  /** The paths of the interactions filed under any of `keys`, sorted; undefined when a shard cannot be read. */
  paths(keys: readonly string[]): string[] | undefined {
    const out = new Set<string>();
    for (const key of keys) {
      const shard = this.shard(shardOf(key));
      if (!shard) return undefined;
      for (const p of shard[key] ?? []) out.add(p);
    }
    return [...out].sort();
  }

  /** These refs with `added` (new interactions) filed in; undefined when a shard they go to cannot be read. */
  with(added: readonly CrmRecord[]): InteractionRefs | undefined {
    for (const r of added) for (const key of refKeys(r)) if (!this.shard(shardOf(key))) return undefined;
    for (const n of fileRefs(this.shards, added)) this.dirty.add(n);
    return this;
  }

  /** These refs without `removed` (as the index had them) and with `added`; undefined when a shard cannot be read. */
  revised(added: readonly CrmRecord[], removed: readonly CrmRecord[]): InteractionRefs | undefined {
    for (const r of removed) {
      for (const key of refKeys(r)) {
        const n = shardOf(key);
        const shard = this.shard(n);
        if (!shard) return undefined;
        const left = (shard[key] ?? []).filter((p) => p !== r.path);
        if (left.length) shard[key] = left;
        else delete shard[key];
        this.dirty.add(n);
      }
    }
    return this.with(added);
  }

  shardToWrite(n: number): RefShard {
    return this.shards.get(n) ?? {};
  }

  storedId(n: number): string | undefined {
    return this.stored?.ids[n];
  }

  private shard(n: number): RefShard | undefined {
    const known = this.shards.get(n);
    if (known || !this.stored) return known ?? this.remember(n, {});
    const id = this.stored.ids[n];
    if (id === '') return this.remember(n, {});
    const f = readJson<{ id?: unknown; refs?: unknown }>(shardFile(this.stored.file, n));
    if (f && typeof f === 'object' && f.id === id && isRefShard(f.refs)) return this.remember(n, f.refs);
    // Written by another process since the manifest was read, or lost: the next load builds them again.
    fs.rmSync(this.stored.file, { force: true });
    return undefined;
  }

  private remember(n: number, shard: RefShard): RefShard {
    this.shards.set(n, shard);
    return shard;
  }
}

function shardFile(manifest: string, n: number): string {
  return path.join(manifest.replace(/\.json$/, ''), `${n}.json`);
}

function readRefs(file: string, indexId: string): InteractionRefs | undefined {
  const m = readJson<{ indexId?: unknown; shards?: unknown }>(file);
  if (!m || typeof m !== 'object' || m.indexId !== indexId) return undefined;
  const ids = m.shards;
  if (!Array.isArray(ids) || ids.length !== REF_SHARDS || !ids.every((id) => typeof id === 'string')) return undefined;
  return new InteractionRefs({ file, ids });
}

/** Writes the changed shards under new ids, then the manifest naming them for index `indexId`. */
function writeRefs(file: string, indexId: string, refs: InteractionRefs): boolean {
  const ids: string[] = [];
  const dir = file.replace(/\.json$/, '');
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return false;
  }
  for (let n = 0; n < REF_SHARDS; n++) {
    const kept = refs.dirty.has(n) ? undefined : refs.storedId(n);
    if (kept !== undefined) {
      ids.push(kept);
      continue;
    }
    const shard = refs.shardToWrite(n);
    if (Object.keys(shard).length === 0) {
      ids.push('');
      continue;
    }
    const id = uniqueId();
    if (!writeAtomic(shardFile(file, n), JSON.stringify({ id, refs: shard }))) return false;
    ids.push(id);
  }
  return writeAtomic(file, JSON.stringify({ indexId, shards: ids }));
}

/** The aggregate the interaction index keeps beside its summary. */
export const REFS_AGGREGATE: Aggregate<InteractionRefs> = {
  name: 'refs',
  build: (records) => InteractionRefs.built(records),
  answers: (v): v is InteractionRefs => v instanceof InteractionRefs,
  extend: (refs, added) => refs.with(added),
  revise: (refs, added, removed) => refs.revised(added, removed),
  storage: { read: readRefs, write: writeRefs },
};
