import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, REPO, diffSnapshots, emptyCrm, exampleCopy, read, snapshot, tb, tempDir } from './helpers.js';
import type { RunResult } from './helpers.js';

const FIX = path.join(REPO, 'test', 'fixtures', 'interop');
const fx = (name: string) => path.join(FIX, name);

/** Runs tb against `dir` with --as-of. */
const run = async (dir: string, args: string[], input?: string) => await tb(['--dir', dir, '--as-of', AS_OF, ...args], { input });

function frontMatter(dir: string, rel: string): Record<string, unknown> {
  const text = read(dir, rel);
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) throw new Error(`no front matter in ${rel}`);
  return yaml.load(m[1], { schema: yaml.CORE_SCHEMA }) as Record<string, unknown>;
}

function files(dir: string, folder: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.md')) out.push(r);
    }
  };
  walk(folder);
  return out.sort();
}

describe('tb import: realistic exports into an empty directory', () => {
  let dir = '';
  const runs: Array<RunResult & { file: string }> = [];
  beforeAll(async () => {
    dir = await emptyCrm();
    // Imported in this order; each expectation below is worked out from the fixture files.
    for (const [format, file] of [
      ['csv', 'google-contacts.csv'], ['csv', 'outlook-contacts.csv'], ['csv', 'generic-contacts.csv'],
      ['vcard', 'apple-3.0.vcf'], ['vcard', 'contacts-4.0.vcf'], ['vcard', 'android-2.1.vcf'],
    ]) runs.push({ file, ...(await run(dir, ['import', format, fx(file)])) });
  });
  const out = (i: number) => runs[i].stdout.replace(`${fx(runs[i].file)}: `, '');

  it('reports created / updated / skipped per file', () => {
    // Google: José, Zoë, Ana Paula, Grace Hopper; companies Acme GmbH, Ångström & Söner AB.
    expect(out(0)).toBe('4 contacts created, 0 updated, 0 skipped; 2 companies created\n');
    // Outlook: Ada King Lovelace, Renée Lefèvre; Analytical Engines Ltd, Café Société.
    expect(out(1)).toBe('2 contacts created, 0 updated, 0 skipped; 2 companies created\n');
    // Generic: Ada Lovelace, Charles Babbage, Émilie; the broken row 6 is skipped; the Grace row has
    // only grace.hopper@navy.example, already Google's Grace Hopper: nothing new, skipped.
    expect(out(2)).toBe('3 contacts created, 0 updated, 1 skipped; 1 company created (1 problem reported)\n');
    // Apple: José matches by jose.muller@acme.de and gains an email, a phone, tags, a link, the ORG
    // unit and the full ADR; Zoë matches and brings nothing new; the Société Générale card is new
    // (and its company). Its phone ends in the same 9 digits as José's mobile, but both numbers carry
    // a country code and the codes differ (+33 / +49): another number, so no possible duplicate.
    expect(out(3)).toBe(
      '1 contact created, 1 updated, 1 skipped; 1 company created\n' +
      `  ${fx('apple-3.0.vcf')}:1: updated jose-muller by email: emails, phones, tags, links, department\n`,
    );
    // 4.0: Renée matches Outlook's by email; Grace Brewster Murray Hopper (another email) and Kim
    // Nguyen (no FN, named from the email) are new.
    expect(out(4)).toBe(
      '2 contacts created, 1 updated, 0 skipped\n' +
      `  ${fx('contacts-4.0.vcf')}:1: updated renee-lefevre by email: emails, phones, tags, birthday, location, links, department, addresses\n`,
    );
    // 2.1: Björn is new; John Doe's card loses only its garbage line; the last card has no END;
    // Renée matches by name and phone.
    expect(out(5)).toBe('2 contacts created, 0 updated, 1 skipped; 1 company created (2 problems reported)\n');
    for (const r of runs) expect(r.code).toBe(0);
  });

  it('reports malformed rows and cards on stderr with their line numbers', () => {
    expect(runs[2].stderr).toBe(`${fx('generic-contacts.csv')}:6: expected 9 columns, found 3; row skipped\n`);
    expect(runs[3].stderr).toBe('');
    expect(runs[5].stderr).toBe(
      `${fx('android-2.1.vcf')}:19: unreadable line ('this line is garbage') skipped; the rest of the card was read\n` +
      `${fx('android-2.1.vcf')}:26: card has no END:VCARD; skipped\n`,
    );
  });

  it('creates one file per person with accented names and every email and phone', async () => {
    expect(files(dir, 'contacts')).toEqual([
      'contacts/ada-king-lovelace.md', 'contacts/ada-lovelace.md', 'contacts/ana-paula.md', 'contacts/bjorn-angstrom.md',
      'contacts/charles-babbage.md', 'contacts/emilie-du-chatelet.md', 'contacts/grace-brewster-murray-hopper.md',
      'contacts/grace-hopper.md', 'contacts/john-doe.md', 'contacts/jose-muller.md', 'contacts/kim-nguyen.md', 'contacts/renee-lefevre.md',
      'contacts/societe-generale-des-eaux-2.md', 'contacts/zoe-angstrom.md',
    ]);
    expect(frontMatter(dir, 'contacts/jose-muller.md')).toMatchObject({
      name: 'José Müller',
      emails: ['jose.muller@acme.de', 'jose@müller.example', 'jose@muller.example'],
      phones: ['+49 151 2345 6789', '+49 30 1234567'],
      company: 'acme-gmbh', title: 'CTO', tags: ['friends', 'close-friends'], birthday: '1990-10-01', created: AS_OF,
    });
    expect(frontMatter(dir, 'contacts/zoe-angstrom.md')).toMatchObject({
      name: 'Zoë Ångström', emails: ['zoe@angstrom.se', 'Zoe.Private@example.se'], phones: ['+46 70 123 45 67', '+46 8 555 010 00'],
      company: 'angstrom-and-soner-ab', birthday: '--03-15',
    });
    expect(frontMatter(dir, 'contacts/bjorn-angstrom.md')).toMatchObject({
      name: 'Björn Ångström', emails: ['bjorn@example.se', 'bjorn.angstrom@firma.example'], phones: ['+46701112233', '+46 8 111 22 33'], birthday: '1980-02-29',
    });
    expect(frontMatter(dir, 'contacts/renee-lefevre.md')).toMatchObject({
      name: 'Renée Lefèvre', emails: ['renee@cafe.example', 'renee.lefevre@example.fr'], phones: ['+33 6 12 34 56 78', '+33-1-98-76-54-32;ext=12'],
      company: 'cafe-societe', title: 'Gérante', birthday: '--10-01',
    });
    expect(frontMatter(dir, 'contacts/emilie-du-chatelet.md')).toMatchObject({ name: 'Émilie du Châtelet', birthday: '--12-17', tags: ['physics'] });
    expect(frontMatter(dir, 'contacts/ada-lovelace.md')).toMatchObject({ company: 'engines-inc', favourite_colour: 'teal' });
    expect(frontMatter(dir, 'contacts/charles-babbage.md')).toMatchObject({ company: 'engines-inc', phones: ['+1 555 0101, ext. 2'] });
    expect(frontMatter(dir, 'contacts/kim-nguyen.md')).toMatchObject({ name: 'Kim Nguyen', emails: ['kim.nguyen@example.vn'] });
    expect(read(dir, 'contacts/ada-lovelace.md')).toContain('\nFirst line, with a comma\nsecond line\nthird "quoted" line\n');
    expect(files(dir, 'companies')).toEqual([
      'companies/acme-gmbh.md', 'companies/analytical-engines-ltd.md', 'companies/angstrom-and-soner-ab.md', 'companies/cafe-societe.md',
      'companies/engines-inc.md', 'companies/koksbolaget-ab.md', 'companies/societe-generale-des-eaux.md',
    ]);
    expect(frontMatter(dir, 'companies/angstrom-and-soner-ab.md')).toEqual({ name: 'Ångström & Söner, AB', created: AS_OF });
    // Year-less birthdays (--03-15) and every imported value pass tb check.
    expect(frontMatter(dir, 'contacts/jose-muller.md')).toMatchObject({
      department: 'Research & Development',
      // Apple's ADR is Google's address (country written "Germany" instead of "DE"): kept once.
      addresses: [{ type: 'work', street: 'Unter den Linden 1', city: 'Berlin', postcode: '10117', country: 'DE' }],
    });
    expect(frontMatter(dir, 'contacts/john-doe.md')).toMatchObject({ name: 'John Doe', phones: ['555-0199'] });
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stdout: 'no problems in 22 files\n' }); // 14 contacts, 7 companies, touchbase.yaml
  });

  it('re-importing the same files creates nothing and changes no file', async () => {
    const before = snapshot(dir);
    const again: string[] = [];
    for (const [format, file] of [['csv', 'google-contacts.csv'], ['csv', 'generic-contacts.csv'], ['vcard', 'apple-3.0.vcf'], ['vcard', 'contacts-4.0.vcf']]) {
      again.push((await run(dir, ['import', format, fx(file)])).stdout.replace(`${fx(file)}: `, ''));
    }
    expect(again).toEqual([
      '0 contacts created, 0 updated, 4 skipped\n',
      '0 contacts created, 0 updated, 4 skipped (1 problem reported)\n',
      '0 contacts created, 0 updated, 3 skipped\n',
      '0 contacts created, 0 updated, 3 skipped\n',
    ]);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('the vCard export round-trips: same contacts and emails in an empty directory', async () => {
    const vcf = path.join(tempDir(), 'all.vcf');
    expect((await run(dir, ['export', 'vcard', '-o', vcf])).stdout).toBe(`Exported 14 items to ${vcf}\n`);
    const other = await emptyCrm();
    expect((await run(other, ['import', 'vcard', vcf])).stdout).toBe(`${vcf}: 14 contacts created, 0 updated, 0 skipped; 7 companies created\n`);
    expect(files(other, 'contacts')).toEqual(files(dir, 'contacts'));
    const carried = ['name', 'emails', 'phones', 'company', 'title', 'tags', 'birthday', 'location', 'links', 'addresses', 'department', 'owner', 'created'];
    for (const f of files(dir, 'contacts')) {
      const a = frontMatter(dir, f);
      const b = frontMatter(other, f);
      for (const key of carried) expect([f, key, b[key]]).toEqual([f, key, a[key]]);
    }
  });
});

describe('tb import: overlapping files, options, dry run', () => {
  it('an overlapping file only fills empty fields and extends lists', async () => {
    const dir = exampleCopy();
    // José has title CFO, one email, one phone, no location; Konrad is unchanged; Nadia is new.
    const csv = 'Name,Email,Phone,Title,Location,Tags\r\n' +
      'Jose Mueller,JOSE.MUELLER@paylane.io,+49 30 2198 4410,Chief Financial Officer,Berlin,golf\r\n' +
      'Konrad Beck,konrad@brotundbutter.de,,,,\r\n' +
      'Nadia Haddad,nadia@haddad.example,,,,\r\n';
    const file = path.join(tempDir(), 'overlap.csv');
    fs.writeFileSync(file, csv);
    const before = snapshot(dir);
    const r = await run(dir, ['import', 'csv', file, '--tag', 'imported-2026-11']);
    expect(r.stdout).toBe(`${file}: 1 contact created, 1 updated, 1 skipped\n  ${file}:2: updated jose-muller by email: tags, location\n`);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: ['contacts/nadia-haddad.md'], removed: [], changed: ['contacts/jose-muller.md'] });
    const jose = read(dir, 'contacts/jose-muller.md');
    expect(jose).toBe(before.get('contacts/jose-muller.md')!.replace('tags: [vip]', 'tags: [vip, golf, imported-2026-11]').replace('created: 2025-05-20\n', 'created: 2025-05-20\nlocation: Berlin\n'));
    expect(read(dir, 'contacts/nadia-haddad.md')).toBe(['---', 'name: Nadia Haddad', 'emails: [nadia@haddad.example]', 'tags: [imported-2026-11]', `created: ${AS_OF}`, '---', ''].join('\n'));
  });

  it('--dry-run writes nothing and prints the same report', async () => {
    const dir = exampleCopy();
    const file = path.join(tempDir(), 'p.csv');
    fs.writeFileSync(file, 'name,email,company\nJosé Müller,"jose.mueller@paylane.io; jose@new.example",\nNew Person,new@p.example,Brand New Ltd\n');
    const before = snapshot(dir);
    const dry = await run(dir, ['import', 'csv', file, '--dry-run']);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
    const report = `${file}: 1 contact created, 1 updated, 0 skipped; 1 company created\n  ${file}:2: updated jose-muller by email: emails\n`;
    expect(dry.stdout).toBe(`${report}Dry run: nothing was written.\n`);
    const real = await run(dir, ['import', 'csv', file]);
    expect(real.stdout).toBe(report);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: ['companies/brand-new-ltd.md', 'contacts/new-person.md'], removed: [], changed: ['contacts/jose-muller.md'] });
    expect(frontMatter(dir, 'contacts/new-person.md').company).toBe('brand-new-ltd');
  });

  it('--map renames columns; --json reports the records written', async () => {
    const dir = await emptyCrm();
    const file = path.join(tempDir(), 'm.csv');
    fs.writeFileSync(file, 'Who,Mobile Number,Shoe\nAda,+44 7700 900123,38\n');
    const r = await run(dir, ['import', 'csv', file, '--map', 'Who=name', '--map', 'Mobile Number=phone', '--map', 'Shoe=-', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({
      file, dry_run: false, encoding: 'utf-8', csv: { delimiter: 'comma', delimiter_from: 'header' }, created: 1, updated: 0, skipped: 0, possible_duplicates: 0, companies_created: 0,
      records: [{ op: 'create', type: 'contact', id: 'ada', path: 'contacts/ada.md' }],
      rows: [{ line: 2, action: 'created', id: 'ada' }], issues: [],
    });
    expect(frontMatter(dir, 'contacts/ada.md')).toEqual({ name: 'Ada', phones: ['+44 7700 900123'], created: AS_OF });
  });

  it('--type deals links contacts and companies', async () => {
    const dir = exampleCopy();
    const file = path.join(tempDir(), 'deals.csv');
    fs.writeFileSync(file, 'Deal Name,Amount,Company,Contact,Close Date\nPaylane fraud model,"18,000",Paylane,jose.mueller@paylane.io,2027-03-31\nGhost deal,1,,nobody@nowhere,\n');
    const r = await run(dir, ['import', 'csv', file, '--type', 'deals']);
    expect(r.stdout).toBe(`${file}: 2 deals created, 0 updated, 0 skipped (1 problem reported)\n`);
    expect(r.stderr).toBe(`${file}:3: no contact matches 'nobody@nowhere'; reference dropped\n`);
    expect(frontMatter(dir, 'deals/paylane-fraud-model.md')).toEqual({
      title: 'Paylane fraud model', company: 'paylane', contacts: ['jose-muller'], stage: 'lead', value: 18000,
      expected_close: '2027-03-31', created: AS_OF, history: [{ date: AS_OF, stage: 'lead' }],
    });
  });
});

describe('tb export', () => {
  it('json → import json into an empty directory gives identical front matter and bodies', async () => {
    const src = exampleCopy();
    const json = path.join(tempDir(), 'backup.json');
    // 30 contacts + 11 companies + 16 deals + 322 interactions + 17 reminders.
    expect((await run(src, ['export', 'json', '-o', json])).stdout).toBe(`Exported 396 items to ${json}\n`);
    const first = (JSON.parse(fs.readFileSync(json, 'utf8')) as Array<Record<string, unknown>>).find((r) => r.id === 'jose-muller')!;
    expect(Object.keys(first)).toEqual(['id', 'type', 'path', 'name', 'emails', 'phones', 'company', 'title', 'tags', 'owner', 'stage', 'source', 'channel', 'birthday', 'nps', 'created', 'derived', 'body']);
    expect(first.derived).toMatchObject({ interactions: expect.any(Number), overdue: expect.any(Boolean) });
    const dst = await emptyCrm();
    expect((await run(dst, ['import', 'json', json])).stdout).toBe(`${json}: 396 records created, 0 updated, 0 skipped\n`);
    for (const folder of ['contacts', 'companies', 'deals', 'interactions', 'reminders']) {
      const list = files(src, folder);
      expect(files(dst, folder)).toEqual(list);
      for (const f of list) {
        expect(frontMatter(dst, f)).toEqual(frontMatter(src, f));
        expect(read(dst, f).split(/\n---\n/).slice(1).join('\n---\n')).toBe(read(src, f).split(/\n---\n/).slice(1).join('\n---\n'));
      }
    }
    expect((await run(dst, ['check'])).code).toBe(0);
    // And importing it again is a no-op.
    const before = snapshot(dst);
    expect((await run(dst, ['import', 'json', json])).stdout).toBe(`${json}: 0 records created, 0 updated, 396 skipped\n`);
    expect(diffSnapshots(before, snapshot(dst))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('csv with a BOM, filtered by a query, re-imports onto the same contacts', async () => {
    const dir = exampleCopy();
    const out = path.join(tempDir(), 'vip.csv');
    await run(dir, ['export', 'csv', 'contacts', 'tag:vip', 'company:paylane', '-o', out, '--bom']);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFFid,name,emails,phones,company,title,tags,owner,stage,source,channel,birthday,created,nps,notes\r\n')).toBe(true);
    // The company column holds the company's name, as the vCard export and other programs write it;
    // a cell starting with + gets the conventional ' against formula injection (docs/reliability.md); import takes it off.
    expect(text).toContain('\r\njose-muller,José Müller,jose.mueller@paylane.io,\'+49 30 2198 4410,Paylane,CFO,vip,sam,customer,referral,call,1981-04-17,2025-05-20,9,"Grew up');
    const before = snapshot(dir);
    expect((await run(dir, ['import', 'csv', out])).stdout).toMatch(/: 0 contacts created, 0 updated, \d+ skipped\n$/);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('ics holds open reminders and expected closes of open deals', async () => {
    const r = await run(path.join(REPO, 'examples', 'consultancy'), ['export', 'ics']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(r.stdout).toContain('BEGIN:VTODO\r\nUID:2026-11-10-zoe-angstrom-send-pci-scope-questionnaire-qy2v@touchbase\r\nDTSTAMP:20261123T000000Z\r\nSUMMARY:Send PCI scope questionnaire (Zoë Ångström)\r\nDUE;VALUE=DATE:20261110\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\n');
    expect(r.stdout).toContain('SUMMARY:Expected close: Nordfracht route analytics platform\r\nDTSTART;VALUE=DATE:20261110\r\n');
    // Done reminders are left out.
    expect(r.stdout).not.toContain('book-site-visit-in-valencia');
  });

  it('json of one type filtered by a query', async () => {
    const r = await run(path.join(REPO, 'examples', 'consultancy'), ['export', 'json', 'companies', 'industry:fintech']);
    const list = JSON.parse(r.stdout) as Array<{ id: string; derived: Record<string, unknown> }>;
    expect(list.map((c) => c.id)).toEqual(['kronberg-privatbank', 'paylane']);
    expect(Object.keys(list[0].derived).sort()).toEqual(['contacts', 'last_contact', 'open_deals', 'pipeline_value']);
  });
});

describe('tb dedupe and tb merge', () => {
  async function mergeFixture(): string {
    const dir = await emptyCrm();
    const w = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    w('companies/acme.md', '---\nname: Acme\ndomain: acme.example\n---\n');
    w('companies/acme-gmbh.md', '---\nname: Acme GmbH\ndomain: acme.example\nindustry: logistics\n---\n');
    w('contacts/jose-muller.md', '---\nname: José Müller\nemails: [jose@acme.example]\ncompany: acme\ntitle: CFO\ntags: [vip]  # keep this comment\n---\n\nPrefers calls.\n');
    w('contacts/jose-mueller.md', '---\nname: Jose Muller\nemails: [JOSE@acme.example, j@home.example]\nphones: ["+49 30 1"]\ncompany: acme-gmbh\ntitle: Finance\ntags: [golf]\n---\n\nMet at a meetup.\n');
    w('contacts/ada.md', '---\nname: Ada Lovelace\ncompany: acme-gmbh\n---\n');
    w('interactions/2026/11/2026-11-20-jose-mueller-call-k3x9.md', '---\ndate: 2026-11-20\ncontacts: [jose-mueller, ada]\nchannel: call\n---\n');
    w('interactions/2026/11/2026-11-21-jose-meeting-aaaa.md', '---\ndate: 2026-11-21\ncontacts: [jose-muller, "[[jose-mueller]]"]\nchannel: meeting\n---\n');
    w('deals/acme-renewal.md', '---\ntitle: Acme renewal\ncompany: acme-gmbh\ncontacts: [jose-mueller]\nstage: lead\n---\n');
    w('reminders/2026-11-27-jose-mueller-call-back-q7p2.md', '---\ndue: 2026-11-27\ntext: Call back\ncontact: jose-mueller\nstatus: open\n---\n');
    return dir;
  }

  it('dedupe lists scored pairs with reasons', async () => {
    const dir = await mergeFixture();
    const r = await run(dir, ['dedupe']);
    expect(r.stdout).toBe(
      'score  a             b            reasons\n' +
      '100    jose-mueller  jose-muller  same email jose@acme.example; same name ignoring case and accents\n' +
      '\n1 likely duplicate; join one with: tb merge jose-mueller jose-muller\n',
    );
    const json = JSON.parse((await run(dir, ['dedupe', 'companies', '--json'])).stdout);
    expect(json).toEqual([{ score: 90, a: { id: 'acme', name: 'Acme', path: 'companies/acme.md' }, b: { id: 'acme-gmbh', name: 'Acme GmbH', path: 'companies/acme-gmbh.md' }, reasons: ['same domain acme.example'] }]);
  });

  it('dedupe prints nothing on stdout when there are no duplicates', async () => {
    const r = await run(path.join(REPO, 'examples', 'consultancy'), ['dedupe']);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', 'no likely duplicates\n']);
  });

  it('merge --dry-run prints the plan and writes nothing', async () => {
    const dir = await mergeFixture();
    const before = snapshot(dir);
    const r = await run(dir, ['merge', 'jose-muller', 'jose-mueller', '--dry-run']);
    expect(r.stdout).toBe([
      'Would merge contact jose-mueller (Jose Muller) into jose-muller (José Müller)',
      '  contacts/jose-muller.md: name: kept José Müller (dropped Jose Muller)',
      '  contacts/jose-muller.md: emails += j@home.example',
      '  contacts/jose-muller.md: phones: +49 30 1 (from jose-mueller)',
      '  contacts/jose-muller.md: company: kept acme (dropped acme-gmbh)',
      '  contacts/jose-muller.md: title: kept CFO (dropped Finance)',
      '  contacts/jose-muller.md: tags += golf',
      '  contacts/jose-muller.md: notes of jose-mueller appended',
      '  deals/acme-renewal.md: contacts jose-mueller → jose-muller',
      '  interactions/2026/11/2026-11-20-jose-mueller-call-k3x9.md: contacts jose-mueller, ada → jose-muller, ada',
      '  interactions/2026/11/2026-11-21-jose-meeting-aaaa.md: contacts jose-muller, jose-mueller → jose-muller',
      '  reminders/2026-11-27-jose-mueller-call-back-q7p2.md: contact jose-mueller → jose-muller',
      '  would delete contacts/jose-mueller.md',
      'Dry run: nothing was written.',
      '',
    ].join('\n'));
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('merge rewrites every reference, merges fields and notes, deletes the dropped file', async () => {
    const dir = await mergeFixture();
    const before = snapshot(dir);
    const r = await run(dir, ['merge', 'jose-muller', 'jose-mueller']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Merged contact jose-mueller (Jose Muller) into jose-muller (José Müller)');
    expect(diffSnapshots(before, snapshot(dir))).toEqual({
      added: [], removed: ['contacts/jose-mueller.md'],
      changed: ['contacts/jose-muller.md', 'deals/acme-renewal.md', 'interactions/2026/11/2026-11-20-jose-mueller-call-k3x9.md', 'interactions/2026/11/2026-11-21-jose-meeting-aaaa.md', 'reminders/2026-11-27-jose-mueller-call-back-q7p2.md'],
    });
    expect(read(dir, 'contacts/jose-muller.md')).toBe(
      '---\nname: José Müller\nemails: [jose@acme.example, j@home.example]\ncompany: acme\ntitle: CFO\ntags: [vip, golf]  # keep this comment\nphones: [+49 30 1]\n---\n\nPrefers calls.\n\n## Merged from Jose Muller (jose-mueller)\n\nMet at a meetup.\n',
    );
    expect(read(dir, 'deals/acme-renewal.md')).toBe('---\ntitle: Acme renewal\ncompany: acme-gmbh\ncontacts: [jose-muller]\nstage: lead\n---\n');
    expect(read(dir, 'interactions/2026/11/2026-11-20-jose-mueller-call-k3x9.md')).toBe('---\ndate: 2026-11-20\ncontacts: [jose-muller, ada]\nchannel: call\n---\n');
    expect(read(dir, 'interactions/2026/11/2026-11-21-jose-meeting-aaaa.md')).toBe('---\ndate: 2026-11-21\ncontacts: [jose-muller]\nchannel: meeting\n---\n');
    expect(read(dir, 'reminders/2026-11-27-jose-mueller-call-back-q7p2.md')).toBe('---\ndue: 2026-11-27\ntext: Call back\ncontact: jose-muller\nstatus: open\n---\n');
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stderr: '' });
  });

  it("merging companies rewrites contacts' and deals' company", async () => {
    const dir = await mergeFixture();
    const r = await run(dir, ['merge', 'acme', 'acme-gmbh', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({
      dry_run: false, type: 'company', keep: { id: 'acme', path: 'companies/acme.md' }, drop: { id: 'acme-gmbh', path: 'companies/acme-gmbh.md' },
      fields: [{ key: 'name', kind: 'kept', value: 'Acme', dropped: 'Acme GmbH' }, { key: 'industry', kind: 'added', value: 'logistics' }],
      notes_appended: false,
      references: [
        { path: 'contacts/ada.md', key: 'company', before: 'acme-gmbh', after: 'acme' },
        { path: 'contacts/jose-mueller.md', key: 'company', before: 'acme-gmbh', after: 'acme' },
        { path: 'deals/acme-renewal.md', key: 'company', before: 'acme-gmbh', after: 'acme' },
      ],
      deleted: 'companies/acme-gmbh.md',
    });
    expect(read(dir, 'companies/acme.md')).toBe('---\nname: Acme\ndomain: acme.example\nindustry: logistics\n---\n');
    expect(fs.existsSync(path.join(dir, 'companies/acme-gmbh.md'))).toBe(false);
    expect(frontMatter(dir, 'contacts/ada.md').company).toBe('acme');
    expect(frontMatter(dir, 'deals/acme-renewal.md').company).toBe('acme');
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('merge follows every reference the schema declares', () => {
  // A case's `contact` and `company` were missing from merge's own list of references: the merge
  // left the case pointing at the deleted record and tb check failed (#29).
  it("merging contacts, then companies, rewrites a service case's contact and company", async () => {
    const dir = await emptyCrm();
    const w = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    w('companies/acme.md', '---\nname: Acme\n---\n');
    w('companies/acme-gmbh.md', '---\nname: Acme GmbH\n---\n');
    w('contacts/jose-muller.md', '---\nname: José Müller\ncompany: acme\n---\n');
    w('contacts/jose-mueller.md', '---\nname: Jose Mueller\ncompany: acme\n---\n');
    const CASE = 'cases/2026-11-20-jose-mueller-invoice-wrong-k3x9.md';
    w(CASE, '---\nsubject: Invoice wrong\ncontact: jose-mueller\ncompany: acme-gmbh\nstatus: open\nopened: 2026-11-20T09:00Z\n---\n');
    const contacts = await run(dir, ['merge', 'jose-muller', 'jose-mueller']);
    expect(contacts.code).toBe(0);
    expect(contacts.stdout).toContain(`${CASE}: contact jose-mueller → jose-muller`);
    const companies = await run(dir, ['merge', 'acme', 'acme-gmbh']);
    expect(companies.code).toBe(0);
    expect(read(dir, CASE)).toBe('---\nsubject: Invoice wrong\ncontact: jose-muller\ncompany: acme\nstatus: open\nopened: 2026-11-20T09:00Z\n---\n');
    expect(await run(dir, ['check'])).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('interop errors', () => {
  const ex = path.join(REPO, 'examples', 'consultancy');
  const err = async (args: string[], dir = ex) => {
    const r = await run(dir, args);
    return [r.code, r.stderr.trim()];
  };

  it.each([
    [['import', 'xls', 'a.xls'], 2, "tb: unknown import format 'xls'\ntb: hint: use one of: csv, vcard, json, eml, mbox, maildir, ics"],
    [['import', 'vcard', 'a.vcf', '--map', 'a=b'], 2, 'tb: --map applies to csv imports only'],
    [['import', 'json', 'a.json', '--type', 'deals'], 2, "tb: --type applies to csv imports only\ntb: hint: vCard files hold contacts; a JSON export names each record's type"],
    [['import', 'csv', 'a.csv', '--type', 'reminders'], 2, "tb: unknown record type 'reminders'\ntb: hint: use one of: contact, company, deal, interaction"],
    [['import', 'csv', 'no-such.csv'], 1, 'tb: no such file: no-such.csv'],
    [['import', 'csv', 'test', '--tag', ' '], 2, 'tb: --tag cannot be empty'],
    [['export', 'pdf'], 2, "tb: unknown export format 'pdf'\ntb: hint: use one of: csv, vcard, json, ics"],
    [['export', 'json', '--bom'], 2, 'tb: --bom applies to csv exports only'],
    [['export', 'json', 'tag:vip'], 2, 'tb: tb export json: name a record type before the query\ntb: hint: e.g. tb export json contacts tag:vip'],
    [['export', 'vcard', 'deals'], 2, 'tb: vCard export holds contacts only'],
    [['export', 'ics', 'contacts'], 2, 'tb: ics export holds reminders and deals only'],
    [['dedupe', '--min-score', 'high'], 2, "tb: --min-score must be a number from 0 to 100, got 'high'"],
    [['merge', 'jose-muller', 'José Müller'], 2, "tb: 'jose-muller' and 'José Müller' are the same contact (jose-muller)"],
    [['merge', 'jose-muller', 'paylane'], 2, 'tb: cannot merge contact jose-muller with company paylane\ntb: hint: merge two contacts or two companies'],
  ])('%j', async (args, code, message) => {
    expect(await err(args as string[])).toEqual([code, message]);
  });

  it('--map naming a missing column, and a malformed --map', async () => {
    const file = path.join(tempDir(), 'a.csv');
    fs.writeFileSync(file, 'Full,Mail\nAda,a@x.org\n');
    expect(await err(['import', 'csv', file, '--map', 'Fulll=name'])).toEqual([2, `tb: --map: the file has no column 'Fulll' (header "Full,Mail" read as comma-separated)\ntb: hint: did you mean 'Full'?`]);
    expect(await err(['import', 'csv', file, '--map', 'Full'])).toEqual([2, "tb: --map expects column=field, got 'Full'"]);
  });

  it('a file with nothing importable exits 1 after reporting why', async () => {
    const dir = await emptyCrm();
    const file = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(file, '[\n  { "id": "../x", "type": "contact" }\n]\n');
    expect(await err(['import', 'json', file], dir)).toEqual([1, `${file}:2: invalid id "../x"; skipped\ntb: nothing could be imported from ${file}`]);
    fs.writeFileSync(file, '{"not": "an array"}');
    expect(await err(['import', 'json', file], dir)).toEqual([1, 'tb: a touchbase JSON export is an array of records']);
  });
});
