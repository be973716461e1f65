/** One person, one record: tb add refuses a taken email or profile URL; tb dedupe sets households apart. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, emptyCrm, tb } from './helpers.js';

describe('tb add contact refuses an email or profile URL another contact has', () => {
  it('names the contact, exits 1 and writes nothing; --allow-duplicate insists', async () => {
    const dir = await emptyCrm();
    const at = (args: string[]) => tb(['--dir', dir, '--as-of', AS_OF, ...args]);
    expect((await at(['add', 'contact', 'Ada Lovelace', '--email', 'ada@acme.example', '--link', 'https://www.linkedin.com/in/ada-l/'])).code).toBe(0);
    const again = await at(['add', 'contact', 'Ada Lovelace', '--email', 'ADA@acme.example']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ADA@acme.example is already the email of contact ada-lovelace (Ada Lovelace); nothing was added');
    expect(again.stderr).toContain('--allow-duplicate');
    const profile = await at(['add', 'contact', 'A. Lovelace', '--link', 'http://linkedin.com/in/ada-l']);
    expect(profile.code).toBe(1);
    expect(profile.stderr).toContain('is already the profile URL of contact ada-lovelace');
    expect(fs.readdirSync(path.join(dir, 'contacts'))).toEqual(['ada-lovelace.md']);
    const insist = await at(['add', 'contact', 'Ada Lovelace', '--email', 'ada@acme.example', '--allow-duplicate']);
    expect(insist.code).toBe(0);
    expect(insist.stderr).toContain('already the email of contact ada-lovelace');
    expect(fs.readdirSync(path.join(dir, 'contacts')).sort()).toEqual(['ada-lovelace-2.md', 'ada-lovelace.md']);
  });
});
