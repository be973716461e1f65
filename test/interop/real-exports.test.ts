/**
 * What other programs write, read as a user would import it: the fixtures are hand-written in each
 * exporter's layout (Thunderbird, LinkedIn, iPhone/iCloud, Android 2.1, old Google UTF-16, Outlook
 * on Windows).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContactsCsv } from '../../src/interop/csv.js';
import { parseVcardBytes, parseVcards } from '../../src/interop/vcard.js';
import { decodeInput, sniffEncoding } from '../../src/interop/decode.js';
import { UsageError } from '../../src/errors.js';

const bytes = (name: string): Buffer => readFileSync(new URL(`../fixtures/interop/${name}`, import.meta.url));
const csv = (name: string) => parseContactsCsv(decodeInput(bytes(name)).text);

describe('decodeInput', () => {
  it.each([
    ['UTF-8 with BOM', Buffer.from('\uFEFFname\nZoë\n', 'utf8'), 'utf-8', 'name\nZoë\n'],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\nZoë\n', 'utf16le')]), 'utf-16le', 'name\nZoë\n'],
    ['UTF-16LE without BOM', Buffer.from('name,email\nZoë,z@x.org\n', 'utf16le'), 'utf-16le', 'name,email\nZoë,z@x.org\n'],
    ['UTF-16BE without BOM', Buffer.from('name,email\nZoë,z@x.org\n', 'utf16le').swap16(), 'utf-16be', 'name,email\nZoë,z@x.org\n'],
    ['plain UTF-8', Buffer.from('name\nŁukasz\n', 'utf8'), 'utf-8', 'name\nŁukasz\n'],
  ])('%s', (_label, input, encoding, text) => {
    expect(decodeInput(input)).toEqual({ text, encoding, warnings: [] });
  });

  it('reads bytes that are not UTF-8 as windows-1252 and says so (never a silent U+FFFD)', () => {
    const d = decodeInput(bytes('outlook-windows-1252.csv'));
    expect(d.encoding).toBe('windows-1252');
    expect(d.text).toContain('Jürgen');
    expect(d.text).toContain('dienstags – Brötchen');
    expect(d.text).not.toContain('\uFFFD');
    expect(d.warnings).toEqual([expect.stringContaining('not valid UTF-8 (first bad byte 0xfc on line 2)')]);
  });

  it('honours --encoding (windows-1252 by its real table, macintosh) and refuses an unknown one', () => {
    expect(decodeInput(Buffer.from([0x93, 0x41, 0x94, 0x80]), 'latin1').text).toBe('“A”€');
    expect(decodeInput(Buffer.from([0x8a, 0x9f]), 'macintosh').text).toBe('äü');
    expect(() => decodeInput(Buffer.from('x'), 'klingon')).toThrow(UsageError);
  });

  it('sniffs nothing from short or 8-bit input', () => {
    expect(sniffEncoding(Buffer.from('ab'))).toBeUndefined();
    expect(sniffEncoding(Buffer.from([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e]))).toBeUndefined();
  });
});

describe('Thunderbird CSV (37 columns, a trailing comma on every row)', () => {
  const { items, issues } = csv('thunderbird-contacts.csv');

  it('reads every row despite the 38th empty cell', () => {
    expect(issues).toEqual([]);
    expect(items.map((c) => c.name)).toEqual(['Margaret Hamilton', 'Katherine Johnson', 'Dorothy Vaughan']);
  });

  it('maps Primary/Secondary Email, Work/Mobile phones, Web Page, Birth Year/Month/Day, Department, Nickname', () => {
    const [mh, kj] = items;
    expect(mh.emails).toEqual(['margaret@apollo.example', 'mh@home.example']);
    expect(mh.phones).toEqual(['+1 617 555 0142', '+1 617 555 0199']);
    expect(mh.links).toEqual(['https://apollo.example/mh']);
    expect(mh).toMatchObject({ birthday: '1936-08-17', company: 'Apollo Guidance Ltd', title: 'Director' });
    expect(mh.extra).toEqual({ nickname: 'Maggie', department: 'Software Engineering' });
    expect(kj.birthday).toBe('--06-26');
  });

  it('keeps home and work addresses in full', () => {
    expect(items[0].addresses).toEqual([
      { type: 'home', street: '12 Elm Street\nApt 3', city: 'Cambridge', region: 'MA', postcode: '02139', country: 'USA' },
      { type: 'work', street: '1 Software Way\nBuilding 7', city: 'Boston', region: 'MA', postcode: '02110', country: 'USA' },
    ]);
    expect(items[0].location).toBe('Cambridge, USA');
  });
});

describe('LinkedIn Connections.csv (a Notes: preamble before the header)', () => {
  const { items, issues } = csv('linkedin-connections.csv');

  it('finds the header after the preamble and reads every connection', () => {
    expect(issues).toEqual([]);
    expect(items.map((c) => [c.name, c.source.line])).toEqual([['Joe Walsh', 5], ['Joe Walsh', 6], ['Priya Raman', 7], ['Lars Eriksson', 8]]);
  });

  it('keeps the profile URL as a link, position as title, and the connection date as ISO', () => {
    expect(items[2]).toMatchObject({ links: ['https://www.linkedin.com/in/priyaraman'], title: 'VP, Data', company: 'Orbit Analytics', emails: ['priya.raman@orbit.example'] });
    expect(items[2].extra).toEqual({ connected_on: '2025-11-21' });
  });
});

describe('Outlook on Windows, windows-1252', () => {
  it('reads accents and the business address', () => {
    const { items } = csv('outlook-windows-1252.csv');
    expect(items[0]).toMatchObject({ name: 'Jürgen Weiß', company: 'Bäckerei Weiß', notes: 'Liefert dienstags – Brötchen' });
    expect(items[0].addresses).toEqual([{ type: 'work', street: 'Hauptstraße 5', city: 'München', postcode: '80331', country: 'Germany' }]);
  });
});

describe('old Google export in UTF-16LE', () => {
  it('is detected from its BOM and read in full', () => {
    const { items, issues } = csv('google-utf16le.csv');
    expect(issues).toEqual([]);
    expect(items.map((c) => [c.name, c.emails[0]])).toEqual([['Agnès Varda', 'agnes@cine.example'], ['Łukasz Nowak', 'lukasz@nowak.example']]);
  });
});

describe("Google's newer export (First Name, Labels, Organization Name, events)", () => {
  it('reads the anniversary and a custom-labelled event from Event N columns', () => {
    const text = 'First Name,Last Name,Organization Name,Organization Department,Labels,Event 1 - Label,Event 1 - Value,Event 2 - Label,Event 2 - Value,E-mail 1 - Label,E-mail 1 - Value\n' +
      'Ines,Costa,Lumen SA,Legal,* myContacts ::: Clients,Anniversary,2015-09-12,Moved to Lisbon,--04-01,* Work,ines@lumen.example\n';
    const { items, issues } = parseContactsCsv(text);
    expect(issues).toEqual([]);
    expect(items[0]).toMatchObject({ name: 'Ines Costa', company: 'Lumen SA', tags: ['clients'], emails: ['ines@lumen.example'] });
    expect(items[0].extra).toEqual({ department: 'Legal', anniversary: '2015-09-12', moved_to_lisbon: '--04-01' });
  });
});

describe('CSV cells that would break a file', () => {
  it('removes NUL characters and reports them', () => {
    const { items, issues } = parseContactsCsv('name,email\nAda\u0000 Lovelace,ada@x.org\n');
    expect(items[0].name).toBe('Ada Lovelace');
    expect(issues).toEqual([{ line: 2, message: 'NUL characters in the file were removed' }]);
  });

  it('splits tb\'s own "; "-joined links back into separate links', () => {
    const { items } = parseContactsCsv('name,links\nAda,https://a.example/x; https://b.example/y\n');
    expect(items[0].links).toEqual(['https://a.example/x', 'https://b.example/y']);
  });

  it('reads the id column and JSON addresses of tb export csv', () => {
    const { items } = parseContactsCsv('id,name,addresses\nada-lovelace,Ada,"[{""type"":""home"",""city"":""London""}]"\n');
    expect(items[0]).toMatchObject({ ref: 'ada-lovelace', addresses: [{ type: 'home', city: 'London' }] });
  });
});

describe('iPhone / iCloud vCard 3.0 (CR CR LF line ends, folded PHOTO)', () => {
  const { items, issues } = parseVcardBytes(bytes('iphone-icloud-3.0.vcf'));
  const chidi = items[0];

  it('reads both cards; the photo does not break the card', () => {
    expect(issues).toEqual([]);
    expect(items.map((c) => c.name)).toEqual(['Chidi Okafor', 'Sara Lindqvist']);
    expect(chidi.notes).toBe('Prefers WhatsApp after 22:00.\nKnows everyone at the port.');
  });

  it('keeps every ADR component, with its label, for each address', () => {
    expect(chidi.addresses).toEqual([
      { type: 'work', street: '22 Harbour Road', extended: 'Floor 2', city: 'Bristol', region: 'Avon', postcode: 'BS1 5TT', country: 'United Kingdom' },
      { type: 'home', street: '3 Mill Lane', pobox: 'PO Box 77', city: 'Bath', postcode: 'BA1 1AA', country: 'United Kingdom' },
    ]);
  });

  it('reads ORG department, ROLE, NICKNAME, the anniversary, escaped URL and CATEGORIES, year-less birthdays', () => {
    expect(chidi).toMatchObject({ company: 'Brightwater Hotels', title: 'Night Manager', birthday: '--11-02' });
    expect(chidi.extra).toEqual({ nickname: 'Chid', department: 'Front Office', role: 'Duty manager', anniversary: '2012-06-09' });
    expect(chidi.links).toEqual(['https://brightwater.example/team/chidi']);
    expect(chidi.tags).toEqual(['hospitality', 'travel', 'bristol']);
    expect(items[1].birthday).toBe('--07-04');
  });
});

describe('vCard 2.1 with 8-bit text', () => {
  const { items, issues } = parseVcardBytes(bytes('android-2.1-8bit.vcf'));

  it('honours CHARSET=windows-1252 on raw 8-bit values', () => {
    expect(items[0]).toMatchObject({ name: 'John Doé', location: 'Montréal, Canada' });
    expect(items[0].addresses[0]).toMatchObject({ street: '12 rue Sainte-Cathérine', city: 'Montréal', region: 'QC' });
  });

  it('reads 8-bit quoted-printable without CHARSET as windows-1252 and warns once', () => {
    expect(items[1]).toMatchObject({ name: 'François Garçon', notes: 'Café crème\r\ntous les matins.' });
    expect(issues).toEqual([{ line: 11, message: expect.stringContaining('not UTF-8 and names no CHARSET; read as windows-1252') }]);
  });
});

describe('vCard in UTF-16', () => {
  it('detects UTF-16BE without a BOM from its NUL pattern', () => {
    const { items, issues } = parseVcardBytes(bytes('utf16be-nobom.vcf'));
    expect(issues).toEqual([]);
    expect(items[0]).toMatchObject({ name: 'Søren Kierkegaard', emails: ['soren@example.dk'] });
  });

  it('skips one unreadable property and reports it, keeping the card', () => {
    const { items, issues } = parseVcards('BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nthis is not a property\r\nEMAIL:ada@x.org\r\nEND:VCARD\r\n');
    expect(items[0]).toMatchObject({ name: 'Ada', emails: ['ada@x.org'] });
    expect(issues).toEqual([{ line: 4, message: "unreadable line ('this is not a property') skipped; the rest of the card was read" }]);
  });

  it("reads tb's own UID as the contact's id", () => {
    const { items } = parseVcards('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:touchbase:contact:ada-lovelace\r\nFN:Ada\r\nEND:VCARD\r\n');
    expect(items[0].ref).toBe('ada-lovelace');
  });
});
