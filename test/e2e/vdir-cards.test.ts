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
