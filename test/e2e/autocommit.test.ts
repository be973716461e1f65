/**
 * Issue #27: autocommit of any size, failed commits, commits of interrupted runs, and parallel
 * autocommits serialised on one lock. What only a process shows (parallel runs, kill -9) runs as
 * real subprocesses over a real git repository; the rest in-process.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AS_OF, TB, tb, tempDir, tbSpawn } from './helpers.js';
import { autocommitFiles } from '../../src/store/git.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV }, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const tbAsync = (dir: string, args: string[]) => tbSpawn(dir, args, GIT_ENV);

/** Whether a process runs with its working directory in `dir` (Linux's /proc; elsewhere: no). */
function gitRunningIn(dir: string): boolean {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return false;
  }
  const real = fs.realpathSync(dir);
  return pids.some((pid) => {
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      return cwd === real || cwd.startsWith(`${real}/`);
    } catch {
      return false; // gone meanwhile, or not ours to look at
    }
  });
}

/** A new CRM in git with autocommit on and one committed contact. */
async function autocommitCrm(): Promise<string> {
  const dir = path.join(tempDir('tb-ac-'), 'crm');
  expect((await tb(['init', dir, '--autocommit'], { env: GIT_ENV })).code).toBe(0);
  expect((await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ada Lovelace', '--email', 'ada@example.com'], { env: GIT_ENV })).code).toBe(0);
  return dir;
}

const status = (dir: string) => git(dir, 'status', '--porcelain', '--untracked-files=all');
const committed = (dir: string, folder: string) => git(dir, 'ls-files', '--', folder).split('\n').filter(Boolean);

/** A CSV of `n` people with distinct emails, in Google Contacts' column names. */
function peopleCsv(n: number, from = 0): string {
  const rows = ['Name,E-mail 1 - Value'];
  for (let i = from; i < from + n; i++) rows.push(`Person ${i},person${i}@example.com`);
  return `${rows.join('\n')}\n`;
}

describe('autocommit of any size', () => {
  it('more paths than fit on a command line commit at once (they go to git on stdin)', async () => {
    const dir = await autocommitCrm();
    // A 40,000-message mail import writes ~2.8 MB of paths, past the kernel's 2 MB argument limit
    // (E2BIG). The same bytes in fewer, longer names (12,000 × ~200 bytes) keep the test's disk
    // work small; committed by the store's autocommit as the import command does.
    const folder = path.join(dir, 'interactions', '2026', '11');
    fs.mkdirSync(folder, { recursive: true });
    const files: string[] = [];
    const long = 'a-correspondent-with-a-rather-long-name-'.repeat(4);
    for (let i = 0; i < 12_000; i++) {
      const name = `2026-11-${String(1 + (i % 28)).padStart(2, '0')}-${long}${i}-email-abcd.md`;
      fs.writeFileSync(path.join(folder, name), `---\ndate: 2026-11-01\ncontacts: [ada-lovelace]\nchannel: email\nsummary: Message ${i}\n---\n`);
      files.push(`interactions/2026/11/${name}`);
    }
    expect(files.join(' ').length).toBeGreaterThan(2 * 1024 * 1024);
    const r = autocommitFiles(dir, files, 'import: big.mbox');
    expect(r.stderr).toBe('');
    expect(r.ok).toBe(true);
    expect(r.committed).toBe(true);
    expect(status(dir)).toBe('');
    expect(committed(dir, 'interactions')).toHaveLength(12_000);
  });

  it('a commit git refuses is an error (exit 1) naming why; the next command commits the files', async () => {
    const dir = await autocommitCrm();
    const hook = path.join(dir, '.git', 'hooks', 'pre-commit');
    fs.writeFileSync(hook, '#!/bin/sh\necho "policy: no commits today" >&2\nexit 1\n', { mode: 0o755 });
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Grace Hopper'], { env: GIT_ENV });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tb: autocommit failed: policy: no commits today');
    expect(r.stderr).toContain('1 file is written but not committed');
    expect(fs.existsSync(path.join(dir, 'contacts/grace-hopper.md'))).toBe(true);
    fs.rmSync(hook);
    const next = await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Alan Turing'], { env: GIT_ENV });
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('also committed 1 file an interrupted earlier run had written');
    expect(status(dir)).toBe('');
    expect(committed(dir, 'contacts')).toContain('contacts/grace-hopper.md');
  });

  it('files written before a killed import are committed by the re-run', async () => {
    const dir = await autocommitCrm();
    const csv = path.join(path.dirname(dir), 'people.csv');
    fs.writeFileSync(csv, peopleCsv(3000));
    const child = spawn(process.execPath, [TB, '--dir', dir, '--as-of', AS_OF, 'import', 'csv', csv], { env: { ...process.env, ...GIT_ENV, NO_COLOR: '1' }, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Killed once part of the files are written: the condition is the files, not a clock.
    const contacts = path.join(dir, 'contacts');
    await vi.waitFor(() => {
      if (fs.readdirSync(contacts).length < 100) throw new Error('not yet');
    }, { timeout: 600_000, interval: 5 });
    child.kill('SIGKILL');
    await exited;
    const left = fs.readdirSync(contacts).filter((f) => f.endsWith('.md')).length;
    // Mostly part of the 3,000; all of them when this test was held back while the import wrote
    // the rest (a busy machine): then the kill lands in the commit and the re-run only commits.
    expect(left).toBeGreaterThan(1);
    expect(left).toBeLessThanOrEqual(3001);
    // A git the killed tb had started (add, commit) runs on to its end: wait for it, not a clock,
    // or the re-run would find git's index.lock held.
    await vi.waitFor(() => {
      if (gitRunningIn(dir)) throw new Error('git still running');
    }, { timeout: 600_000, interval: 20 });
    const again = await tbAsync(dir, ['import', 'csv', csv]);
    expect(again.code).toBe(0);
    expect(status(dir)).toBe('');
    expect(committed(dir, 'contacts')).toHaveLength(3001);
  });

  it('a re-run with nothing left to write still commits what the failed run wrote', async () => {
    const dir = await autocommitCrm();
    const csv = path.join(path.dirname(dir), 'people.csv');
    fs.writeFileSync(csv, peopleCsv(3));
    // The import's commit fails after all its writes: the run ends with nothing committed.
    fs.writeFileSync(path.join(dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const failed = await tbAsync(dir, ['import', 'csv', csv]);
    expect(failed.code).toBe(1);
    fs.rmSync(path.join(dir, '.git', 'hooks', 'pre-commit'));
    expect(status(dir)).toContain('contacts/person-0.md');
    const again = await tbAsync(dir, ['import', 'csv', csv]);
    expect(again.code).toBe(0);
    expect(status(dir)).toBe('');
    expect(committed(dir, 'contacts')).toEqual(expect.arrayContaining(['contacts/person-0.md', 'contacts/person-1.md', 'contacts/person-2.md']));
  });
});

describe('parallel autocommits', () => {
  it('ten parallel tb case note commit one after another: all committed, nothing staged, no index.lock', async () => {
    const dir = await autocommitCrm();
    const open = await tb(['--dir', dir, '--as-of', AS_OF, 'case', 'open', 'ada', 'The invoice', '--json'], { env: GIT_ENV });
    expect(open.code).toBe(0);
    const caseId = JSON.parse(open.stdout).id as string;
    const before = Number(git(dir, 'rev-list', '--count', 'HEAD').trim());
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => tbAsync(dir, ['case', 'note', caseId, `Note ${i}`])));
    for (const r of runs) {
      expect(r.stderr).not.toMatch(/index\.lock|autocommit failed/);
      expect(r.code).toBe(0);
    }
    expect(status(dir)).toBe('');
    expect(Number(git(dir, 'rev-list', '--count', 'HEAD').trim())).toBe(before + 10);
    expect(fs.existsSync(path.join(dir, '.git', 'index.lock'))).toBe(false);
  });
});
