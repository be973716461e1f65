/** Thin wrappers over the git command line. The store is the only place that runs git. */
import { spawnSync } from 'node:child_process';

export interface GitResult {
  ok: boolean;
  status: number;
  stdout: string;
  stderr: string;
}

export function git(cwd: string, args: string[], input?: string): GitResult {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', input, maxBuffer: 512 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  if (r.error) return { ok: false, status: -1, stdout: '', stderr: r.error.message };
  return { ok: r.status === 0, status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function isInsideWorkTree(dir: string): boolean {
  const r = git(dir, ['rev-parse', '--is-inside-work-tree']);
  return r.ok && r.stdout.trim() === 'true';
}

export function gitUserEmail(dir: string): string | undefined {
  const r = git(dir, ['config', 'user.email']);
  return r.ok && r.stdout.trim() ? r.stdout.trim() : undefined;
}

export function gitInit(dir: string): boolean {
  return git(dir, ['init', '-q']).ok;
}

/**
 * Commits exactly `files` (root-relative) with `message`, leaving anything else the user staged or
 * modified alone: `git commit --only` takes the named paths from the work tree and nothing else.
 */
export function commitFiles(root: string, files: string[], message: string): GitResult {
  if (!files.length) return { ok: true, status: 0, stdout: '', stderr: '' };
  const add = git(root, ['add', '--', ...files]);
  if (!add.ok) return add;
  return git(root, ['commit', '-q', '--only', '-m', message, '--', ...files]);
}
