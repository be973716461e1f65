/**
 * Issue #29: removal that can be undone. tb history of a removed record, tb restore, and imports
 * that skip a removed contact unless --include-removed. Real git, commands in-process.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, tb, tempDir } from './helpers.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const run = (dir: string, ...args: string[]) => tb(['--dir', dir, '--as-of', AS_OF, ...args], { env: GIT_ENV });

/** A CRM in git with autocommit, where ada (with an interaction) was added and then removed. */
async function adaRemoved(): Promise<{ dir: string; text: string }> {
  const dir = path.join(tempDir('tb-restore-'), 'crm');
  expect((await tb(['init', dir, '--autocommit'], { env: GIT_ENV })).code).toBe(0);
  expect((await run(dir, 'add', 'contact', 'Ada Lovelace', '--email', 'ada@example.com')).code).toBe(0);
  expect((await run(dir, 'set', 'ada', 'title=Countess')).code).toBe(0);
  const text = fs.readFileSync(path.join(dir, 'contacts/ada-lovelace.md'), 'utf8');
  expect((await run(dir, 'rm', 'ada')).code).toBe(0);
  expect(fs.existsSync(path.join(dir, 'contacts/ada-lovelace.md'))).toBe(false);
  return { dir, text };
}

describe('a removed record', () => {
  it('tb history <id> shows its trail from git, removal included', async () => {
    const { dir } = await adaRemoved();
    const r = await run(dir, 'history', 'ada-lovelace');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rm: contact ada-lovelace');
    expect(r.stdout).toContain('add: contact Ada Lovelace');
    expect(r.stderr).toContain('tb restore ada-lovelace brings it back');
    const j = JSON.parse((await run(dir, 'history', 'ada-lovelace', '--json')).stdout);
    expect(j).toMatchObject({ id: 'ada-lovelace', type: 'contact', path: 'contacts/ada-lovelace.md', removed: true });
    expect(j.commits).toHaveLength(3);
  });

  it('tb restore brings it back from the last commit that had it, as one commit; --dry-run changes nothing', async () => {
    const { dir, text } = await adaRemoved();
    const head = git(dir, 'rev-parse', 'HEAD');
    const dry = await run(dir, 'restore', 'ada-lovelace', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Would restore contact ada-lovelace: contacts\/ada-lovelace.md from [0-9a-f]{7}\^ \(removed 20\d\d-\d\d-\d\d\)\nDry run: nothing was written.\n$/);
    expect(fs.existsSync(path.join(dir, 'contacts/ada-lovelace.md'))).toBe(false);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    const r = await run(dir, 'restore', 'ada-lovelace');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'contacts/ada-lovelace.md'), 'utf8')).toBe(text);
    expect(git(dir, 'log', '-1', '--format=%s').trim()).toBe('restore: contact ada-lovelace');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect((await run(dir, 'check')).code).toBe(0);
    const again = await run(dir, 'restore', 'ada-lovelace');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('tb: ada-lovelace exists now (contacts/ada-lovelace.md); nothing restored');
  });

  it('tb restore of an id never removed says so, with did-you-mean', async () => {
    const { dir } = await adaRemoved();
    const r = await run(dir, 'restore', 'ada-lovelacx');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no removed record 'ada-lovelacx'");
    expect(r.stderr).toContain('ada-lovelace');
  });

  it('tb history and tb restore name a removed record as other commands do: by the start of its id or its name', async () => {
    const { dir } = await adaRemoved();
    const h = await run(dir, 'history', 'ada');
    expect(h.code, h.stderr).toBe(0);
    expect(h.stdout).toContain('rm: contact ada-lovelace');
    const r = await run(dir, 'restore', 'Ada Lovelace');
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, 'contacts/ada-lovelace.md'))).toBe(true);
  });

  it('an import that would re-create it skips and reports it, unless --include-removed', async () => {
    const { dir } = await adaRemoved();
    const csv = path.join(path.dirname(dir), 'google.csv');
    // Google Contacts' export columns; Ada under another name, same address.
    fs.writeFileSync(csv, 'Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value\nAda King,Ada,King,* Home,ADA@example.com\nGrace Hopper,Grace,Hopper,* Work,grace@example.com\n');
    const r = await run(dir, 'import', 'csv', csv);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('skipped ada-king: contact ada-lovelace (same email) was removed in');
    expect(r.stderr).toContain('--include-removed imports it anew');
    expect(r.stdout).toContain('1 contact created');
    expect(r.stdout).toContain('1 skipped');
    expect(fs.existsSync(path.join(dir, 'contacts/ada-king.md'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'contacts/grace-hopper.md'))).toBe(true);
    const forced = await run(dir, 'import', 'csv', csv, '--include-removed');
    expect(forced.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'contacts/ada-king.md'))).toBe(true);
  });

  it('tb help lists restore', async () => {
    const r = await tb(['help']);
    expect(r.stdout).toMatch(/restore\s+bring back a removed record from git history/);
    const h = await tb(['restore', '--help']);
    expect(h.stdout).toContain('Examples:');
  });
});
