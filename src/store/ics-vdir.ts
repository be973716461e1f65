/**
 * A calendar vdir (khal and vdirsyncer: one `.ics` file per event in a folder) and what this
 * machine has read of it, kept in `.touchbase/vdir/` (ignored by git: every machine reads the
 * folder itself). A file whose size, mtime and inode are as last read is not read again unless
 * it had meetings still to come (docs/mail.md, "A calendar folder").
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { ensureIndexDir, INDEX_DIR } from './index-dir.js';
import { assertNoLinkOnPath } from './safety.js';

export interface VdirEntry {
  name: string;
  abs: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** When an unchanged file must be read again: never, on a later day, or on every run. */
export type Recheck = 'never' | 'next-day' | 'every-run';

export interface VdirFileState {
  size: number;
  mtimeMs: number;
  ino: number;
  /** The day (tb's today) it was read. */
  readOn: string;
  recheck: Recheck;
  /** Meeting keys (uid, uid#recurrence_id) it held: what to withdraw when it is deleted. */
  uids: string[];
}

export interface VdirState {
  version: 1;
  dir: string;
  files: Record<string, VdirFileState>;
}

const STATE_SUB = 'vdir';

/** Whether `input` (relative to cwd) is a directory. */
export function isDirectory(cwd: string, input: string): boolean {
  return fs.statSync(path.resolve(cwd, input), { throwIfNoEntry: false })?.isDirectory() === true;
}

/** The `.ics` files of a vdir folder (regular files only, no dot files or sub-folders), by name. */
export function listVdir(cwd: string, dir: string): { abs: string; files: VdirEntry[] } {
  const abs = fs.realpathSync(path.resolve(cwd, dir));
  let names: string[];
  try {
    names = fs.readdirSync(abs);
  } catch (err) {
    throw new DataError(`${dir}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const files: VdirEntry[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.') || !/\.ics$/i.test(name)) continue;
    const st = fs.lstatSync(path.join(abs, name), { throwIfNoEntry: false });
    if (!st?.isFile()) continue;
    // Whole milliseconds: what tools that copy or restore a file (utimes) keep.
    files.push({ name, abs: path.join(abs, name), size: st.size, mtimeMs: Math.floor(st.mtimeMs), ino: st.ino });
  }
  if (files.length === 0 && !names.some((n) => /\.ics$/i.test(n))) {
    throw new UsageError(`${dir} has no .ics files (a calendar folder holds one .ics file per event, as vdirsyncer and khal write it)`);
  }
  return { abs, files };
}

function statePath(root: string, absDir: string): string {
  const key = createHash('sha256').update(absDir).digest('hex').slice(0, 16);
  return path.join(root, INDEX_DIR, STATE_SUB, `${key}.json`);
}

/** What this machine read of the folder last time; an empty state when none or unreadable. */
export function readVdirState(root: string, absDir: string): VdirState {
  const empty: VdirState = { version: 1, dir: absDir, files: {} };
  try {
    const parsed = JSON.parse(fs.readFileSync(statePath(root, absDir), 'utf8')) as VdirState;
    return parsed.version === 1 && parsed.dir === absDir && parsed.files && typeof parsed.files === 'object' ? parsed : empty;
  } catch {
    return empty;
  }
}

/** Saved atomically; a CRM whose `.touchbase` cannot be made simply reads the whole folder next time. */
export function writeVdirState(root: string, state: VdirState): void {
  if (!ensureIndexDir(root, STATE_SUB)) return;
  writeFileAtomic(statePath(root, state.dir), `${JSON.stringify(state)}\n`, { durable: false });
}

/** Whether a file must be read: new, changed, or holding meetings still to come. */
export function needsReading(entry: VdirEntry, known: VdirFileState | undefined, today: string): boolean {
  if (!known || known.size !== entry.size || known.mtimeMs !== entry.mtimeMs || known.ino !== entry.ino) return true;
  if (known.recheck === 'every-run') return true;
  return known.recheck === 'next-day' && today > known.readOn;
}

/** Moves a record file to another folder of its type (a meeting moved to another month). */
export function moveRecordFile(root: string, fromRel: string, toRel: string): void {
  assertNoLinkOnPath(root, fromRel);
  assertNoLinkOnPath(root, toRel);
  const text = fs.readFileSync(path.join(root, fromRel), 'utf8');
  fs.mkdirSync(path.dirname(path.join(root, toRel)), { recursive: true });
  writeFileAtomic(path.join(root, toRel), text);
  fs.unlinkSync(path.join(root, fromRel));
}
