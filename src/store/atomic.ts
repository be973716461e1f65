/**
 * Whole-file writes: atomic replace (temp file + rename in the same folder) and exclusive create
 * (temp file + hard link, which fails if the name exists), so a reader never sees half a file
 * and two processes never clobber each other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomSuffix } from '../core/slug.js';

function tempName(abs: string): string {
  return path.join(path.dirname(abs), `.${path.basename(abs)}.tmp-${process.pid}-${randomSuffix(Math.random, 6)}`);
}

function writeTemp(abs: string, content: string, durable = true): string {
  const tmp = tempName(abs);
  const fd = fs.openSync(tmp, 'wx', 0o644);
  try {
    fs.writeFileSync(fd, content); // all of it, however large
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return tmp;
}

/** Replaces a file atomically. `durable: false` skips the fsync (derived files: the index). */
export function writeFileAtomic(abs: string, content: string, { durable = true } = {}): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = writeTemp(abs, content, durable);
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
export function createFileExclusive(abs: string, content: string, { durable = true } = {}): boolean {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = writeTemp(abs, content, durable);
  try {
    fs.linkSync(tmp, abs);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
