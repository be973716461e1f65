/**
 * Issue #27 races, as real parallel processes: two tb assign at once give each lead out exactly
 * once; tb rm --cascade racing tb log leaves no interaction naming the removed contact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, emptyCrm, tb, tbSpawn } from './helpers.js';

const tbAsync = (dir: string, args: string[]) => tbSpawn(dir, args);

function interactionsNaming(dir: string, id: string): string[] {
  const folder = path.join(dir, 'interactions');
  if (!fs.existsSync(folder)) return [];
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md'))
    .filter((f) => new RegExp(`contacts: \\[[^\\]]*\\b${id}\\b`).test(fs.readFileSync(path.join(folder, f), 'utf8')));
}

describe('tb assign re-plans under the lock', () => {
  it('two tb assign --to sam,lee at once over 100 leads: every lead assigned exactly once', async () => {
    const dir = await emptyCrm();
    for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(dir, 'contacts', `lead-${i}.md`), `---\nname: Lead ${i}\nstage: lead\n---\n`);
    const runs = await Promise.all([tbAsync(dir, ['assign', '--to', 'sam,lee', '--json']), tbAsync(dir, ['assign', '--to', 'sam,lee', '--json'])]);
    const given: string[] = [];
    for (const r of runs) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      for (const a of JSON.parse(r.stdout).assignments as Array<{ id: string; changed: boolean; from: string | null }>) {
        expect(a.from).toBeNull();
        if (a.changed) given.push(a.id);
      }
    }
    expect(given.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `lead-${i}`).sort());
    const owners = Array.from({ length: 100 }, (_, i) => /owner: (\w+)/.exec(fs.readFileSync(path.join(dir, 'contacts', `lead-${i}.md`), 'utf8'))?.[1]);
    expect(owners.filter((o) => o === 'sam')).toHaveLength(50);
    expect(owners.filter((o) => o === 'lee')).toHaveLength(50);
  });
});

describe('tb rm --cascade holds the contact against tb log', () => {
  it('racing 15 tb log leaves no interaction naming the removed contact (3 trials)', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const dir = await emptyCrm();
      expect((await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ada Lovelace'])).code).toBe(0);
      expect((await tb(['--dir', dir, '--as-of', AS_OF, 'log', 'ada-lovelace', 'First call'])).code).toBe(0);
      const logs = Array.from({ length: 15 }, (_, i) => tbAsync(dir, ['log', 'ada-lovelace', `Call ${i}`]));
      const rm = tbAsync(dir, ['rm', 'ada-lovelace', '--cascade', '--force']);
      const [removed, ...logged] = await Promise.all([rm, ...logs]);
      expect(removed.code, removed.stderr).toBe(0);
      for (const l of logged.filter((x) => x.code !== 0)) expect(l.stderr).toMatch(/no contact matches|deleted meanwhile/);
      expect(fs.existsSync(path.join(dir, 'contacts', 'ada-lovelace.md'))).toBe(false);
      expect(interactionsNaming(dir, 'ada-lovelace'), `trial ${trial}`).toEqual([]);
      expect((await tb(['--dir', dir, '--as-of', AS_OF, 'check'])).code).toBe(0);
    }
  });
});
