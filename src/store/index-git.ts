/**
 * Freshness inside a git work tree: git's own change detection does the per-file work, and a
 * signature per directory finds untracked and ignored files (docs/architecture.md, "The index").
 */
import fs from 'node:fs';
import path from 'node:path';
import { FOLDER_OF } from '../core/types.js';
import type { Config, RecordType } from '../core/types.js';
import { trackedFiles, type GitState } from './git-status.js';
import { readRecordFiles } from './bulk-read.js';
import { indexPath, readBlobs, uniqueId, type IndexBase, type StoredIndex } from './index-format.js';
import {
  byPath, EntryKinds, freshEntry, isRecordPath, lstatOrUndefined, RACY_MS, readChanges, sameDirs, sameStat, sortedPaths, statKey,
  type Entry, type EntryKind, type Refreshed,
} from './index-entries.js';
import type { CacheSession } from './index-cache.js';
import { baseNow, changesSince, type GitChanges } from './index-commits.js';

/** Walks a sorted list alongside sorted lookups without hashing every path (100k of them). */
export class SortedCursor {
  private j = 0;
  constructor(private readonly list: readonly string[]) {}
  /** Position of p in the list, for p given in ascending order; undefined when absent. */
  find(p: string): number | undefined {
    const l = this.list;
    while (this.j < l.length && l[this.j] !== p && l[this.j] < p) this.j++;
    return this.j < l.length && l[this.j] === p ? this.j : undefined;
  }
}

/** The signature of a directory recorded while it was too recent to trust: listed again next time. */
const RACY_DIRECTORY = 'r';

/** Signature of a directory: any entry added, removed or renamed in it changes it. */
export function dirSig(st: fs.BigIntStats, scanStart: number): string {
  // Racy: an entry made in the same clock tick as this stat might not change the mtime; relist next time.
  if (Number(st.mtimeMs) >= scanStart - RACY_MS || Number(st.ctimeMs) >= scanStart - RACY_MS) return RACY_DIRECTORY;
  return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
}

/**
 * Finds the record files the index may lack: every directory under the folder whose signature
 * differs from the one recorded (or is new, or was racy) is listed, and its `.md` files returned.
 * Each directory is stat'ed before it is listed, so a later change always shows in its signature.
 * Null (read directly) for a symbolic link or a nested repository under the folder.
 */
export function scanDirs(root: string, folder: string, oldDirs: Record<string, string> | undefined, scanStart: number): { dirs: Record<string, string>; found: string[] } | null {
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
    if (recorded !== undefined && sig !== RACY_DIRECTORY && sig === recorded) return true;
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

/** Record paths of the folder git status reports (sorted); null when one is not a plain file (read directly). */
function dirtyRecordPaths(root: string, gs: GitState, folder: string): string[] | null {
  const dirty: string[] = [];
  for (const p of gs.dirty.keys()) {
    if (!p.startsWith(`${folder}/`)) continue;
    const segments = p.slice(folder.length + 1).split('/');
    if (segments.some((s) => s.startsWith('.'))) continue;
    const st = lstatOrUndefined(path.join(root, p), false);
    if (st && !st.isFile()) return null;
    if (p.endsWith('.md')) dirty.push(p);
  }
  return dirty.sort(byPath);
}

/** What git's index holds for the folder, read when it changed since the index was written. */
interface GitListing {
  /** Tracked path → blob id, '' for a path git status does not watch. */
  tracked: Map<string, string>;
  /** The blob snapshot the old index was written with, when it can be read. */
  oldBlobs?: Map<string, string>;
  /** The new snapshot and its id. */
  blobs: Map<string, string>;
  blobsId: string;
}

function listGitIndex(root: string, gs: GitState, folder: string, old: StoredIndex | undefined): GitListing | null {
  const tracked = trackedFiles(root, gs, folder);
  if (!tracked) return null;
  const oldBlobs = old ? readBlobs(indexPath(root, old.type, old.variant, 'blobs'), old.blobsId) : undefined;
  const blobs = new Map<string, string>();
  for (const [p, blob] of tracked) if (blob) blobs.set(p, blob);
  return { tracked, oldBlobs, blobs, blobsId: uniqueId() };
}

/** Every path that may be a record now, when git's index changed: tracked, dirty, formerly known and found ones. */
function candidatesAfterGitChange(listing: GitListing, dirty: readonly string[], old: StoredIndex | undefined, found: readonly string[], folder: string): string[] {
  const candidates = new Set<string>();
  for (const p of listing.tracked.keys()) if (isRecordPath(p, folder)) candidates.add(p);
  for (const p of dirty) candidates.add(p);
  // Files that were untracked (or stop being tracked, e.g. `git rm --cached`) are in the old paths.
  if (old) for (const p of old.paths) candidates.add(p);
  for (const p of found) if (isRecordPath(p, folder)) candidates.add(p);
  return sortedPaths([...candidates]);
}

/**
 * The old paths plus any dirty, formerly gone or newly found path, when git's index is unchanged
 * or changed only at the paths `changes` names (those that are records are candidates too).
 */
function candidatesWithSameGitIndex(old: StoredIndex, dirty: readonly string[], dirtySet: ReadonlySet<string>, found: readonly string[], folder: string, changes?: GitChanges): string[] {
  const extra: string[] = [];
  if (changes) {
    const changedCursor = new SortedCursor(old.paths);
    for (const p of [...changes.changed].sort(byPath)) if (isRecordPath(p, folder) && changedCursor.find(p) === undefined) extra.push(p);
  }
  const dirtyCursor = new SortedCursor(old.paths);
  for (const p of dirty) if (dirtyCursor.find(p) === undefined) extra.push(p);
  for (const p of old.gone) if (!dirtySet.has(p)) extra.push(p);
  const foundCursor = new SortedCursor(old.paths);
  for (const p of found) if (isRecordPath(p, folder) && foundCursor.find(p) === undefined) extra.push(p);
  return extra.length ? [...new Set([...old.paths, ...extra])].sort(byPath) : old.paths;
}

/** A candidate file the walk over the candidates could not vouch for, and where its entry goes. */
interface PendingRead {
  slot: number;
  path: string;
  /** Its position in the old index, if it was there. */
  oldPosition: number | undefined;
  notInGit: boolean;
  isDirty: boolean;
}

export function refreshGit(session: CacheSession, gs: GitState, type: RecordType, config: Config, old: StoredIndex | undefined, keys?: readonly string[]): Refreshed | null {
  const { root, scanStart } = session;
  const folder = FOLDER_OF[type];
  if (!gs.folders.includes(folder)) throw new Error(`git status was not asked about ${folder}/`);
  if (gs.dirs.some((d) => d.startsWith(`${folder}/`) || `${folder}/`.startsWith(d))) return null;
  const dirtyList = dirtyRecordPaths(root, gs, folder);
  if (!dirtyList) return null;
  const dirty = new Set(dirtyList);
  // Untracked and ignored files: from the directories that changed since the index was written.
  const scan = scanDirs(root, folder, old?.dirs, scanStart);
  if (!scan) return null;

  const sigChanged = !old || old.sig !== gs.sig;
  if (old && !sigChanged && !dirtyList.length && !old.gone.length && !scan.found.length) {
    // The common warm case: git reports nothing and no directory changed. Every blob git vouches
    // for holds; the few other entries are checked by the paths the index file keeps for them.
    const quiet = refreshQuiet(session, old, config, keys);
    if (quiet) return { ...quiet, changed: quiet.changed || !sameDirs(old.dirs, scan.dirs), dirs: scan.dirs };
  }
  // After a commit, pull or checkout: only the paths that changed since the index's base, if known.
  const changes = old && sigChanged ? changesSince(root, gs, folder, old.base) : undefined;
  if (changes === null) return null;
  const listing = sigChanged && !changes ? listGitIndex(root, gs, folder, old) : undefined;
  if (listing === null) return null;
  const candidates = listing ? candidatesAfterGitChange(listing, dirtyList, old, scan.found, folder) : candidatesWithSameGitIndex(old!, dirtyList, dirty, scan.found, folder, changes);
  const walk = new CandidateWalk(root, old, listing, dirtyList, changes);
  // With git's index unchanged and no path added, candidate k is old entry k: no lookup needed.
  const samePaths = !sigChanged && candidates === old!.paths;
  for (let k = 0; k < candidates.length; k++) if (!walk.visit(candidates[k], samePaths ? k : undefined)) return null;
  if (!walk.readPending(config, keys, scanStart)) return null;
  return walk.result(folder, scan.dirs, listing ? baseNow(gs, folder) : changes ? changes.base : old?.base);
}

/**
 * The walk over the candidate paths of refreshGit: vouches for entries git or their stat prove
 * unchanged, reads the others, and tracks what changed.
 */
class CandidateWalk {
  readonly entries: Array<Entry | number | null> = [];
  readonly gone: string[] = [];
  readonly untracked: string[] = [];
  readonly pending: PendingRead[] = [];
  changed: boolean;
  contentChanged: boolean;
  private readonly sigChanged: boolean;
  private readonly oldCursor: SortedCursor | undefined;
  private readonly dirtyCursor: SortedCursor;
  private readonly oldUntracked: ReadonlySet<string>;
  private readonly oldGone: ReadonlySet<string>;
  private readonly oldUnwatched: ReadonlySet<string>;

  constructor(
    private readonly root: string,
    private readonly old: StoredIndex | undefined,
    private readonly listing: GitListing | undefined,
    private readonly dirtyList: readonly string[],
    /** Git's index changed only at these paths (index-commits.ts); without a listing. */
    private readonly changes?: GitChanges,
  ) {
    this.sigChanged = listing !== undefined || changes !== undefined;
    this.changed = this.sigChanged;
    this.contentChanged = !old;
    this.oldCursor = old ? new SortedCursor(old.paths) : undefined;
    this.dirtyCursor = new SortedCursor(dirtyList);
    this.oldUntracked = new Set(old?.untracked ?? []);
    this.oldGone = new Set(old?.gone ?? []);
    this.oldUnwatched = new Set(old?.unwatched ?? []);
  }

  /** Tracked, but git status does not report its edits: from git's listing, else as recorded. */
  private isUnwatched(p: string): boolean {
    if (this.listing) return this.listing.tracked.get(p) === '';
    if (this.changes) return this.changes.tracked.get(p) === '' || this.changes.unwatched.has(p);
    return this.oldUnwatched.has(p);
  }

  /**
   * Not in git's index: with git's index unchanged, a path is tracked iff it was (paths and gone
   * hold every tracked record path, except an unwatched one deleted and made again: it then counts
   * as untracked, which is stat-checked all the same).
   */
  private isUntracked(p: string, oldPosition: number | undefined, isDirty: boolean): boolean {
    if (this.listing) return !this.listing.tracked.has(p);
    // Outside the changed paths, git's index holds what it held when the index was written.
    if (this.changes?.changed.has(p)) return !this.changes.tracked.has(p);
    if (oldPosition !== undefined) return this.oldUntracked.has(p);
    return !isDirty && !this.oldGone.has(p);
  }

  /** A candidate that is no longer there; a tracked file deleted from the work tree is watched for coming back. */
  private deleted(p: string, oldPosition: number | undefined, notInGit: boolean, isDirty: boolean): void {
    if (oldPosition !== undefined) this.changed = this.contentChanged = true;
    if (!notInGit && (isDirty || (!this.sigChanged && oldPosition === undefined))) this.gone.push(p);
  }

  /** Vouches for one candidate or queues it to be read; false when it is not a plain file (read directly). */
  visit(p: string, knownPosition: number | undefined): boolean {
    const old = this.old;
    const oldPosition = knownPosition ?? this.oldCursor?.find(p);
    const isDirty = this.dirtyList.length > 0 && this.dirtyCursor.find(p) !== undefined;
    const kind = oldPosition === undefined ? undefined : (old!.kinds[oldPosition] as EntryKind);
    const notInGit = (this.oldUntracked.size > 0 || this.sigChanged || oldPosition === undefined) && this.isUntracked(p, oldPosition, isDirty);
    if (!isDirty && !notInGit && kind === EntryKinds.gitBlob && this.sameBlob(p)) {
      // Tracked and equal to git's index: a blob entry still holds while its blob is the same.
      this.entries.push(oldPosition!);
      return true;
    }
    if (kind === EntryKinds.statChecked) {
      const st = lstatOrUndefined(path.join(this.root, p), false);
      if (!st) {
        this.deleted(p, oldPosition, notInGit, isDirty);
        return true;
      }
      if (!st.isFile()) return false;
      if (sameStat(old!.stats[oldPosition!], statKey(st))) {
        if (notInGit) this.untracked.push(p);
        this.entries.push(oldPosition!);
        return true;
      }
    }
    this.pending.push({ slot: this.entries.length, path: p, oldPosition, notInGit, isDirty });
    this.entries.push(null);
    return true;
  }

  /** With git's index unchanged every blob holds; after a change, only one whose blob id is the same. */
  private sameBlob(p: string): boolean {
    const listing = this.listing;
    if (this.changes) return !this.changes.changed.has(p) && !this.isUnwatched(p);
    if (!listing) return true;
    return listing.oldBlobs !== undefined && listing.tracked.get(p) !== '' && listing.oldBlobs.get(p) === listing.tracked.get(p);
  }

  /** Reads the queued files into their slots; false when one is not a plain file (read directly). */
  readPending(config: Config, keys: readonly string[] | undefined, scanStart: number): boolean {
    const reads = readRecordFiles({ root: this.root, rels: this.pending.map((t) => t.path), maxSize: config.max_file_size, projection: keys, follow: false });
    for (let n = 0; n < this.pending.length; n++) {
      const { slot, path: p, oldPosition, notInGit, isDirty } = this.pending[n];
      const read = reads[n];
      if (read === 'special') return false; // a symbolic link or other non-file: read directly
      if (read === 'missing') {
        this.deleted(p, oldPosition, notInGit, isDirty);
        continue;
      }
      if (notInGit) this.untracked.push(p);
      const trust = !isDirty && !notInGit && !this.isUnwatched(p) ? EntryKinds.gitBlob : EntryKinds.statChecked;
      const e = freshEntry(p, read, scanStart, trust);
      const delta = readChanges(this.old, oldPosition, e);
      if (delta.content) this.contentChanged = true;
      if (delta.any) this.changed = true;
      this.entries[slot] = e;
    }
    return true;
  }

  /** The refreshed entries and git's state to record, and whether any of it differs from the old index. */
  result(folder: string, dirs: Record<string, string>, base: IndexBase | undefined): Refreshed {
    const old = this.old;
    const kept = this.entries.filter((e): e is Entry | number => e !== null);
    const untracked = this.untracked.sort(byPath);
    const gone = this.gone.sort(byPath);
    if (old && kept.length !== old.kinds.length) this.changed = this.contentChanged = true;
    if (old && !this.changed && gone.join('\0') !== old.gone.join('\0')) this.changed = true;
    if (old && !this.changed && untracked.join('\0') !== (old.untracked ?? []).join('\0')) this.changed = true;
    if (old && !this.changed && !sameDirs(old.dirs, dirs)) this.changed = true;
    const listing = this.listing;
    const unwatched = listing ? sortedPaths([...listing.tracked].filter(([p, blob]) => blob === '' && isRecordPath(p, folder)).map(([p]) => p)) : this.changes ? this.unwatchedNow(folder) : (old!.unwatched ?? []);
    // After an incremental refresh no listing was taken: no blob snapshot describes this index.
    const blobsId = listing ? listing.blobsId : this.changes ? undefined : old?.blobsId;
    return { entries: kept, changed: this.changed, contentChanged: this.contentChanged, blobs: listing?.blobs, blobsId, gone, untracked, unwatched, dirs, base };
  }

  private unwatchedNow(folder: string): string[] {
    const marked = new Set(this.changes!.unwatched);
    for (const [p, blob] of this.changes!.tracked) if (blob === '') marked.add(p);
    return [...marked].filter((p) => isRecordPath(p, folder)).sort(byPath);
  }
}
/**
 * The warm case of refreshGit — git's index unchanged, nothing dirty or gone, no directory changed
 * — without reading the paths: every 'b' entry holds, and each other entry (untracked, unwatched,
 * racy …) is checked by the path the index file keeps for it. Null when a file went or turned into
 * something else: the general path sorts that out.
 */
export function refreshQuiet(session: CacheSession, old: StoredIndex, config: Config, keys: readonly string[] | undefined): Omit<Refreshed, 'dirs'> | null {
  const { root, scanStart } = session;
  const loose = old.loose;
  if (!loose) return null; // too many to keep in the index file: the general path reads the paths
  const entries: Array<Entry | number> = Array.from({ length: old.kinds.length }, (_, i) => i);
  const toRead: number[] = [];
  for (const [k, p] of Object.entries(loose)) {
    const i = Number(k);
    if (old.kinds[i] === EntryKinds.statChecked) {
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
    const e = freshEntry(p, r, scanStart, untracked.has(p) || unwatched.has(p) ? EntryKinds.statChecked : EntryKinds.gitBlob);
    const delta = readChanges(old, i, e);
    if (delta.content) contentChanged = true;
    if (delta.any) changed = true;
    entries[i] = e;
  }
  return { entries, changed, contentChanged, blobsId: old.blobsId, gone: [], untracked: old.untracked ?? [], unwatched: old.unwatched ?? [], base: old.base };
}
