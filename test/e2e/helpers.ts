/**
 * End-to-end helpers. `tb()` runs the CLI in-process through `run()` with an injected environment
 * (argv, cwd, env, writers, stdin, clock) — the same code path as the launcher, minus the process.
 * `tbProcess()` runs the built launcher (bin/tb.js → dist/) as a real subprocess, for what only a
 * process shows: exit codes of the launcher, pipes, TTY, signals, concurrency. The global setup
 * (test/global-setup.ts) rebuilds dist/ when it is older than the sources, so it is never stale.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli.js';
import { bodyFromBytes } from '../../src/store/terminal.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const TB = path.join(REPO, 'bin', 'tb.js');
export const EXAMPLE = path.join(REPO, 'examples', 'consultancy');
export const AS_OF = '2026-11-23';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** A clock for the command (the real one by default; most tests pass --as-of instead). */
  now?: Date;
}

/** The environment every test command sees: no colour, UTC, no user settings leaking in. */
function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    TZ: 'UTC',
    TOUCHBASE_USER: undefined,
    TOUCHBASE_DIR: undefined,
    TOUCHBASE_DEBUG: undefined,
    EDITOR: undefined,
    VISUAL: undefined,
    GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com',
    // No user.name/user.email from the machine: tb init would make its owner the first owner.
    GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env as Record<string, string>;
}

/**
 * Runs `tb args…` in-process with NO_COLOR, TZ=UTC, no TTY and `input` as piped stdin. A test that
 * asks for another time zone runs as a subprocess: the zone belongs to the process.
 */
export async function tb(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const env = testEnv(opts.env);
  if (env.TZ !== (process.env.TZ ?? 'UTC')) return tbProcess(args, opts);
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd: opts.cwd ?? REPO,
    env,
    stdoutIsTTY: false,
    stdinIsTTY: false,
    stderrIsTTY: false,
    now: opts.now ?? new Date(),
    write: (t) => {
      stdout += t;
    },
    writeErr: (t) => {
      stderr += t;
    },
    readStdin: (max) => bodyFromBytes(opts.input === undefined ? undefined : Buffer.from(opts.input), max),
  });
  return { stdout, stderr, code };
}

/** Runs `tb args…` as a real subprocess of the built launcher, with the same environment as tb(). */
export function tbProcess(args: string[], opts: RunOptions = {}): RunResult {
  const env = testEnv(opts.env);
  const r = spawnSync(process.execPath, [TB, ...args], { cwd: opts.cwd ?? REPO, env, input: opts.input ?? '', encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** A fresh temp dir; removed by the caller through cleanup(). */
export function tempDir(prefix = 'tb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A temp copy of the example CRM. */
export function exampleCopy(): string {
  const dir = tempDir();
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

/** A fresh empty CRM made by `tb init --no-git`. */
export async function emptyCrm(): Promise<string> {
  const dir = tempDir();
  const r = await tb(['init', dir, '--no-git']);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return dir;
}

export function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, rel), 'utf8');
}

/** Every file under dir (relative paths), for "nothing else changed" assertions. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === '.touchbase') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.set(r, fs.readFileSync(path.join(d, e.name), 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}

/** Files added, removed or changed between two snapshots. */
export function diffSnapshots(before: Map<string, string>, after: Map<string, string>): { added: string[]; removed: string[]; changed: string[] } {
  const added = [...after.keys()].filter((k) => !before.has(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
  const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort();
  return { added, removed, changed };
}

/**
 * Runs the built `tb --dir DIR --as-of AS_OF args…` as a real process without blocking the test
 * (for what runs at once: races, kills), as user sam, with `env` added.
 */
export function tbSpawn(dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TB, '--dir', dir, '--as-of', AS_OF, ...args], {
      env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', TOUCHBASE_USER: 'sam', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
  });
}

/** Runs git in `cwd` for a test's setup: its stdout, or a thrown error naming the command and git's message. */
export function gitIn(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
