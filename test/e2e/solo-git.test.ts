/** Working alone with git: tb init's first commit and autocommit, tb status, tb history before any commit. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, tb, tempDir } from './helpers.js';

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('tb init and git', () => {
  it('makes the first commit; autocommit stays off without a terminal or flag', async () => {
    const dir = path.join(tempDir(), 'crm');
    const r = await tb(['init', dir, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ git_init: true, first_commit: true, autocommit: false });
    expect(git(dir, ['log', '--format=%s'])).toBe('tb: init\n');
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    // git's untracked cache: tb sync's and your own git status re-read only changed folders.
    expect(git(dir, ['config', '--local', 'core.untrackedCache'])).toBe('true\n');
    expect(fs.readFileSync(path.join(dir, 'touchbase.yaml'), 'utf8')).toContain('autocommit: false');
  });

  it('--autocommit turns git.autocommit on in touchbase.yaml, and later writes are commits', async () => {
    const dir = path.join(tempDir(), 'crm');
    const r = await tb(['init', dir, '--autocommit']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('git.autocommit is on');
    const config = fs.readFileSync(path.join(dir, 'touchbase.yaml'), 'utf8');
    expect(config).toContain('autocommit: true              # true: every write command makes one commit');
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ada Lovelace'])).code).toBe(0);
    expect(git(dir, ['log', '--format=%s'])).toBe('add: contact Ada Lovelace\ntb: init\n');
    const st = await tb(['--dir', dir, 'status']);
    expect(st.stdout).toContain('2 commits; autocommit on');
    expect(st.stdout).toContain('everything is committed');
  });
});

describe('tb status', () => {
  it('counts uncommitted records when autocommit is off', async () => {
    const dir = path.join(tempDir(), 'crm');
    await tb(['init', dir]);
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ada Lovelace']);
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Grace Hopper']);
    const r = await tb(['--dir', dir, 'status', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 commit; autocommit off');
    expect(r.stdout).toContain('not committed: 2 files (2 new)');
    expect(r.stdout).toContain('new      contacts/ada-lovelace.md');
    const j = JSON.parse((await tb(['--dir', dir, 'status', '--json'])).stdout);
    expect(j).toMatchObject({ git: true, commits: 1, autocommit: false, uncommitted: [{ path: 'contacts/ada-lovelace.md', kind: 'new' }, { path: 'contacts/grace-hopper.md', kind: 'new' }] });
  });

  it('outside git says nothing is versioned', async () => {
    const dir = path.join(tempDir(), 'crm');
    await tb(['init', dir, '--no-git']);
    const r = await tb(['--dir', dir, 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('not a git repository');
  });
});

describe('tb history before any commit', () => {
  it('says so plainly instead of a raw git error', async () => {
    const top = tempDir();
    git(top, ['init', '-q']);
    const dir = path.join(top, 'crm');
    await tb(['init', dir]);
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ada Lovelace']);
    const r = await tb(['--dir', dir, 'history', 'ada']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tb: no history yet: nothing has been committed in this repository');
    expect(r.stderr).not.toContain('fatal');
    expect(r.stderr).toContain('tb status');
  });
});
