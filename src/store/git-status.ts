/**
 * What git knows about the work tree, for the index: which record files differ from git's index.
 * At 100k files `git status` is the largest single cost of a warm command (it lstat's every file),
 * so it can be started early — before the CLI has even loaded its modules — and collected when the
 * load needs it (startGitState / takeGitState). The synchronous readGitState is the same question
 * asked on the spot.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Socket } from 'node:net';
import { git, gitEnv, rememberUserEmail } from './git.js';

export interface GitState {
  prefix: string;
  indexFile: string;
  /** Signature of git's index file, taken before git looked at the work tree. */
  sig: string;
  /** When git started looking at the work tree (ms): a file changed after it may not be reported. */
  startedAt: number;
  /** Folders (root-relative) the status covers. */
  folders: readonly string[];
  /** Root-relative path → status XY, for paths whose work-tree file differs from git's index. */
  dirty: Map<string, string>;
  /** Root-relative directories git reports as a whole (nested repositories). */
  dirs: string[];
  /** The commit git status compared git's index with; undefined before the first commit. */
  head?: string;
  /**
   * Root-relative paths whose entry in git's index differs from `head` (staged, or in conflict):
   * with `head`, they describe git's index as status saw it (the index's base, index-commits.ts).
   */
  staged: string[];
  /**
   * `git ls-files -s -v -z` of the folders, when it was asked for at the same time (a load without an
   * index needs it for every folder; asking once, in the background, saves a git run per type).
   */
  listing?: string | { folders: readonly string[]; byFolder: Map<string, Map<string, string> | null> };
}

/**
 * `git ls-files -s -v -z` output by top folder: path → blob id ('' for anything but a plain
 * stage-0 file git watches: conflicts, and files marked assume-unchanged or skip-worktree, whose
 * edits `git status` does not report, so they are checked by stat). A folder where a symbolic
 * link or submodule is tracked maps to null (read directly).
 */
export function parseListing(out: string): Map<string, Map<string, string> | null> {
  const byFolder = new Map<string, Map<string, string> | null>();
  // git lists in path order, so the folder rarely changes from one line to the next.
  let folder = '';
  let files: Map<string, string> | null | undefined;
  for (const item of out.split('\0')) {
    if (!item) continue;
    const tab = item.indexOf('\t');
    const p = item.slice(tab + 1);
    const slash = p.indexOf('/');
    const top = slash < 0 ? p : p.slice(0, slash);
    if (top !== folder || files === undefined) {
      folder = top;
      files = byFolder.get(folder);
      if (files === undefined) byFolder.set(folder, (files = new Map()));
    }
    if (files === null) continue;
    // `H 100644 <blob> 0\t<path>`: tag H is a plain cached file (lower case: assume-unchanged, S: skip-worktree).
    const mode = item.slice(2, 8);
    if (mode === '120000' || mode === '160000') {
      byFolder.set(folder, (files = null)); // symlinks and submodules: read directly
      continue;
    }
    const watched = item.charCodeAt(0) === 72 /* H */ && item.charCodeAt(tab - 1) === 48 /* stage '0' */;
    files.set(p, watched && !files.has(p) ? item.slice(9, item.indexOf(' ', 9)) : ''); // SHA-1 or SHA-256
  }
  return byFolder;
}

/** Tracked files of one folder (see parseListing): from the listing taken with the state, else asked now. */
export function trackedFiles(root: string, gs: GitState, folder: string): Map<string, string> | null {
  if (gs.listing === undefined) {
    // Git's index changed (a commit, a pull): every folder of this load will ask. One git run for all.
    const folders = gs.folders.includes(folder) ? gs.folders : [folder];
    const r = git(root, listingArgs(folders));
    if (!r.ok) return null;
    gs.listing = { folders, byFolder: parseListing(r.stdout) };
  } else if (typeof gs.listing === 'string') {
    gs.listing = { folders: gs.folders, byFolder: parseListing(gs.listing) };
  }
  if (!gs.listing.folders.includes(folder)) {
    gs.listing = undefined;
    return trackedFiles(root, gs, folder);
  }
  const files = gs.listing.byFolder.get(folder);
  return files === undefined ? new Map() : files;
}

/** A signature that changes with any write of the file (commit, add, checkout, pull). */
export function gitSig(file: string): string {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return 'none';
  }
}

function hasGit(root: string): boolean {
  let d = path.resolve(root);
  for (;;) {
    if (fs.existsSync(path.join(d, '.git'))) return true;
    const parent = path.dirname(d);
    if (parent === d) return false;
    d = parent;
  }
}

const REV_PARSE = ['rev-parse', '--is-inside-work-tree', '--show-prefix', '--git-path', 'index'];
// user.email comes along: it is "me" for owner filters, and a git run of its own costs more than a line.
const SETTINGS = ['config', '--get-regexp', '^(core\\.(trustctime|checkstat|ignorestat)|user\\.email)$'];

/** Takes note of user.email from the settings' output (the last one listed is the one in effect). */
function noteUserEmail(root: string, configOutput: string): void {
  let email = '';
  for (const line of configOutput.split('\n')) {
    const m = /^user\.email\s+(.*)$/i.exec(line.trim());
    if (m) email = m[1].trim();
  }
  rememberUserEmail(root, email || undefined);
}

/**
 * Settings under which `git status` can miss an in-place edit that keeps size and mtime: ctime not
 * trusted, minimal stat checks, or stat ignored altogether. Then the index checks files itself.
 */
function gitMissesEdits(configOutput: string): boolean {
  return configOutput.split('\n').some((line) => {
    const [key, value = ''] = line.trim().toLowerCase().split(/\s+/, 2);
    if (key === 'core.trustctime') return ['false', 'no', 'off', '0'].includes(value);
    if (key === 'core.checkstat') return value === 'minimal';
    if (key === 'core.ignorestat') return ['true', 'yes', 'on', '1', ''].includes(value);
    return false;
  });
}
// Untracked and ignored files are not asked for (far cheaper): the index finds them by listing
// directories whose signature changed.
// Format 2 names the commit it compared with (branch.oid), without counting ahead and behind.
const statusArgs = (folders: readonly string[]) => ['--no-optional-locks', 'status', '--porcelain=v2', '--branch', '--no-ahead-behind', '-z', '--untracked-files=no', '--no-renames', '--', ...folders];
/** Tracked files with their tags and blob ids (see parseListing). */
const listingArgs = (folders: readonly string[]) => ['ls-files', '-s', '-v', '-z', '--', ...folders];

function parseRevParse(root: string, out: string): { prefix: string; indexFile: string } | null {
  const lines = out.split('\n');
  if (lines[0] !== 'true') return null;
  return { prefix: lines[1] ?? '', indexFile: path.resolve(root, lines[2] ?? '.git/index') };
}

/** Fields before the path on a `git status --porcelain=v2` line, by its first letter. */
const FIELDS_BEFORE_PATH: Record<string, number> = { '1': 8, '2': 9, u: 10 };

function parseStatus(out: string, prefix: string): Pick<GitState, 'dirty' | 'dirs' | 'head' | 'staged'> {
  const dirty = new Map<string, string>();
  const dirs: string[] = [];
  const staged: string[] = [];
  let head: string | undefined;
  const items = out.split('\0');
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.startsWith('# branch.oid ')) {
      const oid = item.slice('# branch.oid '.length);
      if (/^[0-9a-f]{40,64}$/.test(oid)) head = oid; // '(initial)' before the first commit
      continue;
    }
    const fields = FIELDS_BEFORE_PATH[item[0]];
    if (fields === undefined) continue;
    if (item[0] === '2') i++; // a rename's original path follows (not asked for: --no-renames)
    let at = 0;
    for (let f = 0; f < fields && at >= 0; f++) at = item.indexOf(' ', at + 1);
    if (at < 0) continue;
    let p = item.slice(at + 1);
    if (!p.startsWith(prefix)) continue;
    p = p.slice(prefix.length);
    const x = item[2];
    const y = item[3];
    const unmerged = item[0] === 'u';
    if (x !== '.' || unmerged) staged.push(p);
    if (y === '.' && !unmerged) continue; // the work tree equals git's index
    const xy = `${x === '.' ? ' ' : x}${y === '.' ? ' ' : y}`;
    if (p.endsWith('/')) dirs.push(p);
    else dirty.set(p, xy);
  }
  return { dirty, dirs, head, staged };
}

/** Null outside a git work tree (or when git fails): the index then checks files by stat. */
/** `now` is the clock of the index's racy window (docs/architecture.md, "The index"). */
export function readGitState(root: string, folders: readonly string[], now: () => number = Date.now): GitState | null {
  if (!hasGit(root)) return null;
  const rp = git(root, REV_PARSE);
  const where = rp.ok ? parseRevParse(root, rp.stdout) : null;
  const settings = git(root, SETTINGS);
  if (settings.status === 0 || settings.status === 1) noteUserEmail(root, settings.stdout);
  if (!where || gitMissesEdits(settings.stdout)) return null;
  const sig = gitSig(where.indexFile);
  const startedAt = now();
  const st = git(root, statusArgs(folders));
  if (!st.ok) return null;
  return { ...where, sig, startedAt, folders, ...parseStatus(st.stdout, where.prefix) };
}

interface Running {
  root: string;
  folders: readonly string[];
  state: Promise<GitState | null>;
  /** Makes the running git keep the process alive again (it is started unreferenced). */
  ref(): void;
}

let started: Running | undefined;

/** Runs git without blocking; the promise never rejects. */
function gitAsync(root: string, args: string[], handles: Array<{ ref(): void; unref(): void }>): Promise<{ ok: boolean; status: number; stdout: string }> {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('git', args, { cwd: root, env: gitEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      resolve({ ok: false, status: -1, stdout: '' });
      return;
    }
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', () => resolve({ ok: false, status: -1, stdout: '' }));
    child.on('close', (code) => resolve({ ok: code === 0, status: code ?? -1, stdout: Buffer.concat(chunks).toString('utf8') }));
    // Unreferenced until someone waits for it: a command that never loads must not wait for git.
    const out = child.stdout as unknown as Socket; // a pipe: a socket underneath
    child.unref();
    out.unref();
    handles.push(child, out);
  });
}

/**
 * Starts asking git about `folders` of `root` in the background, for gitStateFor to collect. Safe
 * to call speculatively (the launcher does, for commands that read): nothing waits for it unless it
 * is collected.
 */
export function startGitState(root: string, folders: readonly string[], withListing = false, now: () => number = Date.now): void {
  if (!hasGit(root)) {
    started = { root, folders, state: Promise.resolve(null), ref: () => undefined };
    return;
  }
  const handles: Array<{ ref(): void; unref(): void }> = [];
  let referenced = false;
  const state = (async (): Promise<GitState | null> => {
    const settings = gitAsync(root, SETTINGS, handles);
    const rp = await gitAsync(root, REV_PARSE, handles);
    const where = rp.ok ? parseRevParse(root, rp.stdout) : null;
    const configOutput = await settings;
    if (configOutput.ok || configOutput.status === 1) noteUserEmail(root, configOutput.stdout);
    if (!where || gitMissesEdits(configOutput.stdout)) return null;
    // The signature is taken before git looks at any file, as readGitState does.
    const sig = gitSig(where.indexFile);
    const startedAt = now();
    const statusRun = gitAsync(root, statusArgs(folders), handles);
    const listRun = withListing ? gitAsync(root, listingArgs(folders), handles) : undefined;
    if (referenced) handles.forEach((h) => h.ref());
    const st = await statusRun;
    const ls = await listRun;
    if (!st.ok) return null;
    return { ...where, sig, startedAt, folders, ...parseStatus(st.stdout, where.prefix), listing: ls?.ok ? ls.stdout : undefined };
  })().catch(() => null);
  started = {
    root,
    folders,
    state,
    ref: () => {
      referenced = true;
      handles.forEach((h) => h.ref());
    },
  };
}

/**
 * Git's state for `folders` of `root`: the one started in the background when it covers them
 * (each start is collected once), else a new one. Resolves to null outside git.
 */
export function gitStateFor(root: string, folders: readonly string[], withListing = false, now: () => number = Date.now): Promise<GitState | null> {
  const s = started;
  const usable = s !== undefined && s.root === root && folders.every((f) => s.folders.includes(f));
  if (!usable) startGitState(root, folders, withListing, now);
  const run = started!;
  started = undefined;
  run.ref();
  return run.state;
}
