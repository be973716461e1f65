/**
 * vCard 2.1 quoted-printable as phones and address books write it (fixtures in
 * test/fixtures/interop/vcard-qp, in the shapes of Android, Windows Mobile, Nokia PC Suite and
 * KAddressBook exports): soft line breaks (RFC 2045 §6.7), including a soft break followed by a blank
 * or whitespace-only line, and bytes that do not fit the declared CHARSET.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseVcardBytes, parseVcards } from '../../src/interop/vcard.js';

const read = (name: string) => parseVcardBytes(readFileSync(new URL(`../fixtures/interop/vcard-qp/${name}`, import.meta.url)));

describe('quoted-printable soft line breaks', () => {
  it('Android: split names join; a soft break before a blank line ends the value, ORG and END:VCARD stay themselves', () => {
    const { items, issues } = read('android-softbreak-blank.vcf');
    expect(issues).toEqual([]);
    expect(items.map((c) => c.name)).toEqual(['Ігор Загорскі', 'Anna Berg', 'Per Lind']);
    expect(items[0]).toMatchObject({ company: 'Компанія', title: 'Engineer', notes: 'Заметки запи', extra: { department: 'Відділ' } });
    // The soft break before the blank line does not swallow END:VCARD: the card and the next one are kept.
    expect(items[1]).toMatchObject({ emails: ['anna.berg@example.se'], notes: 'Ring efter kl. 17' });
    expect(items[2].phones).toEqual(['+46 8 555 010 10']);
  });

  it('Windows Mobile: a soft break followed by a whitespace-only line, windows-1252 CHARSET', () => {
    const { items, issues } = read('windows-mobile.vcf');
    expect(issues).toEqual([]);
    expect(items[0]).toMatchObject({ name: 'Jürgen Müller', company: 'Bäckerei Müller', title: 'Außendienst', extra: { department: 'Vertrieb' } });
  });

  it('KAddressBook: a QP address continued over a soft break, then a soft break before a blank line and the ORG', () => {
    const { items, issues } = read('kaddressbook-2.1.vcf');
    expect(issues).toEqual([]);
    expect(items[0]).toMatchObject({
      name: 'Chloé Dubois', company: 'KDE e.V.', emails: ['chloe@kde.example'],
      addresses: [{ type: 'home', street: '12 rue de l’Église', city: 'Liège', postcode: '4000', country: 'Belgique' }],
    });
  });

  it('a soft break directly before END:VCARD or the next property (a stray trailing =) ends the value', () => {
    const text = 'BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ada\r\nNOTE;ENCODING=QUOTED-PRINTABLE:first=0D=0A=\r\nTEL:+44 20 7946 0000\r\nNOTE;ENCODING=QUOTED-PRINTABLE:second=\r\nEND:VCARD\r\n';
    const { items, issues } = parseVcards(text);
    expect(issues).toEqual([]);
    expect(items[0]).toMatchObject({ name: 'Ada', phones: ['+44 20 7946 0000'], notes: 'first\n\nsecond' });
  });

  it('an ordinary soft break still joins the next line, even one that starts with a space', () => {
    const { items } = parseVcards('BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ada\r\nNOTE;ENCODING=QUOTED-PRINTABLE:one=\r\n two=\r\n=3D three\r\nEND:VCARD\r\n');
    expect(items[0].notes).toBe('one two= three');
  });
});

describe('bytes that do not fit the declared CHARSET', () => {
  it('Nokia: =FC=DF in a CHARSET=UTF-8 value is reported with the card and property, and read as windows-1252 (no U+FFFD)', () => {
    const { items, issues } = read('nokia-invalid-byte.vcf');
    expect(items[0]).toMatchObject({ name: 'Ute Groß', notes: 'Grüße an die Familie' });
    expect(JSON.stringify(items)).not.toContain('\ufffd');
    expect(issues).toEqual([
      { line: 6, message: "card 'Ute Groß' (line 1), NOTE: byte 0xFC is not valid UTF-8 although the value says CHARSET=UTF-8; read as windows-1252" },
    ]);
  });

  it('another charset: the bytes that do not fit are named, never replaced silently', () => {
    const { items, issues } = parseVcards('BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=82=A0=FF=FF\r\nEMAIL:x@example.jp\r\nEND:VCARD\r\n');
    expect(items).toHaveLength(1);
    expect(issues).toEqual([
      { line: 3, message: "card 'あ\ufffd\ufffd' (line 1), FN: bytes are not valid SHIFT_JIS although the value says CHARSET=SHIFT_JIS; unreadable bytes replaced by U+FFFD" },
    ]);
  });

  it('a malformed quoted-printable escape is kept as written and reported', () => {
    const { items, issues } = parseVcards('BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ada\r\nNOTE;ENCODING=QUOTED-PRINTABLE:50=ZZ off=0D=0Aok\r\nEND:VCARD\r\n');
    expect(items[0].notes).toBe('50=ZZ off\r\nok');
    expect(issues).toEqual([{ line: 4, message: "card 'Ada' (line 1), NOTE: '=ZZ' is not a quoted-printable escape; kept as written" }]);
  });
});
