/** Thin wrappers over the git command line. The store is the only place that runs git. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface GitResult {
  ok: boolean;
  status: number;
  stdout: string;
  stderr: string;
}

/** The environment git inherits: the command's own (see store/session.ts), the process's until set. */
let baseEnv: Record<string, string | undefined> = process.env;

export function setGitBaseEnv(env: Record<string, string | undefined>): void {
  baseEnv = env;
  knownUserEmail.clear();
}

/**
 * Settings every git run by tb gets, whatever `.git/config` says: `core.fsmonitor` names a program
 * git would start on status, diff and add (docs/reliability.md says what git may still run).
 */
const SAFE_CONFIG: ReadonlyArray<[string, string]> = [['core.fsmonitor', 'false']];

/**
 * Git's environment: never prompt; paths are literal (a file named `[jk]*.md` is that file, never a
 * glob); SAFE_CONFIG added after any GIT_CONFIG_* pairs already given, so it wins.
 */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...baseEnv, GIT_TERMINAL_PROMPT: '0', GIT_LITERAL_PATHSPECS: '1' };
  const given = Number(env.GIT_CONFIG_COUNT);
  let n = Number.isInteger(given) && given > 0 ? given : 0;
  for (const [key, value] of SAFE_CONFIG) {
    env[`GIT_CONFIG_KEY_${n}`] = key;
    env[`GIT_CONFIG_VALUE_${n}`] = value;
    n++;
  }
  env.GIT_CONFIG_COUNT = String(n);
  return env;
}

/** Runs git and waits for it. */
export function git(cwd: string, args: string[], input?: string): GitResult {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', input, maxBuffer: 512 * 1024 * 1024, env: gitEnv() });
  if (r.error) return { ok: false, status: -1, stdout: '', stderr: r.error.message };
  return { ok: r.status === 0, status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function isInsideWorkTree(dir: string): boolean {
  const r = git(dir, ['rev-parse', '--is-inside-work-tree']);
  return r.ok && r.stdout.trim() === 'true';
}

/** user.email per directory, as a settings query already run for it found it (see git-status.ts). */
const knownUserEmail = new Map<string, string | undefined>();

export function rememberUserEmail(dir: string, email: string | undefined): void {
  knownUserEmail.set(path.resolve(dir), email);
}

export function gitUserEmail(dir: string): string | undefined {
  const key = path.resolve(dir);
  if (knownUserEmail.has(key)) return knownUserEmail.get(key);
  const r = git(dir, ['config', 'user.email']);
  return r.ok && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** `git config user.name` as seen from `dir` (the global one when `dir` is no repository), if set. */
export function gitUserName(dir: string): string | undefined {
  const r = git(dir, ['config', 'user.name']);
  return r.ok && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Sets the repository's own `user.name`/`user.email` (only those given), so commits carry them. */
export function setGitIdentity(root: string, identity: { name?: string; email?: string }): boolean {
  let ok = true;
  if (identity.name) ok = git(root, ['config', 'user.name', identity.name]).ok && ok;
  if (identity.email) ok = git(root, ['config', 'user.email', identity.email]).ok && ok;
  return ok;
}

/**
 * `git init`, with git's untracked cache on (docs/teams-and-git.md): git then re-reads only the
 * folders whose mtime changed when it looks for untracked files (`tb sync`, your own `git status`).
 */
export function gitInit(dir: string): boolean {
  if (!git(dir, ['init', '-q']).ok) return false;
  git(dir, ['config', 'core.untrackedCache', 'true']);
  return true;
}

/** `files` as git reads a pathspec file: NUL-separated, so no path is ever split or globbed. */
function pathspecInput(files: readonly string[]): string {
  return `${files.join('\0')}\0`;
}

/** True when any of `files` (root-relative) differs between the index and HEAD (or is new). */
function stagedDiffers(root: string, files: readonly string[]): boolean {
  const head = git(root, ['rev-parse', '-q', '--verify', 'HEAD']);
  if (!head.ok) return true; // no commit yet: anything added is a change
  // The whole staged list, matched here: `git diff` takes no pathspec file, and 40,000 paths on
  // the command line exceed the kernel's argument limit (E2BIG).
  const r = git(root, ['diff', '--cached', '--name-only', '--relative', '-z', '--no-renames', 'HEAD']);
  if (!r.ok) return true;
  const wanted = new Set(files);
  return r.stdout.split('\0').some((f) => f && wanted.has(f));
}

/** Git's own index lock is held (a git command of the user's runs now, or one died holding it). */
const INDEX_LOCKED = /index\.lock': File exists/;

/**
 * Commits exactly `files` (root-relative) with `message`, leaving anything else the user staged or
 * modified alone: `git commit --only` takes the named paths from the work tree and nothing else.
 * The paths go to git on stdin (--pathspec-from-file), so any number of them fits. A no-op (ok,
 * nothing committed) when the files are already committed as they are. Callers serialise through
 * store/autocommit.ts; a git command of the user's holding `index.lock` is waited for briefly.
 */
export function autocommitFiles(root: string, files: string[], message: string): GitResult & { committed: boolean } {
  if (!files.length) return { ok: true, status: 0, stdout: '', stderr: '', committed: false };
  const input = pathspecInput(files);
  const add = retryWhileIndexLocked(() => git(root, ['add', '--pathspec-from-file=-', '--pathspec-file-nul'], input));
  if (!add.ok) return { ...add, committed: false };
  if (!stagedDiffers(root, files)) return { ok: true, status: 0, stdout: '', stderr: '', committed: false };
  const r = retryWhileIndexLocked(() => git(root, ['commit', '-q', '--only', '-m', message, '--pathspec-from-file=-', '--pathspec-file-nul'], input));
  return { ...r, committed: r.ok };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Runs `step` again (for up to 5 s) while another git process holds the index lock. */
function retryWhileIndexLocked(step: () => GitResult): GitResult {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const r = step();
    if (r.ok || !INDEX_LOCKED.test(r.stderr) || Date.now() > deadline) return r;
    Atomics.wait(pause, 0, 0, 50);
  }
}

/** The top folder of the work tree that holds `dir`. */
export function gitTopLevel(dir: string): string | undefined {
  const r = git(dir, ['rev-parse', '--show-toplevel']);
  return r.ok ? r.stdout.trim() : undefined;
}

/** Raw `git status --porcelain=v1 -z` of the whole work tree (paths relative to its top). */
export function gitStatusZ(dir: string): string {
  return git(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all']).stdout;
}

/** True while a rebase (from `tb sync` or by hand) is stopped. */
export function rebaseInProgress(dir: string): boolean {
  for (const name of ['rebase-merge', 'rebase-apply']) {
    const r = git(dir, ['rev-parse', '--git-path', name]);
    if (r.ok && fs.existsSync(path.resolve(dir, r.stdout.trim()))) return true;
  }
  return false;
}

export function currentBranch(dir: string): string | undefined {
  const r = git(dir, ['symbolic-ref', '--short', '-q', 'HEAD']);
  return r.ok ? r.stdout.trim() : undefined;
}

export function hasCommits(dir: string): boolean {
  return git(dir, ['rev-parse', '-q', '--verify', 'HEAD']).ok;
}

export function remotes(dir: string): string[] {
  return git(dir, ['remote']).stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}

export function remoteUrl(dir: string, remote: string): string | undefined {
  const r = git(dir, ['remote', 'get-url', remote]);
  return r.ok ? r.stdout.trim() : undefined;
}

/** The configured upstream of `branch`: remote name and the branch on that remote. */
export function upstreamOf(dir: string, branch: string): { remote: string; branch: string } | undefined {
  const remote = git(dir, ['config', `branch.${branch}.remote`]);
  const merge = git(dir, ['config', `branch.${branch}.merge`]);
  if (!remote.ok || !merge.ok) return undefined;
  return { remote: remote.stdout.trim(), branch: merge.stdout.trim().replace(/^refs\/heads\//, '') };
}

export function refExists(dir: string, ref: string): boolean {
  return git(dir, ['rev-parse', '-q', '--verify', `${ref}^{commit}`]).ok;
}

export function fetchRemote(dir: string, remote: string): GitResult {
  return git(dir, ['fetch', '--quiet', remote]);
}

export function aheadBehind(dir: string, ref: string): string {
  return git(dir, ['rev-list', '--left-right', '--count', `HEAD...${ref}`]).stdout;
}

export function rebaseOnto(dir: string, ref: string): GitResult {
  return git(dir, ['rebase', '--quiet', ref]);
}

/** Paths with unresolved conflicts (relative to the work tree top). */
export function conflictedFiles(dir: string): string[] {
  const top = gitTopLevel(dir) ?? dir;
  return git(top, ['diff', '--name-only', '--diff-filter=U', '-z']).stdout.split('\0').filter(Boolean);
}

export function pushBranch(dir: string, remote: string, branch: string, setUpstream: boolean): GitResult {
  return git(dir, ['push', '--quiet', ...(setUpstream ? ['-u'] : []), remote, `HEAD:refs/heads/${branch}`]);
}

/** `git log --follow` of one file (root-relative), newest first, in `format`. */
export function fileLog(root: string, rel: string, format: string, patch: boolean): GitResult {
  return git(root, ['log', '--follow', '--relative', '--no-color', '--no-ext-diff', '--no-textconv', `--format=${format}`, patch ? '--patch' : '--name-only', '--', rel]);
}

export function commitCount(dir: string): number {
  const r = git(dir, ['rev-list', '--count', 'HEAD']);
  return r.ok ? Number(r.stdout.trim()) || 0 : 0;
}

/** True when git tracks `rel` (root-relative): its removal can be committed. */
export function isTracked(root: string, rel: string): boolean {
  return git(root, ['ls-files', '--error-unmatch', '--', rel]).ok;
}

/**
 * The CRM's files as `git status --porcelain=v1 -z` sees them, and the CRM root's path inside the
 * work tree (porcelain paths are relative to its top). Undefined outside a work tree.
 */
export function crmStatus(root: string): { porcelainZ: string; prefix: string } | undefined {
  const top = gitTopLevel(root);
  if (!top) return undefined;
  const rel = path.relative(fs.realpathSync(top), fs.realpathSync(root)).split(path.sep).join('/');
  const r = git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.']);
  if (!r.ok) return undefined;
  return { porcelainZ: r.stdout, prefix: rel ? `${rel}/` : '' };
}
