/**
 * One writer per record file at a time. An edit reads the file, changes it and writes it back; two
 * `tb` processes doing that at once would each write their own version, and one edit would be lost.
 * The lock is a file made exclusively under `.touchbase/locks/` (ignored by git, like the index);
 * a lock left by a process that died is noticed (its pid is gone, or it is old) and taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TbError } from '../errors.js';
import { INDEX_DIR, LOCKS_DIR } from './index-dir.js';

/** How long a writer waits for another before giving up. */
const WAIT_MS = 10_000;
/** A lock older than this is stale whatever its pid says (an edit takes milliseconds). */
const STALE_MS = 60_000;

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}

function lockFile(root: string, rel: string): string {
  // Record paths are slugs and year/month folders: `/` is the only character to flatten.
  return path.join(root, INDEX_DIR, LOCKS_DIR, `${rel.replaceAll('/', '+')}.lock`);
}

function ensureLockDir(root: string): boolean {
  try {
    fs.mkdirSync(path.join(root, INDEX_DIR, LOCKS_DIR), { recursive: true });
    const ignore = path.join(root, INDEX_DIR, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# touchbase index: derived, never committed\n*\n');
    return true;
  } catch {
    return false;
  }
}

/** The lock's inode when it is stale (its process is gone, or it is old), else undefined. */
function staleLock(file: string): number | undefined {
  try {
    const st = fs.statSync(file);
    if (Date.now() - st.mtimeMs > STALE_MS) return st.ino;
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return st.ino; // never written so: made by something else
    try {
      process.kill(pid, 0);
      return undefined;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH' ? st.ino : undefined;
    }
  } catch {
    return undefined; // gone already: the next attempt takes it
  }
}

/** Makes the lock file with our pid already in it (linked in whole, so nobody reads it empty). */
function tryLock(file: string): boolean | 'cannot' {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(tmp, String(process.pid), { flag: 'wx' });
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EEXIST' ? false : 'cannot';
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Runs `fn` (read, edit, write of `rel`) while holding the file's lock. Where no lock can be made
 * at all (a read-only `.touchbase/`), `fn` runs unlocked: the write itself is still atomic.
 */
export function withRecordLock<T>(root: string, rel: string, fn: () => T): T {
  if (!ensureLockDir(root)) return fn();
  const file = lockFile(root, rel);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const got = tryLock(file);
    if (got === 'cannot') return fn();
    if (got) break;
    const stale = staleLock(file);
    // Removed only if it is still the very lock judged stale, not one taken since.
    if (stale !== undefined) {
      try {
        if (fs.statSync(file).ino === stale) fs.rmSync(file, { force: true });
      } catch {
        /* gone already */
      }
      continue;
    }
    if (Date.now() > deadline) throw new TbError(`another tb is still writing ${rel}; try again (or remove ${path.relative(root, file)} if no tb is running)`, 1);
    sleep(10);
  }
  try {
    return fn();
  } finally {
    fs.rmSync(file, { force: true });
  }
}
