import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { AS_OF, REPO, exampleCopy, read, tb, tempDir } from './helpers.js';

const FIX = path.join(REPO, 'test', 'fixtures', 'mail');
const run = async (dir: string, args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, ...args]);
const write = (name: string, text: string | Buffer) => {
  const file = path.join(tempDir('tb-mailh-'), name);
  fs.writeFileSync(file, text);
  return file;
};

describe('tb import: senders, address lists and dates', () => {
  it('an encoded word with an address inside is not a sender: the message is not logged as mail from that contact', async () => {
    const dir = exampleCopy();
    const word = Buffer.from('Carmen Vidal <carmen.vidal@mercadoverde.es>').toString('base64');
    const eml = write('spoof.eml', `From: =?utf-8?b?${word}?=\nTo: sam@kestrelfinch.eu\nSubject: urgent\nDate: Mon, 16 Nov 2026 09:00:00 +0000\nMessage-ID: <spoof@x>\n\npay now\n`);
    const r = await run(dir, ['import', 'eml', eml, '--json']);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ created: 0, skipped_by_reason: { 'no known contact': 1 } });
    expect(report.notes.map((n: { message: string }) => n.message)).toContainEqual(expect.stringMatching(/has no address \(an encoded word is text, never an address\)/));
  });

  it('both From mailboxes are participants; a missing comma gives two contacts, not one named after both; dotless domains never become contacts', async () => {
    const dir = exampleCopy();
    const eml = write('two.eml', 'From: Carmen Vidal <carmen.vidal@mercadoverde.es>, Chiara Rossi <chiara.rossi@brotundbutter.de>\nTo: sam@kestrelfinch.eu\nCc: Bob Dunite <bob@extern.example> Bobby Dunite <bobby@extern.example>, alice@intern, redacted@redacted\nSubject: joint\nDate: Mon, 16 Nov 2026 09:00:00 +0000\nMessage-ID: <two@x>\n\nhello\n');
    const r = await run(dir, ['import', 'eml', eml, '--create-contacts', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const interaction = report.records.find((x: { type: string }) => x.type === 'interaction');
    const fm = yaml.load(/^---\n([\s\S]*?)\n---/.exec(read(dir, interaction.path))![1]) as { contacts: string[] };
    expect(fm.contacts.slice(0, 2)).toEqual(['carmen-vidal', 'chiara-rossi']);
    expect(report.unknown_correspondents.map((u: { address: string; name?: string }) => [u.address, u.name])).toEqual([['bob@extern.example', 'Bob Dunite'], ['bobby@extern.example', 'Bobby Dunite']]);
    expect(report.notes.map((n: { message: string }) => n.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Cc: a comma was missing between 2 mailboxes/),
      "Cc: 'alice@intern' has no dot in its domain, which tb check refuses; left out",
      "Cc: 'redacted@redacted' has no dot in its domain, which tb check refuses; left out",
    ]));
    expect((await run(dir, ['check'])).code).toBe(0);
  });

  it('a 1995 Date with a comment before the zone is that day, not today', async () => {
    const dir = exampleCopy();
    const eml = write('old.eml', 'From: Carmen Vidal <carmen.vidal@mercadoverde.es>\nTo: sam@kestrelfinch.eu\nSubject: old\nDate: Mon, 3 Jul 1995 00:19:00 (EDT) -0400\nMessage-ID: <old@x>\n\nhi\n');
    const report = JSON.parse((await run(dir, ['import', 'eml', eml, '--json'])).stdout);
    expect(report.notes).toEqual([]);
    expect(read(dir, report.records[0].path)).toContain('date: 1995-07-03T04:19\n');
  });

  it('a Thunderbird mbox whose From - lines have no blank line before them is three messages', async () => {
    const dir = exampleCopy();
    const msg = (n: number) => `From - Mon Nov 16 0${n}:00:00 2026\nX-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\nFrom: Carmen Vidal <carmen.vidal@mercadoverde.es>\nTo: sam@kestrelfinch.eu\nSubject: tb ${n}\nDate: Mon, 16 Nov 2026 0${n}:00:00 +0000\nMessage-ID: <tb-${n}@x>\n\nbody ${n}\n`;
    const box = write('Inbox', [msg(1), msg(2), msg(3)].join(''));
    expect(JSON.parse((await run(dir, ['import', 'mbox', box, '--json'])).stdout)).toMatchObject({ read: 3, created: 3 });
  });

  it('mail: legacy_charset in touchbase.yaml decides what 8-bit text that is not UTF-8 nor declared is read as', async () => {
    const dir = exampleCopy();
    fs.appendFileSync(path.join(dir, 'touchbase.yaml'), '\nmail:\n  legacy_charset: windows-1251\n');
    const eml = write('cp1251.eml', Buffer.concat([Buffer.from('From: Carmen Vidal <carmen.vidal@mercadoverde.es>\nTo: sam@kestrelfinch.eu\nSubject: '), Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), Buffer.from('\nDate: Mon, 16 Nov 2026 09:00:00 +0000\nMessage-ID: <cp@x>\n\nhi\n')]));
    const report = JSON.parse((await run(dir, ['import', 'eml', eml, '--json'])).stdout);
    expect(read(dir, report.records[0].path)).toContain('summary: Привет\n');
    expect(report.notes.map((n: { message: string }) => n.message)).toEqual(['Subject is not UTF-8; read as windows-1251 (mail: legacy_charset)']);
    fs.appendFileSync(path.join(dir, 'touchbase.yaml'), '');
    expect((await run(dir, ['check'])).code).toBe(0);
  });

  it('real producers: Outlook 2000 raw Latin-1 headers, The Bat! raw windows-1251 Subject, a PHP mailer Latin-1 body declared UTF-8', async () => {
    const dir = exampleCopy();
    const files = ['outlook2000-raw-latin1.eml', 'thebat-raw-cp1251-subject.eml', 'phpmailer-latin1-declared-utf8.eml', 'applemail-utf8-declared-ascii.eml'].map((f) => path.join(FIX, f));
    const r = await run(dir, ['import', 'eml', ...files, '--create-contacts', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const texts = report.records.filter((x: { type: string }) => x.type === 'interaction').map((x: { path: string }) => read(dir, x.path)).join('\n');
    expect(texts).toContain('summary: Grüße aus München - Änderungen am Vertrag');
    expect(texts).toContain('summary: Встреча в четверг');
    expect(texts).toContain('Olá, gostaria de saber o preço da licença.');
    expect(texts).toContain('The rollout — all three phases — starts Monday.');
    expect(texts).not.toContain('\ufffd');
    expect(report.unknown_correspondents.map((u: { name: string }) => u.name).sort()).toEqual(['Ana Pereira', 'Chris Park', 'Jürgen Müller', 'Ольга Смирнова']);
    expect((await run(dir, ['check'])).code).toBe(0);
  });
});
