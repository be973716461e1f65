import { describe, expect, test } from 'vitest';
import { cardUid, isGroupCard, newCard, patchCard } from '../../src/interop/vcard-patch.js';
import { parseVcardBytes } from '../../src/interop/vcard.js';
import type { CardFields } from '../../src/core/vdir-sync.js';

const fields = (f: Partial<CardFields>): CardFields => ({ emails: [], phones: [], links: [], tags: [], ...f });
const b = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
const read = (bytes: Buffer) => parseVcardBytes(bytes).items[0];

describe('patchCard', () => {
  const card = b(['BEGIN:VCARD', 'VERSION:3.0', 'UID:u1', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'ORG:Acme GmbH;Research',
    'item1.EMAIL;type=INTERNET:ada@acme.example', 'item1.X-ABLabel:_$!<Work>!$_', 'EMAIL:old@acme.example',
    'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ', ' SkZJRgAB', 'X-FOO;X-PARAM=1:bar', 'END:VCARD']);
  const current = fields({ name: 'Ada Lovelace', company: 'Acme GmbH', emails: ['ada@acme.example', 'old@acme.example'] });

  test('an unchanged card is written back byte for byte', () => {
    expect(patchCard(card, current, current).equals(card)).toBe(true);
  });

  test('only changed fields are rewritten; groups, photo folds and X- lines stay', () => {
    const out = patchCard(card, current, fields({ name: 'Ada King', company: 'Beta AG', title: 'Countess', emails: ['ada@acme.example', 'new@acme.example'], tags: ['vip', 'a,b'] })).toString('utf8');
    expect(out).toContain('item1.EMAIL;type=INTERNET:ada@acme.example\r\nitem1.X-ABLabel:_$!<Work>!$_');
    expect(out).toContain('PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\r\n SkZJRgAB');
    expect(out).toContain('X-FOO;X-PARAM=1:bar');
    expect(out).not.toContain('old@acme.example');
    expect(out).toMatch(/FN:Ada King\r\nN:King;Ada;;;\r\n/);
    expect(out).toContain('ORG:Beta AG;Research');
    expect(out).toContain('CATEGORIES:vip,a\\,b');
    expect(out).toMatch(/UID:u1/);
    const again = read(Buffer.from(out));
    expect(again.name).toBe('Ada King');
    expect(again.emails).toEqual(['ada@acme.example', 'new@acme.example']);
    expect(again.title).toBe('Countess');
    expect(again.company).toBe('Beta AG');
  });

  test('removing the only grouped value drops its Apple label', () => {
    const out = patchCard(card, current, fields({ name: 'Ada Lovelace', company: 'Acme GmbH', emails: ['old@acme.example'] })).toString('utf8');
    expect(out).not.toMatch(/item1\./);
  });

  test('a vCard 2.1 card keeps its quoted-printable lines; a new non-ASCII value says its charset', () => {
    const old = Buffer.concat([Buffer.from('BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1:M', 'latin1'), Buffer.from([0xfc]), Buffer.from('ller;Hans\r\nNOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0A=\r\nline two\r\nEND:VCARD\r\n', 'latin1')]);
    const cur = read(old);
    const out = patchCard(old, fields({ name: cur.name }), fields({ name: cur.name, title: 'Geschäftsführer' }));
    expect(out.includes(Buffer.from('N;CHARSET=ISO-8859-1:M\xfcller;Hans', 'latin1'))).toBe(true);
    expect(out.toString('latin1')).toContain('NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0A=\r\nline two');
    expect(out.toString('utf8')).toContain('TITLE;CHARSET=UTF-8:Geschäftsführer');
    expect(read(out).title).toBe('Geschäftsführer');
  });

  test('vCard 4.0 birthdays in 4.0 form, 3.0 in ISO form', () => {
    const v4 = b(['BEGIN:VCARD', 'VERSION:4.0', 'UID:x', 'FN:A', 'END:VCARD']);
    expect(patchCard(v4, fields({ name: 'A' }), fields({ name: 'A', birthday: '--10-01' })).toString()).toContain('BDAY:--1001');
    expect(newCard('y', fields({ name: 'B', birthday: '1990-10-01' })).toString()).toContain('BDAY:1990-10-01');
  });
});

test('newCard: a complete vCard 3.0 that reads back as the fields', () => {
  const out = newCard('0e40', fields({ name: 'Grace Brewster Hopper', emails: ['g@navy.example'], phones: ['+1 555 0100'], company: 'US Navy', links: ['https://example.org/g'], tags: ['vip'] }));
  const text = out.toString('utf8');
  expect(text).toMatch(/^BEGIN:VCARD\r\nVERSION:3\.0\r\n/);
  expect(text).toMatch(/N:Hopper;Grace Brewster;;;/);
  expect(cardUid(out)).toBe('0e40');
  const c = read(out);
  expect([c.name, c.emails, c.phones, c.company, c.links, c.tags]).toEqual(['Grace Brewster Hopper', ['g@navy.example'], ['+1 555 0100'], 'US Navy', ['https://example.org/g'], ['vip']]);
});

test('group cards are recognised', () => {
  expect(isGroupCard(b(['BEGIN:VCARD', 'VERSION:4.0', 'KIND:group', 'FN:Team', 'END:VCARD']))).toBe(true);
  expect(isGroupCard(b(['BEGIN:VCARD', 'VERSION:3.0', 'X-ADDRESSBOOKSERVER-KIND:group', 'FN:Team', 'END:VCARD']))).toBe(true);
  expect(isGroupCard(b(['BEGIN:VCARD', 'VERSION:3.0', 'FN:Ada', 'END:VCARD']))).toBe(false);
});

describe('patchCard keeps what is not tb\'s (a red-team pass)', () => {
  test('Apple anniversaries and related names survive a rename; a removed grouped email takes only its own label', () => {
    const card = b(['BEGIN:VCARD', 'VERSION:3.0', 'UID:u', 'FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'item1.EMAIL:a@x.example', 'item1.X-ABLabel:_$!<Work>!$_',
      'item2.X-ABDATE;type=pref:1835-07-08', 'item2.X-ABLabel:_$!<Anniversary>!$_', 'item3.X-ABRELATEDNAMES:William King', 'item3.X-ABLabel:_$!<Spouse>!$_', 'END:VCARD']);
    const out = patchCard(card, fields({ name: 'Ada Lovelace', emails: ['a@x.example'] }), fields({ name: 'Ada King' })).toString();
    expect(out).toContain('item2.X-ABDATE;type=pref:1835-07-08\r\nitem2.X-ABLabel:_$!<Anniversary>!$_');
    expect(out).toContain('item3.X-ABRELATEDNAMES:William King\r\nitem3.X-ABLabel:_$!<Spouse>!$_');
    expect(out).not.toContain('item1.');
  });

  test('categories keep the card\'s spelling (server groups); a card with a byte order mark is patched', () => {
    const card = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b(['BEGIN:VCARD', 'VERSION:3.0', 'UID:u', 'FN:A', 'CATEGORIES:Close Friends,VIP', 'END:VCARD'])]);
    const out = patchCard(card, fields({ name: 'A', tags: ['close-friends', 'vip'] }), fields({ name: 'A', tags: ['close-friends', 'vip', 'work'] })).toString();
    expect(out).toMatch(/^BEGIN:VCARD\r\n/);
    expect(out).toContain('CATEGORIES:Close Friends,VIP,work');
  });

  test('a quoted-printable department is kept as text when the company changes', () => {
    const card = b(['BEGIN:VCARD', 'VERSION:2.1', 'UID:u', 'FN:A', 'ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:B=C3=A4ckerei;Vertrieb=C3=A4', 'END:VCARD']);
    const out = patchCard(card, fields({ name: 'A', company: 'Bäckerei' }), fields({ name: 'A', company: 'Neue Firma' }));
    expect(out.toString('utf8')).toContain('ORG;CHARSET=UTF-8:Neue Firma;Vertriebä');
  });
});
