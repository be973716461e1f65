/**
 * tb vdir sync with card shapes real address books write: vCard 4 URI values (`mailto:`, `tel:`),
 * cards with no name at all (a number saved on a phone), a nickname only (issue #32 leftovers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { gitIn, REPO, emptyCrm, read, tb, tbProcess, tempDir } from './helpers.js';

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

describe('tb vdir sync --where: two address books', () => {
  const names = (vd: string) => fs.readdirSync(vd).filter((f) => f.endsWith('.vcf')).map((f) => /\r\nFN:(.*)\r\n/.exec(cardText(vd, f))?.[1]).sort();

  async function twoBooks() {
    const crm = await emptyCrm();
    const work = tempDir('tb-work-');
    const family = tempDir('tb-family-');
    dirs.push(crm, work, family);
    await tb(['add', 'contact', 'Ada Lovelace', '--email', 'ada@acme.example', '--tag', 'work'], { cwd: crm });
    await tb(['add', 'contact', 'Bob Weber', '--email', 'bob@home.example', '--tag', 'family'], { cwd: crm });
    await tb(['add', 'contact', 'Cara Weber', '--email', 'cara@home.example', '--tag', 'family', '--tag', 'work'], { cwd: crm });
    return { crm, work, family };
  }

  test('each folder receives the contacts its --where selects, remembered on later runs', async () => {
    const { crm, work, family } = await twoBooks();
    let r = await sync(crm, work, '--where', 'tag:work');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/receives the contacts matching: tag:work/);
    r = await sync(crm, family, '--where', 'tag:family');
    expect(r.code, r.stderr).toBe(0);
    expect(names(work)).toEqual(['Ada Lovelace', 'Cara Weber']);
    expect(names(family)).toEqual(['Bob Weber', 'Cara Weber']);
    // Later runs use the remembered selection; a new family contact goes to the family book only.
    await tb(['add', 'contact', 'Dan Weber', '--email', 'dan@home.example', '--tag', 'family'], { cwd: crm });
    expect((await sync(crm, work)).stdout).toMatch(QUIET);
    r = await sync(crm, family, '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ where: 'tag:family', cards: { created: [{ contact: 'dan-weber' }] } });
    expect(names(family)).toEqual(['Bob Weber', 'Cara Weber', 'Dan Weber']);
    expect(names(work)).toEqual(['Ada Lovelace', 'Cara Weber']);
    // A card added on the phone to the family book becomes a contact, and does not go to work.
    fs.writeFileSync(path.join(family, 'eve.vcf'), ['BEGIN:VCARD', 'VERSION:3.0', 'UID:eve-1', 'FN:Eve Weber', 'N:Weber;Eve;;;', 'EMAIL:eve@home.example', 'END:VCARD', ''].join('\r\n'));
    expect((await sync(crm, family)).stdout).toMatch(/contacts 1 created/);
    expect((await sync(crm, work)).stdout).toMatch(QUIET);
    // An edit in tb reaches both cards of a contact in both books.
    await tb(['set', 'cara-weber', 'title=Engineer'], { cwd: crm });
    for (const vd of [work, family]) expect((await sync(crm, vd)).stdout).toMatch(/cards 0 created, 1 updated/);
    expect((await tb(['check'], { cwd: crm })).code).toBe(0);
  });

  test('the same person carded separately in both books: one contact with both UIDs, both kept in step', async () => {
    const { crm, work, family } = await twoBooks();
    await sync(crm, work, '--where', 'tag:work');
    // The phone's family book has its own card of Ada (another UID), made before tb's.
    fs.writeFileSync(path.join(family, 'ada-home.vcf'), ['BEGIN:VCARD', 'VERSION:3.0', 'UID:ada-home', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@acme.example', 'TEL:+44 20 7946 0001', 'END:VCARD', ''].join('\r\n'));
    const r = await sync(crm, family, '--where', 'tag:family');
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(path.join(crm, 'contacts')).sort()).toEqual(['ada-lovelace.md', 'bob-weber.md', 'cara-weber.md']);
    const ada = read(crm, 'contacts/ada-lovelace.md');
    expect(ada).toMatch(/^vcard_uid:\n {2}- [0-9a-f-]{36}\n {2}- ada-home\n/m);
    expect(ada).toMatch(/phones: \[\+44 20 7946 0001\]/);
    // Ada is not tagged family: said once, her card kept in step.
    expect(r.stderr).toMatch(/ada-lovelace does not match this folder's --where; its card is kept and kept in step/);
    expect((await sync(crm, family)).stderr).toBe('');
    // The phone number reaches her work card; no second card in either book, nothing to report.
    const toWork = await sync(crm, work);
    expect(toWork.stdout).toMatch(/cards 0 created, 1 updated/);
    expect(toWork.stderr).toBe('');
    expect(names(work)).toEqual(['Ada Lovelace', 'Cara Weber']);
    expect(names(family)).toEqual(['Ada Lovelace', 'Bob Weber', 'Cara Weber']);
    for (const vd of [work, family]) expect((await sync(crm, vd)).stdout).toMatch(QUIET);
    expect((await tb(['check'], { cwd: crm })).code).toBe(0);
  });

  test('a contact that stops matching keeps its card (said once); deleting that card only takes it out', async () => {
    const { crm, family } = await twoBooks();
    await sync(crm, family, '--where', 'tag:family');
    await tb(['set', 'bob-weber', '-family'], { cwd: crm });
    let r = await sync(crm, family);
    // The tag goes from the card (CATEGORIES), and the card stays.
    expect(r.stdout).toMatch(/cards 0 created, 1 updated, 0 deleted/);
    expect(r.stderr).toMatch(/bob-weber does not match this folder's --where; its card is kept/);
    expect(names(family)).toEqual(['Bob Weber', 'Cara Weber']);
    expect((await sync(crm, family)).stderr).toBe('');
    const bobCard = fs.readdirSync(family).find((f) => cardText(family, f).includes('Bob Weber'))!;
    fs.rmSync(path.join(family, bobCard));
    r = await sync(crm, family);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(QUIET);
    expect(r.stderr).toMatch(/card deleted from the folder; bob-weber does not match its --where, so tb keeps the contact/);
    expect(fs.existsSync(path.join(crm, 'contacts/bob-weber.md'))).toBe(true);
    expect((await sync(crm, family)).stdout).toMatch(QUIET);
    expect(names(family)).toEqual(['Cara Weber']);
    // Tagged family again: it gets a card again.
    await tb(['set', 'bob-weber', '+family'], { cwd: crm });
    expect((await sync(crm, family)).stdout).toMatch(/cards 1 created/);
  });

  test('a --where with a mistake: one clear line, nothing written; --where "" selects every contact again', async () => {
    const { crm, family } = await twoBooks();
    const r = await sync(crm, family, '--where', 'tag:family and (');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^tb: /);
    expect(fs.readdirSync(family)).toEqual([]);
    await sync(crm, family, '--where', 'tag:family');
    expect(names(family)).toEqual(['Bob Weber', 'Cara Weber']);
    const all = await sync(crm, family, '--where', '');
    expect(all.stdout).toMatch(/receives every contact/);
    expect(names(family)).toEqual(['Ada Lovelace', 'Bob Weber', 'Cara Weber']);
  });
});

describe('tb vdir sync killed with SIGKILL (kill -9) at any step', () => {
  const ADA = ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//iPhone OS 17.1//EN', 'UID:3F2A-ADA', 'N:Lovelace;Ada;;;', 'FN:Ada Lovelace', 'EMAIL;type=INTERNET;type=WORK;type=pref:ada@acme.example', 'item1.TEL;type=pref:+49 30 1234567', 'item1.X-ABLabel:_$!<Mobile>!$_', 'X-CUSTOM-THING:keep me', 'END:VCARD', ''].join('\r\n');
  const simple = (uid: string, name: string, email: string) => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${name}`, `N:${name.split(' ')[1]};${name.split(' ')[0]};;;`, `EMAIL:${email}`, 'END:VCARD', ''].join('\r\n');

  /** One sync with changes on both sides (new, changed, deleted), killed at `step` or not; then re-run. */
  async function scenario(step: string | undefined) {
    const { crm, vd } = await setup();
    fs.writeFileSync(path.join(vd, 'ada.vcf'), ADA);
    fs.writeFileSync(path.join(vd, 'p1.vcf'), simple('p1', 'Person1 Test', 'p1@ex.example'));
    await tb(['add', 'contact', 'Grace Hopper', '--email', 'grace@navy.example'], { cwd: crm });
    await sync(crm, vd);
    fs.writeFileSync(path.join(vd, 'new.vcf'), simple('new', 'New Person', 'new@ex.example'));
    fs.writeFileSync(path.join(vd, 'ada.vcf'), ADA.replace('END:VCARD', 'TITLE:Analyst\r\nEND:VCARD'));
    fs.rmSync(path.join(vd, 'p1.vcf'));
    await tb(['set', 'grace-hopper', 'title=Rear Admiral'], { cwd: crm });
    await tb(['add', 'contact', 'Alan Turing', '--email', 'alan@ex.example'], { cwd: crm });
    await tb(['add', 'contact', 'Joan Clarke', '--email', 'joan@ex.example'], { cwd: crm });
    if (step) {
      const killed = tbProcess(['vdir', 'sync', vd], { cwd: crm, env: { TOUCHBASE_FAULT: `kill:${step}` } });
      expect(killed.code, `killed at ${step}`).toBe(-1);
      // Both sides readable: every record checks, every .vcf is one whole card.
      expect((await tb(['check'], { cwd: crm })).code).toBe(0);
      for (const f of fs.readdirSync(vd).filter((x) => x.endsWith('.vcf'))) expect(cardText(vd, f)).toMatch(/^BEGIN:VCARD\r\n[\s\S]*\r\nEND:VCARD\r\n$/);
    }
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect((await sync(crm, vd)).stdout).toMatch(QUIET);
    const contacts = fs.readdirSync(path.join(crm, 'contacts')).sort();
    const cardList = fs.readdirSync(vd).filter((f) => f.endsWith('.vcf')).map((f) => cardText(vd, f));
    const fn = cardList.map((t) => /\r\nFN:(.*)\r\n/.exec(t)?.[1]).sort();
    const titles = cardList.map((t) => `${/\r\nFN:(.*)\r\n/.exec(t)?.[1]}=${/\r\nTITLE:(.*)\r\n/.exec(t)?.[1] ?? ''}`).sort();
    return { contacts, fn, titles, adaKept: cardList.some((t) => t.includes('X-CUSTOM-THING:keep me')), adaTitle: /title: (.*)/.exec(read(crm, 'contacts/ada-lovelace.md'))?.[1] };
  }

  test.each(['vdir-record', 'vdir-after-records', 'vdir-card', 'vdir-after-cards', 'vdir-before-state'])('killed at %s: both sides readable, the re-run completes with no duplicate and the same end state', async (step) => {
    const clean = await scenario(undefined);
    expect(clean.contacts).toEqual(['ada-lovelace.md', 'alan-turing.md', 'grace-hopper.md', 'joan-clarke.md', 'new-person.md']);
    expect(clean.fn).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Joan Clarke', 'New Person']);
    expect(await scenario(step)).toEqual(clean);
  });
});

describe('tb vdir sync: a card re-created while its contact changed in tb', () => {
  test('the new card takes the old one\'s place and gets tb\'s change: one card, no conflict left', async () => {
    const { crm, vd } = await setup();
    const person = (uid: string) => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, 'FN:Carol King', 'N:King;Carol;;;', 'EMAIL:carol@ex.example', 'END:VCARD', ''].join('\r\n');
    fs.writeFileSync(path.join(vd, 'old.vcf'), person('old-uid'));
    await sync(crm, vd);
    await tb(['set', 'carol-king', 'title=Editor'], { cwd: crm });
    fs.rmSync(path.join(vd, 'old.vcf'));
    fs.writeFileSync(path.join(vd, 'new.vcf'), person('new-uid'));
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(read(crm, 'contacts/carol-king.md')).toMatch(/^vcard_uid: new-uid$/m);
    expect(fs.readdirSync(vd)).toEqual(['new.vcf']);
    expect(cardText(vd, 'new.vcf')).toMatch(/\r\nTITLE:Editor\r\n/);
    expect((await sync(crm, vd, '--prefer', 'tb')).stdout).toMatch(QUIET);
    expect(fs.readdirSync(vd)).toEqual(['new.vcf']);
  });
});

describe('tb vdir sync --where on two machines of one team', () => {
  test('a clone syncing copies of the same two address books ends with the same records, changing nothing', async () => {
    const origin = tempDir('tb-origin-');
    const a = tempDir('tb-a-');
    const b = tempDir('tb-b-');
    const books = { work: [tempDir('tb-workA-'), tempDir('tb-workB-')], family: [tempDir('tb-famA-'), tempDir('tb-famB-')] };
    dirs.push(origin, a, b, ...books.work, ...books.family);
    expect((await tb(['init', a])).code).toBe(0);
    const branch = gitIn(a, 'branch', '--show-current').trim();
    gitIn(origin, 'init', '-q', '--bare', '-b', branch);
    gitIn(a, 'remote', 'add', 'origin', origin);
    await tb(['add', 'contact', 'Ada Lovelace', '--email', 'ada@acme.example', '--tag', 'work'], { cwd: a });
    await tb(['add', 'contact', 'Bob Weber', '--email', 'bob@home.example', '--tag', 'family'], { cwd: a });
    // The phone's family book has its own card of Ada.
    fs.writeFileSync(path.join(books.family[0], 'ada-home.vcf'), ['BEGIN:VCARD', 'VERSION:3.0', 'UID:ada-home', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@acme.example', 'END:VCARD', ''].join('\r\n'));
    expect((await sync(a, books.work[0], '--where', 'tag:work')).code).toBe(0);
    expect((await sync(a, books.family[0], '--where', 'tag:family')).code).toBe(0);
    gitIn(a, 'add', '-A');
    gitIn(a, 'commit', '-q', '-m', 'sync');
    gitIn(a, 'push', '-q', '-u', 'origin', branch);
    // B's vdirsyncer brought the same cards from the server.
    for (const [from, to] of [books.work, books.family]) for (const f of fs.readdirSync(from)) fs.copyFileSync(path.join(from, f), path.join(to, f));
    gitIn(path.dirname(b), 'clone', '-q', origin, b);
    for (const [vd, where] of [[books.work[1], 'tag:work'], [books.family[1], 'tag:family']]) {
      const r = await sync(b, vd, '--where', where);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(QUIET);
    }
    expect(gitIn(b, 'status', '--porcelain')).toBe('');
    const records = (dir: string) => fs.readdirSync(path.join(dir, 'contacts')).sort().map((f) => read(dir, `contacts/${f}`));
    expect(records(b)).toEqual(records(a));
    for (const [x, y] of [books.work, books.family]) expect(fs.readdirSync(y).sort()).toEqual(fs.readdirSync(x).sort());
  });
});
