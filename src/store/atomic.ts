/**
 * Whole-file writes: atomic replace (temp file + rename in the same folder) and exclusive create
 * (temp file + hard link, which fails if the name exists), so a reader never sees half a file
 * and two processes never clobber each other. A write that fails leaves no temporary file behind,
 * and a replaced file keeps its permissions (docs/reliability.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomSuffix } from '../core/slug.js';
import { injectedWriteError } from './fault.js';

/** `.<name>.tmp-<pid>-<rand>`: the temp file of an atomic write, named by the writing process. */
export const TEMP_FILE = /^\..+\.tmp-(\d+)-[a-z0-9]+$/;

/**
 * Removes the temp files in `absDir` whose writer no longer runs (killed mid-write: `kill -9`, power
 * loss). A live writer's temp file is never touched. Returns the names removed.
 */
export function sweepDeadTemps(absDir: string, isGone: (pid: number) => boolean): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(absDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_FILE.exec(name);
    if (!m || Number(m[1]) === process.pid || !isGone(Number(m[1]))) continue;
    try {
      fs.rmSync(path.join(absDir, name), { force: true });
      removed.push(name);
    } catch {
      /* someone else removed it, or cannot: tb check reports what stays */
    }
  }
  return removed;
}

function tempName(abs: string): string {
  return path.join(path.dirname(abs), `.${path.basename(abs)}.tmp-${process.pid}-${randomSuffix(Math.random, 6)}`);
}

/** The permission bits of an existing file, so a replace never widens `chmod 600`. */
function existingMode(abs: string): number | undefined {
  try {
    const st = fs.lstatSync(abs);
    return st.isFile() ? st.mode & 0o7777 : undefined;
  } catch {
    return undefined;
  }
}

/** An error as the one a full disk gives, for tests (TOUCHBASE_FAULT=write:ENOSPC). */
function simulatedError(code: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: simulated failure, write`);
  err.code = code;
  return err;
}

function writeTemp(abs: string, content: string, durable = true, mode?: number): string {
  const tmp = tempName(abs);
  const fd = fs.openSync(tmp, 'wx', mode ?? 0o644);
  try {
    const injected = injectedWriteError();
    if (injected) {
      fs.writeSync(fd, content.slice(0, Math.floor(content.length / 2)));
      throw simulatedError(injected);
    }
    fs.writeFileSync(fd, content); // all of it, however large
    // The umask narrows the mode given to open; a kept mode is set exactly.
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    if (durable) fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  return tmp;
}

/** Replaces a file atomically. `durable: false` skips the fsync (derived files: the index). */
export function writeFileAtomic(abs: string, content: string, { durable = true } = {}): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = writeTemp(abs, content, durable, existingMode(abs));
  try {
    fs.renameSync(tmp, abs);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Creates a file that must not exist yet. Returns false (writing nothing) when it does.
 * `durable: false` skips the fsync, for files that matter only while the process runs (locks).
 */
export function createFileExclusive(abs: string, content: string, { durable = true, folderExists = false } = {}): boolean {
  // `folderExists`: the caller made or checked the folder (a bulk import, once per folder).
  if (!folderExists) fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = writeTemp(abs, content, durable);
  try {
    fs.linkSync(tmp, abs);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    removeTemp(tmp);
  }
}

/** Removes our own temp file: one unlink (rmSync would stat it twice first); gone already is fine. */
function removeTemp(tmp: string): void {
  try {
    fs.unlinkSync(tmp);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
