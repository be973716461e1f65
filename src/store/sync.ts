/**
 * `tb sync`: fetch + rebase onto the upstream (what `git pull --rebase` does), then push. Stops with
 * the repository in git's normal conflict state when the rebase conflicts; never resolves anything.
 */
import path from 'node:path';
import { GitError } from '../errors.js';
import {
  aheadBehind, commitCount, conflictedFiles, currentBranch, fetchRemote, gitStatusZ, gitTopLevel, hasCommits,
  pushBranch, rebaseInProgress, rebaseOnto, refExists, remoteUrl, remotes, upstreamOf,
} from './git.js';
import { conflictKind, conflictMessage, dirtyMessage, parseAheadBehind, parsePorcelainZ, remoteFailureMessage } from '../core/sync.js';
import type { ConflictKind } from '../core/sync.js';

export interface SyncResult {
  remote: string;
  branch: string;
  /** e.g. origin/main */
  upstream: string;
  /** Commits taken from the remote. */
  pulled: number;
  /** Commits sent to the remote (0 with --no-push). */
  pushed: number;
  /** Local commits left unpushed (with --no-push). */
  unpushed: number;
  /** True when this sync set the branch's upstream (first push). */
  setUpstream: boolean;
}

/** A path relative to the work tree top, shown relative to the CRM root. */
function fromTop(root: string, top: string, p: string): string {
  return path.relative(root, path.join(top, p)).split(path.sep).join('/');
}

export function sync(root: string, opts: { push: boolean }): SyncResult {
  const top = gitTopLevel(root);
  if (!top) throw new GitError('not inside a git repository, so there is nothing to sync', 'run git init, add a remote (git remote add origin URL), commit, then tb sync');
  const branch = assertSyncable(root, top);
  const { up, setUpstream } = upstreamToSync(root, branch);
  const upstream = `${up.remote}/${up.branch}`;
  const url = remoteUrl(root, up.remote);
  const fetched = fetchRemote(root, up.remote);
  if (!fetched.ok) {
    const m = remoteFailureMessage('fetch', up.remote, url, fetched.stderr);
    throw new GitError(m.message, m.hint);
  }
  const { pulled, ahead } = rebaseOnUpstream(root, top, up, upstream);
  let pushed = 0;
  if (opts.push && (ahead > 0 || setUpstream)) {
    const r = pushBranch(root, up.remote, up.branch, setUpstream);
    if (!r.ok) {
      const m = remoteFailureMessage('push', up.remote, url, r.stderr);
      throw new GitError(m.message, m.hint);
    }
    pushed = ahead;
  }
  return { remote: up.remote, branch, upstream, pulled, pushed, unpushed: opts.push ? 0 : ahead, setUpstream: setUpstream && opts.push };
}

/** The branch to sync; refuses a rebase in progress, a detached HEAD, no commits, or uncommitted work. */
function assertSyncable(root: string, top: string): string {
  if (rebaseInProgress(root)) {
    const files = conflictedFiles(root).map((f) => fromTop(root, top, f));
    throw new GitError(
      `a rebase is in progress${files.length ? ` with conflicts in ${files.join(', ')}` : ''}`,
      'resolve the files, git add them, git rebase --continue (or git rebase --abort), then tb sync',
    );
  }
  const branch = currentBranch(root);
  if (!branch) throw new GitError('HEAD is detached, not on a branch', 'git switch <branch> first');
  if (!hasCommits(root)) throw new GitError('nothing is committed yet', 'commit your records first (git add . && git commit), or turn on git.autocommit');
  // Uncommitted work would be left out of the push or block the rebase: refuse, never stash it.
  const prefix = path.relative(top, root).split(path.sep).join('/');
  const inCrm = (p: string) => !prefix || p === prefix || p.startsWith(`${prefix}/`);
  const dirty = parsePorcelainZ(gitStatusZ(root))
    .filter((e) => e.code !== '??' || inCrm(e.path))
    .map((e) => fromTop(root, top, e.path));
  if (dirty.length) {
    const m = dirtyMessage(dirty);
    throw new GitError(m.message, m.hint);
  }
  return branch;
}

/** The branch's upstream, or the remote a first push sets it to (origin, or the only remote). */
function upstreamToSync(root: string, branch: string): { up: { remote: string; branch: string }; setUpstream: boolean } {
  const up = upstreamOf(root, branch);
  if (up) return { up, setUpstream: false };
  const all = remotes(root);
  if (!all.length) throw new GitError('no git remote to sync with', `add one (git remote add origin URL), then tb sync pushes ${branch} and remembers it`);
  const remote = all.includes('origin') ? 'origin' : all.length === 1 ? all[0] : undefined;
  if (!remote) throw new GitError(`branch ${branch} has no upstream and there are several remotes (${all.join(', ')})`, `choose one: git branch --set-upstream-to <remote>/${branch}`);
  return { up: { remote, branch }, setUpstream: true };
}

/** Rebases local commits onto the fetched upstream; how many commits came in and how many are ahead. */
function rebaseOnUpstream(root: string, top: string, up: { remote: string; branch: string }, upstream: string): { pulled: number; ahead: number } {
  const trackingRef = `refs/remotes/${up.remote}/${up.branch}`;
  // The branch is not on the remote yet: all of it goes.
  if (!refExists(root, trackingRef)) return { pulled: 0, ahead: commitCount(root) };
  const { behind } = parseAheadBehind(aheadBehind(root, trackingRef));
  if (behind > 0) {
    const r = rebaseOnto(root, trackingRef);
    if (!r.ok) {
      const files = conflictedFiles(root).map((f) => fromTop(root, top, f));
      // Modify/delete conflicts have no markers to remove: say which side deleted.
      const kinds: Record<string, ConflictKind> = {};
      for (const e of parsePorcelainZ(gitStatusZ(root))) kinds[fromTop(root, top, e.path)] = conflictKind(e.code);
      if (files.length || rebaseInProgress(root)) throw new GitError(conflictMessage(upstream, files, kinds));
      throw new GitError(`git rebase onto ${upstream} failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
    }
  }
  return { pulled: behind, ahead: parseAheadBehind(aheadBehind(root, trackingRef)).ahead };
}
