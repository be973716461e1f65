/**
 * tb import csv on sheets from European locales and helpdesk/CRM exports (test/fixtures/interop/
 * csv-locales): semicolons and tabs, decimal commas, day-first dates; what the summary reports,
 * tb check after the import, re-import as a no-op, and the refusal when no column is recognised.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { AS_OF, REPO, diffSnapshots, emptyCrm, read, snapshot, tb, tempDir } from './helpers.js';

const fx = (name: string) => path.join(REPO, 'test', 'fixtures', 'interop', 'csv-locales', name);
const run = async (dir: string, args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, ...args]);

function frontMatter(dir: string, rel: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(read(dir, rel));
  if (!m) throw new Error(`no front matter in ${rel}`);
  return yaml.load(m[1], { schema: yaml.CORE_SCHEMA }) as Record<string, unknown>;
}

const IMPORTS: string[][] = [
  ['csv', fx('excel-de-kontakte.csv'), '--encoding', 'windows-1252'],
  ['csv', fx('excel-fr-contacts.csv')],
  ['csv', fx('freshdesk-contacts.csv')],
  ['csv', fx('zoho-deals-excel-de.csv'), '--type', 'deals', '--encoding', 'windows-1252'],
  ['csv', fx('hubspot-deals-excel-fr.txt'), '--type', 'deals'],
  ['csv', fx('hubspot-deals.csv'), '--type', 'deals'],
];

describe('tb import csv: European and helpdesk/CRM sheets', () => {
  it('imports each sheet with its own delimiter and number/date shapes, passes tb check, and re-imports as a no-op', async () => {
    const dir = await emptyCrm();
    const out: string[] = [];
    for (const args of IMPORTS) {
      const r = await run(dir, ['import', ...args]);
      expect([args[1], r.code, r.stderr]).toEqual([args[1], 0, '']);
      out.push(r.stdout.split(`${args[1]}: `).join(''));
    }
    expect(out).toEqual([
      'read as semicolon-separated; dates day first (23.11.2026)\n2 contacts created, 0 updated, 0 skipped; 2 companies created\n',
      'read as semicolon-separated; dates day first (23.11.2026)\n2 contacts created, 0 updated, 0 skipped; 2 companies created\n',
      '2 contacts created, 0 updated, 0 skipped; 2 companies created\n',
      'read as semicolon-separated; numbers with a decimal comma (4.800,50); dates day first (23.11.2026)\n3 deals created, 0 updated, 0 skipped\n',
      'read as tab-separated; numbers with a decimal comma (4.800,50); dates day first (23.11.2026)\n2 deals created, 0 updated, 0 skipped\n',
      '2 deals created, 0 updated, 0 skipped\n',
    ]);
    expect(frontMatter(dir, 'contacts/jurgen-weiss.md')).toMatchObject({ name: 'Jürgen Weiß', birthday: '1980-11-23', company: 'muller-and-sohne-gmbh' });
    expect(frontMatter(dir, 'contacts/helene-lefevre.md')).toMatchObject({ birthday: '1975-03-05' });
    expect(frontMatter(dir, 'deals/relaunch-website.md')).toMatchObject({
      value: 4800.5, expected_close: '2026-11-23', company: 'muller-and-sohne-gmbh', contacts: ['jurgen-weiss'], stage: 'proposal',
    });
    expect(frontMatter(dir, 'deals/wartungsvertrag-2027.md')).toMatchObject({ value: 12000, expected_close: '2027-01-15' });
    expect(frontMatter(dir, 'deals/audit-energetique.md')).toMatchObject({ value: 4800.5, expected_close: '2026-11-23' });
    expect(frontMatter(dir, 'deals/platform-migration.md')).toMatchObject({ value: 12500.75, expected_close: '2026-12-15', created: '2026-10-02' });
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stderr: '' });

    const before = snapshot(dir);
    for (const args of IMPORTS) {
      const r = await run(dir, ['import', ...args]);
      expect([args[1], r.stdout]).toEqual([args[1], expect.stringMatching(/: 0 (contacts|deals) created, 0 updated, \d+ skipped/)]);
    }
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });

    // tb's own export of what came in round-trips: every contact is recognised again, nothing changes.
    const exported = path.join(tempDir(), 'contacts.csv');
    expect((await run(dir, ['export', 'csv', 'contacts', '-o', exported])).code).toBe(0);
    expect((await run(dir, ['import', 'csv', exported])).stdout).toMatch(/: 0 contacts created, 0 updated, 6 skipped\n$/);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('--json reports how the file was read', async () => {
    const dir = await emptyCrm();
    const r = await run(dir, ['import', 'csv', fx('zoho-deals-excel-de.csv'), '--type', 'deals', '--encoding', 'windows-1252', '--dry-run', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({
      encoding: 'windows-1252',
      csv: { delimiter: 'semicolon', delimiter_from: 'header', decimal_separator: ',', decimal_from: 'values', date_order: 'DMY', date_order_from: 'values' },
      created: 3,
    });
  });

  it('refuses a sheet with no recognised column, naming the delimiter and header; nothing is written', async () => {
    const dir = await emptyCrm();
    const before = snapshot(dir);
    const r = await run(dir, ['import', 'csv', fx('unknown-columns-semicolon.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${fx('unknown-columns-semicolon.csv')}:1: no name, email or phone column recognised in the header "Kundennummer;Ansprechpartner;Kontaktweg" read as semicolon-separated`);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('--delimiter forces the delimiter; a wrong one is named with the one that fits', async () => {
    const dir = await emptyCrm();
    const file = path.join(tempDir(), 'semi.csv');
    fs.writeFileSync(file, 'Name;email\nAda Lovelace;ada@x.org\n');
    const wrongMap = await run(dir, ['import', 'csv', file, '--delimiter', ',', '--map', 'email=email']);
    expect([wrongMap.code, wrongMap.stderr]).toEqual([2, `tb: --map: the file has no column 'email' (header "Name;email" read as comma-separated)\ntb: hint: the header looks semicolon-separated: add --delimiter ';'\n`]);
    const wrong = await run(dir, ['import', 'csv', file, '--delimiter', 'comma']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("read as comma-separated; nothing imported (the header looks semicolon-separated: add --delimiter ';')");
    const right = await run(dir, ['import', 'csv', file, '--delimiter', 'semicolon']);
    expect(right.stdout).toBe(`${file}: read as semicolon-separated\n${file}: 1 contact created, 0 updated, 0 skipped\n`);
    expect((await run(dir, ['import', 'vcard', file, '--delimiter', ';'])).stderr).toBe('tb: --delimiter applies to csv imports only\n');
    expect((await run(dir, ['import', 'mbox', file, '--delimiter', ';'])).stderr).toBe('tb: --delimiter applies to csv imports only\n');
  });
});

describe('a German deals sheet (a newcomer pass)', () => {
  it('German headers are read as deal fields; a sheet with no title column is refused, nothing written', async () => {
    const dir = await emptyCrm();
    await run(dir, ['add', 'company', 'Acme GmbH']);
    await run(dir, ['add', 'contact', 'Ada Lovelace', '--email', 'ada@acme.example', '--company', 'acme-gmbh']);
    const folder = tempDir('tb-deals-');
    const csv = path.join(folder, 'deals.csv');
    fs.writeFileSync(csv, 'Titel;Firma;Kontakt;Wert;Abschluss;Phase\nAcme Rollout;Acme GmbH;ada-lovelace;4.800,50;23.11.2026;proposal\n');
    const r = await run(dir, ['import', 'csv', csv, '--type', 'deals']);
    expect(r.code, r.stderr).toBe(0);
    expect(frontMatter(dir, 'deals/acme-rollout.md')).toMatchObject({ title: 'Acme Rollout', company: 'acme-gmbh', contacts: ['ada-lovelace'], value: 4800.5, expected_close: '2026-11-23', stage: 'proposal' });
    const none = path.join(folder, 'none.csv');
    fs.writeFileSync(none, 'Was;Wer\nRollout;Ada\n');
    const before = snapshot(dir);
    const refused = await run(dir, ['import', 'csv', none, '--type', 'deals']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no title column recognised/);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
    expect((await run(dir, ['check'])).code).toBe(0);
  });
});

describe('numbers in custom columns of a European sheet (a newcomer pass)', () => {
  it("are written as numbers in the file's shape, so typing the field in touchbase.yaml later passes tb check", async () => {
    const dir = await emptyCrm();
    const contacts = await run(dir, ['import', 'csv', fx('excel-de-kunden-eigene-felder.csv'), '--encoding', 'windows-1252']);
    expect([contacts.code, contacts.stderr]).toEqual([0, '']);
    expect(contacts.stdout).toContain('read as semicolon-separated; numbers with a decimal comma (4.800,50)\n');
    expect(frontMatter(dir, 'contacts/jurgen-weiss.md')).toMatchObject({ umsatz: 1234.56, rabatt: 12.5, kundennummer: 10023, plz_lager: '01067' });
    expect(frontMatter(dir, 'contacts/renee-fassbender.md')).toMatchObject({ umsatz: 980, rabatt: 7 });
    const deals = await run(dir, ['import', 'csv', fx('zoho-deals-eigene-felder.csv'), '--type', 'deals']);
    expect([deals.code, deals.stderr]).toEqual([0, '']);
    expect(frontMatter(dir, 'deals/relaunch-website.md')).toMatchObject({ value: 4800, marge: 1234.5, rabatt: 12.5 });

    const config = path.join(dir, 'touchbase.yaml');
    const typed = '\nfields:\n  umsatz: { type: number, on: contacts }\n  rabatt: { type: number, min: 0, max: 100 }\n  marge: { type: number, on: deals }\n';
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^fields: \{\}\n/m, '') + typed);
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stderr: '' });
    expect((await run(dir, ['list', 'contacts', 'umsatz>1000', '--format', 'json'])).stdout).toContain('jurgen-weiss');
  });
});

describe("a German Outlook export (a newcomer pass)", () => {
  it('reads its address, phone, e-mail and anniversary columns; 0.0.00 is no date; its bookkeeping columns are dropped', async () => {
    const dir = await emptyCrm();
    const r = await run(dir, ['import', 'csv', fx('outlook-de-kontakte.csv'), '--encoding', 'windows-1252']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const klaus = frontMatter(dir, 'contacts/klaus-muller.md');
    expect(klaus).toMatchObject({
      name: 'Klaus Müller', emails: ['klaus.mueller@beispiel.example'], phones: ['+49 89 123456', '+49 171 555666'],
      title: 'Leiter Einkauf', department: 'Einkauf', birthday: '1970-04-15', tags: ['kunden'],
      addresses: [{ type: 'work', street: 'Hauptstraße 1\n2. OG', city: 'München', region: 'Bayern', postcode: '80331', country: 'Deutschland' }],
    });
    const anna = frontMatter(dir, 'contacts/anna-schmidt.md');
    expect(anna).toMatchObject({
      emails: ['anna.schmidt@beispiel.example', 'anna@privat.example'], phones: ['+49 341 998877'],
      addresses: [{ type: 'home', street: 'Gartenweg 5', city: 'Leipzig', region: 'Sachsen', postcode: '04109', country: 'Deutschland' }],
    });
    for (const fm of [klaus, anna]) {
      expect(Object.keys(fm).filter((k) => !['name', 'emails', 'phones', 'company', 'title', 'tags', 'owner', 'birthday', 'location', 'links', 'created', 'addresses', 'department'].includes(k))).toEqual(['anrede']);
    }
    expect(read(dir, 'contacts/anna-schmidt.md')).toContain('Sehr nett; ruft zurück');
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stderr: '' });
  });

  it('custom columns named with umlauts keep their letters in the key (Straße → strasse, not stra_e)', async () => {
    const dir = await emptyCrm();
    const file = path.join(tempDir(), 'kunden.csv');
    fs.writeFileSync(file, 'Name;E-Mail;Lieblingsstraße;Währung\nAda Lovelace;ada@x.example;Königsallee;EUR\n');
    expect((await run(dir, ['import', 'csv', file])).code).toBe(0);
    expect(frontMatter(dir, 'contacts/ada-lovelace.md')).toMatchObject({ lieblingsstrasse: 'Königsallee', wahrung: 'EUR' });
  });
});
