/**
 * The index on disk (docs/architecture.md, "The index"): per record type and variant, the index
 * file proper (`<type>.<variant>.json`: kinds, stats, git's state), its `.paths`, its `.data.json`
 * (front matter), git's `.blobs.json` and aggregates. Reading checks every file against the ids
 * that tie them together; writing is atomic and never fails a command (the index is a speed-up).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config, FrontMatter, RecordType } from '../core/types.js';
import { ensureIndexDir, INDEX_DIR } from './index-dir.js';
import { writeFileAtomic } from './atomic.js';
import type { GitState } from './git-status.js';
import type { StatKey } from './bulk-read.js';
import type { Entry, Refreshed } from './index-entries.js';

/** How an entry is proven fresh; stored as one letter per entry in the index file. */
export const EntryKinds = {
  /** Equal to git's blob while git's index is unchanged and git status does not report it. */
  gitBlob: 'b',
  /** Checked by its stat: size, mtime, ctime and inode. */
  statChecked: 's',
  /** Changed too recently to trust: read every time. */
  racy: 'r',
  /** Front matter JSON cannot store exactly (NaN …): read every time, never compared. */
  unstorable: 'x',
} as const;
export type EntryKind = (typeof EntryKinds)[keyof typeof EntryKinds];

// 6: the interaction summary's slim index keeps `campaign` (campaign mail is not a touch by default: docs/campaigns.md).
// 7: `base`, the commit git's index was compared with (index-commits.ts).
// 8: the slim index keeps `status` (a cancelled meeting is not a touch: core/campaign-settings.ts).
// 9: the slim index keeps `case` (and the interactions by contact are kept beside it: index-refs.ts).
export const VERSION = 9;
/**
 * Entries not vouched for by git (untracked, unwatched, racy) whose paths the index file keeps, so
 * a warm load checks them without reading `.paths`. Past this (a CRM not committed yet) the index
 * file would grow with every path it saves reading: the warm load reads `.paths` instead.
 */
export const MAX_LOOSE = 5000;

/** The index file proper; its paths live in the `.paths` file (read lazily). */
export interface IndexFile {
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
  /** Git mode: the snapshot as a commit and the folder's paths staged against it (see IndexBase). */
  base?: IndexBase;
}

/**
 * What git's index held for the folder when the index was written: the tree of commit `head`,
 * except at the `staged` paths. After a commit, pull, rebase or checkout, only the paths that
 * differ between `head` and the new HEAD, or are staged on either side, can hold another blob
 * (index-commits.ts): they alone are read again.
 */
export interface IndexBase {
  head: string;
  /** Record paths of the folder whose entry in git's index differed from `head`, sorted. */
  staged: string[];
}

/** An index as read back; its front matter is read from the data file only when needed. */
export interface StoredIndex extends IndexFile {
  dataFile: string;
  /** Files read ahead for this load (see prereadIndex). */
  preread?: Map<string, unknown>;
  /** Front matter (projected for variants) per entry, null for a file with a problem. */
  data?: Array<FrontMatter | null>;
}

export interface DataFile {
  id: string;
  data: Array<FrontMatter | null>;
}

/** The data file does not belong to the index read: another process rewrote it. Rebuild. */
export class StaleIndex extends Error {}

export function storedData(old: StoredIndex): Array<FrontMatter | null> {
  if (!old.data) {
    const f = readJson<Partial<DataFile>>(old.dataFile, old.preread);
    if (!f || typeof f !== 'object' || f.id !== old.id || !Array.isArray(f.data) || f.data.length !== old.kinds.length) throw new StaleIndex();
    old.data = f.data;
  }
  return old.data;
}


export interface BlobsFile {
  id: string;
  paths: string;
  blobs: string;
}

export function readBlobs(file: string, id: string | undefined): Map<string, string> | undefined {
  const bf = readJson<BlobsFile>(file);
  if (!bf || typeof bf !== 'object' || bf.id !== id || typeof bf.paths !== 'string' || typeof bf.blobs !== 'string') return undefined;
  const paths = bf.paths === '' ? [] : bf.paths.split('\0');
  const blobs = bf.blobs === '' ? [] : bf.blobs.split(' ');
  if (blobs.length !== paths.length) return undefined;
  const out = new Map<string, string>();
  paths.forEach((p, i) => out.set(p, blobs[i]));
  return out;
}

export function indexPath(root: string, type: RecordType, variant: string, what: 'index' | 'blobs' | 'data' | 'paths' | `aggregate:${string}`): string {
  if (what === 'paths') return path.join(root, INDEX_DIR, `${type}.${variant}.paths`);
  const suffix = what === 'index' ? '' : `.${what.startsWith('aggregate:') ? what.slice('aggregate:'.length) : what}`;
  return path.join(root, INDEX_DIR, `${type}.${variant}${suffix}.json`);
}

/** A parsed JSON file, or undefined when it is missing or broken; from `preread` when it was read ahead. */
export function readJson<T>(file: string, preread?: Map<string, unknown>): T | undefined {
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

export function readIndex(root: string, type: RecordType, variant: string, preread?: Map<string, unknown>): StoredIndex | undefined {
  const x = readJson<Omit<StoredIndex, 'paths'>>(indexPath(root, type, variant, 'index'), preread);
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
  return x as StoredIndex;
}

/** `<id>\n` then the paths joined by NUL: no JSON escaping, one split. */
export function readPaths(file: string, id: string): string[] | undefined {
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

export function validIndex(x: StoredIndex | undefined, type: RecordType, variant: string, config: Config): x is StoredIndex {
  return (
    x !== undefined && x !== null && typeof x === 'object' && x.v === VERSION && typeof x.id === 'string' && x.type === type && x.variant === variant &&
    x.maxFileSize === config.max_file_size && typeof x.kinds === 'string' &&
    typeof x.problems === 'object' && x.problems !== null && typeof x.stats === 'object' && x.stats !== null && Array.isArray(x.gone) &&
    (x.mode !== 'git' || (Array.isArray(x.untracked) && Array.isArray(x.unwatched) && isRecord(x.dirs) && (x.loose === undefined || validLoose(x.kinds, x.loose)) && (x.base === undefined || validBase(x.base))))
  );
}

function validBase(b: unknown): b is IndexBase {
  const x = b as IndexBase;
  return typeof x === 'object' && x !== null && typeof x.head === 'string' && /^[0-9a-f]{40,64}$/.test(x.head) && Array.isArray(x.staged) && x.staged.every((p) => typeof p === 'string');
}

export function isRecord(x: unknown): x is Record<string, string> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `loose` names exactly the entries that are not 'b', each by a path. */
export function validLoose(kinds: string, loose: unknown): boolean {
  if (!isRecord(loose)) return false;
  let nonBlob = 0;
  for (let i = 0; i < kinds.length; i++) if (kinds[i] !== EntryKinds.gitBlob) nonBlob++;
  const keys = Object.keys(loose);
  return keys.length === nonBlob && keys.every((k) => {
    const i = Number(k);
    return String(i) === k && i < kinds.length && kinds[i] !== EntryKinds.gitBlob && typeof loose[k] === 'string';
  });
}

/**
 * An id that tells one index write from another (and names temp files). Not a secret, so no
 * node:crypto, whose loading alone costs a warm command tens of milliseconds.
 */
export function uniqueId(): string {
  return `${Date.now().toString(36)}${process.pid.toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

/** Writes a whole file or nothing; false when it could not (the index is only a speed-up). */
export function writeAtomic(file: string, text: string): boolean {
  try {
    writeFileAtomic(file, text, { durable: false });
    return true;
  } catch {
    return false;
  }
}

/** A value JSON cannot carry exactly (NaN, Infinity, -0) makes an entry uncacheable. */
export function jsonSafe(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (v === null || typeof v !== 'object') return typeof v !== 'undefined' && typeof v !== 'function' && typeof v !== 'bigint' && typeof v !== 'symbol';
  if (Array.isArray(v)) return v.every(jsonSafe);
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return false;
  for (const k of Object.keys(v)) if (k === '__proto__' || !jsonSafe((v as Record<string, unknown>)[k])) return false;
  return true;
}

/** Writes the data file, then the index naming it; returns the new index id, or undefined. */
export function writeIndex(root: string, type: RecordType, variant: string, config: Config, gs: GitState | null, entries: Entry[], r: Refreshed): string | undefined {
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
export type EntryCheck = Pick<Entry, 'kind' | 'problem' | 'stat'> & { path?: string };

/** The checks of entries at the same positions as in `old` (same paths: only how they are checked changed). */
export function entryChecks(old: StoredIndex, entries: Array<Entry | number>): EntryCheck[] {
  return entries.map((x) => {
    if (typeof x !== 'number') return x;
    const kind = old.kinds[x] as EntryKind;
    const loose = old.mode === 'git' && kind !== EntryKinds.gitBlob;
    return { kind, problem: old.problems[x], stat: old.stats[x], path: loose ? (old.loose?.[x] ?? old.paths[x]) : undefined };
  });
}

/** The index file proper, naming `id` (whose paths and data files are already written). */
export function writeIndexFile(root: string, type: RecordType, variant: string, config: Config, gs: GitState | null, id: string, entries: EntryCheck[], r: Refreshed): boolean {
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
    if (e.kind === EntryKinds.statChecked && e.stat) stats[i] = e.stat;
    if (gs && e.kind !== EntryKinds.gitBlob) {
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
    dirs: gs ? (r.dirs ?? {}) : undefined, base: gs ? r.base : undefined,
  };
  return writeAtomic(indexPath(root, type, variant, 'index'), JSON.stringify(file));
}
