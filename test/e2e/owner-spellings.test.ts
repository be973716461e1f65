/**
 * `--owner` names an owner by id, display name or email (as in touchbase.yaml and git's
 * user.email) on every command that takes it, stores the id, and answers a typo with did-you-mean.
 */
import { describe, expect, it } from 'vitest';
import { AS_OF, exampleCopy, read, tb } from './helpers.js';

// examples/consultancy: sam is "Sam Lee <sam@kestrelfinch.eu>", ria is "Ria Kapoor <ria@kestrelfinch.eu>".
const run = (dir: string, args: string[]) => tb(['--dir', dir, '--as-of', AS_OF, ...args], { env: { TOUCHBASE_USER: 'ria' } });

describe('--owner by email', () => {
  it('filters tb due, tb pipeline and tb report as the id does', async () => {
    const dir = exampleCopy();
    for (const cmd of [['due', '--format', 'json'], ['pipeline', '--format', 'json'], ['report', '--format', 'json']]) {
      const byId = await run(dir, [...cmd, '--owner', 'sam']);
      const byEmail = await run(dir, [...cmd, '--owner', 'SAM@kestrelfinch.eu']);
      expect([cmd[0], byEmail.code, byEmail.stderr]).toEqual([cmd[0], 0, '']);
      expect(byEmail.stdout).toBe(byId.stdout);
    }
  });

  it('a mistyped email is an error with did-you-mean', async () => {
    const r = await run(exampleCopy(), ['due', '--owner', 'sam@kestrelfinch.ue']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tb: unknown owner 'sam@kestrelfinch.ue' in --owner\ntb: hint: did you mean 'sam@kestrelfinch.eu'.*\? owners: sam, ria \(or me, all\)\n$/);
  });

  it('commands that write store the id for an email, a name or me', async () => {
    const dir = exampleCopy();
    expect((await run(dir, ['add', 'contact', 'Zoe Email', '--owner', 'sam@kestrelfinch.eu'])).code).toBe(0);
    expect((await run(dir, ['add', 'contact', 'Zoe Name', '--owner', 'Sam Lee'])).code).toBe(0);
    expect((await run(dir, ['add', 'contact', 'Zoe Me', '--owner', 'me'])).code).toBe(0);
    expect((await run(dir, ['remind', 'zoe-email', 'tomorrow', 'Call back', '--owner', 'ria@kestrelfinch.eu'])).code).toBe(0);
    expect(read(dir, 'contacts/zoe-email.md')).toContain('\nowner: sam\n');
    expect(read(dir, 'contacts/zoe-name.md')).toContain('\nowner: sam\n');
    expect(read(dir, 'contacts/zoe-me.md')).toContain('\nowner: ria\n');
    const due = JSON.parse((await run(dir, ['due', '--within', '2d', '--format', 'json', '--owner', 'ria@kestrelfinch.eu'])).stdout);
    expect(JSON.stringify(due)).toContain('Call back');
  });

  it('a writer refuses an unknown owner before writing anything, with did-you-mean', async () => {
    const dir = exampleCopy();
    const r = await run(dir, ['add', 'contact', 'Zoe Typo', '--owner', 'sam@kestrelfinch.ue']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tb: unknown owner 'sam@kestrelfinch.ue' in --owner\ntb: hint: did you mean 'sam@kestrelfinch.eu'.*\? owners: sam, ria \(or me\)\n$/);
    expect((await run(dir, ['show', 'zoe-typo'])).code).toBe(1);
  });

  it('tb assign --to and owner: in queries take an email too', async () => {
    const dir = exampleCopy();
    const byEmail = await run(dir, ['list', 'contacts', 'owner:sam@kestrelfinch.eu', '--format', 'json']);
    const byId = await run(dir, ['list', 'contacts', 'owner:sam', '--format', 'json']);
    expect([byEmail.code, byEmail.stderr]).toEqual([0, '']);
    expect(byEmail.stdout).toBe(byId.stdout);
    const assign = await run(dir, ['assign', 'stage:lead', '--reassign', '--to', 'ria@kestrelfinch.eu,Sam Lee', '--dry-run', '--format', 'json']);
    expect([assign.code, assign.stderr]).toEqual([0, '']);
    const owners = new Set((JSON.parse(assign.stdout) as { assignments: Array<{ owner: string }> }).assignments.map((a) => a.owner));
    expect([...owners].sort()).toEqual(['ria', 'sam']);
  });
});
