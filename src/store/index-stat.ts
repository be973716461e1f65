/** Freshness outside git: every file is walked and stat'ed (docs/architecture.md, "The index"). */
import type { Config, Problem, RecordType } from '../core/types.js';
import { readRecordFiles } from './bulk-read.js';
import { listRecordFiles } from './record-files.js';
import type { StoredIndex } from './index-format.js';
import { EntryKinds, freshEntry, lstatOrUndefined, readChanges, sameStat, statKey, type Entry, type Refreshed } from './index-entries.js';
import type { CacheSession } from './index-cache.js';

/** Outside git: every file is walked and stat'ed. Problems of the walk itself go to `walkProblems`. */
export function refreshStat(session: CacheSession, type: RecordType, config: Config, old: StoredIndex | undefined, keys: readonly string[] | undefined, walkProblems: Problem[]): Refreshed {
  const { root, scanStart } = session;
  const files = listRecordFiles(root, type, walkProblems);
  const oldIndex = new Map<string, number>();
  if (old) old.paths.forEach((p, i) => oldIndex.set(p, i));
  let changed = !old || files.length !== old.kinds.length;
  let contentChanged = changed;
  const entries: Array<Entry | number | null> = [];
  const toRead: Array<{ slot: number; rel: string; i: number | undefined }> = [];
  for (const f of files) {
    const i = oldIndex.get(f.rel);
    if (i !== undefined && old!.kinds[i] === EntryKinds.statChecked) {
      const st = lstatOrUndefined(f.abs, true);
      if (st && sameStat(old!.stats[i], statKey(st))) {
        entries.push(i);
        continue;
      }
    }
    toRead.push({ slot: entries.length, rel: f.rel, i });
    entries.push(null);
  }
  const reads = readRecordFiles({ root, rels: toRead.map((t) => t.rel), maxSize: config.max_file_size, projection: keys, follow: true });
  toRead.forEach(({ slot, rel, i }, n) => {
    const r = reads[n];
    if (r === 'missing') return void (changed = contentChanged = true); // gone since the walk
    const e = freshEntry(rel, r === 'special' ? { data: null, problem: [0, 'cannot read: not a regular file'] } : r, scanStart, EntryKinds.statChecked);
    const delta = readChanges(old, i, e);
    if (delta.content) contentChanged = true;
    if (delta.any) changed = true;
    entries[slot] = e;
  });
  return { entries: entries.filter((e): e is Entry | number => e !== null), changed, contentChanged, gone: [] };
}
