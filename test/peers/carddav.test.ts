/**
 * tb vdir sync against the real thing: a Radicale CardDAV server, a vdir kept in step with it by a
 * real vdirsyncer, edits made on both sides — through the server (as a phone would) and through tb.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tb } from '../e2e/helpers.js';
import { MKCOL_ADDRESSBOOK, missing, run, startRadicale } from './peers.js';
import type { Radicale } from './peers.js';

const absent = missing('radicale', 'vdirsyncer');
if (absent.length) console.warn(`test/peers/carddav.test.ts skipped: ${absent.join(', ')} not installed (apt-get install radicale vdirsyncer)`);

/** A card as an iPhone uploads it: a photo, Apple's grouped labels, X- properties. */
const ADA = [
  'BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//iPhone OS 17.1//EN', 'UID:ada-iphone-1', 'N:Lovelace;Ada;;;', 'FN:Ada Lovelace',
  'ORG:Acme GmbH;', 'EMAIL;type=INTERNET;type=WORK;type=pref:ada@acme.example', 'item1.TEL;type=pref:+49 30 1234567',
  'item1.X-ABLabel:_$!<Mobile>!$_', 'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgAB', 'X-CUSTOM-THING:keep me', 'END:VCARD', '',
].join('\r\n');

describe.skipIf(absent.length > 0)('tb vdir sync with Radicale and vdirsyncer', () => {
  let work: string;
  let crm: string;
  let vdir: string;
  let server: Radicale;
  const book = '/user/contacts/';

  const vdirsyncer = (...args: string[]) => run('vdirsyncer', ['-c', path.join(work, 'vdirsyncer.conf'), ...args], { input: '' });
  const tbSync = async (...more: string[]) => {
    const r = await tb(['vdir', 'sync', vdir, ...more], { cwd: crm });
    expect(r.code, r.stderr).toBe(0);
    return r;
  };
  /** The whole round a cron line makes: server → vdir, vdir ↔ tb, vdir → server. */
  const round = async () => {
    vdirsyncer('sync');
    const r = await tbSync();
    vdirsyncer('sync');
    return r;
  };
  const serverCards = async (): Promise<string[]> => {
    const r = await server.request('PROPFIND', book, undefined, { Depth: '1' });
    const hrefs = [...r.text.matchAll(/<(?:\w+:)?href>([^<]+\.vcf)<\/(?:\w+:)?href>/g)].map((m) => m[1]);
    return Promise.all(hrefs.map(async (h) => (await server.request('GET', h)).text));
  };
  const cardOf = async (name: string) => (await serverCards()).find((c) => c.includes(`FN:${name}`));

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-carddav-'));
    crm = path.join(work, 'crm');
    vdir = path.join(work, 'contacts');
    fs.mkdirSync(vdir);
    fs.mkdirSync(path.join(work, 'status'));
    server = await startRadicale(work);
    expect((await server.request('MKCOL', book, MKCOL_ADDRESSBOOK, { 'Content-Type': 'application/xml' })).status).toBe(201);
    fs.writeFileSync(path.join(work, 'vdirsyncer.conf'), `[general]
status_path = "${path.join(work, 'status')}/"

[pair contacts]
a = "contacts_local"
b = "contacts_remote"
collections = null

[storage contacts_local]
type = "filesystem"
path = "${vdir}/"
fileext = ".vcf"

[storage contacts_remote]
type = "carddav"
url = "${server.url}${book}"
username = "${server.user}"
password = "secret"
`);
    expect((await tb(['init', crm, '--no-git'])).code).toBe(0);
    vdirsyncer('discover', 'contacts');
  });

  afterAll(async () => {
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('a card from the phone becomes a contact; a contact from tb reaches the server', async () => {
    expect((await server.request('PUT', `${book}ada-iphone-1.vcf`, ADA, { 'Content-Type': 'text/vcard' })).status).toBe(201);
    await tb(['add', 'contact', 'Grace Hopper', '--email', 'grace@navy.example', '--title', 'Rear Admiral'], { cwd: crm });
    const r = await round();
    expect(r.stdout).toMatch(/contacts 1 created, 0 updated, 0 deleted; cards 1 created/);
    const ada = fs.readFileSync(path.join(crm, 'contacts', 'ada-lovelace.md'), 'utf8');
    expect(ada).toMatch(/vcard_uid: ada-iphone-1/);
    expect(ada).toMatch(/phones: \[\+49 30 1234567\]/);
    const grace = await cardOf('Grace Hopper');
    expect(grace).toMatch(/EMAIL:grace@navy\.example/);
    expect(grace).toMatch(/TITLE:Rear Admiral/);
    // Nothing left to do on either side.
    expect((await round()).stdout).toMatch(/contacts 0 created, 0 updated, 0 deleted; cards 0 created, 0 updated, 0 deleted/);
  });

  test('edits on both sides meet; the phone\'s photo, labels and X- properties survive tb\'s edit', async () => {
    // On the phone: Ada gets a title. In tb: Ada gets a tag and Grace a new email.
    const onServer = (await cardOf('Ada Lovelace'))!;
    const edited = onServer.replace(/END:VCARD/, 'TITLE:Countess of Lovelace\r\nEND:VCARD');
    expect((await server.request('PUT', `${book}ada-iphone-1.vcf`, edited, { 'Content-Type': 'text/vcard' })).status).toBeLessThan(300);
    await tb(['set', 'ada-lovelace', '+vip'], { cwd: crm });
    await tb(['set', 'grace-hopper', 'emails=[grace@navy.example, grace@yale.example]'], { cwd: crm });
    await round();
    expect(fs.readFileSync(path.join(crm, 'contacts', 'ada-lovelace.md'), 'utf8')).toMatch(/title: Countess of Lovelace/);
    const ada = (await cardOf('Ada Lovelace'))!;
    expect(ada).toMatch(/CATEGORIES:vip/);
    expect(ada).toMatch(/TITLE:Countess of Lovelace/);
    // Radicale writes property names in upper case; the values are the phone's.
    for (const kept of ['PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgAB', 'X-CUSTOM-THING:keep me', 'item1.X-ABLABEL:_$!<Mobile>!$_', 'item1.TEL', 'UID:ada-iphone-1']) expect(ada).toContain(kept);
    expect(await cardOf('Grace Hopper')).toMatch(/grace@yale\.example/);
    expect((await tb(['check'], { cwd: crm })).code).toBe(0);
  });

  test('a conflict is reported and neither side is overwritten', async () => {
    const onServer = (await cardOf('Grace Hopper'))!;
    await server.request('PUT', `${book}${encodeURIComponent(fs.readdirSync(vdir).find((f) => fs.readFileSync(path.join(vdir, f), 'utf8').includes('Grace'))!)}`, onServer.replace(/TITLE:[^\r\n]*/, 'TITLE:Commodore'), { 'Content-Type': 'text/vcard' });
    await tb(['set', 'grace-hopper', 'title=Professor'], { cwd: crm });
    vdirsyncer('sync');
    const r = await tbSync();
    vdirsyncer('sync');
    expect(r.stderr).toMatch(/conflict: grace-hopper title: tb has 'Professor', the card has 'Commodore'/);
    expect(await cardOf('Grace Hopper')).toMatch(/TITLE:Commodore/);
    expect(fs.readFileSync(path.join(crm, 'contacts', 'grace-hopper.md'), 'utf8')).toMatch(/title: Professor/);
  });

  test('a card deleted on the server removes its contact; a contact removed in tb removes its card', async () => {
    expect((await server.request('DELETE', `${book}ada-iphone-1.vcf`)).status).toBeLessThan(300);
    await round();
    expect(fs.existsSync(path.join(crm, 'contacts', 'ada-lovelace.md'))).toBe(false);
    // Grace's card is in conflict (changed since): settled first, else her removal is a conflict too.
    await tbSync('--prefer', 'tb');
    vdirsyncer('sync');
    // vdirsyncer itself refuses to empty a whole address book: one card stays.
    await tb(['add', 'contact', 'Alan Turing', '--email', 'alan@ex.example'], { cwd: crm });
    await round();
    expect((await tb(['rm', 'grace-hopper'], { cwd: crm })).code).toBe(0);
    await round();
    const left = await serverCards();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/FN:Alan Turing/);
  });
});
