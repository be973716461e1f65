/**
 * Entries of the index, shared by both ways of proving them fresh (index-git.ts, index-stat.ts):
 * what a file just read becomes, and what a read changes against the stored index.
 */
import fs from 'node:fs';
import type { FrontMatter } from '../core/types.js';
import type { FileRead, StatKey } from './bulk-read.js';
import { EntryKinds, jsonSafe, storedData, type EntryKind, type IndexBase, type StoredIndex } from './index-format.js';

/** A file touched this close to the scan start (or later) is not trusted. */
export const RACY_MS = 1000;

export { EntryKinds, type EntryKind } from './index-format.js';

export interface Entry {
  path: string;
  data: FrontMatter | null;
  problem?: [number, string];
  kind: EntryKind;
  stat?: StatKey;
  /** Not stored. The entry's position in the old index, when its file was there and read again … */
  was?: number;
  /** … and whether what was read differs from what the old index had. */
  differs?: boolean;
}

export function statKey(st: fs.Stats): StatKey {
  return [st.size, st.mtimeMs, st.ctimeMs, st.ino];
}

export function sameStat(a: StatKey | undefined, b: StatKey): boolean {
  return a !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** The entry for a file just read; the stat taken after reading decides trust. */
export function freshEntry(rel: string, r: FileRead, scanStart: number, trusted: typeof EntryKinds.gitBlob | typeof EntryKinds.statChecked): Entry {
  let kind: EntryKind = trusted;
  const st = r.stat;
  // Data JSON would store lossily (NaN prints as null) can never be compared with what is stored.
  if (r.data !== null && !jsonSafe(r.data)) kind = EntryKinds.unstorable;
  else if (!st || Math.max(st[1], st[2]) >= scanStart - RACY_MS) kind = EntryKinds.racy;
  return { path: rel, data: r.problem ? null : r.data, problem: r.problem, kind, stat: kind === EntryKinds.statChecked ? st : undefined };
}

export function lstatOrUndefined(abs: string, follow: boolean): fs.Stats | undefined {
  try {
    return follow ? fs.statSync(abs) : fs.lstatSync(abs);
  } catch {
    return undefined;
  }
}

/** `<folder>/…/x.md` with no empty or hidden segment below the folder. */
export function isRecordPath(rel: string, folder: string): boolean {
  return rel.length > folder.length + 1 && rel.startsWith(folder) && rel.charCodeAt(folder.length) === 47 /* / */ && rel.charCodeAt(folder.length + 1) !== 46 /* . */ && rel.endsWith('.md') && !rel.includes('/.', folder.length) && !rel.includes('//', folder.length);
}

/** Sorted by path, sorting only when needed (git lists its index in order already). */
export function sortedPaths(paths: string[]): string[] {
  for (let i = 1; i < paths.length; i++) if (byPath(paths[i - 1], paths[i]) > 0) return paths.sort(byPath);
  return paths;
}

export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface Refreshed {
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
  /** Git mode: the commit and staged paths git's index is described by (undefined: unknown). */
  base?: IndexBase;
}

export function sameDirs(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] === a[k]);
}

export function storedEntry(old: StoredIndex, i: number): Entry {
  const p = old.problems[i];
  return { path: old.paths[i], data: storedData(old)[i], problem: p, kind: old.kinds[i] as EntryKind, stat: old.stats[i] };
}

/** Whether a file read again holds other data (or problem) than the index has for it. */
export function contentDiffers(old: StoredIndex | undefined, i: number | undefined, e: Entry): boolean {
  if (old === undefined || i === undefined || old.kinds[i] === EntryKinds.unstorable || e.kind === EntryKinds.unstorable) return true;
  return JSON.stringify(storedData(old)[i]) !== JSON.stringify(e.data) || JSON.stringify(old.problems[i]) !== JSON.stringify(e.problem);
}

/**
 * What a file read again changes: its content, or only how it is checked (a racy file that is
 * now old enough, a touched file). Racy files are read on every run; when the read finds what
 * was stored and the kind is the same, nothing changes.
 */
export function readChanges(old: StoredIndex | undefined, i: number | undefined, e: Entry): { content: boolean; any: boolean } {
  const content = contentDiffers(old, i, e);
  e.was = i;
  e.differs = content;
  const same = !content && old!.kinds[i!] === e.kind && JSON.stringify(old!.stats[i!]) === JSON.stringify(e.stat);
  return { content, any: !same };
}
