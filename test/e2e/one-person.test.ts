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

describe('tb dedupe: households apart', () => {
  it('never proposes merging a couple that shares a landline; a real duplicate is still proposed', async () => {
    const dir = await emptyCrm();
    const w = (id: string, text: string) => fs.writeFileSync(path.join(dir, 'contacts', `${id}.md`), `---\n${text}\n---\n`);
    w('greta-brandt', 'name: Greta Brandt\nphones: ["+49 30 1234567"]');
    w('hans-brandt', 'name: Hans Brandt\nphones: ["+49 30 1234567"]');
    w('ada-lovelace', 'name: Ada Lovelace');
    w('ada-lovelace-2', 'name: ada lovelace');
    const r = await tb(['--dir', dir, 'dedupe']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('join one with: tb merge ada-lovelace ada-lovelace-2');
    expect(r.stdout).not.toContain('tb merge greta-brandt');
    expect(r.stdout.indexOf('Households')).toBeGreaterThan(r.stdout.indexOf('ada-lovelace-2'));
    expect(r.stdout.slice(r.stdout.indexOf('Households'))).toContain('greta-brandt');
    const json = JSON.parse((await tb(['--dir', dir, 'dedupe', '--json'])).stdout) as Array<{ household?: boolean; a: { id: string } }>;
    expect(json.map((p) => [p.household ?? false, p.a.id])).toEqual([[false, 'ada-lovelace'], [true, 'greta-brandt']]);
  });
});
