/**
 * Issue #29: no write into an unfinished git operation. With a rebase, merge, cherry-pick, revert
 * or `git am` stopped on a conflict (made with real git), every writing command refuses with one
 * line naming the commands that finish or abort it, writes nothing; reading commands still work.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, snapshot, tb, tempDir } from './helpers.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };

function git(dir: string, ...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

function must(dir: string, ...args: string[]): string {
  const r = git(dir, ...args);
  if (!r.ok) throw new Error(`git ${args.join(' ')}: ${r.out}`);
  return r.out;
}

const ADA = (note: string) => `---\nname: Ada Lovelace\nemails: [ada@example.com]\nnotes_line: ${note}\n---\n`;

/**
 * A CRM in git (autocommit on) whose main and `other` branches changed the same line of
 * contacts/ada-lovelace.md; `other`'s change is one commit, `main~0`'s another.
 */
async function diverged(): Promise<string> {
  const dir = path.join(tempDir('tb-gitop-'), 'crm');
  expect((await tb(['init', dir, '--autocommit'], { env: GIT_ENV })).code).toBe(0);
  must(dir, 'branch', '-M', 'main');
  fs.writeFileSync(path.join(dir, 'contacts', 'bob-byte.md'), '---\nname: Bob Byte\n---\n');
  must(dir, 'add', '-A');
  must(dir, 'commit', '-q', '-m', 'bob');
  fs.writeFileSync(path.join(dir, 'contacts', 'ada-lovelace.md'), ADA('base'));
  must(dir, 'add', '-A');
  must(dir, 'commit', '-q', '-m', 'base');
  must(dir, 'switch', '-q', '-c', 'other');
  fs.writeFileSync(path.join(dir, 'contacts', 'ada-lovelace.md'), ADA('theirs'));
  must(dir, 'commit', '-q', '-am', 'theirs');
  must(dir, 'switch', '-q', 'main');
  fs.writeFileSync(path.join(dir, 'contacts', 'ada-lovelace.md'), ADA('ours'));
  must(dir, 'commit', '-q', '-am', 'ours');
  return dir;
}

const STOPS: Array<{ name: string; stop: (dir: string) => void; finish: string; abort: string }> = [
  { name: 'a rebase', stop: (dir) => expect(git(dir, 'rebase', 'other').ok).toBe(false), finish: 'git rebase --continue', abort: 'git rebase --abort' },
  { name: 'a merge', stop: (dir) => expect(git(dir, 'merge', 'other').ok).toBe(false), finish: 'git commit', abort: 'git merge --abort' },
  { name: 'a cherry-pick', stop: (dir) => expect(git(dir, 'cherry-pick', 'other').ok).toBe(false), finish: 'git cherry-pick --continue', abort: 'git cherry-pick --abort' },
  {
    name: 'a revert',
    stop: (dir) => {
      // Reverting "base" conflicts with "ours", which changed the same line after it.
      expect(git(dir, 'revert', '--no-edit', 'HEAD~1').ok).toBe(false);
    },
    finish: 'git revert --continue',
    abort: 'git revert --abort',
  },
  {
    name: 'git am',
    stop: (dir) => {
      const patch = must(dir, 'format-patch', '-1', '--stdout', 'other');
      const file = path.join(path.dirname(dir), 'theirs.patch');
      fs.writeFileSync(file, patch);
      expect(git(dir, 'am', '-3', file).ok).toBe(false);
    },
    finish: 'git am --continue',
    abort: 'git am --abort',
  },
];

describe('writing commands refuse while a git operation is stopped', () => {
  for (const s of STOPS) {
    it(`${s.name}: add, log, set and rm refuse in one line; list still works`, async () => {
      const dir = await diverged();
      s.stop(dir);
      const head = must(dir, 'rev-parse', 'HEAD');
      const before = snapshot(dir);
      const writes = [
        ['add', 'contact', 'Grace Hopper'],
        ['log', 'bob', 'Call'],
        ['set', 'bob', 'title=Engineer'],
        ['rm', 'bob', '--force'],
      ];
      for (const args of writes) {
        const r = await tb(['--dir', dir, '--as-of', AS_OF, ...args], { env: GIT_ENV });
        expect(r.code, args.join(' ')).toBe(1);
        // One line (besides the warning that ada's file holds conflict markers).
        const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('tb: warning:'));
        expect(lines, args.join(' ')).toHaveLength(1);
        expect(lines[0]).toContain(`${s.name} is stopped in this repository`);
        expect(lines[0]).toContain(s.finish);
        expect(lines[0]).toContain(s.abort);
      }
      expect(snapshot(dir)).toEqual(before);
      expect(must(dir, 'rev-parse', 'HEAD')).toBe(head);
      const list = await tb(['--dir', dir, '--as-of', AS_OF, 'list', 'contacts'], { env: GIT_ENV });
      expect(list.code).toBe(0);
    });
  }

  it('after the operation is aborted, writing works again', async () => {
    const dir = await diverged();
    expect(git(dir, 'merge', 'other').ok).toBe(false);
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Grace Hopper'], { env: GIT_ENV })).code).toBe(1);
    must(dir, 'merge', '--abort');
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Grace Hopper'], { env: GIT_ENV });
    expect(r.code).toBe(0);
    expect(must(dir, 'log', '-1', '--format=%s').trim()).toBe('add: contact Grace Hopper');
  });
});
