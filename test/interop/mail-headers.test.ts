import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/interop/mail.js';
import { parseMailDate } from '../../src/interop/mail-date.js';
import { MboxSplitter } from '../../src/interop/mbox.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/mail/', import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const eml = (headers: string, body = 'hi\n') => Buffer.from(`${headers}\nTo: sam@kestrelfinch.eu\nDate: Mon, 16 Nov 2026 09:00:00 +0000\n\n${body}`, 'latin1');

describe('senders and address lists', () => {
  it('an encoded word is text, never an address: no sender, and a note saying so', async () => {
    const word = Buffer.from('Ada <ada@lovelace.example>').toString('base64');
    const m = await parseMessage(eml(`From: =?utf-8?b?${word}?=`));
    expect(m.from).toEqual([]);
    expect(m.warnings).toContainEqual(expect.stringMatching(/^From: 'Ada <ada@lovelace\.example>' has no address \(an encoded word is text, never an address\); left out$/));
  });

  it('an encoded display name before a real address keeps the real address, and the name as text', async () => {
    const word = Buffer.from('Ada <ada@lovelace.example>').toString('base64');
    const m = await parseMessage(eml(`From: =?utf-8?b?${word}?= <real@sender.example>`));
    expect(m.from).toEqual([{ address: 'real@sender.example', name: 'Ada <ada@lovelace.example>' }]);
  });

  it('every mailbox of From counts; a missing comma is recovered, never glued into a name', async () => {
    const two = await parseMessage(eml('From: Ada <ada@x.example>, "Smith, Bob" <bob@y.example>'));
    expect(two.from).toEqual([{ address: 'ada@x.example', name: 'Ada' }, { address: 'bob@y.example', name: 'Smith, Bob' }]);
    const glued = await parseMessage(eml('From: Bob Dunite <bob@extern.example> Bobby Dunite <bobby@extern.example>'));
    expect(glued.from).toEqual([{ address: 'bob@extern.example', name: 'Bob Dunite' }, { address: 'bobby@extern.example', name: 'Bobby Dunite' }]);
    expect(glued.warnings).toContainEqual(expect.stringMatching(/^From: a comma was missing between 2 mailboxes/));
    const bare = await parseMessage(eml('Cc: ann@a.example bo@b.example (Bo Berg), group: cy@c.example, dee@d.example;'));
    expect(bare.cc.map((a) => a.address)).toEqual(['ann@a.example', 'bo@b.example', 'cy@c.example', 'dee@d.example']);
    expect(bare.cc[1]).toEqual({ address: 'bo@b.example', name: 'Bo Berg' });
  });

  it('a local-only or dotless domain is left out with a note (tb check refuses it)', async () => {
    const m = await parseMessage(eml('From: Alice <alice@intern>\nCc: redacted@redacted, ok@fine.example'));
    expect(m.from).toEqual([]);
    expect(m.cc).toEqual([{ address: 'ok@fine.example' }]);
    expect(m.warnings).toContainEqual("From: 'alice@intern' has no dot in its domain, which tb check refuses; left out");
  });
});

describe('RFC 5322 dates', () => {
  it.each([
    ['Mon, 3 Jul 1995 00:19:00 (EDT) -0400', '1995-07-03T04:19:00.000Z'],
    ['Mon (Monday), 3 (third) Jul 1995 00:19:00 -0400 (EDT)', '1995-07-03T04:19:00.000Z'],
    ['3 Jul 95 00:19 EDT', '1995-07-03T04:19:00.000Z'],
    ['Tue, 17 Nov 2026 09:15:00 GMT', '2026-11-17T09:15:00.000Z'],
    ['Tue, 17 Nov 2026 09:15:00 +0100', '2026-11-17T08:15:00.000Z'],
    ['2026-11-17T09:15:00+01:00', '2026-11-17T08:15:00.000Z'],
  ])('%s', (raw, iso) => {
    expect(new Date(parseMailDate(raw)!).toISOString()).toBe(iso);
  });

  it.each(['Dienstag, 17. November 2026', '31 Feb 2026 10:00 +0000', 'yesterday'])('%s is not a date', (raw) => {
    expect(parseMailDate(raw)).toBeUndefined();
  });
});

describe('charset chain: valid UTF-8, then the declared charsets, then the legacy code page', () => {
  it('a raw 8-bit windows-1251 Subject is read by the charset the message declares, with a note', async () => {
    const m = await parseMessage(fixture('thebat-raw-cp1251-subject.eml'));
    expect(m.subject).toBe('Встреча в четверг');
    expect(m.from).toEqual([{ address: 'olga@tver-soft.example', name: 'Ольга Смирнова' }]);
    expect(m.text).toBe('Добрый день!\nПодтверждаю встречу.');
    expect(m.warnings).toEqual(['Subject is not UTF-8; read as windows-1251, the charset the message declares']);
  });

  it('Outlook 2000 raw Latin-1 headers', async () => {
    const m = await parseMessage(fixture('outlook2000-raw-latin1.eml'));
    expect(m.subject).toBe('Grüße aus München - Änderungen am Vertrag');
    expect(m.from).toEqual([{ address: 'j.mueller@hofmann-gmbh.example', name: 'Jürgen Müller' }]);
    expect(m.text).toContain('anbei die Änderungen. Grüße,\nJürgen');
    expect(new Date(m.sent!).toISOString()).toBe('2000-07-03T07:12:40.000Z');
  });

  it('a Latin-1 body declared UTF-8 falls back to the legacy code page (configurable), with a note', async () => {
    const m = await parseMessage(fixture('phpmailer-latin1-declared-utf8.eml'));
    expect(m.text).toBe('Olá, gostaria de saber o preço da licença.');
    expect(m.subject).toBe('Pedido de informação');
    expect(m.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^Subject is not UTF-8; read as windows-1252/), expect.stringMatching(/^the text\/plain body is not valid UTF-8; read as windows-1252/)]));
    const cyr = await parseMessage(Buffer.concat([Buffer.from('From: a@b.example\nSubject: '), Buffer.from('Привет', 'utf16le').subarray(0, 0), Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), Buffer.from('\n\nx\n')]), undefined, 'windows-1251');
    expect(cyr.subject).toBe('Привет');
    expect(cyr.text).not.toContain('\ufffd');
  });

  it('a UTF-8 body declared us-ascii is read as UTF-8 (no mojibake), with a note', async () => {
    const m = await parseMessage(fixture('applemail-utf8-declared-ascii.eml'));
    expect(m.text).toBe('The rollout — all three phases — starts Monday.');
    expect(m.warnings).toEqual(['the text/plain body is declared us-ascii but is UTF-8; read as UTF-8']);
  });
});

describe('mbox separators as Python mailbox and mutt read them', () => {
  it("Thunderbird's From - lines split messages even without a blank line before them; a body line starting From does not", () => {
    const box = [
      'From - Tue Nov 17 09:15:00 2026', 'X-Mozilla-Status: 0001', 'X-Mozilla-Status2: 00000000', 'From: a@x.example', 'Subject: one', '', 'From the start, fine.',
      'From - Tue Nov 17 10:15:00 2026', 'X-Mozilla-Status: 0001', 'From: b@x.example', 'Subject: two', '', 'body two',
      'From - Wed Nov 18 11:00:00 2026', 'From: c@x.example', 'Subject: three', '', 'body three', '',
    ].join('\n');
    const s = new MboxSplitter(1 << 20);
    const out = [...s.push(Buffer.from(box)), ...s.end()];
    expect(out.map((m) => m.line)).toEqual([1, 8, 14]);
    expect(out[0].bytes.toString()).toContain('From the start, fine.');
  });
});

describe('notes name the charset as the message wrote it', () => {
  it('raw Latin-1 header bytes in a message declaring iso-8859-1', async () => {
    const m = await parseMessage(fixture('outlook2000-raw-latin1.eml'));
    expect(m.warnings).toEqual(['Subject is not UTF-8; read as iso-8859-1, the charset the message declares', 'From display name is not UTF-8; read as iso-8859-1, the charset the message declares']);
  });
});
