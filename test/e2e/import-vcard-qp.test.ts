/**
 * tb import vcard on vCard 2.1 quoted-printable files as phones and address books write them
 * (test/fixtures/interop/vcard-qp): every card and property kept apart, bad bytes reported,
 * tb check passing, re-import a no-op, and tb's export read back by independent parsers.
 */
import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { AS_OF, REPO, diffSnapshots, emptyCrm, snapshot, tb, tempDir } from './helpers.js';

const fx = (name: string) => path.join(REPO, 'test', 'fixtures', 'interop', 'vcard-qp', name);
const run = async (dir: string, args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, ...args]);
const FILES = ['android-softbreak-blank.vcf', 'windows-mobile.vcf', 'nokia-invalid-byte.vcf', 'kaddressbook-2.1.vcf'];

describe('tb import vcard: quoted-printable from phones', () => {
  it('imports every card, reports the bad byte, passes tb check, re-imports as a no-op, and exports what other parsers read', async () => {
    const dir = await emptyCrm();
    const results = [];
    for (const f of FILES) results.push(await run(dir, ['import', 'vcard', fx(f)]));
    expect(results.map((r) => [r.code, r.stdout.split(': ').slice(1).join(': ')])).toEqual([
      [0, '3 contacts created, 0 updated, 0 skipped; 1 company created\n'],
      [0, '1 contact created, 0 updated, 0 skipped; 1 company created\n'],
      [0, '1 contact created, 0 updated, 0 skipped (1 problem reported)\n'],
      [0, '1 contact created, 0 updated, 0 skipped; 1 company created\n'],
    ]);
    expect(results[2].stderr).toBe(`${fx('nokia-invalid-byte.vcf')}:6: card 'Ute Groß' (line 1), NOTE: byte 0xFC is not valid UTF-8 although the value says CHARSET=UTF-8; read as windows-1252\n`);
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stderr: '' });

    const before = snapshot(dir);
    for (const f of FILES) expect((await run(dir, ['import', 'vcard', fx(f)])).stdout).toMatch(/: 0 contacts created, 0 updated, \d+ skipped/);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });

    const vcf = (await run(dir, ['export', 'vcard', 'contacts'])).stdout;
    const cards = (ICAL.parse(vcf) as unknown[]).map((jcard) => new ICAL.Component(jcard as unknown[]));
    expect(cards.map((c) => c.getFirstPropertyValue('fn')).sort()).toEqual(['Anna Berg', 'Chloé Dubois', 'Jürgen Müller', 'Per Lind', 'Ute Groß', 'Ігор Загорскі']);
    expect(cards.find((c) => c.getFirstPropertyValue('fn') === 'Ігор Загорскі')?.getFirstPropertyValue('org')).toEqual(['Компанія', 'Відділ']);
    const csvFile = path.join(tempDir(), 'out.csv');
    expect((await run(dir, ['export', 'csv', 'contacts', '-o', csvFile])).code).toBe(0);
    const rows = parse(fs.readFileSync(csvFile, 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows.find((r) => r.name === 'Ute Groß')).toMatchObject({ id: 'ute-gross', notes: 'Grüße an die Familie' });
    expect(rows.find((r) => r.id === 'jurgen-muller')).toMatchObject({ name: 'Jürgen Müller', title: 'Außendienst' });
  });
});
