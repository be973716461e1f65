/** The small answers of #29: each one wrong without a sign before. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { AS_OF, EXAMPLE, emptyCrm, tb } from './helpers.js';

const ex = (args: string[]) => tb(['--dir', EXAMPLE, '--as-of', AS_OF, ...args]);

describe('small answers', () => {
  it('tb list campains suggests campaigns (every type word, plurals included)', async () => {
    const r = await ex(['list', 'campains']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hint: did you mean 'campaigns'/);
  });

  it("'last_contact>last month' says what to write instead", async () => {
    const r = await ex(['list', 'contacts', 'last_contact>last month']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean '-1m' (1m ago)?");
    expect(r.stderr).toContain('YYYY-MM-DD');
    const fixed = await ex(['list', 'contacts', 'last_contact>-1m', '--count']);
    expect(fixed.code).toBe(0);
  });

  it('tb list deals shows the value with its currency, never an empty currency column', async () => {
    const r = await ex(['list', 'deals', 'id:nordfracht-route-analytics']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/38,000 EUR/);
    expect(r.stdout.split('\n')[0]).not.toMatch(/currency/);
    const csv = await ex(['list', 'deals', 'id:nordfracht-route-analytics', '--format', 'csv']);
    const [head, row] = csv.stdout.trim().split(/\r?\n/);
    const cols = head.split(',');
    expect(row.split(',')[cols.indexOf('currency')]).toBe('EUR');
    expect(row.split(',')[cols.indexOf('value')]).toBe('38000');
  });

  it('tb show prints addresses as addresses, not raw JSON', async () => {
    const dir = await emptyCrm();
    fs.writeFileSync(path.join(dir, 'contacts', 'greta-brandt.md'), '---\nname: Greta Brandt\naddresses:\n  - { type: home, street: Hauptstr. 1, postcode: "10115", city: Berlin, country: Germany }\n  - { type: work, street: 1 Main St, city: Springfield, region: IL }\n---\n');
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'greta']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Hauptstr. 1, 10115 Berlin, Germany (home)');
    expect(r.stdout).toContain('1 Main St, Springfield, IL (work)');
    expect(r.stdout).not.toContain('{');
  });
});

describe('boolean fields in queries (a newcomer pass)', () => {
  it('do_not_contact: yes is true for a query as for a campaign; a non-boolean value is an error', async () => {
    const dir = await emptyCrm();
    const write = (id: string, extra: string) => fs.writeFileSync(path.join(dir, 'contacts', `${id}.md`), `---\nname: ${id}\n${extra}---\n`);
    write('bob', 'do_not_contact: yes\n');
    write('heinz', 'do_not_contact: true\n');
    write('ada', '');
    const ids = async (q: string) => (await tb(['list', 'contacts', q, '--ids'], { cwd: dir })).stdout.trim().split('\n').filter(Boolean).sort();
    expect(await ids('do_not_contact:true')).toEqual(['bob', 'heinz']);
    expect(await ids('-do_not_contact:true')).toEqual(['ada']);
    const maybe = await tb(['list', 'contacts', 'do_not_contact:maybe'], { cwd: dir });
    expect(maybe.code).toBe(2);
    expect(maybe.stderr).toMatch(/do_not_contact is true or false, not 'maybe'/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
