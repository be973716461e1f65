/**
 * Autocommit (git.autocommit): the files a command wrote become one commit, whatever their number,
 * one tb process at a time, and none is left behind by a run that was killed.
 *
 * - One lock (`.touchbase/locks/.git-autocommit.lock`) serialises the commits of parallel tb
 *   processes: git's own `index.lock` would make all but one of them fail and leave files staged.
 * - Paths go to git on stdin (store/git.ts), so a 40,000-file import commits like a one-file edit.
 * - Each write is noted in a journal (`.touchbase/pending/<pid>-<token>`) as it happens. A run that
 *   commits removes its journal; a journal whose process is gone (killed, or failed before its
 *   commit) is taken over by the next commit, so its files are committed by the re-run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { autocommitFiles, git } from './git.js';
import type { GitResult } from './git.js';
import { ensureIndexDir, INDEX_DIR } from './index-dir.js';
import { pidGone, withRecordLock } from './lock.js';

const PENDING_DIR = 'pending';
const AUTOCOMMIT_LOCK = '.git-autocommit';
/** A commit of a big import takes seconds; another tb waits for it rather than fail. */
const COMMIT_WAIT_MS = 180_000;

interface Journal {
  file: string;
  fd: number;
}

/** This run's journal per CRM root (opened on the first write). */
const journals = new Map<string, Journal | null>();

function pendingDir(root: string): string {
  return path.join(root, INDEX_DIR, PENDING_DIR);
}

/** Notes that this run wrote `rel` (root-relative), before anything is committed. */
export function notePending(root: string, rel: string): void {
  let j = journals.get(root);
  if (j === undefined) {
    j = openJournal(root);
    journals.set(root, j);
  }
  if (j) fs.writeSync(j.fd, `${rel}\n`);
}

function openJournal(root: string): Journal | null {
  if (!ensureIndexDir(root, PENDING_DIR)) return null;
  const file = path.join(pendingDir(root), `${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
  try {
    return { file, fd: fs.openSync(file, 'wx') };
  } catch {
    return null;
  }
}

/**
 * Forgets the journals of earlier runs in this process (tests run many commands in one): their
 * files stay, as leftovers the next commit takes over. Not closed here: a command still running
 * in the same process may yet write to its own.
 */
export function closeJournals(): void {
  journals.clear();
}

/** Journals of runs that ended without committing: a process that is gone, or an earlier run of this one. */
function leftoverJournals(root: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(pendingDir(root));
  } catch {
    return [];
  }
  const mine = journals.get(root)?.file;
  return names
    .map((n) => path.join(pendingDir(root), n))
    .filter((file) => {
      if (file === mine) return false;
      const pid = Number(path.basename(file).split('-')[0]);
      return pid === process.pid || pidGone(pid);
    });
}

/** Whether an interrupted run left files to commit (cheap: one directory read). */
export function hasLeftovers(root: string): boolean {
  return leftoverJournals(root).length > 0;
}

/** Paths in `journalFiles` that can be committed: on disk, or tracked by git (a removal). */
function leftoverPaths(root: string, journalFiles: string[]): string[] {
  const paths = new Set<string>();
  for (const file of journalFiles) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) if (line) paths.add(line);
  }
  const missing = [...paths].filter((p) => !fs.existsSync(path.join(root, p)));
  if (missing.length) {
    const tracked = new Set(git(root, ['ls-files', '-z', '--cached', '--', '.']).stdout.split('\0'));
    for (const p of missing) if (!tracked.has(p)) paths.delete(p);
  }
  return [...paths];
}

export interface CommitOutcome extends GitResult {
  committed: boolean;
  /** Files committed here that an interrupted earlier run had written. */
  leftovers: number;
}

/**
 * Commits `written` (root-relative) and whatever interrupted runs left, under the autocommit lock.
 * This run's journal (and the ones taken over) are removed once the commit succeeded.
 */
export function commitWritten(root: string, written: readonly string[], message: string): CommitOutcome {
  return withRecordLock(root, AUTOCOMMIT_LOCK, () => {
    const taken = leftoverJournals(root);
    const own = new Set(written);
    const extra = leftoverPaths(root, taken).filter((p) => !own.has(p));
    const files = [...written, ...extra];
    const msg = extra.length ? `${message}\n\nAlso commits ${extra.length} file${extra.length === 1 ? '' : 's'} written by an interrupted earlier run.` : message;
    const r = autocommitFiles(root, files, msg);
    if (r.ok) {
      const mine = journals.get(root);
      if (mine) {
        fs.closeSync(mine.fd);
        fs.rmSync(mine.file, { force: true });
        journals.delete(root);
      }
      for (const file of taken) fs.rmSync(file, { force: true });
    }
    return { ...r, leftovers: extra.length };
  }, COMMIT_WAIT_MS);
}

/** Drops this run's journal without committing (autocommit off, or not a git work tree). */
export function dropJournal(root: string): void {
  const mine = journals.get(root);
  if (!mine) return;
  fs.closeSync(mine.fd);
  fs.rmSync(mine.file, { force: true });
  journals.delete(root);
}
