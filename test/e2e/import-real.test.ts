/**
 * tb import on what other programs write (fixtures in each exporter's layout), and tb's own
 * export → import round trips on examples/consultancy.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { AS_OF, EXAMPLE, REPO, diffSnapshots, emptyCrm, exampleCopy, read, snapshot, tb, tempDir } from './helpers.js';

const FIX = path.join(REPO, 'test', 'fixtures', 'interop');
const fx = (name: string) => path.join(FIX, name);

const run = async (dir: string, args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, ...args]);

function frontMatter(dir: string, rel: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(read(dir, rel));
  if (!m) throw new Error(`no front matter in ${rel}`);
  return yaml.load(m[1], { schema: yaml.CORE_SCHEMA }) as Record<string, unknown>;
}

const contactFiles = (dir: string) => fs.readdirSync(path.join(dir, 'contacts')).filter((f) => f.endsWith('.md')).sort();

describe('tb import: files as other programs write them', () => {
  const imports: Array<[string, string, string[]?]> = [
    ['csv', 'thunderbird-contacts.csv'],
    ['csv', 'linkedin-connections.csv'],
    ['csv', 'google-utf16le.csv'],
    ['csv', 'outlook-windows-1252.csv', ['--encoding', 'windows-1252']],
    ['vcard', 'iphone-icloud-3.0.vcf'],
    ['vcard', 'android-2.1-8bit.vcf'],
    ['vcard', 'utf16be-nobom.vcf'],
  ];

  it('imports every file, never merges strangers, leaves nothing tb check rejects, and re-imports as a no-op', async () => {
    const dir = await emptyCrm();
    const out: string[] = [];
    const err: string[] = [];
    for (const [format, file, extra] of imports) {
      const r = await run(dir, ['import', format, fx(file), ...(extra ?? [])]);
      expect([file, r.code]).toEqual([file, 0]);
      out.push(r.stdout.replace(`${fx(file)}: `, ''));
      err.push(r.stderr.split(`${fx(file)}:`).join(''));
    }
    expect(out).toEqual([
      '3 contacts created, 0 updated, 0 skipped; 2 companies created\n',
      // Two connections named Joe Walsh with different profile URLs and companies stay two contacts.
      '4 contacts created (1 possible duplicate), 0 updated, 0 skipped; 3 companies created (1 problem reported)\n',
      '2 contacts created, 0 updated, 0 skipped\n',
      '1 contact created, 0 updated, 0 skipped; 1 company created\n',
      // Two hotel staff sharing the switchboard number, with different emails: two contacts.
      '2 contacts created (1 possible duplicate), 0 updated, 0 skipped; 1 company created (1 problem reported)\n',
      '2 contacts created, 0 updated, 0 skipped (1 problem reported)\n',
      '1 contact created, 0 updated, 0 skipped\n',
    ]);
    expect(err[1]).toBe("6: possible duplicate: 'Joe Walsh' imported as joe-walsh-2, not merged into joe-walsh (line 5) 'Joe Walsh': same name but different profile URL (linkedin.com/in/joe-walsh-7b2a1c vs linkedin.com/in/joewalsh); see tb dedupe / tb merge\n");
    expect(err[4]).toBe("39: possible duplicate: 'Sara Lindqvist' imported as sara-lindqvist, not merged into chidi-okafor (line 1) 'Chidi Okafor': same phone but different email (sara.lindqvist@brightwater.example vs chidi.okafor@brightwater.example); see tb dedupe / tb merge\n");
    expect(err[5]).toBe('11: text is not UTF-8 and names no CHARSET; read as windows-1252 (use --encoding if accents look wrong)\n');

    expect(frontMatter(dir, 'contacts/chidi-okafor.md')).toMatchObject({
      name: 'Chidi Okafor', company: 'brightwater-hotels', title: 'Night Manager', birthday: '--11-02', department: 'Front Office',
      role: 'Duty manager', nickname: 'Chid', anniversary: '2012-06-09', links: ['https://brightwater.example/team/chidi'],
      tags: ['hospitality', 'travel', 'bristol'], phones: ['+44 20 7946 0500', '+44 7700 900456'],
      addresses: [
        { type: 'work', street: '22 Harbour Road', extended: 'Floor 2', city: 'Bristol', region: 'Avon', postcode: 'BS1 5TT', country: 'United Kingdom' },
        { type: 'home', street: '3 Mill Lane', pobox: 'PO Box 77', city: 'Bath', postcode: 'BA1 1AA', country: 'United Kingdom' },
      ],
    });
    expect(frontMatter(dir, 'contacts/margaret-hamilton.md')).toMatchObject({ emails: ['margaret@apollo.example', 'mh@home.example'], birthday: '1936-08-17' });
    expect(frontMatter(dir, 'contacts/joe-walsh-2.md')).toMatchObject({ company: 'northwind-traders', links: ['https://www.linkedin.com/in/joe-walsh-7b2a1c'] });
    expect(frontMatter(dir, 'contacts/jurgen-weiss.md')).toMatchObject({ name: 'Jürgen Weiß', company: 'backerei-weiss' });
    expect(read(dir, 'contacts/jurgen-weiss.md')).toContain('\nLiefert dienstags – Brötchen\n');
    expect(frontMatter(dir, 'contacts/francois-garcon.md')).toMatchObject({ name: 'François Garçon' });
    expect(frontMatter(dir, 'contacts/soren-kierkegaard.md')).toMatchObject({ emails: ['soren@example.dk'] });
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stderr: '' });

    // Again: every row finds its own contact (LinkedIn rows have no email at all); no file changes.
    const before = snapshot(dir);
    for (const [format, file, extra] of imports) {
      const r = await run(dir, ['import', format, fx(file), ...(extra ?? [])]);
      expect(r.stdout).toMatch(/: 0 contacts created, 0 updated, \d+ skipped/);
    }
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('warns when a file is not UTF-8 and no --encoding was given, and still reads the accents', async () => {
    const dir = await emptyCrm();
    const r = await run(dir, ['import', 'csv', fx('outlook-windows-1252.csv')]);
    expect(r.stderr).toBe(`tb: warning: ${fx('outlook-windows-1252.csv')}: the file is not valid UTF-8 (first bad byte 0xfc on line 2); read it as windows-1252. If accents look wrong, re-run with --encoding (e.g. --encoding latin1 or --encoding macintosh)\n`);
    expect(frontMatter(dir, 'contacts/jurgen-weiss.md').name).toBe('Jürgen Weiß');
    expect((await run(dir, ['import', 'csv', fx('outlook-windows-1252.csv'), '--encoding', 'ebcdic'])).code).toBe(2);
  });

  it('reports every merge per row with the line, also between rows of one file', async () => {
    const dir = await emptyCrm();
    const file = path.join(tempDir(), 'rows.csv');
    fs.writeFileSync(file, 'Name,Email,Phone\nGrace Hopper,grace@navy.example,\nGrace Hopper,grace@navy.example,+1 555 0100\nAda Lovelace,,+44 20 7946 0001\n');
    const r = await run(dir, ['import', 'csv', file, '--json']);
    const report = JSON.parse(r.stdout) as { rows: unknown[] };
    expect(report.rows).toEqual([
      { line: 2, action: 'created', id: 'grace-hopper' },
      { line: 3, action: 'updated', id: 'grace-hopper', matched_by: 'email', fields: ['phones'], merged_into_line: 2 },
      { line: 4, action: 'created', id: 'ada-lovelace' },
    ]);
    const text = await run(dir, ['import', 'csv', file, '--dry-run']);
    expect(text.stdout).toBe(`${file}: 0 contacts created, 0 updated, 3 skipped\nDry run: nothing was written.\n`);
  });

  it('a conflict marker or NUL in a cell neither aborts the import nor writes an unreadable file', async () => {
    const dir = await emptyCrm();
    const file = path.join(tempDir(), 'notes.csv');
    fs.writeFileSync(file, 'Name,Email,Notes\nAda,ada@x.example,"before\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> branch"\nBob\u0000by,bob@x.example,fine\n');
    const r = await run(dir, ['import', 'csv', file]);
    expect(r.stdout).toBe(`${file}: 2 contacts created, 0 updated, 0 skipped (1 problem reported)\n`);
    expect(read(dir, 'contacts/ada.md')).toContain('\nbefore\n\\<<<<<<< HEAD\nmine\n\\=======\ntheirs\n\\>>>>>>> branch\n');
    expect(frontMatter(dir, 'contacts/bobby.md').name).toBe('Bobby');
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stderr: '' });
    expect((await run(dir, ['list', 'contacts', '--json'])).stdout).toContain('"bobby"');
  });

  it('keeps values tb check would reject out of checked fields (bad emails, unknown owner)', async () => {
    const dir = await exampleCopy();
    const file = path.join(tempDir(), 'bad.csv');
    fs.writeFileSync(file, 'Name,Email,Owner,Birthday\nNew Person,"ÑÑÑÑ; contact1@invalid",nobody,sometime\n');
    const r = await run(dir, ['import', 'csv', file]);
    expect(r.code).toBe(0);
    expect(frontMatter(dir, 'contacts/new-person.md')).toMatchObject({
      name: 'New Person', unparsed_emails: ['ÑÑÑÑ', 'contact1@invalid'], imported_owner: 'nobody', birthday_text: 'sometime',
    });
    expect(frontMatter(dir, 'contacts/new-person.md').emails).toBeUndefined();
    expect((await run(dir, ['check'])).code).toBe(0);
  });
});

describe('round trips on examples/consultancy', () => {
  /** An empty CRM with the example's configuration (owners, stages, custom fields). */
  async function emptyLikeExample(): Promise<string> {
    const dir = await emptyCrm();
    fs.copyFileSync(path.join(EXAMPLE, 'touchbase.yaml'), path.join(dir, 'touchbase.yaml'));
    return dir;
  }

  /** The example with one contact given two postal addresses and a link. */
  async function source(): Promise<string> {
    const dir = await exampleCopy();
    const rel = 'contacts/jose-muller.md';
    const text = read(dir, rel).replace('created: 2025-05-20\n', [
      'created: 2025-05-20', 'links: [https://www.linkedin.com/in/jose-muller-paylane, https://paylane.io/team]',
      'addresses:', '  - { type: work, street: "Torstraße 109", city: Berlin, postcode: "10119", country: Germany }',
      '  - { type: home, street: "Calle Sierpes 4\\n2º B", city: Sevilla, region: Andalucía, postcode: "41004", country: Spain }', '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, rel), text);
    return dir;
  }

  const companyName = (dir: string, data: Record<string, unknown>) =>
    data.company === undefined ? undefined : frontMatter(dir, `companies/${String(data.company).replace(/^\[\[|\]\]$/g, '')}.md`).name;

  it.each([['csv', 'contacts.csv'], ['vcard', 'contacts.vcf']])('tb export %s → tb import keeps every field, and re-importing changes nothing', async (format, name) => {
    const src = await source();
    const file = path.join(tempDir(), name);
    expect((await run(src, ['export', format, 'contacts', '-o', file])).code).toBe(0);

    // Into the same directory: every row is recognised by its id, nothing changes.
    const before = snapshot(src);
    const same = await run(src, ['import', format, file]);
    expect(same.stdout).toMatch(/: 0 contacts created, 0 updated, 30 skipped\n$/);
    expect(diffSnapshots(before, snapshot(src))).toEqual({ added: [], removed: [], changed: [] });

    // Into an empty directory with the same configuration: the same contacts, field for field.
    const dst = await emptyLikeExample();
    const r = await run(dst, ['import', format, file]);
    expect(r.stdout).toMatch(/: 30 contacts created, 0 updated, 0 skipped; \d+ compan(y|ies) created\n$/);
    expect(contactFiles(dst)).toEqual(contactFiles(src));
    for (const f of contactFiles(src)) {
      const a = frontMatter(src, `contacts/${f}`);
      const b = frontMatter(dst, `contacts/${f}`);
      const { company: ca, ...restA } = a;
      const { company: cb, ...restB } = b;
      expect([f, restB]).toEqual([f, restA]);
      expect([f, companyName(dst, { company: cb })]).toEqual([f, companyName(src, { company: ca })]);
      expect(read(dst, `contacts/${f}`).split('\n---\n')[1]?.trim()).toBe(read(src, `contacts/${f}`).split('\n---\n')[1]?.trim());
    }
    expect(await run(dst, ['check'])).toMatchObject({ code: 0, stderr: '' });
  });
});
