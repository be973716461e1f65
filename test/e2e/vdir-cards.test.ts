/**
 * tb vdir sync with card shapes real address books write: vCard 4 URI values (`mailto:`, `tel:`),
 * cards with no name at all (a number saved on a phone), a nickname only (issue #32 leftovers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { REPO, emptyCrm, read, tb, tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function setup(...fixtures: string[]): Promise<{ crm: string; vd: string }> {
  const crm = await emptyCrm();
  const vd = tempDir('tb-vdir-');
  dirs.push(crm, vd);
  for (const f of fixtures) fs.copyFileSync(path.join(REPO, 'test/fixtures/vdir', f), path.join(vd, f));
  return { crm, vd };
}

const sync = (crm: string, vd: string, ...more: string[]) => tb(['vdir', 'sync', vd, ...more], { cwd: crm });
const cardText = (vd: string, file: string) => fs.readFileSync(path.join(vd, file), 'utf8');
const QUIET = /contacts 0 created, 0 updated, 0 deleted; cards 0 created, 0 updated, 0 deleted/;

describe('tb vdir sync: URI values (vCard 4)', () => {
  test('an email removed in tb is removed from a card that writes it as mailto:, and stays removed', async () => {
    const { crm, vd } = await setup('vcard4-uri-values.vcf');
    expect((await sync(crm, vd)).code).toBe(0);
    expect(read(crm, 'contacts/grace-hopper.md')).toMatch(/emails: \[grace@navy\.example, grace@home\.example\]/);
    expect((await tb(['set', 'grace-hopper', 'emails=[grace@navy.example]'], { cwd: crm })).code).toBe(0);
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    const text = cardText(vd, 'vcard4-uri-values.vcf');
    expect(text).not.toMatch(/grace@home\.example/);
    // The other address keeps its line as the server wrote it.
    expect(text).toContain('EMAIL;VALUE=uri;TYPE=work;PREF=1:mailto:grace@navy.example\r\n');
    // The next sync does not bring it back.
    expect((await sync(crm, vd)).stdout).toMatch(QUIET);
    expect(read(crm, 'contacts/grace-hopper.md')).toMatch(/emails: \[grace@navy\.example\]/);
  });

  test('an email removed from the card (mailto:) is removed in tb; a tel: phone removed in tb leaves the card', async () => {
    const { crm, vd } = await setup('vcard4-uri-values.vcf');
    await sync(crm, vd);
    const file = path.join(vd, 'vcard4-uri-values.vcf');
    fs.writeFileSync(file, cardText(vd, 'vcard4-uri-values.vcf').replace('EMAIL;VALUE=uri;TYPE=home:mailto:grace@home.example\r\n', ''));
    await tb(['set', 'grace-hopper', 'phones='], { cwd: crm });
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(read(crm, 'contacts/grace-hopper.md')).toMatch(/emails: \[grace@navy\.example\]/);
    expect(cardText(vd, 'vcard4-uri-values.vcf')).not.toMatch(/^TEL/m);
    expect((await sync(crm, vd)).stdout).toMatch(QUIET);
    expect(read(crm, 'contacts/grace-hopper.md')).not.toMatch(/phones/);
  });
});

describe('tb vdir sync: a card with no name', () => {
  const IOS = 'ios-number-only.vcf';

  test('a number saved on a phone (no FN, N): named after its number, flagged, and the card is left as it is', async () => {
    const { crm, vd } = await setup(IOS);
    const before = cardText(vd, IOS);
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/contacts 1 created, 0 updated, 0 deleted; cards 0 created, 0 updated/);
    expect(r.stderr).toMatch(/ios-number-only\.vcf: the card has no name; the contact is named '\+49 151 23456789' after what it holds — give it a name in tb \(it goes to the card\)/);
    const [file] = fs.readdirSync(path.join(crm, 'contacts'));
    expect(read(crm, `contacts/${file}`)).toMatch(/^name: '?\+49 151 23456789'?$/m);
    // The phone's card does not get the number as its name.
    expect(cardText(vd, IOS)).toBe(before);
    expect((await sync(crm, vd)).stdout).toMatch(QUIET);
    expect(cardText(vd, IOS)).toBe(before);
    // A tag added in tb goes to the card — still without a made-up name.
    const id = file.replace(/\.md$/, '');
    await tb(['set', id, '+family'], { cwd: crm });
    await sync(crm, vd);
    expect(cardText(vd, IOS)).toMatch(/CATEGORIES:family\r\n/);
    expect(cardText(vd, IOS)).toMatch(/\r\nFN:\r\n/);
    expect(cardText(vd, IOS)).not.toMatch(/FN:\+49/);
    // Named in tb: the name goes to the card (FN and N), its Apple-labelled number stays.
    await tb(['set', id, 'name=Jonas Weber'], { cwd: crm });
    const named = await sync(crm, vd);
    expect(named.stdout).toMatch(/cards 0 created, 1 updated/);
    const text = cardText(vd, IOS);
    expect(text).toMatch(/\r\nFN:Jonas Weber\r\n/);
    expect(text).toMatch(/\r\nN:Weber;Jonas;;;\r\n/);
    expect(text).toContain('item1.TEL;type=pref:+49 151 23456789\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n');
    expect((await sync(crm, vd)).stdout).toMatch(QUIET);
    expect((await tb(['check'], { cwd: crm })).code).toBe(0);
  });

  test('named on the phone later: the contact takes the name', async () => {
    const { crm, vd } = await setup(IOS);
    await sync(crm, vd);
    fs.writeFileSync(path.join(vd, IOS), cardText(vd, IOS).replace('N:;;;;\r\nFN:\r\n', 'N:Weber;Jonas;;;\r\nFN:Jonas Weber\r\n'));
    const r = await sync(crm, vd);
    expect(r.stdout).toMatch(/contacts 0 created, 1 updated/);
    const [file] = fs.readdirSync(path.join(crm, 'contacts'));
    expect(read(crm, `contacts/${file}`)).toMatch(/^name: Jonas Weber$/m);
  });

  test('a nameless card of someone tb knows (same number) joins that contact and gets its name', async () => {
    const { crm, vd } = await setup(IOS);
    await tb(['add', 'contact', 'Jonas Weber', '--phone', '+49 151 23456789'], { cwd: crm });
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(path.join(crm, 'contacts'))).toEqual(['jonas-weber.md']);
    expect(r.stderr).not.toMatch(/conflict/);
    expect(cardText(vd, IOS)).toMatch(/\r\nFN:Jonas Weber\r\n/);
  });

  test('a nickname only (NICKNAME, no FN): the contact is named by it, the card left as it is', async () => {
    const { crm, vd } = await setup('nextcloud-nickname-only.vcf');
    const before = cardText(vd, 'nextcloud-nickname-only.vcf');
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(read(crm, 'contacts/mum.md')).toMatch(/^name: Mum$/m);
    expect(cardText(vd, 'nextcloud-nickname-only.vcf')).toBe(before);
    // tb import vcard names it the same way.
    const other = await emptyCrm();
    dirs.push(other);
    expect((await tb(['import', 'vcard', path.join(vd, 'nextcloud-nickname-only.vcf')], { cwd: other })).code).toBe(0);
    expect(fs.readdirSync(path.join(other, 'contacts'))).toEqual(['mum.md']);
  });
});
