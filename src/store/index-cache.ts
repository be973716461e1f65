/**
 * The derived index in `<root>/.touchbase/`: parsed front matter (never bodies) per record type, so
 * a warm command does not read and parse 100k files. It is a pure speed-up: every entry is checked
 * against the files before it is served, and anything that cannot be proven fresh is read again
 * (docs/architecture.md, "The index"). This module is the load; the files on disk are
 * index-format.ts, freshness in git index-git.ts, outside git index-stat.ts.
 *
 * Freshness:
 * - Inside a git work tree, git's own change detection does the per-file work. The index remembers
 *   the stat signature of git's index file and a snapshot of the blob id of every tracked record
 *   file. While git's index is unchanged and `git status` does not report a path, the file still
 *   equals the blob it had when read (entries of kind 'b'). When git's index changes (commit, pull,
 *   checkout, add), `git ls-files -s` blob ids are compared with the snapshot. Files git reports as
 *   modified are checked by stat (kind 's').
 * - Untracked and ignored files are not asked of git (`status -uno` is far cheaper): the index keeps
 *   a signature (inode, mtime and ctime in ns) of every directory under the folder. A directory
 *   whose signature differs, that is new, or that was racy when recorded is listed again, and every
 *   `.md` file in it that the index lacks is read. Files known to be untracked are listed in
 *   `untracked`, are always of kind 's' (or 'r'), and are stat-checked on every load.
 * - Elsewhere every file is walked and stat'ed: size, mtime, ctime and inode must all match.
 * - Tracked files git status does not watch (assume-unchanged, skip-worktree, conflicts: no blob in
 *   `git ls-files -s -v`) are listed in `unwatched` and always stat-checked, never trusted as blobs.
 * - While git's index is unchanged, nothing is dirty or gone and no directory changed, the entries
 *   that are not git's blob are checked by the paths the index file keeps for them (`loose`), and
 *   the 100k paths are not read at all (refreshQuiet).
 * - Racy files (modified less than a second before the scan started, by mtime or ctime — an editor
 *   may restore the mtime, but never the ctime) are never trusted (kind 'r'): they are read every
 *   time until a later scan finds them old enough.
 * Front matter JSON cannot store exactly (NaN, Infinity, -0) is kept as kind 'x': read every time
 * and always counted as a change, since its stored copy cannot be compared.
 * Problems (unparseable files) are cached like data, so warnings are identical with or without it.
 *
 * Files, per record type and variant: `<type>.<variant>.json` (kinds, stats, directory signatures:
 * what freshness needs), `.paths` (read only when something changed or records are wanted),
 * `.data.json` (the front matter, read only when records are wanted), `.blobs.json` (git mode)
 * and, for an aggregate such as the interaction summary, `.<name>.json`. Each names the id of the
 * index it belongs to. All are written atomically (temp + rename); a missing, corrupt, foreign
 * or mismatched file is ignored and rebuilt; two writers at once only cost a rebuild.
 */
import { FOLDER_OF } from '../core/types.js';
import type { Config, CrmRecord, FrontMatter, Problem, RecordType } from '../core/types.js';
import { ensureIndexDir } from './index-dir.js';
import { gitSig, readGitState, type GitState } from './git-status.js';
import { projectData } from './bulk-read.js';
import { idFromPath, loadRecordsDirect } from './record-files.js';
import {
  entryChecks, indexPath, readIndex, readJson, StaleIndex, storedData, validIndex, writeAtomic, writeIndex, writeIndexFile, type StoredIndex,
} from './index-format.js';
import { EntryKinds, storedEntry, type Entry } from './index-entries.js';
import { refreshGit } from './index-git.js';
import { refreshStat } from './index-stat.js';
import { reportProgress } from './progress.js';

/**
 * A value computed from all records of a type (the interaction summary), cached next to the index
 * and served without reading the records while nothing changed.
 */
export interface Aggregate<T> {
  /** Names its file. */
  name: string;
  build(records: CrmRecord[]): T;
  /** Whether a value read back (JSON) can be served as is. */
  answers(value: unknown): value is T;
  /** The value with `added` records folded in (none already counted); undefined: build it afresh. */
  extend?(value: T, added: CrmRecord[]): T | undefined;
  /**
   * The value with `removed` (as the old index had them) taken out and `added` put in: what a
   * commit or an edit changed, without the records that stayed; undefined: build it afresh.
   */
  revise?(value: T, added: CrmRecord[], removed: CrmRecord[]): T | undefined;
  /**
   * Kept otherwise than as one JSON file `{ indexId, value }` (the interactions by contact are
   * sharded, index-refs.ts): the value stored for index `indexId` or undefined; store a value.
   */
  storage?: AggregateStorage<T>;
}

export interface AggregateStorage<T> {
  read(file: string, indexId: string): T | undefined;
  write(file: string, indexId: string, value: T): boolean;
}

/** One load: git is asked once, whatever the number of types. */
export interface CacheSession {
  root: string;
  folders: string[];
  /** The clock files are judged racy by (injectable, so tests need not wait out the window). */
  now: () => number;
  scanStart: number;
  git?: GitState | null;
  /** Index files already read and parsed, by path (prereadIndex). */
  preread?: Map<string, unknown>;
}

/** An index a load is about to use: which files of it to read ahead. */
export interface IndexWant {
  type: RecordType;
  /** 'full', or a projection's name. */
  variant: string;
  /** The front matter too (it will be needed whatever changed). */
  data: boolean;
  aggregate?: string;
}

/**
 * Reads and parses the index files a load will use before git has answered, so the two overlap:
 * nothing read here is trusted until the load has checked it against git's answer and the ids.
 */
export function prereadIndex(session: CacheSession, wants: readonly IndexWant[]): void {
  const preread = (session.preread ??= new Map());
  for (const w of wants) {
    const files = [indexPath(session.root, w.type, w.variant, 'index')];
    if (w.data) files.push(indexPath(session.root, w.type, w.variant, 'data'));
    if (w.aggregate) files.push(indexPath(session.root, w.type, w.variant, `aggregate:${w.aggregate}`));
    for (const f of files) preread.set(f, readJson(f));
  }
}

export function createSession(root: string, types: readonly RecordType[], now: () => number = Date.now): CacheSession {
  return { root, folders: types.map((t) => FOLDER_OF[t]), now, scanStart: now() };
}

export interface CachedLoadOptions {
  /** Keep only these front matter keys (a projection), named for its index file. */
  projection?: { name: string; keys: readonly string[] };
  session?: CacheSession;
}

/** Loads one record type through the index, refreshing it as needed. */
export function loadRecordsCached(root: string, type: RecordType, config: Config, problems: Problem[], opts: CachedLoadOptions = {}): CrmRecord[] {
  return cachedLoad(root, type, config, problems, opts).records!;
}

/**
 * Aggregates of one record type through the index: while no file of the type changed, the stored
 * values are served without reading the records (the point of it at 100k interactions). They are
 * kept together, so that one command's load never leaves another's aggregate behind.
 */
export function loadAggregatesCached(root: string, type: RecordType, config: Config, problems: Problem[], aggregates: ReadonlyArray<Aggregate<unknown>>, opts: CachedLoadOptions = {}): unknown[] {
  return cachedLoad(root, type, config, problems, opts, aggregates).values!;
}

function cachedLoad(root: string, type: RecordType, config: Config, problems: Problem[], opts: CachedLoadOptions, aggregates: ReadonlyArray<Aggregate<unknown>> = []): Loaded {
  const session = opts.session ?? createSession(root, [type]);
  const variant = opts.projection?.name ?? 'full';
  if (session.git === undefined) session.git = readGitState(root, session.folders, session.now);
  // Racy means: changed after git started looking (it may not have been reported), or within a second before.
  if (session.git) session.scanStart = Math.min(session.scanStart, session.git.startedAt);
  let old = readIndex(root, type, variant, session.preread);
  if (!validIndex(old, type, variant, config) || old.mode !== (session.git ? 'git' : 'stat')) old = undefined;
  try {
    return loadWith(session, type, config, problems, opts, old, aggregates);
  } catch (err) {
    if (!(err instanceof StaleIndex)) throw err;
    return loadWith(session, type, config, problems, opts, undefined, aggregates);
  }
}

/** The records (without aggregates) or the aggregates' values, in their order. */
interface Loaded {
  records?: CrmRecord[];
  values?: unknown[];
}

function loadWith(session: CacheSession, type: RecordType, config: Config, problems: Problem[], opts: CachedLoadOptions, old: StoredIndex | undefined, aggregates: ReadonlyArray<Aggregate<unknown>>): Loaded {
  const { root } = session;
  const variant = opts.projection?.name ?? 'full';
  const keys = opts.projection?.keys;
  const gitState = session.git ?? null;
  const found: Problem[] = [];
  reportProgress(`checking ${FOLDER_OF[type]}`, 0, 0);
  const result = gitState ? refreshGit(session, gitState, type, config, old, keys) : refreshStat(session, type, config, old, keys, found);
  if (!result) {
    const records = loadRecordsDirect(root, type, config, false, problems);
    if (keys) for (const r of records) r.data = projectData(r.data, keys);
    return aggregates.length ? { values: aggregates.map((a) => a.build(records)) } : { records };
  }
  const { entries, changed } = result;
  // Only how files are checked changed (a racy file now old enough, a commit of what was read):
  // the paths, front matter and aggregates stay, under the same id; only the index file is rewritten.
  const sameRecords = old !== undefined && !result.contentChanged;
  const mayWrite = () => !(gitState && gitSig(gitState.indexFile) !== gitState.sig);
  const problemOf = (x: Entry | number): [number, string] | undefined => (typeof x === 'number' ? old!.problems[x] : x.problem);
  const pathOf = (x: Entry | number): string => (typeof x === 'number' ? old!.paths[x] : x.path);
  const report = () => {
    problems.push(...found);
    for (const x of entries) {
      const p = problemOf(x);
      if (p) problems.push({ path: pathOf(x), line: p[0], message: p[1], severity: 'error' });
    }
  };
  const fileOf = (a: Aggregate<unknown>) => indexPath(root, type, variant, `aggregate:${a.name}`);
  const toRecord = (p: string, data: FrontMatter | null): CrmRecord => ({ type, id: idFromPath(p), path: p, data: data ?? {} });
  // Files were only added (a `tb log`): stored aggregates take them in, nothing else is counted again.
  // Aggregates that can take changes out too (`revise`) are told what changed, and only that.
  const changes = aggregates.some((a) => a.extend || a.revise) && old && !sameRecords ? changesOf(old, entries) : undefined;
  const addedRecords = changes?.added.filter((e) => !e.problem).map((e) => toRecord(e.path, e.data));
  const removedRecords = () => {
    const data = storedData(old!);
    return changes!.removed.filter((i) => !old!.problems[i]).map((i) => toRecord(old!.paths[i], data[i]));
  };
  const values = aggregates.map((a) => {
    if (!old) return undefined;
    if (sameRecords) return storedAggregate(a, fileOf(a), old.id, session.preread);
    const additions = changes && changes.removed.length === 0;
    if (!changes || !((additions && a.extend) || a.revise)) return undefined;
    const stored = storedAggregate(a, fileOf(a), old.id, session.preread);
    if (stored === undefined) return undefined;
    return additions && a.extend ? a.extend(stored, addedRecords!) : a.revise!(stored, addedRecords!, removedRecords());
  });
  const served = sameRecords && values.every((v) => v !== undefined);
  const records: CrmRecord[] = [];
  if (!aggregates.length || values.some((v) => v === undefined)) {
    const data = old && entries.some((x) => typeof x === 'number') ? storedData(old) : undefined;
    for (const x of entries) if (!problemOf(x)) records.push(toRecord(pathOf(x), typeof x === 'number' ? data![x] : x.data));
  }
  let indexId = changed ? undefined : old?.id;
  // Do not record a snapshot if git's index moved while we worked: the next run re-checks.
  if (changed && mayWrite()) {
    // A first index of a million interactions takes seconds to write: the line says so (on a terminal).
    reportProgress('writing the index', 0, 0);
    if (sameRecords) indexId = writeIndexFile(root, type, variant, config, gitState, old.id, entryChecks(old, entries), result) ? old.id : undefined;
    else indexId = writeIndex(root, type, variant, config, gitState, entries.map((x) => (typeof x === 'number' ? storedEntry(old!, x) : x)), result);
  }
  report();
  if (!aggregates.length) return { records };
  const out = values.map((v, i) => v ?? aggregates[i].build(records));
  if (indexId && !served && ensureIndexDir(root)) {
    // A value read back under the same id is on disk already; any other is stored for the new id.
    aggregates.forEach((a, i) => {
      if (sameRecords && values[i] !== undefined) return;
      storeAggregate(a, fileOf(a), indexId!, out[i]);
    });
  }
  return { values: out };
}

/** The value of `a` stored for index `indexId`, when it can be served. */
function storedAggregate(a: Aggregate<unknown>, file: string, indexId: string, preread: Map<string, unknown> | undefined): unknown {
  if (a.storage) return a.storage.read(file, indexId);
  const stored = readJson<{ indexId?: unknown; value?: unknown }>(file, preread);
  return stored && typeof stored === 'object' && stored.indexId === indexId && a.answers(stored.value) ? stored.value : undefined;
}

function storeAggregate(a: Aggregate<unknown>, file: string, indexId: string, value: unknown): void {
  if (a.storage) a.storage.write(file, indexId, value);
  else writeAtomic(file, JSON.stringify({ indexId, value }));
}

/** Past this many removed or changed entries, building an aggregate afresh is cheaper than revising it. */
const MAX_REVISED = 2000;

/**
 * The entries new or changed since the old index, and the old positions removed or changed; undefined
 * when too many were removed or changed, or an old entry that changed cannot be known exactly (kind 'x').
 */
function changesOf(old: StoredIndex, entries: Array<Entry | number>): { added: Entry[]; removed: number[] } | undefined {
  const added: Entry[] = [];
  const kept = new Uint8Array(old.kinds.length);
  for (const x of entries) {
    if (typeof x === 'number') kept[x] = 1;
    else if (x.was === undefined) added.push(x);
    else if (x.differs) added.push(x);
    else kept[x.was] = 1;
  }
  const removed: number[] = [];
  for (let i = 0; i < kept.length; i++) {
    if (kept[i]) continue;
    if (old.kinds[i] === EntryKinds.unstorable || removed.push(i) > MAX_REVISED) return undefined;
  }
  return { added, removed };
}
