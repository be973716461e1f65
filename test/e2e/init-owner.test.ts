/** `me` from the first minute: tb init writes the user as the first owner (docs/config.md, "Owners"). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tb, tempDir } from './helpers.js';

function gitIdentity(name?: string, email?: string): Record<string, string> {
  const file = path.join(tempDir('tb-gitconfig-'), 'gitconfig');
  fs.writeFileSync(file, `[user]\n${name ? `\tname = ${name}\n` : ''}${email ? `\temail = ${email}\n` : ''}`);
  return { GIT_CONFIG_GLOBAL: file };
}

const ownersOf = (dir: string) => (parse(fs.readFileSync(path.join(dir, 'touchbase.yaml'), 'utf8')) as { owners: unknown }).owners;

describe('tb init: the user is the first owner', () => {
  it('takes name and email from git config (not a terminal), and me, owner and commits agree', async () => {
    const env = gitIdentity('Mara Schmidt', 'mara@example.com');
    const dir = path.join(tempDir(), 'crm');
    const r = await tb(['init', dir, '--no-autocommit'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("you are owner 'mara' (Mara Schmidt <mara@example.com>)");
    expect(ownersOf(dir)).toEqual({ mara: { name: 'Mara Schmidt', email: 'mara@example.com' } });
    const who = await tb(['whoami'], { cwd: dir, env });
    expect(who.stdout).toContain('mara');
    expect((await tb(['add', 'contact', 'Ada Lovelace'], { cwd: dir, env })).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'contacts/ada-lovelace.md'), 'utf8')).toMatch(/^owner: mara$/m);
    expect((await tb(['check'], { cwd: dir, env })).code).toBe(0);
  });

  it('--name/--email win; the new repository commits as that person', async () => {
    const env = gitIdentity('Someone Else', 'else@example.com');
    const dir = path.join(tempDir(), 'crm');
    const r = await tb(['init', dir, '--name', 'Sam Lee', '--email', 'sam@example.com', '--json'], { env: { ...env, GIT_AUTHOR_NAME: undefined, GIT_AUTHOR_EMAIL: undefined, GIT_COMMITTER_NAME: undefined, GIT_COMMITTER_EMAIL: undefined } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).owner).toEqual({ id: 'sam', name: 'Sam Lee', email: 'sam@example.com' });
    expect(JSON.parse(r.stdout).git_identity).toEqual({ name: 'Sam Lee', email: 'sam@example.com' });
    expect(ownersOf(dir)).toEqual({ sam: { name: 'Sam Lee', email: 'sam@example.com' } });
    expect(fs.readFileSync(path.join(dir, '.git/config'), 'utf8')).toContain('email = sam@example.com');
    expect((await tb(['whoami'], { cwd: dir, env })).stdout).toContain('sam');
  });

  it("the text output says when it set the repository's git identity, and not when git's own was used", async () => {
    const env = gitIdentity('Someone Else', 'else@example.com');
    const given = await tb(['init', path.join(tempDir(), 'crm'), '--no-autocommit', '--name', 'Sam Lee', '--email', 'sam@example.com'], { env });
    expect(given.stdout).toContain("  this repository's git identity is now Sam Lee <sam@example.com> (git config user.name/user.email here), so its commits name you\n");
    const fromGit = await tb(['init', path.join(tempDir(), 'crm'), '--no-autocommit', '--json'], { env });
    expect(JSON.parse(fromGit.stdout).git_identity).toBeNull();
  });

  it('with nothing known, owners stay empty and init says how to add yourself', async () => {
    const dir = path.join(tempDir(), 'crm');
    const r = await tb(['init', dir, '--no-git'], { env: gitIdentity() });
    expect(r.code).toBe(0);
    expect(ownersOf(dir)).toEqual({});
    expect(r.stdout).toContain('add yourself under owners:');
  });

  it('the owner is written as a block, so the commented sample owner under it can be uncommented (a newcomer pass)', async () => {
    const dir = path.join(tempDir('tb-init-'), 'crm');
    expect((await tb(['init', dir, '--no-git', '--name', 'Mara Díaz', '--email', 'mara@ex.example'])).code).toBe(0);
    const file = path.join(dir, 'touchbase.yaml');
    expect(fs.readFileSync(file, 'utf8')).toContain('owners:\n  mara: { name: "Mara Díaz", email: "mara@ex.example" }\n#  sam:');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^#  sam:/m, '  sam:'));
    expect((await tb(['--dir', dir, 'check'])).code).toBe(0);
    expect(Object.keys(parse(fs.readFileSync(file, 'utf8')).owners)).toEqual(['mara', 'sam']);
  });

  it('a bad --email is refused before anything is made', async () => {
    const dir = path.join(tempDir(), 'crm');
    const r = await tb(['init', dir, '--email', 'not an address']);
    expect(r.code).toBe(2);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
