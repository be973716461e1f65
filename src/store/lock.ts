/**
 * One writer per record file at a time. An edit reads the file, changes it and writes it back; two
 * `tb` processes doing that at once would each write their own version, and one edit would be lost.
 * The lock is a file made exclusively under `.touchbase/locks/` (ignored by git, like the index);
 * a lock left by a process that died is noticed (its pid is gone) and taken over, by one process
 * at a time. A lock whose pid still runs is waited for, then reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NotFoundError, TbError } from '../errors.js';
import { createFileExclusive } from './atomic.js';
import { ensureIndexDir, INDEX_DIR, LOCKS_DIR } from './index-dir.js';
import { assertNoGitOperation } from './git-guard.js';

/**
 * How long a writer waits for one holder before giving up. The wait starts again whenever the
 * lock changes hands: ten writers queued on one reminder each wait for the others in turn, and a
 * busy machine (each holder slower) must not turn a queue into an error.
 */
const WAIT_MS = 10_000;

/**
 * The wait for one holder in force: WAIT_MS, or more where TOUCHBASE_LOCK_WAIT (seconds) asks for
 * it (a machine so busy, or a disk so slow, that one write can hold a lock longer; the test suite's
 * parallel writers). Set per command by store/session.ts.
 */
let holderWaitMs = WAIT_MS;

/** Sets the wait for one holder from TOUCHBASE_LOCK_WAIT (seconds); unset or not a positive number: WAIT_MS. */
export function setLockWait(seconds: string | undefined): void {
  const s = Number(seconds);
  holderWaitMs = seconds?.trim() && Number.isFinite(s) && s > 0 ? Math.max(WAIT_MS, s * 1000) : WAIT_MS;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** The clock lock waits run on; tests replace it (`setLockClock`) so no test waits out a second. */
export interface LockClock {
  now(): number;
  sleep(ms: number): void;
}

const realClock: LockClock = { now: () => Date.now(), sleep: (ms) => void Atomics.wait(pause, 0, 0, ms) };
let clock = realClock;

/** Replaces the clock lock waits run on (tests only); no argument restores the real one. */
export function setLockClock(replacement: LockClock = realClock): void {
  clock = replacement;
}

function lockFile(root: string, rel: string): string {
  // Record paths are slugs and year/month folders: `/` is the only character to flatten.
  return path.join(root, INDEX_DIR, LOCKS_DIR, `${rel.replaceAll('/', '+')}.lock`);
}

/** What a lock file holds: the holder's pid and a token no other lock shares. */
function lockText(): string {
  return `${process.pid} ${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

function readLock(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether process `pid` no longer runs (on this machine). */
export function pidGone(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether a lock's holder is gone: its pid no longer runs (or the file is not a lock at all). */
function holderGone(text: string): boolean {
  return pidGone(Number(text.split(' ')[0]));
}

/** Makes `file` holding `text`, whole (so nobody reads it half written); false when it exists. */
function create(file: string, text: string): boolean | 'cannot' {
  try {
    return createFileExclusive(file, text, { durable: false });
  } catch {
    return 'cannot';
  }
}

/** Removes `file` if it still holds `text` (never someone else's lock). */
function removeIfMine(file: string, text: string): void {
  if (readLock(file) === text) fs.rmSync(file, { force: true });
}

/** A breaker that died leaves its `.break` file; breaking takes milliseconds. */
const BREAK_STALE_MS = 5_000;

/**
 * Removes the lock `file` if it still holds `stale` (whose holder is gone). One breaker at a time
 * (an exclusive `.break` file), and it checks again while it holds that: two processes that both
 * saw the dead holder's lock never remove a live one that replaced it.
 */
function breakStale(file: string, stale: string): void {
  const breaker = `${file}.break`;
  const mine = lockText();
  const got = create(breaker, mine);
  if (got !== true) {
    try {
      if (got === false && Date.now() - fs.statSync(breaker).mtimeMs > BREAK_STALE_MS) removeIfMine(breaker, readLock(breaker) ?? '');
    } catch {
      /* gone already */
    }
    return;
  }
  try {
    if (readLock(file) === stale) fs.rmSync(file, { force: true });
  } finally {
    removeIfMine(breaker, mine);
  }
}

/**
 * Runs `fn` (read, edit, write of `rel`) while holding the file's lock. Where no lock can be made
 * at all (a read-only `.touchbase/`), `fn` runs unlocked: the write itself is still atomic.
 * `minWaitMs`: the wait for one holder of a lock held for long operations (longer when
 * TOUCHBASE_LOCK_WAIT asks for more).
 */
export function withRecordLock<T>(root: string, rel: string, fn: () => T, minWaitMs = WAIT_MS): T {
  // Every edit takes a lock first: refused here, before anything is read or written.
  assertNoGitOperation(root);
  if (!ensureIndexDir(root, LOCKS_DIR)) return fn();
  const file = lockFile(root, rel);
  // Held already by this process (tb done edits the reminder it holds): nested, not a wait on ourselves.
  if (heldHere.has(file)) return fn();
  const mine = lockText();
  const waitMs = Math.max(minWaitMs, holderWaitMs);
  let deadline = clock.now() + waitMs;
  let holder: string | undefined;
  for (;;) {
    const got = create(file, mine);
    if (got === 'cannot') return fn();
    if (got) break;
    const held = readLock(file);
    if (held !== undefined && holderGone(held)) {
      breakStale(file, held);
      continue;
    }
    if (held !== holder) {
      // Another writer took its turn: the queue moves, so the wait for this holder starts now.
      holder = held;
      deadline = clock.now() + waitMs;
    }
    if (clock.now() > deadline) throw new TbError(`another tb is still writing ${rel}; try again (or remove ${path.relative(root, file)} if no tb is running)`, 1);
    clock.sleep(10);
  }
  heldHere.add(file);
  try {
    return fn();
  } finally {
    heldHere.delete(file);
    removeIfMine(file, mine);
  }
}

/** Lock files this process holds now. */
const heldHere = new Set<string>();

/**
 * Shared holds: many `tb log` on one contact run at once, while `tb merge` deleting that contact
 * must wait for all of them. A shared holder leaves a marker file (`<lock>.shared-<pid>-<token>`),
 * made while it briefly holds the record's lock, so no marker appears while a merge holds it.
 */
function sharedPrefix(root: string, rel: string): { dir: string; prefix: string } {
  const file = lockFile(root, rel);
  return { dir: path.dirname(file), prefix: `${path.basename(file)}.shared-` };
}

/** Waits (holding the record's lock) until no live shared holder of `rel` is left; dead ones are cleared. */
function drainShared(root: string, rel: string): void {
  const { dir, prefix } = sharedPrefix(root, rel);
  let deadline = clock.now() + holderWaitMs;
  let waitingFor = Infinity;
  for (;;) {
    let live = 0;
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (pid === process.pid) continue; // this process's own hold (nested): never waited for
      if (pidGone(pid)) fs.rmSync(path.join(dir, name), { force: true });
      else live++;
    }
    if (live === 0) return;
    if (live < waitingFor) {
      // A holder finished (none can join while this process holds the lock): wait anew for the rest.
      waitingFor = live;
      deadline = clock.now() + holderWaitMs;
    }
    if (clock.now() > deadline) throw new TbError(`another tb is still writing a record that names ${rel}; try again`, 1);
    clock.sleep(10);
  }
}

/** Registers a shared hold of `rel`; returns its marker, or undefined when no marker can be made. */
function holdShared(root: string, rel: string): string | undefined {
  if (!ensureIndexDir(root, LOCKS_DIR)) return undefined;
  const { dir, prefix } = sharedPrefix(root, rel);
  const marker = path.join(dir, `${prefix}${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  return withRecordLock(root, rel, () => {
    try {
      fs.writeFileSync(marker, '', { flag: 'wx' });
      return marker;
    } catch {
      return undefined;
    }
  });
}

/** A record found a moment ago and gone now: another tb removed or merged it meanwhile. */
export function deletedMeanwhile(rel: string): NotFoundError {
  return new NotFoundError(`${rel} was deleted meanwhile (removed or merged by another tb?); nothing written`, 'run the command again');
}

function checkExists(root: string, rel: string): void {
  if (!fs.existsSync(path.join(root, rel))) throw deletedMeanwhile(rel);
}

/**
 * Runs `fn` after checking that the records `rels` still exist, holding them so that none can be
 * deleted meanwhile: a record written to name them (tb log on a contact) never points at one that
 * tb merge deleted. `shared` (tb log, tb remind): many such commands run at once. `exclusive`
 * (tb merge): holds the records' locks (in path order, so two processes never wait on each other)
 * and waits for every shared holder to finish first.
 */
export function withExistingRecords<T>(root: string, rels: readonly string[], fn: () => T, mode: 'shared' | 'exclusive' = 'exclusive'): T {
  const sorted = [...new Set(rels)].sort();
  if (mode === 'shared') {
    const markers: string[] = [];
    let unmarked = false;
    try {
      for (const rel of sorted) {
        const marker = holdShared(root, rel);
        if (marker === undefined) {
          unmarked = true;
          break;
        }
        markers.push(marker);
      }
      if (!unmarked) {
        for (const rel of sorted) checkExists(root, rel);
        return fn();
      }
    } finally {
      for (const m of markers) fs.rmSync(m, { force: true });
    }
    // No marker could be made: hold the locks themselves for the whole write instead.
    return withExistingRecords(root, rels, fn, 'exclusive');
  }
  const run = (i: number): T => {
    if (i === sorted.length) return fn();
    return withRecordLock(root, sorted[i], () => {
      drainShared(root, sorted[i]);
      checkExists(root, sorted[i]);
      return run(i + 1);
    });
  };
  return run(0);
}

/**
 * Takes the lock `name` (e.g. `send+<campaign>`) without waiting: one holder at a time for a long
 * operation (a campaign send). A lock whose process died is broken and taken. Returns a release
 * function, or the pid of the live holder. Undefined when no lock can be made at all.
 */
export function tryHoldLock(root: string, name: string): { release: () => void } | { holder: number } | undefined {
  if (!ensureIndexDir(root, LOCKS_DIR)) return undefined;
  const file = path.join(root, INDEX_DIR, LOCKS_DIR, `${name.replaceAll('/', '+')}.lock`);
  const mine = lockText();
  for (let tries = 0; tries < 5; tries++) {
    const got = create(file, mine);
    if (got === 'cannot') return undefined;
    if (got) return { release: () => removeIfMine(file, mine) };
    const held = readLock(file);
    if (held === undefined) continue;
    if (!holderGone(held)) return { holder: Number(held.split(' ')[0]) };
    breakStale(file, held);
  }
  const held = readLock(file);
  return { holder: Number(held?.split(' ')[0] ?? 0) };
}
