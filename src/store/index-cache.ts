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
 * - Racy files (modified less than a second before the scan started, by mtime or ctime — an editor
 *   may restore the mtime, but never the ctime) are never trusted (kind 'r'): they are read every
 *   time until a later scan finds them old enough.
 * Problems (unparseable files) are cached like data, so warnings are identical with or without it.
 * Files are written atomically (temp + rename); a missing, corrupt or foreign file is ignored and
 * rebuilt; two writers at once only cost a rebuild.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FOLDER_OF } from '../core/types.js';
import type { Config, CrmRecord, FrontMatter, Problem, RecordType } from '../core/types.js';
import { git } from './git.js';
import { decodeText, parseRecordText } from './frontmatter.js';
import { idFromPath, listRecordFiles, loadRecordsDirect, problemFromError } from './load.js';
import { DataError } from '../errors.js';

const VERSION = 2;
export const INDEX_DIR = '.touchbase';
/** A file touched this close to the scan start (or later) is not trusted. */
const RACY_MS = 1000;

type Kind = 'b' | 's' | 'r';
/** [size, mtimeMs, ctimeMs, ino] */
type StatKey = [number, number, number, number];

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
  /** Front matter (projected for variants), null for a file with a problem. */
  data: Array<FrontMatter | null>;
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
  /** Git mode: every directory under the folder (and the folder) → signature, or 'r' when racy. */
  dirs?: Record<string, string>;
}

interface BlobsFile {
  id: string;
  paths: string;
  blobs: string;
}

function readBlobs(file: string, id: string | undefined): Record<string, string> | undefined {
  const bf = readJson<BlobsFile>(file);
  if (!bf || typeof bf !== 'object' || bf.id !== id || typeof bf.paths !== 'string' || typeof bf.blobs !== 'string') return undefined;
  const paths = bf.paths === '' ? [] : bf.paths.split('\0');
  const blobs = bf.blobs === '' ? [] : bf.blobs.split(' ');
  if (blobs.length !== paths.length) return undefined;
  const out: Record<string, string> = {};
  paths.forEach((p, i) => (out[p] = blobs[i]));
  return out;
}

interface GitState {
  prefix: string;
  indexFile: string;
  sig: string;
  /** Root-relative path → status XY, for paths whose work-tree file differs from git's index. */
  dirty: Map<string, string>;
  /** Root-relative directories git reports as a whole (nested repositories). */
  dirs: string[];
}

/** One load: git is asked once, whatever the number of types. */
export interface CacheSession {
  root: string;
  folders: string[];
  scanStart: number;
  git?: GitState | null;
}

export function createSession(root: string, types: readonly RecordType[]): CacheSession {
  return { root, folders: types.map((t) => FOLDER_OF[t]), scanStart: Date.now() };
}

export interface CachedLoadOptions {
  /** Keep only these front matter keys (a projection), named for its index file. */
  projection?: { name: string; keys: readonly string[] };
  session?: CacheSession;
}

export function projectData(data: FrontMatter, keys: readonly string[]): FrontMatter {
  const out: FrontMatter = {};
  for (const k of Object.keys(data)) if (keys.includes(k)) out[k] = data[k];
  return out;
}

// ---------------------------------------------------------------------------------------------
// git state

function gitSig(file: string): string {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return 'none';
  }
}

function readGitState(session: CacheSession): GitState | null {
  const { root } = session;
  if (!fs.existsSync(path.join(root, '.git')) && !hasGitAbove(root)) return null;
  const rp = git(root, ['rev-parse', '--is-inside-work-tree', '--show-prefix', '--git-path', 'index']);
  if (!rp.ok) return null;
  const lines = rp.stdout.split('\n');
  if (lines[0] !== 'true') return null;
  const prefix = lines[1] ?? '';
  const indexFile = path.resolve(root, lines[2] ?? '.git/index');
  const sig = gitSig(indexFile);
  // Untracked and ignored files are found by listing changed directories (see scanDirs).
  const st = git(root, ['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=no', '--no-renames', '--', ...session.folders]);
  if (!st.ok) return null;
  const dirty = new Map<string, string>();
  const dirs: string[] = [];
  for (const item of st.stdout.split('\0')) {
    if (item.length < 4) continue;
    const xy = item.slice(0, 2);
    let p = item.slice(3);
    if (!p.startsWith(prefix)) continue;
    p = p.slice(prefix.length);
    const x = xy[0];
    const y = xy[1];
    const unmerged = x === 'U' || y === 'U' || xy === 'AA' || xy === 'DD';
    if (y === ' ' && !unmerged) continue; // the work tree equals git's index
    if (p.endsWith('/')) dirs.push(p);
    else dirty.set(p, xy);
  }
  return { prefix, indexFile, sig, dirty, dirs };
}

function hasGitAbove(dir: string): boolean {
  let d = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(d);
    if (parent === d) return false;
    d = parent;
    if (fs.existsSync(path.join(d, '.git'))) return true;
  }
}

/** Tracked files of a folder: path → blob id ('' for anything but a plain stage-0 file). */
function lsFiles(root: string, folder: string): Map<string, string> | null {
  const r = git(root, ['ls-files', '-s', '-z', '--', folder]);
  if (!r.ok) return null;
  const out = new Map<string, string>();
  for (const item of r.stdout.split('\0')) {
    if (!item) continue;
    const tab = item.indexOf('\t');
    const p = item.slice(tab + 1);
    const mode = item.slice(0, 6);
    if (mode === '120000' || mode === '160000') return null; // symlinks and submodules: read directly
    const stage = item.charCodeAt(tab - 1);
    out.set(p, stage === 48 /* '0' */ && !out.has(p) ? item.slice(7, item.indexOf(' ', 7)) : ''); // SHA-1 or SHA-256
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// index files

function indexPath(root: string, type: RecordType, variant: string, what: 'index' | 'blobs'): string {
  return path.join(root, INDEX_DIR, `${type}.${variant}${what === 'blobs' ? '.blobs' : ''}.json`);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function readIndex(file: string): IndexFile | undefined {
  const x = readJson<Omit<IndexFile, 'paths'> & { paths: unknown }>(file);
  if (!x || typeof x !== 'object' || typeof x.paths !== 'string') return undefined;
  return { ...x, paths: x.paths === '' ? [] : x.paths.split('\0') };
}

function validIndex(x: IndexFile | undefined, type: RecordType, variant: string, config: Config): x is IndexFile {
  return (
    x !== undefined && x !== null && typeof x === 'object' && x.v === VERSION && x.type === type && x.variant === variant &&
    x.maxFileSize === config.max_file_size && Array.isArray(x.paths) && Array.isArray(x.data) &&
    x.paths.length === x.data.length && typeof x.kinds === 'string' && x.kinds.length === x.paths.length &&
    typeof x.problems === 'object' && x.problems !== null && typeof x.stats === 'object' && x.stats !== null && Array.isArray(x.gone) &&
    (x.mode !== 'git' || (Array.isArray(x.untracked) && typeof x.dirs === 'object' && x.dirs !== null && !Array.isArray(x.dirs)))
  );
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* nothing to clean */
    }
  }
}

function ensureDir(root: string): boolean {
  const dir = path.join(root, INDEX_DIR);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const ignore = path.join(dir, '.gitignore');
    if (!fs.existsSync(ignore)) writeAtomic(ignore, '# touchbase index: derived, never committed\n*\n');
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
}

function statKey(st: fs.Stats): StatKey {
  return [st.size, st.mtimeMs, st.ctimeMs, st.ino];
}

function sameStat(a: StatKey | undefined, b: StatKey): boolean {
  return a !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** Reads and parses one file the way parseRecordFile does; the stat taken after reading decides trust. */
function readEntry(root: string, rel: string, maxSize: number, scanStart: number, trusted: 'b' | 's', projection?: readonly string[]): Entry {
  const abs = path.join(root, rel);
  let data: FrontMatter | null = null;
  let problem: [number, string] | undefined;
  let after: fs.Stats | undefined;
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, 'r');
    const before = fs.fstatSync(fd);
    if (before.size > maxSize) throw new DataError(`file is ${before.size} bytes, over the ${maxSize}-byte limit; not parsed`, { path: rel, line: 0 });
    const text = decodeText(readFd(fd, before.size), rel);
    data = parseRecordText(text, rel).data;
    if (projection) data = projectData(data, projection);
  } catch (err) {
    const p = problemFromError(rel, err);
    problem = [p.line, p.message];
    data = null;
  } finally {
    if (fd !== undefined) {
      try {
        after = fs.fstatSync(fd);
      } catch {
        after = undefined;
      }
      fs.closeSync(fd);
    }
  }
  let kind: Kind = trusted;
  if (!after || Math.max(after.mtimeMs, after.ctimeMs) >= scanStart - RACY_MS) kind = 'r';
  else if (data !== null && !jsonSafe(data)) kind = 'r';
  return { path: rel, data, problem, kind, stat: after && kind === 's' ? statKey(after) : undefined };
}

/** Reads `size` bytes from an open file: the size is already known, so no second fstat. */
function readFd(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  while (off < size) {
    const n = fs.readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return off === size ? buf : buf.subarray(0, off);
}

function lstatOrUndefined(abs: string, follow: boolean): fs.Stats | undefined {
  try {
    return follow ? fs.statSync(abs) : fs.lstatSync(abs);
  } catch {
    return undefined;
  }
}

function isRecordPath(rel: string, folder: string): boolean {
  if (!rel.startsWith(`${folder}/`) || !rel.endsWith('.md')) return false;
  return !rel.slice(folder.length + 1).split('/').some((seg) => seg.startsWith('.') || seg === '');
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// the load

/** Loads one record type through the index, refreshing it as needed. */
export function loadRecordsCached(root: string, type: RecordType, config: Config, problems: Problem[], opts: CachedLoadOptions = {}): CrmRecord[] {
  const session = opts.session ?? createSession(root, [type]);
  const projection = opts.projection;
  const variant = projection?.name ?? 'full';
  const keys = projection?.keys;
  const direct = (): CrmRecord[] => {
    const recs = loadRecordsDirect(root, type, config, false, problems);
    if (keys) for (const r of recs) r.data = projectData(r.data, keys);
    return recs;
  };
  if (session.git === undefined) session.git = readGitState(session);
  const gitState = session.git;
  let old = readIndex(indexPath(root, type, variant, 'index'));
  if (!validIndex(old, type, variant, config) || old.mode !== (gitState ? 'git' : 'stat')) old = undefined;
  const result = gitState ? refreshGit(session, gitState, type, config, old, keys) : refreshStat(session, type, config, old, keys, problems);
  if (!result) return direct();
  const { entries, changed } = result;

  const records: CrmRecord[] = [];
  for (const x of entries) {
    if (typeof x === 'number') {
      const p = old!.paths[x];
      const problem = old!.problems[x];
      if (problem) problems.push({ path: p, line: problem[0], message: problem[1], severity: 'error' });
      else records.push({ type, id: idFromPath(p), path: p, data: old!.data[x] ?? {} });
    } else if (x.problem) problems.push({ path: x.path, line: x.problem[0], message: x.problem[1], severity: 'error' });
    else records.push({ type, id: idFromPath(x.path), path: x.path, data: x.data ?? {} });
  }
  if (changed) {
    // Do not record a snapshot if git's index moved while we worked: the next run re-checks.
    if (gitState && gitSig(gitState.indexFile) !== gitState.sig) return records;
    writeIndex(root, type, variant, config, gitState, entries.map((x) => (typeof x === 'number' ? oldEntry(old!, x) : x)), result.blobs, result.blobsId, result.gone, result.untracked, result.dirs);
  }
  return records;
}

interface Refreshed {
  /** A fresh entry, or the position of an unchanged one in the old index. */
  entries: Array<Entry | number>;
  changed: boolean;
  blobs?: Record<string, string>;
  blobsId?: string;
  gone: string[];
  untracked?: string[];
  dirs?: Record<string, string>;
}

function sameDirs(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] === a[k]);
}

function oldEntry(old: IndexFile, i: number): Entry {
  const p = old.problems[i];
  return { path: old.paths[i], data: old.data[i], problem: p, kind: old.kinds[i] as Kind, stat: old.stats[i] };
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

function refreshGit(session: CacheSession, gs: GitState, type: RecordType, config: Config, old: IndexFile | undefined, keys?: readonly string[]): Refreshed | null {
  const { root, scanStart } = session;
  const folder = FOLDER_OF[type];
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
  let tracked: Map<string, string> | null = null;
  let oldBlobs: Record<string, string> | undefined;
  let blobs: Record<string, string> | undefined;
  let blobsId = old?.blobsId;
  let changed = sigChanged;
  let candidates: string[];
  if (sigChanged) {
    tracked = lsFiles(root, folder);
    if (!tracked) return null;
    if (old) {
      oldBlobs = readBlobs(indexPath(root, type, old.variant, 'blobs'), old.blobsId);
    }
    blobs = {};
    for (const [p, b] of tracked) if (b) blobs[p] = b;
    blobsId = randomBytes(6).toString('hex');
    const set = new Set<string>();
    for (const p of tracked.keys()) if (isRecordPath(p, folder)) set.add(p);
    for (const p of dirty) set.add(p);
    // Files that were untracked (or stop being tracked, e.g. `git rm --cached`) are in the old paths.
    if (old) for (const p of old.paths) set.add(p);
    for (const p of scan.found) if (isRecordPath(p, folder)) set.add(p);
    candidates = [...set].sort(byPath);
  } else {
    const cur = new SortedCursor(old!.paths);
    const extra: string[] = [];
    for (const p of dirtyList) if (cur.find(p) === undefined) extra.push(p);
    for (const p of old!.gone) if (!dirty.has(p)) extra.push(p);
    const cur2 = new SortedCursor(old!.paths);
    for (const p of scan.found) if (isRecordPath(p, folder) && cur2.find(p) === undefined) extra.push(p);
    candidates = extra.length ? [...new Set([...old!.paths, ...extra])].sort(byPath) : old!.paths;
  }
  /** Not in git's index: with git's index unchanged, a path is tracked iff it was (paths and gone hold every tracked record path). */
  const isUntracked = (p: string, i: number | undefined, isDirty: boolean): boolean => {
    if (sigChanged) return !tracked!.has(p);
    if (i !== undefined) return oldUntracked.has(p);
    return !isDirty && !oldGone.has(p);
  };
  const untracked: string[] = [];

  const entries: Array<Entry | number> = [];
  const gone: string[] = [];
  const cursor = old ? new SortedCursor(old.paths) : undefined;
  const dirtyCursor = new SortedCursor(dirtyList);
  const fast = !sigChanged && candidates === old!.paths;
  for (let k = 0; k < candidates.length; k++) {
    const p = candidates[k];
    const i = fast ? k : cursor?.find(p);
    const isDirty = dirtyList.length > 0 && dirtyCursor.find(p) !== undefined;
    const kind = i === undefined ? undefined : (old!.kinds[i] as Kind);
    const unt = (oldUntracked.size > 0 || sigChanged || i === undefined) && isUntracked(p, i, isDirty);
    if (!isDirty && !unt) {
      // Tracked and equal to git's index: a 'b' entry still holds while its blob is the same.
      if (kind === 'b' && (!sigChanged || (oldBlobs !== undefined && tracked!.get(p) !== '' && oldBlobs[p] === tracked!.get(p)))) {
        entries.push(i!);
        continue;
      }
    }
    const st = lstatOrUndefined(path.join(root, p), false);
    if (!st) {
      // Deleted. A tracked file deleted from the work tree is watched for coming back.
      if (i !== undefined) changed = true;
      if (!unt && (isDirty || (!sigChanged && i === undefined))) gone.push(p);
      continue;
    }
    if (!st.isFile()) return null;
    if (unt) untracked.push(p);
    if (kind === 's' && sameStat(old!.stats[i!], statKey(st))) {
      entries.push(i!);
      continue;
    }
    const prev = i === undefined ? undefined : oldEntry(old!, i);
    const trust = !isDirty && !unt && (!sigChanged || tracked!.get(p) !== '') ? 'b' : 's';
    const e = readEntry(root, p, config.max_file_size, scanStart, trust, keys);
    if (!prev || prev.kind !== 'r' || e.kind !== 'r' || JSON.stringify(prev.data) !== JSON.stringify(e.data) || JSON.stringify(prev.problem) !== JSON.stringify(e.problem)) changed = true;
    entries.push(e);
  }
  if (old && !changed && entries.length !== old.paths.length) changed = true;
  if (old && !changed && gone.join('\0') !== old.gone.join('\0')) changed = true;
  if (old && !changed && untracked.join('\0') !== (old.untracked ?? []).join('\0')) changed = true;
  if (old && !changed && !sameDirs(old.dirs, scan.dirs)) changed = true;
  return { entries, changed, blobs, blobsId, gone, untracked, dirs: scan.dirs };
}

function refreshStat(session: CacheSession, type: RecordType, config: Config, old: IndexFile | undefined, keys: readonly string[] | undefined, problems: Problem[]): Refreshed {
  const { root, scanStart } = session;
  const walkProblems: Problem[] = [];
  const files = listRecordFiles(root, type, walkProblems);
  problems.push(...walkProblems);
  const oldIndex = new Map<string, number>();
  if (old) old.paths.forEach((p, i) => oldIndex.set(p, i));
  let changed = !old || files.length !== old.paths.length;
  const entries: Array<Entry | number> = [];
  for (const f of files) {
    const i = oldIndex.get(f.rel);
    const prev = i === undefined ? undefined : oldEntry(old!, i);
    if (prev && prev.kind === 's') {
      const st = lstatOrUndefined(f.abs, true);
      if (st && sameStat(prev.stat, statKey(st))) {
        entries.push(i!);
        continue;
      }
    }
    const e = readEntry(root, f.rel, config.max_file_size, scanStart, 's', keys);
    if (!prev || prev.kind !== 'r' || e.kind !== 'r' || JSON.stringify(prev.data) !== JSON.stringify(e.data) || JSON.stringify(prev.problem) !== JSON.stringify(e.problem)) changed = true;
    entries.push(e);
  }
  return { entries, changed, gone: [] };
}

function writeIndex(root: string, type: RecordType, variant: string, config: Config, gs: GitState | null, entries: Entry[], blobs: Record<string, string> | undefined, blobsId: string | undefined, gone: string[], untracked?: string[], dirs?: Record<string, string>): void {
  if (!ensureDir(root)) return;
  const id = randomBytes(6).toString('hex');
  if (blobs && blobsId) {
    // Like paths, as two long strings: NUL-joined paths and space-joined blob ids.
    const paths = Object.keys(blobs);
    writeAtomic(indexPath(root, type, variant, 'blobs'), JSON.stringify({ id: blobsId, paths: paths.join('\0'), blobs: paths.map((p) => blobs[p]).join(' ') } satisfies BlobsFile));
  }
  const problems: Record<string, [number, string]> = {};
  const stats: Record<string, StatKey> = {};
  let kinds = '';
  entries.forEach((e, i) => {
    kinds += e.kind;
    if (e.problem) problems[i] = e.problem;
    if (e.kind === 's' && e.stat) stats[i] = e.stat;
  });
  const file: IndexFile = {
    v: VERSION, id, type, variant, maxFileSize: config.max_file_size, mode: gs ? 'git' : 'stat', sig: gs?.sig, blobsId: gs ? blobsId : undefined,
    paths: entries.map((e) => e.path) as unknown as string[], data: entries.map((e) => (e.problem ? null : e.data)), kinds, problems, stats, gone,
    untracked: gs ? (untracked ?? []) : undefined, dirs: gs ? (dirs ?? {}) : undefined,
  };
  // Paths travel as one NUL-joined string: parsing one long string is far cheaper than 100k short ones.
  if (file.paths.some((p) => p.includes('\0'))) return;
  writeAtomic(indexPath(root, type, variant, 'index'), JSON.stringify({ ...file, paths: file.paths.join('\0') }));
}
