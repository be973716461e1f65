/**
 * tb vdir sync: contacts and a vdir (one .vcf per card, as vdirsyncer and khard keep it) in step
 * both ways — new, changed, conflicting and deleted cards and contacts, crashes, hostile folders.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { gitIn, TB, emptyCrm, read, tb, tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function setup(): Promise<{ crm: string; vd: string }> {
  const crm = await emptyCrm();
  const vd = tempDir('tb-vdir-');
  dirs.push(crm, vd);
  return { crm, vd };
}

/** A card as iOS/iCloud writes it: groups with Apple labels, a photo, X- properties. */
const ADA_CARD = [
  'BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//iPhone OS 17.1//EN', 'UID:3F2A-ADA', 'N:Lovelace;Ada;;;', 'FN:Ada Lovelace',
  'ORG:Acme GmbH;Research', 'EMAIL;type=INTERNET;type=WORK;type=pref:ada@acme.example',
  'item1.TEL;type=pref:+49 30 1234567', 'item1.X-ABLabel:_$!<Mobile>!$_',
  'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoH',
  'X-SOCIALPROFILE;type=twitter:x-apple:ada', 'X-CUSTOM-THING:keep me', 'REV:2026-11-01T10:00:00Z', 'END:VCARD', '',
].join('\r\n');

function card(uid: string, name: string, email: string, extra: string[] = []): string {
  const [given, family] = name.split(' ');
  return ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${name}`, `N:${family ?? ''};${given};;;`, `EMAIL:${email}`, ...extra, 'END:VCARD', ''].join('\r\n');
}

const sync = (crm: string, vd: string, ...more: string[]) => tb(['vdir', 'sync', vd, ...more], { cwd: crm });
const contactFile = (crm: string, id: string) => read(crm, `contacts/${id}.md`);
const cards = (vd: string) => fs.readdirSync(vd).filter((f) => f.endsWith('.vcf')).sort();

describe('tb vdir sync', () => {
  test('first sync: a new card becomes a contact, a contact without card gets one; a second sync changes nothing', async () => {
    const { crm, vd } = await setup();
    fs.writeFileSync(path.join(vd, '3F2A-ADA.vcf'), ADA_CARD);
    expect((await tb(['add', 'contact', 'Grace Hopper', '--email', 'grace@navy.example'], { cwd: crm })).code).toBe(0);
    const first = await sync(crm, vd);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/contacts 1 created, 0 updated, 0 deleted; cards 1 created, 0 updated, 0 deleted/);
    const ada = contactFile(crm, 'ada-lovelace');
    expect(ada).toMatch(/vcard_uid: 3F2A-ADA/);
    expect(ada).toMatch(/company: acme-gmbh/);
    expect(contactFile(crm, 'grace-hopper')).toMatch(/vcard_uid: [0-9a-f-]{36}/);
    const graceCard = cards(vd).find((f) => f !== '3F2A-ADA.vcf')!;
    expect(fs.readFileSync(path.join(vd, graceCard), 'utf8')).toMatch(/^BEGIN:VCARD\r\nVERSION:3\.0\r\n[\s\S]*FN:Grace Hopper\r\n[\s\S]*EMAIL:grace@navy\.example\r\n[\s\S]*END:VCARD\r\n$/);
    // Ada's card was already complete: not rewritten.
    expect(fs.readFileSync(path.join(vd, '3F2A-ADA.vcf'), 'utf8')).toBe(ADA_CARD);
    const before = new Map(cards(vd).map((f) => [f, fs.readFileSync(path.join(vd, f), 'utf8')]));
    const second = await sync(crm, vd);
    expect(second.stdout).toMatch(/contacts 0 created, 0 updated, 0 deleted; cards 0 created, 0 updated, 0 deleted/);
    expect(new Map(cards(vd).map((f) => [f, fs.readFileSync(path.join(vd, f), 'utf8')]))).toEqual(before);
    expect((await tb(['check'], { cwd: crm })).code).toBe(0);
  });

  test('a card joins the contact it is the same person as (by email), never a duplicate', async () => {
    const { crm, vd } = await setup();
    await tb(['add', 'contact', 'Ada King', '--email', 'ADA@acme.example', '--title', 'Countess'], { cwd: crm });
    fs.writeFileSync(path.join(vd, '3F2A-ADA.vcf'), ADA_CARD);
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(path.join(crm, 'contacts'))).toEqual(['ada-king.md']);
    const ada = contactFile(crm, 'ada-king');
    expect(ada).toMatch(/vcard_uid: 3F2A-ADA/);
    expect(ada).toMatch(/phones: \[\+49 30 1234567\]/);
    // Both sides had a name, differently: a conflict, reported, neither side changed.
    expect(r.stderr).toMatch(/conflict: ada-king name: tb has 'Ada King', the card has 'Ada Lovelace'/);
    expect(ada).toMatch(/name: Ada King/);
    // tb's title went to the card, which keeps everything else.
    const text = fs.readFileSync(path.join(vd, '3F2A-ADA.vcf'), 'utf8');
    expect(text).toMatch(/TITLE:Countess\r\n/);
    expect(text).toMatch(/FN:Ada Lovelace/);
    for (const keep of ['PHOTO;ENCODING=b', 'X-CUSTOM-THING:keep me', 'item1.X-ABLabel', 'UID:3F2A-ADA', 'X-SOCIALPROFILE']) expect(text).toContain(keep);
  });

  test('changes flow both ways, field by field; lists merge item by item', async () => {
    const { crm, vd } = await setup();
    fs.writeFileSync(path.join(vd, '3F2A-ADA.vcf'), ADA_CARD);
    await sync(crm, vd);
    // The address book changes the title and adds an email; tb adds another email and a tag.
    fs.writeFileSync(path.join(vd, '3F2A-ADA.vcf'), ADA_CARD.replace('END:VCARD', 'TITLE:Analyst\r\nEMAIL:ada@home.example\r\nEND:VCARD'));
    expect((await tb(['set', 'ada-lovelace', '+vip', 'emails=[ada@acme.example, ada@work.example]'], { cwd: crm })).code).toBe(0);
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const ada = contactFile(crm, 'ada-lovelace');
    expect(ada).toMatch(/title: Analyst/);
    expect(ada).toMatch(/emails: \[ada@acme\.example, ada@work\.example, ada@home\.example\]/);
    const text = fs.readFileSync(path.join(vd, '3F2A-ADA.vcf'), 'utf8');
    expect(text).toMatch(/EMAIL:ada@work\.example/);
    expect(text).toMatch(/EMAIL:ada@home\.example/);
    expect(text).toMatch(/CATEGORIES:vip/);
    expect(text).toContain('PHOTO;ENCODING=b;TYPE=JPEG:/9j/');
    // A removal on one side is a removal.
    await tb(['set', 'ada-lovelace', 'emails=[ada@acme.example, ada@home.example]'], { cwd: crm });
    await sync(crm, vd);
    expect(fs.readFileSync(path.join(vd, '3F2A-ADA.vcf'), 'utf8')).not.toMatch(/ada@work\.example/);
    // Removing the grouped phone drops its Apple label too.
    await tb(['set', 'ada-lovelace', 'phones='], { cwd: crm });
    await sync(crm, vd);
    const after = fs.readFileSync(path.join(vd, '3F2A-ADA.vcf'), 'utf8');
    expect(after).not.toMatch(/TEL|X-ABLabel/);
    expect((await sync(crm, vd)).stdout).toMatch(/cards 0 created, 0 updated/);
    expect((await tb(['check'], { cwd: crm })).code).toBe(0);
  });

  test('a field changed differently on both sides is a conflict until --prefer settles it', async () => {
    const { crm, vd } = await setup();
    fs.writeFileSync(path.join(vd, '3F2A-ADA.vcf'), ADA_CARD.replace('END:VCARD', 'TITLE:Analyst\r\nEND:VCARD'));
    await sync(crm, vd);
    fs.writeFileSync(path.join(vd, '3F2A-ADA.vcf'), ADA_CARD.replace('END:VCARD', 'TITLE:Chief Analyst\r\nEND:VCARD'));
    await tb(['set', 'ada-lovelace', 'title=Director'], { cwd: crm });
    const r = await sync(crm, vd, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.conflicts).toEqual([{ uid: '3F2A-ADA', contact: 'ada-lovelace', field: 'title', tb: 'Director', card: 'Chief Analyst' }]);
    expect(contactFile(crm, 'ada-lovelace')).toMatch(/title: Director/);
    expect(fs.readFileSync(path.join(vd, '3F2A-ADA.vcf'), 'utf8')).toMatch(/TITLE:Chief Analyst/);
    // Still a conflict on the next run: nothing was settled silently.
    expect((await sync(crm, vd)).stderr).toMatch(/conflict: ada-lovelace title/);
    const settled = await sync(crm, vd, '--prefer', 'vdir');
    expect(settled.stderr).toBe('');
    expect(contactFile(crm, 'ada-lovelace')).toMatch(/title: Chief Analyst/);
    expect((await sync(crm, vd)).stderr).toBe('');
  });

  test('deletions propagate both ways; a named contact is kept; more than three need --allow-deletes', async () => {
    const { crm, vd } = await setup();
    for (let i = 1; i <= 8; i++) fs.writeFileSync(path.join(vd, `p${i}.vcf`), card(`p${i}`, `Person${i} Test`, `p${i}@ex.example`));
    await sync(crm, vd);
    expect(fs.readdirSync(path.join(crm, 'contacts'))).toHaveLength(8);
    // Card deleted in the address book → contact removed; but one with a logged touchpoint is kept.
    await tb(['log', 'person2-test', 'Call', '--channel', 'call'], { cwd: crm });
    fs.rmSync(path.join(vd, 'p1.vcf'));
    fs.rmSync(path.join(vd, 'p2.vcf'));
    let r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(crm, 'contacts/person1-test.md'))).toBe(false);
    expect(fs.existsSync(path.join(crm, 'contacts/person2-test.md'))).toBe(true);
    expect(r.stderr).toMatch(/card deleted in the address book, but 1 record names person2-test: kept/);
    // Kept means kept: not pushed back as a new card either.
    r = await sync(crm, vd);
    expect(cards(vd)).toEqual(['p3.vcf', 'p4.vcf', 'p5.vcf', 'p6.vcf', 'p7.vcf', 'p8.vcf']);
    // Contact removed in tb → its card goes.
    await tb(['rm', 'person3-test'], { cwd: crm });
    await sync(crm, vd);
    expect(cards(vd)).toEqual(['p4.vcf', 'p5.vcf', 'p6.vcf', 'p7.vcf', 'p8.vcf']);
    // An emptied folder (an unmounted disk, a wiped phone): refused, nothing changed.
    for (const f of cards(vd)) fs.rmSync(path.join(vd, f));
    const contactsBefore = fs.readdirSync(path.join(crm, 'contacts'));
    r = await sync(crm, vd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/would delete 5 contacts and cards \(more than 3\); nothing was changed/);
    expect(r.stderr).toMatch(/check the list above/);
    expect(fs.readdirSync(path.join(crm, 'contacts'))).toEqual(contactsBefore);
  });

  test('the safety limit counts every deletion and --allow-deletes lets it through', async () => {
    const { crm, vd } = await setup();
    for (let i = 1; i <= 5; i++) fs.writeFileSync(path.join(vd, `p${i}.vcf`), card(`p${i}`, `Person${i} Test`, `p${i}@ex.example`));
    await sync(crm, vd);
    for (let i = 1; i <= 4; i++) fs.rmSync(path.join(vd, `p${i}.vcf`));
    const refused = await sync(crm, vd);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/would delete 4 contacts and cards \(more than 3\); nothing was changed/);
    expect(fs.readdirSync(path.join(crm, 'contacts'))).toHaveLength(5);
    const allowed = await sync(crm, vd, '--allow-deletes');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(fs.readdirSync(path.join(crm, 'contacts'))).toEqual(['person5-test.md']);
  });

  test('two cards of one person: one contact, the second card reported, never merged silently', async () => {
    const { crm, vd } = await setup();
    fs.writeFileSync(path.join(vd, 'a.vcf'), card('uid-a', 'Ada Lovelace', 'ada@acme.example'));
    fs.writeFileSync(path.join(vd, 'b.vcf'), card('uid-b', 'Ada Lovelace', 'ada@acme.example', ['TEL:+44 20 7946 0000']));
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(path.join(crm, 'contacts'))).toEqual(['ada-lovelace.md']);
    expect(r.stderr).toMatch(/b\.vcf: this card is the same person as ada-lovelace, which is kept in step with another card \(UID uid-a\)/);
    expect((await sync(crm, vd)).stdout).toMatch(/contacts 0 created/);
  });

  test('hostile folders: links are not followed, odd UIDs make safe names, nothing written outside', async () => {
    const { crm, vd } = await setup();
    const outside = tempDir('tb-outside-');
    dirs.push(outside);
    fs.writeFileSync(path.join(outside, 'target.vcf'), card('link', 'Link Person', 'link@ex.example'));
    fs.symlinkSync(path.join(outside, 'target.vcf'), path.join(vd, 'link.vcf'));
    fs.symlinkSync(path.join(crm, 'contacts'), path.join(vd, 'dir.vcf'));
    await tb(['add', 'contact', 'Eve Evil', '--email', 'eve@ex.example'], { cwd: crm });
    await tb(['set', 'eve-evil', 'vcard_uid=../../../tmp/owned'], { cwd: crm });
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/link\.vcf: skipped: a symbolic link/);
    expect(fs.readFileSync(path.join(outside, 'target.vcf'), 'utf8')).toMatch(/FN:Link Person/);
    expect(fs.readdirSync(outside)).toEqual(['target.vcf']);
    expect(cards(vd)).toContain('tmp_owned.vcf');
    expect(fs.readFileSync(path.join(vd, 'tmp_owned.vcf'), 'utf8')).toMatch(/UID:..\/..\/..\/tmp\/owned/);
    expect(fs.existsSync(path.join(crm, 'contacts', 'link-person.md'))).toBe(false);
  });

  test('not a folder, a bad --prefer: one clear line, exit 2', async () => {
    const { crm, vd } = await setup();
    let r = await sync(crm, path.join(vd, 'missing'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such folder/);
    r = await sync(crm, vd, '--prefer', 'phone');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--prefer takes tb or vdir, not 'phone'/);
  });

  test.each(['vdir-after-records', 'vdir-after-cards', 'vdir-before-state'])('a crash at %s: the re-run completes with no duplicate and the same end state', async (fault) => {
    const run = async (withFault: boolean) => {
      const { crm, vd } = await setup();
      fs.writeFileSync(path.join(vd, '3F2A-ADA.vcf'), ADA_CARD);
      fs.writeFileSync(path.join(vd, 'p1.vcf'), card('p1', 'Person1 Test', 'p1@ex.example'));
      await tb(['add', 'contact', 'Grace Hopper', '--email', 'grace@navy.example'], { cwd: crm });
      await sync(crm, vd);
      fs.writeFileSync(path.join(vd, 'new.vcf'), card('new', 'New Person', 'new@ex.example'));
      fs.rmSync(path.join(vd, 'p1.vcf'));
      await tb(['set', 'grace-hopper', 'title=Rear Admiral'], { cwd: crm });
      await tb(['add', 'contact', 'Alan Turing', '--email', 'alan@ex.example'], { cwd: crm });
      if (withFault) {
        const crashed = await tb(['vdir', 'sync', vd], { cwd: crm, env: { TOUCHBASE_FAULT: fault } });
        expect(crashed.code).toBe(70);
      }
      const r = await sync(crm, vd);
      expect(r.code, r.stderr).toBe(0);
      expect((await sync(crm, vd)).stdout).toMatch(/contacts 0 created, 0 updated, 0 deleted; cards 0 created, 0 updated, 0 deleted/);
      const contacts = fs.readdirSync(path.join(crm, 'contacts')).sort();
      const cardNames = cards(vd).map((f) => fs.readFileSync(path.join(vd, f), 'utf8').match(/FN:(.*)\r\n/)?.[1]).sort();
      const graceCard = cards(vd).map((f) => fs.readFileSync(path.join(vd, f), 'utf8')).find((t) => t.includes('Grace'));
      return { contacts, cardNames, graceTitle: /TITLE:(.*)\r\n/.exec(graceCard ?? '')?.[1] };
    };
    const clean = await run(false);
    expect(clean.contacts).toEqual(['ada-lovelace.md', 'alan-turing.md', 'grace-hopper.md', 'new-person.md']);
    expect(clean.cardNames).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'New Person']);
    expect(clean.graceTitle).toBe('Rear Admiral');
    expect(await run(true)).toEqual(clean);
  });

  test('two clones of one team syncing the same address book end with the same records', async () => {
    const origin = tempDir('tb-origin-');
    const a = tempDir('tb-a-');
    const b = tempDir('tb-b-');
    const vdA = tempDir('tb-vdA-');
    const vdB = tempDir('tb-vdB-');
    dirs.push(origin, a, b, vdA, vdB);
    expect((await tb(['init', a])).code).toBe(0);
    const branch = gitIn(a, 'branch', '--show-current').trim();
    gitIn(origin, 'init', '-q', '--bare', '-b', branch);
    gitIn(a, 'remote', 'add', 'origin', origin);
    gitIn(a, 'push', '-q', '-u', 'origin', branch);
    // Both machines' vdirsyncer brought the same cards from the server.
    for (const vd of [vdA, vdB]) {
      fs.writeFileSync(path.join(vd, '3F2A-ADA.vcf'), ADA_CARD);
      fs.writeFileSync(path.join(vd, 'p1.vcf'), card('p1', 'Person1 Test', 'p1@ex.example'));
    }
    await tb(['add', 'contact', 'Grace Hopper', '--email', 'grace@navy.example'], { cwd: a });
    expect((await sync(a, vdA)).code).toBe(0);
    gitIn(a, 'add', '-A');
    gitIn(a, 'commit', '-q', '-m', 'sync');
    gitIn(a, 'push', '-q');
    // Grace's new card reaches B's folder through the server, as vdirsyncer would bring it.
    const graceFile = cards(vdA).find((f) => !['3F2A-ADA.vcf', 'p1.vcf'].includes(f))!;
    fs.copyFileSync(path.join(vdA, graceFile), path.join(vdB, graceFile));
    gitIn(path.dirname(b), 'clone', '-q', origin, b);
    const r = await sync(b, vdB);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/contacts 0 created, 0 updated, 0 deleted; cards 0 created, 0 updated, 0 deleted/);
    expect(gitIn(b, 'status', '--porcelain')).toBe('');
    expect(fs.readdirSync(path.join(b, 'contacts')).sort()).toEqual(fs.readdirSync(path.join(a, 'contacts')).sort());
  });
});

describe('tb vdir sync: what a red-team pass found', () => {
  test('a card re-created under a new UID takes the old card\'s place: the contact and its notes stay', async () => {
    const { crm, vd } = await setup();
    fs.writeFileSync(path.join(vd, 'old.vcf'), card('old-uid', 'Carol King', 'carol@ex.example'));
    await sync(crm, vd);
    await tb(['set', 'carol-king', 'stage=customer', 'cadence=30d'], { cwd: crm });
    await sync(crm, vd);
    fs.rmSync(path.join(vd, 'old.vcf'));
    fs.writeFileSync(path.join(vd, 'new.vcf'), card('new-uid', 'Carol King', 'carol@ex.example', ['TITLE:Editor']));
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/contacts 0 created, 1 updated, 0 deleted/);
    const carol = contactFile(crm, 'carol-king');
    expect(carol).toMatch(/vcard_uid: new-uid/);
    expect(carol).toMatch(/stage: customer/);
    expect(carol).toMatch(/title: Editor/);
    expect((await sync(crm, vd)).stdout).toMatch(/contacts 0 created, 0 updated, 0 deleted; cards 0 created, 0 updated, 0 deleted/);
  });

  test('a card deleted while its contact changed in tb (any field) keeps the contact', async () => {
    const { crm, vd } = await setup();
    fs.writeFileSync(path.join(vd, 'c.vcf'), card('c1', 'Carol King', 'carol@ex.example'));
    await sync(crm, vd);
    await tb(['set', 'carol-king', 'stage=customer'], { cwd: crm });
    fs.rmSync(path.join(vd, 'c.vcf'));
    const r = await sync(crm, vd);
    expect(r.stderr).toMatch(/conflict: carol-king .*deleted on one side and changed on the other/);
    expect(fs.existsSync(path.join(crm, 'contacts/carol-king.md'))).toBe(true);
  });

  test('with the state lost, a card tb cannot read is never overwritten by a new one', async () => {
    const { crm, vd } = await setup();
    await tb(['add', 'contact', 'Dave Doe', '--email', 'dave@ex.example'], { cwd: crm });
    await sync(crm, vd);
    const file = cards(vd)[0];
    // The card grows into two cards in one file (tb skips such a file), and the state is lost.
    const two = fs.readFileSync(path.join(vd, file), 'utf8') + card('other', 'Other Person', 'o@ex.example');
    fs.writeFileSync(path.join(vd, file), two);
    fs.rmSync(path.join(crm, '.touchbase', 'contacts-vdir'), { recursive: true });
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/skipped: 2 cards in one file/);
    expect(fs.readFileSync(path.join(vd, file), 'utf8')).toBe(two);
    expect(cards(vd)).toHaveLength(2);
  });

  test('a card with a byte order mark and one with a very long name are updated like any other', async () => {
    const { crm, vd } = await setup();
    const long = `${'x'.repeat(240)}.vcf`;
    fs.writeFileSync(path.join(vd, 'bom.vcf'), `\ufeff${card('bom', 'Bo Mark', 'bo@ex.example')}`);
    fs.writeFileSync(path.join(vd, long), card('long', 'Lon Gname', 'lon@ex.example'));
    await sync(crm, vd);
    await tb(['set', 'bo-mark', 'title=CTO'], { cwd: crm });
    await tb(['set', 'lon-gname', 'title=CFO'], { cwd: crm });
    const r = await sync(crm, vd);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(vd, 'bom.vcf'), 'utf8')).toMatch(/^BEGIN:VCARD[\s\S]*TITLE:CTO/);
    expect(fs.readFileSync(path.join(vd, long), 'utf8')).toMatch(/TITLE:CFO/);
    expect(fs.readdirSync(vd).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  test('a contact written with email: and tag: loses them when the card drops them', async () => {
    const { crm, vd } = await setup();
    fs.writeFileSync(path.join(crm, 'contacts', 'eve.md'), '---\nname: Eve Adams\nemail: eve@ex.example\ntag: friend\n---\n');
    await sync(crm, vd);
    const file = cards(vd)[0];
    const text = fs.readFileSync(path.join(vd, file), 'utf8');
    expect(text).toMatch(/EMAIL:eve@ex\.example/);
    fs.writeFileSync(path.join(vd, file), text.replace(/EMAIL:[^\r\n]*\r\n/, '').replace(/CATEGORIES:[^\r\n]*\r\n/, '').replace('END:VCARD', 'TEL:+1 555 0100\r\nEND:VCARD'));
    await sync(crm, vd);
    const eve = contactFile(crm, 'eve');
    expect(eve).not.toMatch(/eve@ex\.example|friend/);
    expect((await sync(crm, vd)).stdout).toMatch(/cards 0 created, 0 updated/);
    expect(fs.readFileSync(path.join(vd, file), 'utf8')).not.toMatch(/EMAIL|CATEGORIES/);
  });

  test('a card file whose name is not UTF-8 is reported, not silently passed over', async () => {
    const { crm, vd } = await setup();
    fs.writeFileSync(Buffer.concat([Buffer.from(`${vd}/caf`), Buffer.from([0xe9]), Buffer.from('.vcf')]), card('cafe', 'Cafe Owner', 'cafe@ex.example'));
    const r = await sync(crm, vd);
    expect(r.stderr).toMatch(/skipped: the file name is not UTF-8/);
  });

  test('two syncs at once: the second plans from what the first wrote (no card deleted)', async () => {
    const { crm, vd } = await setup();
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(vd, `n${i}.vcf`), card(`n${i}`, `New${i} Person`, `n${i}@ex.example`, ['NOTE:keep me']));
    const runs = await Promise.all([0, 1].map(() => new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [TB, 'vdir', 'sync', vd, '--allow-deletes'], { cwd: crm, env: { ...process.env, NO_COLOR: '1' }, stdio: 'ignore' });
      child.on('close', resolve);
    })));
    expect(runs).toEqual([0, 0]);
    expect(cards(vd)).toHaveLength(30);
    expect(fs.readdirSync(path.join(crm, 'contacts'))).toHaveLength(30);
    for (const f of cards(vd)) expect(fs.readFileSync(path.join(vd, f), 'utf8')).toContain('NOTE:keep me');
  });
});
