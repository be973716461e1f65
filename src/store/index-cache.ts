/**
 * The derived index in `<root>/.touchbase/`: parsed front matter (never bodies) per record type, so
 * a warm command does not read and parse 100k files. It is a pure speed-up: every entry is checked
 * against the files before it is served, and anything that cannot be proven fresh is read again.
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
import fs from 'node:fs';
import path from 'node:path';
import { FOLDER_OF } from '../core/types.js';
import type { Config, CrmRecord, FrontMatter, Problem, RecordType } from '../core/types.js';
import { ensureIndexDir, INDEX_DIR } from './index-dir.js';
import { writeFileAtomic } from './atomic.js';
import { gitSig, readGitState, trackedFiles, type GitState } from './git-status.js';
import { projectData, readRecordFiles, type FileRead, type StatKey } from './bulk-read.js';
import { idFromPath, listRecordFiles, loadRecordsDirect } from './record-files.js';

const VERSION = 5;
/**
 * Entries not vouched for by git (untracked, unwatched, racy) whose paths the index file keeps, so
 * a warm load checks them without reading `.paths`. Past this (a CRM not committed yet) the index
 * file would grow with every path it saves reading: the warm load reads `.paths` instead.
 */
const MAX_LOOSE = 5000;
/** A file touched this close to the scan start (or later) is not trusted. */
const RACY_MS = 1000;

/** 'b' git's blob, 's' stat-checked, 'r' racy (read every time), 'x' not storable as JSON (read every time, never compared). */
type Kind = 'b' | 's' | 'r' | 'x';

/** The index file proper; its paths live in the `.paths` file (read lazily). */
interface IndexFile {
  v: number;
  id: string;
  type: RecordType;
  /** Which keys of each front matter are kept: 'full' or the projection name. */
  variant: string;
  maxFileSize: number;
  mode: 'git' | 'stat';
  /** Signature of git's index file when the snapshot was taken (git mode). */
  sig?: string;
  /** Id of the blob snapshot file this index goes with (git mode). */
  blobsId?: string;
  paths: string[];
  /** One kind letter per entry. */
  kinds: string;
  /** Entry index → [line, message] for files that could not be parsed. */
  problems: Record<string, [number, string]>;
  /** Entry index → stat key, for 's' entries. */
  stats: Record<string, StatKey>;
  /** Tracked paths deleted from the work tree when written (git mode): watched for coming back. */
  gone: string[];
  /** Git mode: record paths not in git's index (untracked or ignored), sorted. */
  untracked?: string[];
  /**
   * Git mode: tracked record paths `git status` does not watch (marked assume-unchanged or
   * skip-worktree, or in conflict), sorted: never trusted as git's blob, always stat-checked.
   */
  unwatched?: string[];
  /** Git mode: entry index → path, for every entry not of kind 'b' (checked without reading `.paths`); absent past MAX_LOOSE. */
  loose?: Record<string, string>;
  /** Git mode: every directory under the folder (and the folder) → signature, or 'r' when racy. */
  dirs?: Record<string, string>;
}

/** An index as read back; its front matter is read from the data file only when needed. */
interface OldIndex extends IndexFile {
  dataFile: string;
  /** Files read ahead for this load (see prereadIndex). */
  preread?: Map<string, unknown>;
  /** Front matter (projected for variants) per entry, null for a file with a problem. */
  data?: Array<FrontMatter | null>;
}

interface DataFile {
  id: string;
  data: Array<FrontMatter | null>;
}

/** The data file does not belong to the index read: another process rewrote it. Rebuild. */
class StaleIndex extends Error {}

function oldData(old: OldIndex): Array<FrontMatter | null> {
  if (!old.data) {
    const f = readJson<Partial<DataFile>>(old.dataFile, old.preread);
    if (!f || typeof f !== 'object' || f.id !== old.id || !Array.isArray(f.data) || f.data.length !== old.kinds.length) throw new StaleIndex();
    old.data = f.data;
  }
  return old.data;
}

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
}

interface BlobsFile {
  id: string;
  paths: string;
  blobs: string;
}

function readBlobs(file: string, id: string | undefined): Map<string, string> | undefined {
  const bf = readJson<BlobsFile>(file);
  if (!bf || typeof bf !== 'object' || bf.id !== id || typeof bf.paths !== 'string' || typeof bf.blobs !== 'string') return undefined;
  const paths = bf.paths === '' ? [] : bf.paths.split('\0');
  const blobs = bf.blobs === '' ? [] : bf.blobs.split(' ');
  if (blobs.length !== paths.length) return undefined;
  const out = new Map<string, string>();
  paths.forEach((p, i) => out.set(p, blobs[i]));
  return out;
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


// ---------------------------------------------------------------------------------------------
// git

// ---------------------------------------------------------------------------------------------
// index files

function indexPath(root: string, type: RecordType, variant: string, what: 'index' | 'blobs' | 'data' | 'paths' | `aggregate:${string}`): string {
  if (what === 'paths') return path.join(root, INDEX_DIR, `${type}.${variant}.paths`);
  const suffix = what === 'index' ? '' : `.${what.startsWith('aggregate:') ? what.slice('aggregate:'.length) : what}`;
  return path.join(root, INDEX_DIR, `${type}.${variant}${suffix}.json`);
}

/** A parsed JSON file, or undefined when it is missing or broken; from `preread` when it was read ahead. */
function readJson<T>(file: string, preread?: Map<string, unknown>): T | undefined {
  if (preread?.has(file)) {
    const value = preread.get(file);
    preread.delete(file);
    return value as T | undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function readIndex(root: string, type: RecordType, variant: string, preread?: Map<string, unknown>): OldIndex | undefined {
  const x = readJson<Omit<OldIndex, 'paths'>>(indexPath(root, type, variant, 'index'), preread);
  if (!x || typeof x !== 'object' || 'paths' in x) return undefined;
  x.dataFile = indexPath(root, type, variant, 'data');
  x.preread = preread;
  // The paths (100k of them for interactions) are read only when a change needs them.
  const pathsFile = indexPath(root, type, variant, 'paths');
  let paths: string[] | undefined;
  Object.defineProperty(x, 'paths', {
    enumerable: true,
    get(): string[] {
      if (!paths) {
        paths = readPaths(pathsFile, x.id);
        if (!paths || paths.length !== x.kinds.length) throw new StaleIndex();
      }
      return paths;
    },
  });
  return x as OldIndex;
}

/** `<id>\n` then the paths joined by NUL: no JSON escaping, one split. */
function readPaths(file: string, id: string): string[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const nl = text.indexOf('\n');
  if (nl < 0 || text.slice(0, nl) !== id) return undefined;
  return nl + 1 === text.length ? [] : text.slice(nl + 1).split('\0');
}

function validIndex(x: OldIndex | undefined, type: RecordType, variant: string, config: Config): x is OldIndex {
  return (
    x !== undefined && x !== null && typeof x === 'object' && x.v === VERSION && typeof x.id === 'string' && x.type === type && x.variant === variant &&
    x.maxFileSize === config.max_file_size && typeof x.kinds === 'string' &&
    typeof x.problems === 'object' && x.problems !== null && typeof x.stats === 'object' && x.stats !== null && Array.isArray(x.gone) &&
    (x.mode !== 'git' || (Array.isArray(x.untracked) && Array.isArray(x.unwatched) && isRecord(x.dirs) && (x.loose === undefined || validLoose(x.kinds, x.loose))))
  );
}

function isRecord(x: unknown): x is Record<string, string> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `loose` names exactly the entries that are not 'b', each by a path. */
function validLoose(kinds: string, loose: unknown): boolean {
  if (!isRecord(loose)) return false;
  let nonBlob = 0;
  for (let i = 0; i < kinds.length; i++) if (kinds.charCodeAt(i) !== 98 /* b */) nonBlob++;
  const keys = Object.keys(loose);
  return keys.length === nonBlob && keys.every((k) => {
    const i = Number(k);
    return String(i) === k && i < kinds.length && kinds[i] !== 'b' && typeof loose[k] === 'string';
  });
}

/**
 * An id that tells one index write from another (and names temp files). Not a secret, so no
 * node:crypto, whose loading alone costs a warm command tens of milliseconds.
 */
function uniqueId(): string {
  return `${Date.now().toString(36)}${process.pid.toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

/** Writes a whole file or nothing; false when it could not (the index is only a speed-up). */
function writeAtomic(file: string, text: string): boolean {
  try {
    writeFileAtomic(file, text, { durable: false });
    return true;
  } catch {
    return false;
  }
}

/** A value JSON cannot carry exactly (NaN, Infinity, -0) makes an entry uncacheable. */
function jsonSafe(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (v === null || typeof v !== 'object') return typeof v !== 'undefined' && typeof v !== 'function' && typeof v !== 'bigint' && typeof v !== 'symbol';
  if (Array.isArray(v)) return v.every(jsonSafe);
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return false;
  for (const k of Object.keys(v)) if (k === '__proto__' || !jsonSafe((v as Record<string, unknown>)[k])) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// reading one file

interface Entry {
  path: string;
  data: FrontMatter | null;
  problem?: [number, string];
  kind: Kind;
  stat?: StatKey;
  /** Not stored. The entry's position in the old index, when its file was there and read again … */
  was?: number;
  /** … and whether what was read differs from what the old index had. */
  differs?: boolean;
}

function statKey(st: fs.Stats): StatKey {
  return [st.size, st.mtimeMs, st.ctimeMs, st.ino];
}

function sameStat(a: StatKey | undefined, b: StatKey): boolean {
  return a !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** The entry for a file just read; the stat taken after reading decides trust. */
function freshEntry(rel: string, r: FileRead, scanStart: number, trusted: 'b' | 's'): Entry {
  let kind: Kind = trusted;
  const st = r.stat;
  // Data JSON would store lossily (NaN prints as null) can never be compared with what is stored.
  if (r.data !== null && !jsonSafe(r.data)) kind = 'x';
  else if (!st || Math.max(st[1], st[2]) >= scanStart - RACY_MS) kind = 'r';
  return { path: rel, data: r.problem ? null : r.data, problem: r.problem, kind, stat: kind === 's' ? st : undefined };
}

function lstatOrUndefined(abs: string, follow: boolean): fs.Stats | undefined {
  try {
    return follow ? fs.statSync(abs) : fs.lstatSync(abs);
  } catch {
    return undefined;
  }
}

/** `<folder>/…/x.md` with no empty or hidden segment below the folder. */
function isRecordPath(rel: string, folder: string): boolean {
  return rel.length > folder.length + 1 && rel.startsWith(folder) && rel.charCodeAt(folder.length) === 47 /* / */ && rel.charCodeAt(folder.length + 1) !== 46 /* . */ && rel.endsWith('.md') && !rel.includes('/.', folder.length) && !rel.includes('//', folder.length);
}

/** Sorted by path, sorting only when needed (git lists its index in order already). */
function sortedPaths(paths: string[]): string[] {
  for (let i = 1; i < paths.length; i++) if (byPath(paths[i - 1], paths[i]) > 0) return paths.sort(byPath);
  return paths;
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// the load

/** Loads one record type through the index, refreshing it as needed. */
export function loadRecordsCached(root: string, type: RecordType, config: Config, problems: Problem[], opts: CachedLoadOptions = {}): CrmRecord[] {
  return cachedLoad(root, type, config, problems, opts).records!;
}

/**
 * An aggregate of one record type through the index: while no file of the type changed, the
 * stored value is served without reading the records (the point of it at 100k interactions).
 */
export function loadAggregateCached<T>(root: string, type: RecordType, config: Config, problems: Problem[], aggregate: Aggregate<T>, opts: CachedLoadOptions = {}): T {
  return cachedLoad(root, type, config, problems, opts, aggregate).value as T;
}

function cachedLoad<T>(root: string, type: RecordType, config: Config, problems: Problem[], opts: CachedLoadOptions, aggregate?: Aggregate<T>): { records?: CrmRecord[]; value?: T } {
  const session = opts.session ?? createSession(root, [type]);
  const variant = opts.projection?.name ?? 'full';
  if (session.git === undefined) session.git = readGitState(root, session.folders, session.now);
  // Racy means: changed after git started looking (it may not have been reported), or within a second before.
  if (session.git) session.scanStart = Math.min(session.scanStart, session.git.startedAt);
  let old = readIndex(root, type, variant, session.preread);
  if (!validIndex(old, type, variant, config) || old.mode !== (session.git ? 'git' : 'stat')) old = undefined;
  try {
    return loadWith(session, type, config, problems, opts, old, aggregate);
  } catch (err) {
    if (!(err instanceof StaleIndex)) throw err;
    return loadWith(session, type, config, problems, opts, undefined, aggregate);
  }
}

function loadWith<T>(session: CacheSession, type: RecordType, config: Config, problems: Problem[], opts: CachedLoadOptions, old: OldIndex | undefined, aggregate?: Aggregate<T>): { records?: CrmRecord[]; value?: T } {
  const { root } = session;
  const variant = opts.projection?.name ?? 'full';
  const keys = opts.projection?.keys;
  const gitState = session.git ?? null;
  const found: Problem[] = [];
  const result = gitState ? refreshGit(session, gitState, type, config, old, keys) : refreshStat(session, type, config, old, keys, found);
  if (!result) {
    const records = loadRecordsDirect(root, type, config, false, problems);
    if (keys) for (const r of records) r.data = projectData(r.data, keys);
    return { records, value: aggregate?.build(records) };
  }
  const { entries, changed } = result;
  // Only how files are checked changed (a racy file now old enough, a commit of what was read):
  // the paths, front matter and aggregate stay, under the same id; only the index file is rewritten.
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
  const aggregateFile = aggregate && indexPath(root, type, variant, `aggregate:${aggregate.name}`);
  /** The aggregate stored for the old index, when it can be served. */
  const storedValue = (): T | undefined => {
    const stored = readJson<{ indexId?: unknown; value?: unknown }>(aggregateFile!, session.preread);
    return stored && typeof stored === 'object' && stored.indexId === old!.id && aggregate!.answers(stored.value) ? stored.value : undefined;
  };
  if (aggregate && sameRecords) {
    const stored = storedValue();
    if (stored !== undefined) {
      if (changed && mayWrite()) writeIndexFile(root, type, variant, config, gitState, old.id, entryChecks(old, entries), result);
      report();
      return { value: stored };
    }
  }
  const toRecord = (p: string, data: FrontMatter | null): CrmRecord => ({ type, id: idFromPath(p), path: p, data: data ?? {} });
  // Files were only added (a `tb log`): the stored aggregate takes them in, nothing else is counted again.
  const added = aggregate?.extend && old && !sameRecords ? additionsOnly(old, entries) : undefined;
  const stored = added ? storedValue() : undefined;
  let value = stored !== undefined ? aggregate!.extend!(stored, added!.filter((e) => !e.problem).map((e) => toRecord(e.path, e.data))) : undefined;
  const records: CrmRecord[] = [];
  if (value === undefined) {
    const data = old && entries.some((x) => typeof x === 'number') ? oldData(old) : undefined;
    for (const x of entries) if (!problemOf(x)) records.push(toRecord(pathOf(x), typeof x === 'number' ? data![x] : x.data));
  }
  let indexId = changed ? undefined : old?.id;
  // Do not record a snapshot if git's index moved while we worked: the next run re-checks.
  if (changed && mayWrite()) {
    if (sameRecords) indexId = writeIndexFile(root, type, variant, config, gitState, old.id, entryChecks(old, entries), result) ? old.id : undefined;
    else indexId = writeIndex(root, type, variant, config, gitState, entries.map((x) => (typeof x === 'number' ? oldEntry(old!, x) : x)), result);
  }
  report();
  if (!aggregate) return { records };
  value ??= aggregate.build(records);
  if (indexId && ensureIndexDir(root)) writeAtomic(aggregateFile!, JSON.stringify({ indexId, value }));
  return { value };
}

/** The entries new to the index, when the others are exactly the old ones unchanged; else undefined. */
function additionsOnly(old: OldIndex, entries: Array<Entry | number>): Entry[] | undefined {
  const added: Entry[] = [];
  let kept = 0;
  for (const x of entries) {
    if (typeof x === 'number') kept++;
    else if (x.was === undefined) added.push(x);
    else if (x.differs) return undefined;
    else kept++;
  }
  return kept === old.kinds.length ? added : undefined;
}

interface Refreshed {
  /** A fresh entry, or the position of an unchanged one in the old index (its data in the data file). */
  entries: Array<Entry | number>;
  /** Anything to record: the entries, or only what freshness needs (kinds, stats, git's state). */
  changed: boolean;
  /** The records themselves differ: a path came or went, or a file read again holds other data. */
  contentChanged: boolean;
  blobs?: Map<string, string>;
  blobsId?: string;
  gone: string[];
  untracked?: string[];
  unwatched?: string[];
  dirs?: Record<string, string>;
}

function sameDirs(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] === a[k]);
}

function oldEntry(old: OldIndex, i: number): Entry {
  const p = old.problems[i];
  return { path: old.paths[i], data: oldData(old)[i], problem: p, kind: old.kinds[i] as Kind, stat: old.stats[i] };
}

/** Whether a file read again holds other data (or problem) than the index has for it. */
function contentDiffers(old: OldIndex | undefined, i: number | undefined, e: Entry): boolean {
  if (old === undefined || i === undefined || old.kinds[i] === 'x' || e.kind === 'x') return true;
  return JSON.stringify(oldData(old)[i]) !== JSON.stringify(e.data) || JSON.stringify(old.problems[i]) !== JSON.stringify(e.problem);
}

/**
 * What a file read again changes: its content, or only how it is checked (a racy file that is
 * now old enough, a touched file). Racy files are read on every run; when the read finds what
 * was stored and the kind is the same, nothing changes.
 */
function readChanges(old: OldIndex | undefined, i: number | undefined, e: Entry): { content: boolean; any: boolean } {
  const content = contentDiffers(old, i, e);
  e.was = i;
  e.differs = content;
  const same = !content && old!.kinds[i!] === e.kind && JSON.stringify(old!.stats[i!]) === JSON.stringify(e.stat);
  return { content, any: !same };
}

/** Walks a sorted list alongside sorted lookups without hashing every path (100k of them). */
class SortedCursor {
  private j = 0;
  constructor(private readonly list: readonly string[]) {}
  /** Position of p in the list, for p given in ascending order; undefined when absent. */
  find(p: string): number | undefined {
    const l = this.list;
    while (this.j < l.length && l[this.j] !== p && l[this.j] < p) this.j++;
    return this.j < l.length && l[this.j] === p ? this.j : undefined;
  }
}

/** Signature of a directory: any entry added, removed or renamed in it changes it. */
function dirSig(st: fs.BigIntStats, scanStart: number): string {
  // Racy: an entry made in the same clock tick as this stat might not change the mtime; relist next time.
  if (Number(st.mtimeMs) >= scanStart - RACY_MS || Number(st.ctimeMs) >= scanStart - RACY_MS) return 'r';
  return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
}

/**
 * Finds the record files the index may lack: every directory under the folder whose signature
 * differs from the one recorded (or is new, or was racy) is listed, and its `.md` files returned.
 * Each directory is stat'ed before it is listed, so a later change always shows in its signature.
 * Null (read directly) for a symbolic link or a nested repository under the folder.
 */
function scanDirs(root: string, folder: string, oldDirs: Record<string, string> | undefined, scanStart: number): { dirs: Record<string, string>; found: string[] } | null {
  const dirs: Record<string, string> = {};
  const found: string[] = [];
  const queue: string[] = [];
  const visit = (rel: string, recorded: string | undefined): boolean => {
    let st: fs.BigIntStats;
    try {
      st = fs.lstatSync(path.join(root, rel), { bigint: true });
    } catch {
      return true; // gone: its parent changed and is listed
    }
    if (st.isSymbolicLink()) return false;
    if (!st.isDirectory()) return true;
    const sig = dirSig(st, scanStart);
    dirs[rel] = sig;
    if (recorded !== undefined && sig !== 'r' && sig === recorded) return true;
    let list: fs.Dirent[];
    try {
      list = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return false;
    }
    for (const e of list) {
      const name = e.name;
      if (name === '.git') return false; // a nested repository
      if (name.startsWith('.')) continue;
      const child = `${rel}/${name}`;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) return false;
      if (!isDir && !isFile) {
        const cst = lstatOrUndefined(path.join(root, child), false);
        if (cst?.isSymbolicLink()) return false;
        isDir = cst?.isDirectory() ?? false;
        isFile = cst?.isFile() ?? false;
      }
      if (isDir) {
        if (oldDirs === undefined || !(child in oldDirs)) queue.push(child);
      } else if (isFile && name.endsWith('.md')) found.push(child);
    }
    return true;
  };
  if (oldDirs) for (const d of Object.keys(oldDirs)) if (d === folder || d.startsWith(`${folder}/`)) if (!visit(d, oldDirs[d])) return null;
  if (!oldDirs || !(folder in oldDirs)) queue.push(folder);
  while (queue.length) {
    const d = queue.pop()!;
    if (d in dirs) continue;
    if (!visit(d, undefined)) return null;
  }
  return { dirs, found: found.sort(byPath) };
}

function refreshGit(session: CacheSession, gs: GitState, type: RecordType, config: Config, old: OldIndex | undefined, keys?: readonly string[]): Refreshed | null {
  const { root, scanStart } = session;
  const folder = FOLDER_OF[type];
  if (!gs.folders.includes(folder)) throw new Error(`git status was not asked about ${folder}/`);
  if (gs.dirs.some((d) => d.startsWith(`${folder}/`) || `${folder}/`.startsWith(d))) return null;
  // Dirty paths of this folder; any that is not a plain file (a symlink) means: read directly.
  const dirtyList: string[] = [];
  for (const p of gs.dirty.keys()) {
    if (!p.startsWith(`${folder}/`)) continue;
    const segs = p.slice(folder.length + 1).split('/');
    if (segs.some((s) => s.startsWith('.'))) continue;
    const st = lstatOrUndefined(path.join(root, p), false);
    if (st && !st.isFile()) return null;
    if (p.endsWith('.md')) dirtyList.push(p);
  }
  dirtyList.sort(byPath);
  const dirty = new Set(dirtyList);
  // Untracked and ignored files: from the directories that changed since the index was written.
  const scan = scanDirs(root, folder, old?.dirs, scanStart);
  if (!scan) return null;
  const oldUntracked = new Set(old?.untracked ?? []);
  const oldGone = new Set(old?.gone ?? []);

  const sigChanged = !old || old.sig !== gs.sig;
  if (old && !sigChanged && !dirtyList.length && !old.gone.length && !scan.found.length) {
    // The common warm case: git reports nothing and no directory changed. Every blob git vouches
    // for holds; the few other entries are checked by the paths the index file keeps for them.
    const quiet = refreshQuiet(session, old, config, keys);
    if (quiet) return { ...quiet, changed: quiet.changed || !sameDirs(old.dirs, scan.dirs), dirs: scan.dirs };
  }
  let tracked: Map<string, string> | null = null;
  let oldBlobs: Map<string, string> | undefined;
  let blobs: Map<string, string> | undefined;
  let blobsId = old?.blobsId;
  let changed = sigChanged;
  let contentChanged = !old;
  let candidates: string[];
  if (sigChanged) {
    tracked = trackedFiles(root, gs, folder);
    if (!tracked) return null;
    if (old) {
      oldBlobs = readBlobs(indexPath(root, type, old.variant, 'blobs'), old.blobsId);
    }
    blobs = new Map();
    for (const [p, b] of tracked) if (b) blobs.set(p, b);
    blobsId = uniqueId();
    const set = new Set<string>();
    for (const p of tracked.keys()) if (isRecordPath(p, folder)) set.add(p);
    for (const p of dirty) set.add(p);
    // Files that were untracked (or stop being tracked, e.g. `git rm --cached`) are in the old paths.
    if (old) for (const p of old.paths) set.add(p);
    for (const p of scan.found) if (isRecordPath(p, folder)) set.add(p);
    candidates = sortedPaths([...set]);
  } else {
    const cur = new SortedCursor(old!.paths);
    const extra: string[] = [];
    for (const p of dirtyList) if (cur.find(p) === undefined) extra.push(p);
    for (const p of old!.gone) if (!dirty.has(p)) extra.push(p);
    const cur2 = new SortedCursor(old!.paths);
    for (const p of scan.found) if (isRecordPath(p, folder) && cur2.find(p) === undefined) extra.push(p);
    candidates = extra.length ? [...new Set([...old!.paths, ...extra])].sort(byPath) : old!.paths;
  }
  const oldUnwatched = new Set(old?.unwatched ?? []);
  /** Tracked, but git status does not report its edits: from git's listing, else as recorded. */
  const isUnwatched = (p: string): boolean => (sigChanged ? tracked!.get(p) === '' : oldUnwatched.has(p));
  /**
   * Not in git's index: with git's index unchanged, a path is tracked iff it was (paths and gone
   * hold every tracked record path, except an unwatched one deleted and made again: it then counts
   * as untracked, which is stat-checked all the same).
   */
  const isUntracked = (p: string, i: number | undefined, isDirty: boolean): boolean => {
    if (sigChanged) return !tracked!.has(p);
    if (i !== undefined) return oldUntracked.has(p);
    return !isDirty && !oldGone.has(p);
  };
  const untracked: string[] = [];

  const entries: Array<Entry | number | null> = [];
  const gone: string[] = [];
  const cursor = old ? new SortedCursor(old.paths) : undefined;
  const dirtyCursor = new SortedCursor(dirtyList);
  const fast = !sigChanged && candidates === old!.paths;
  /** Files to read, each with the slot in `entries` its entry goes to. */
  const toRead: Array<{ slot: number; p: string; i: number | undefined; unt: boolean; isDirty: boolean }> = [];
  const deleted = (p: string, i: number | undefined, unt: boolean, isDirty: boolean) => {
    // A tracked file deleted from the work tree is watched for coming back.
    if (i !== undefined) changed = contentChanged = true;
    if (!unt && (isDirty || (!sigChanged && i === undefined))) gone.push(p);
  };
  for (let k = 0; k < candidates.length; k++) {
    const p = candidates[k];
    const i = fast ? k : cursor?.find(p);
    const isDirty = dirtyList.length > 0 && dirtyCursor.find(p) !== undefined;
    const kind = i === undefined ? undefined : (old!.kinds[i] as Kind);
    const unt = (oldUntracked.size > 0 || sigChanged || i === undefined) && isUntracked(p, i, isDirty);
    if (!isDirty && !unt) {
      // Tracked and equal to git's index: a 'b' entry still holds while its blob is the same.
      if (kind === 'b' && (!sigChanged || (oldBlobs !== undefined && tracked!.get(p) !== '' && oldBlobs.get(p) === tracked!.get(p)))) {
        entries.push(i!);
        continue;
      }
    }
    if (kind === 's') {
      const st = lstatOrUndefined(path.join(root, p), false);
      if (!st) {
        deleted(p, i, unt, isDirty);
        continue;
      }
      if (!st.isFile()) return null;
      if (sameStat(old!.stats[i!], statKey(st))) {
        if (unt) untracked.push(p);
        entries.push(i!);
        continue;
      }
    }
    toRead.push({ slot: entries.length, p, i, unt, isDirty });
    entries.push(null);
  }
  const reads = readRecordFiles({ root, rels: toRead.map((t) => t.p), maxSize: config.max_file_size, projection: keys, follow: false });
  for (let n = 0; n < toRead.length; n++) {
    const { slot, p, i, unt, isDirty } = toRead[n];
    const r = reads[n];
    if (r === 'special') return null; // a symbolic link or other non-file: read directly
    if (r === 'missing') {
      deleted(p, i, unt, isDirty);
      continue;
    }
    if (unt) untracked.push(p);
    const trust = !isDirty && !unt && !isUnwatched(p) ? 'b' : 's';
    const e = freshEntry(p, r, scanStart, trust);
    const delta = readChanges(old, i, e);
    if (delta.content) contentChanged = true;
    if (delta.any) changed = true;
    entries[slot] = e;
  }
  const kept = entries.filter((e): e is Entry | number => e !== null);
  untracked.sort(byPath);
  gone.sort(byPath);
  if (old && kept.length !== old.kinds.length) changed = contentChanged = true;
  if (old && !changed && gone.join('\0') !== old.gone.join('\0')) changed = true;
  if (old && !changed && untracked.join('\0') !== (old.untracked ?? []).join('\0')) changed = true;
  if (old && !changed && !sameDirs(old.dirs, scan.dirs)) changed = true;
  const unwatched = sigChanged ? sortedPaths([...tracked!].filter(([p, b]) => b === '' && isRecordPath(p, folder)).map(([p]) => p)) : (old!.unwatched ?? []);
  return { entries: kept, changed, contentChanged, blobs, blobsId, gone, untracked, unwatched, dirs: scan.dirs };
}

/**
 * The warm case of refreshGit — git's index unchanged, nothing dirty or gone, no directory changed
 * — without reading the paths: every 'b' entry holds, and each other entry (untracked, unwatched,
 * racy …) is checked by the path the index file keeps for it. Null when a file went or turned into
 * something else: the general path sorts that out.
 */
function refreshQuiet(session: CacheSession, old: OldIndex, config: Config, keys: readonly string[] | undefined): Omit<Refreshed, 'dirs'> | null {
  const { root, scanStart } = session;
  const loose = old.loose;
  if (!loose) return null; // too many to keep in the index file: the general path reads the paths
  const entries: Array<Entry | number> = Array.from({ length: old.kinds.length }, (_, i) => i);
  const toRead: number[] = [];
  for (const [k, p] of Object.entries(loose)) {
    const i = Number(k);
    if (old.kinds[i] === 's') {
      const st = lstatOrUndefined(path.join(root, p), false);
      if (!st || !st.isFile()) return null;
      if (sameStat(old.stats[i], statKey(st))) continue;
    }
    toRead.push(i);
  }
  let changed = false;
  let contentChanged = false;
  const untracked = new Set(old.untracked);
  const unwatched = new Set(old.unwatched);
  const reads = readRecordFiles({ root, rels: toRead.map((i) => loose[i]), maxSize: config.max_file_size, projection: keys, follow: false });
  for (let n = 0; n < toRead.length; n++) {
    const i = toRead[n];
    const p = loose[i];
    const r = reads[n];
    if (r === 'missing' || r === 'special') return null;
    const e = freshEntry(p, r, scanStart, untracked.has(p) || unwatched.has(p) ? 's' : 'b');
    const delta = readChanges(old, i, e);
    if (delta.content) contentChanged = true;
    if (delta.any) changed = true;
    entries[i] = e;
  }
  return { entries, changed, contentChanged, blobsId: old.blobsId, gone: [], untracked: old.untracked ?? [], unwatched: old.unwatched ?? [] };
}

/** Outside git: every file is walked and stat'ed. Problems of the walk itself go to `walkProblems`. */
function refreshStat(session: CacheSession, type: RecordType, config: Config, old: OldIndex | undefined, keys: readonly string[] | undefined, walkProblems: Problem[]): Refreshed {
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
    if (i !== undefined && old!.kinds[i] === 's') {
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
    const e = freshEntry(rel, r === 'special' ? { data: null, problem: [0, 'cannot read: not a regular file'] } : r, scanStart, 's');
    const delta = readChanges(old, i, e);
    if (delta.content) contentChanged = true;
    if (delta.any) changed = true;
    entries[slot] = e;
  });
  return { entries: entries.filter((e): e is Entry | number => e !== null), changed, contentChanged, gone: [] };
}

/** Writes the data file, then the index naming it; returns the new index id, or undefined. */
function writeIndex(root: string, type: RecordType, variant: string, config: Config, gs: GitState | null, entries: Entry[], r: Refreshed): string | undefined {
  if (!ensureIndexDir(root)) return undefined;
  // Paths travel as one NUL-joined string: parsing one long string is far cheaper than 100k short ones.
  if (entries.some((e) => e.path.includes('\0'))) return undefined;
  const id = uniqueId();
  const data: DataFile = { id, data: entries.map((e) => (e.problem ? null : e.data)) };
  if (!writeAtomic(indexPath(root, type, variant, 'paths'), `${id}\n${entries.map((e) => e.path).join('\0')}`)) return undefined;
  if (!writeAtomic(indexPath(root, type, variant, 'data'), JSON.stringify(data))) return undefined;
  return writeIndexFile(root, type, variant, config, gs, id, entries, r) ? id : undefined;
}

/** How each entry is checked, without its front matter; the path is needed only when not 'b'. */
type EntryCheck = Pick<Entry, 'kind' | 'problem' | 'stat'> & { path?: string };

/** The checks of entries at the same positions as in `old` (same paths: only how they are checked changed). */
function entryChecks(old: OldIndex, entries: Array<Entry | number>): EntryCheck[] {
  return entries.map((x) => {
    if (typeof x !== 'number') return x;
    const kind = old.kinds[x] as Kind;
    const loose = old.mode === 'git' && kind !== 'b';
    return { kind, problem: old.problems[x], stat: old.stats[x], path: loose ? (old.loose?.[x] ?? old.paths[x]) : undefined };
  });
}

/** The index file proper, naming `id` (whose paths and data files are already written). */
function writeIndexFile(root: string, type: RecordType, variant: string, config: Config, gs: GitState | null, id: string, entries: EntryCheck[], r: Refreshed): boolean {
  if (!ensureIndexDir(root)) return false;
  if (r.blobs && r.blobsId) {
    // Like paths, as two long strings: NUL-joined paths and space-joined blob ids.
    const paths = [...r.blobs.keys()];
    writeAtomic(indexPath(root, type, variant, 'blobs'), JSON.stringify({ id: r.blobsId, paths: paths.join('\0'), blobs: [...r.blobs.values()].join(' ') } satisfies BlobsFile));
  }
  const problems: Record<string, [number, string]> = {};
  const stats: Record<string, StatKey> = {};
  const loose: Record<string, string> = {};
  let kinds = '';
  let complete = true;
  entries.forEach((e, i) => {
    kinds += e.kind;
    if (e.problem) problems[i] = e.problem;
    if (e.kind === 's' && e.stat) stats[i] = e.stat;
    if (gs && e.kind !== 'b') {
      if (e.path === undefined) complete = false;
      else loose[i] = e.path;
    }
  });
  if (!complete) return false;
  const keepLoose = Object.keys(loose).length <= MAX_LOOSE;
  const file: Omit<IndexFile, 'paths'> = {
    v: VERSION, id, type, variant, maxFileSize: config.max_file_size, mode: gs ? 'git' : 'stat', sig: gs?.sig, blobsId: gs ? r.blobsId : undefined,
    kinds, problems, stats, gone: r.gone,
    untracked: gs ? (r.untracked ?? []) : undefined, unwatched: gs ? (r.unwatched ?? []) : undefined, loose: gs && keepLoose ? loose : undefined,
    dirs: gs ? (r.dirs ?? {}) : undefined,
  };
  return writeAtomic(indexPath(root, type, variant, 'index'), JSON.stringify(file));
}
