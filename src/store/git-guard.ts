/**
 * No write into an unfinished git operation. While a rebase, merge, cherry-pick, revert or `git am`
 * is stopped in the repository holding the CRM, a record written (and autocommitted) would land in
 * the middle of it: commits inside a stopped rebase, files mixed into a conflict resolution. Every
 * record, config and removal write of the store asks here first (write.ts, lock.ts); reads never do.
 * The answer is asked of git once per root and command (session.ts forgets it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { TbError } from '../errors.js';
import { git } from './git.js';

interface Operation {
  /** What git calls it, for the message. */
  name: string;
  /** The command that finishes it (after resolving) and the one that aborts it. */
  finish: string;
  abort: string;
}

const op = (name: string, verb: string, finish = `git ${verb} --continue`): Operation => ({ name, finish, abort: `git ${verb} --abort` });

/** Marker files and folders in the git dir, in the order git itself checks them (wt-status.c). */
const MARKERS: ReadonlyArray<[string, (gitDir: string) => Operation]> = [
  ['rebase-merge', () => op('a rebase', 'rebase')],
  // rebase-apply is an old-style rebase, or `git am` when it holds an `applying` file.
  ['rebase-apply', (gitDir) => fs.existsSync(path.join(gitDir, 'rebase-apply', 'applying')) ? op('git am', 'am') : op('a rebase', 'rebase')],
  ['MERGE_HEAD', () => op('a merge', 'merge', 'git commit')],
  ['CHERRY_PICK_HEAD', () => op('a cherry-pick', 'cherry-pick')],
  ['REVERT_HEAD', () => op('a revert', 'revert')],
];

/** Roots found free of an unfinished operation in this command. */
const clear = new Set<string>();

export function forgetGitOperations(): void {
  clear.clear();
}

/** The unfinished git operation of the repository holding `root`, if any. */
export function unfinishedOperation(root: string): Operation | undefined {
  const r = git(root, ['rev-parse', '--absolute-git-dir']);
  if (!r.ok) return undefined; // not in git: nothing can be stopped
  const gitDir = r.stdout.trim();
  for (const [marker, found] of MARKERS) {
    if (fs.existsSync(path.join(gitDir, marker))) return found(gitDir);
  }
  return undefined;
}

/** Refuses (exit 1) to write while a git operation is stopped in the CRM's repository. */
export function assertNoGitOperation(root: string): void {
  const key = path.resolve(root);
  if (clear.has(key)) return;
  const stopped = unfinishedOperation(key);
  // One line: what is stopped and the two ways out (tb sync stops a rebase this way too).
  if (stopped) throw new TbError(`${stopped.name} is stopped in this repository: resolve and run ${stopped.finish}, or ${stopped.abort}, then run this again (nothing written; reading commands still work)`, 1);
  clear.add(key);
}
