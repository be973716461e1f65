/**
 * After a commit, pull, rebase or checkout, what changed in git's index for one folder, in the
 * time of what changed (docs/index-cache.md): the index remembers the commit git's index was
 * compared with and the paths staged against it (IndexBase); git's index now is the new HEAD's tree
 * except at the paths staged now. So an entry can hold another blob only at a path that differs
 * between the two commits (`git diff-tree`, which skips every subtree the two share) or is staged
 * on either side. Those paths are asked of git one by one; nothing else of the index is listed.
 */
import { spawnSync } from 'node:child_process';
import { git, gitEnv } from './git.js';
import { parseListing, type GitState } from './git-status.js';
import type { IndexBase } from './index-format.js';

/** Past this many changed paths, listing git's whole index for the folder is as cheap. */
export const MAX_CHANGED_PATHS = 2000;

export interface GitChanges {
  /** Paths under the folder whose entry in git's index may differ from the index's snapshot. */
  changed: Set<string>;
  /** Of those, the ones in git's index now: path → blob id, '' for one git status does not watch. */
  tracked: Map<string, string>;
  /** Every tracked path under the folder that git status does not watch (assume-unchanged, skip-worktree). */
  unwatched: Set<string>;
  /** What git's index is now, for the next time. */
  base: IndexBase;
}

const inFolder = (folder: string) => (p: string) => p.startsWith(`${folder}/`);

/** git's index now as a base (the commit status compared with, and the folder's staged paths). */
export function baseNow(gs: GitState, folder: string): IndexBase | undefined {
  return gs.head ? { head: gs.head, staged: gs.staged.filter(inFolder(folder)).sort() } : undefined;
}

/**
 * What changed since `base`; undefined when it cannot be told cheaply (no base, no commit yet, the
 * old commit gone, too many paths): git's whole listing is then compared. Null when a symbolic
 * link or submodule is now tracked under the folder (the folder is read directly).
 */
export function changesSince(root: string, gs: GitState, folder: string, base: IndexBase | undefined): GitChanges | null | undefined {
  const now = baseNow(gs, folder);
  if (!base || !now) return undefined;
  const changed = new Set<string>([...base.staged, ...now.staged]);
  if (base.head !== now.head) {
    const diff = git(root, ['diff-tree', '-r', '-z', '--no-renames', '--relative', base.head, now.head, '--', folder]);
    if (!diff.ok) return undefined; // e.g. the old commit was removed (gc after an amend)
    const items = diff.stdout.split('\0');
    for (let i = 0; i + 1 < items.length; i += 2) {
      // `:<old mode> <new mode> <old blob> <new blob> <status>` then the path.
      const newMode = items[i].slice(8, 14);
      if (newMode === '120000' || newMode === '160000') return null;
      changed.add(items[i + 1]);
    }
  }
  for (const p of changed) if (!inFolder(folder)(p)) changed.delete(p);

  if (changed.size > MAX_CHANGED_PATHS) return undefined;
  const tracked = trackedAt(root, folder, [...changed]);
  if (tracked === undefined) return undefined;
  if (tracked === null) return null;
  const unwatched = unwatchedPaths(root, folder);
  if (!unwatched) return undefined;
  return { changed, tracked, unwatched, base: now };
}

/** Git's index entries of exactly these paths (see parseListing); null: a link or submodule among them. */
function trackedAt(root: string, folder: string, paths: string[]): Map<string, string> | null | undefined {
  if (paths.length === 0) return new Map();
  // Paths are literal in every git run of tb (gitEnv: GIT_LITERAL_PATHSPECS).
  const r = git(root, ['ls-files', '-s', '-v', '-z', '--', ...paths]);
  if (!r.ok) return undefined;
  const files = parseListing(r.stdout).get(folder);
  return files === undefined ? new Map() : files;
}

/**
 * Tracked paths git status does not watch: every entry of `git ls-files -v` whose tag is not `H`
 * (lower case: assume-unchanged; S: skip-worktree). A mark changes git's index but no blob, so it
 * is looked for in every entry; the listing is scanned as bytes and only marked paths are decoded.
 */
function unwatchedPaths(root: string, folder: string): Set<string> | undefined {
  const r = spawnSync('git', ['ls-files', '-v', '-z', '--', folder], { cwd: root, maxBuffer: 1024 * 1024 * 1024, env: gitEnv() });
  if (r.status !== 0 || !r.stdout) return undefined;
  const out = r.stdout;
  const marked = new Set<string>();
  for (let at = 0; at < out.length; ) {
    const end = out.indexOf(0, at);
    const stop = end < 0 ? out.length : end;
    if (out[at] !== 72 /* H */) marked.add(out.toString('utf8', at + 2, stop));
    at = stop + 1;
  }
  return marked;
}
