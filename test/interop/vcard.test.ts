import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phoneKey, type ContactDraft } from '../../src/interop/types.js';
import { parseVcards, toVcards, type VcardContact } from '../../src/interop/vcard.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/interop/${name}`, import.meta.url), 'utf8');

function byName(items: ContactDraft[], name: string): ContactDraft {
  const found = items.find((c) => c.name === name);
  if (!found) throw new Error(`no contact named ${name}; have ${items.map((c) => c.name).join(', ')}`);
  return found;
}

describe('parseVcards: Apple vCard 3.0', () => {
  const { items, issues } = parseVcards(fixture('apple-3.0.vcf'));

  it('reads all three cards', () => {
    expect(issues).toEqual([]);
    expect(items.map((c) => c.name)).toEqual(['José Müller', 'Zoë Ångström', 'Société Générale des Eaux']);
    expect(items.map((c) => c.source.line)).toEqual([1, 28, 42]);
  });

  it('reads item-grouped emails, all phones, ORG, TITLE, ADR, URL, CATEGORIES', () => {
    const jose = items[0];
    expect(jose.emails).toEqual(['jose.muller@acme.de', 'jose@muller.example']);
    expect(jose.phones).toEqual(['+49 151 2345 6789', '+49 30 1234567']);
    expect(jose).toMatchObject({ company: 'Acme GmbH', title: 'Chief Technology Officer', location: 'Berlin, Germany' });
    expect(jose.links).toEqual(['https://acme.example/jose']);
    expect(jose.tags).toEqual(['friends', 'close-friends']);
    expect(jose.addresses).toEqual([{ type: 'work', street: 'Unter den Linden 1', city: 'Berlin', postcode: '10117', country: 'Germany' }]);
    expect(jose.extra).toEqual({ department: 'Research & Development' });
    // A foreign UID is not an identifier touchbase keeps.
    expect(jose.ref).toBeUndefined();
  });

  it('unfolds lines and unescapes text', () => {
    expect(items[0].notes).toBe('Met at PyCon, Berlin.\nLikes espresso; hates tea. This note is long enough to be folded by the exporter at seventy-five octets.');
  });

  it("reads Apple's year-less birthday (year 1604) as --MM-DD", () => {
    expect(items[0].birthday).toBe('--03-15');
    expect(items[1].birthday).toBe('1985-07-04');
  });

  it('dedupes repeated emails and phones written differently', () => {
    const zoe = items[1];
    expect(zoe.emails).toEqual(['zoe@angstrom.se', 'Zoe.Private@example.se']);
    expect(zoe.phones).toEqual(['+46 70 123 45 67', '+46 8 555 010 00']);
  });

  it('names a company card after its ORG', () => {
    expect(items[2]).toMatchObject({ company: 'Société Générale des Eaux', phones: ['+33 1 23 45 67 89'] });
  });
});

describe('parseVcards: vCard 4.0', () => {
  const { items, issues } = parseVcards(fixture('contacts-4.0.vcf'));

  it('reads every card, deriving names when FN is missing', () => {
    expect(issues).toEqual([]);
    expect(items.map((c) => c.name)).toEqual(['Renée Lefèvre', 'Grace Brewster Murray Hopper', 'Kim Nguyen']);
  });

  it('reads TYPE=a,b params, tel: URIs, quoted params and escaped commas', () => {
    const renee = items[0];
    expect(renee.emails).toEqual(['renee@cafe.example', 'renee.lefevre@example.fr']);
    expect(renee.phones).toEqual(['+33-6-12-34-56-78', '+33-1-98-76-54-32;ext=12']);
    expect(renee).toMatchObject({ company: 'Café Société', title: 'Gérante', birthday: '--10-01', location: 'Paris, France' });
    expect(renee.notes).toBe('Très sympathique, parle 🇫🇷 et 🇬🇧.');
    expect(renee.tags).toEqual(['partners', 'paris']);
  });

  it('reads basic-format dates', () => {
    expect(items[1].birthday).toBe('1906-12-09');
  });
});

describe('parseVcards: vCard 2.1', () => {
  const { items, issues } = parseVcards(fixture('android-2.1.vcf'));

  it('decodes quoted-printable in UTF-8 and ISO-8859-1, including soft line breaks', () => {
    expect(items.map((c) => c.name)).toEqual(['Björn Ångström', 'John Doe', 'Renée Lefèvre']);
    expect(items[0].company).toBe('Köksbolaget AB');
    expect(items[0].notes).toBe('Första raden, med komma.\r\nAndra raden — lång nog för att delas upp på flera rader av telefonen som exporterade den.');
  });

  it('reads bare 2.1 parameters and keeps every email and phone', () => {
    expect(items[0].emails).toEqual(['bjorn@example.se', 'bjorn.angstrom@firma.example']);
    expect(items[0].phones).toEqual(['+46701112233', '+46 8 111 22 33']);
    expect(items[0].birthday).toBe('1980-02-29');
  });

  it('skips only the garbage line of a card (reported on its line), and a card without END', () => {
    expect(items[1]).toMatchObject({ name: 'John Doe', phones: ['555-0199'] });
    expect(issues).toEqual([
      { line: 19, message: "unreadable line ('this line is garbage') skipped; the rest of the card was read" },
      { line: 26, message: 'card has no END:VCARD; skipped' },
    ]);
  });
});

describe('parseVcards: edge cases', () => {
  it.each([
    ['LF line ends and tab folding', 'BEGIN:VCARD\nVERSION:3.0\nFN:Ada\n\tLovelace\nEND:VCARD\n', 'AdaLovelace'],
    ['lower-case names and a group', 'begin:vcard\nversion:3.0\nitem1.fn:Ada\nend:vcard\n', 'Ada'],
    ['escaped backslash', 'BEGIN:VCARD\r\nFN:A\\\\B\\,C\r\nEND:VCARD\r\n', 'A\\B,C'],
  ])('%s', (_label, text, name) => {
    const { items, issues } = parseVcards(text);
    expect(issues).toEqual([]);
    expect(items[0].name).toBe(name);
  });

  it('reports text outside any card once per run, and an empty card', () => {
    const text = 'hello\nworld\nBEGIN:VCARD\nVERSION:4.0\nEND:VCARD\n';
    expect(parseVcards(text).issues).toEqual([
      { line: 1, message: "text outside BEGIN:VCARD/END:VCARD ('hello'); ignored" },
      { line: 3, message: 'card has no name, email or phone; skipped' },
    ]);
  });

  it('keeps an unknown birthday in extra and says so', () => {
    const { items, issues } = parseVcards('BEGIN:VCARD\nFN:Ada\nBDAY;VALUE=text:circa 1800\nEND:VCARD\n');
    expect(items[0].birthday).toBeUndefined();
    expect(items[0].extra.birthday_text).toBe('circa 1800');
    expect(issues).toEqual([{ line: 3, message: "birthday 'circa 1800' is not a recognised date; kept as birthday_text" }]);
  });
});

describe('toVcards', () => {
  const ada: VcardContact = {
    uid: 'ada-lovelace@touchbase',
    name: 'Ada Lovelace',
    emails: ['ada@lovelace.example', 'ada@engines.example'],
    phones: ['+44 20 7946 0001'],
    company: 'Engines, Inc.',
    title: 'Countess; Mathematician',
    tags: ['vip', 'investor'],
    birthday: '1815-12-10',
    notes: 'Line one\nLine two with a backslash \\ and a comma, done. ' + 'Zoë 🎉 '.repeat(20) + 'end',
    links: ['https://example.com/ada?x=1,2'],
    location: 'London, United Kingdom',
  };

  it('writes vCard 4.0 with CRLF and no line over 75 octets', () => {
    const out = toVcards([ada]);
    expect(out.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
    expect(out.endsWith('END:VCARD\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of out.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(out).toContain('TITLE:Countess\\; Mathematician\r\n');
    expect(out).toContain('BDAY:18151210\r\n');
  });

  it('never splits a UTF-8 sequence when folding', () => {
    const out = toVcards([{ ...ada, notes: 'é'.repeat(100) + '🎉'.repeat(40) }]);
    for (const line of out.split('\r\n')) expect(line).not.toContain('\uFFFD');
    expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
  });

  it('round-trips every field it writes', () => {
    const { items, issues } = parseVcards(toVcards([ada, { ...ada, uid: 'x@touchbase', name: 'Zoë', birthday: '--03-15', emails: [], tags: [], links: [] }]));
    expect(issues).toEqual([]);
    const { source: _source, extra, ...fields } = items[0];
    expect(fields).toEqual({
      name: ada.name, emails: ada.emails, phones: ada.phones, company: ada.company, title: ada.title, tags: ada.tags,
      birthday: ada.birthday, notes: ada.notes, links: ada.links, location: ada.location, addresses: [],
    });
    expect(extra).toEqual({});
    expect(items[1]).toMatchObject({ name: 'Zoë', birthday: '--03-15' });
  });

  it('round-trips names, emails, phones and tags for arbitrary text', () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }).filter((s) => s.trim() === s && s.trim() !== '' && !/[\r\n]/.test(s));
    const tag = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
    const phones = fc.uniqueArray(fc.stringMatching(/^\+?[0-9][0-9 ]{1,12}[0-9]$/), { maxLength: 3, selector: phoneKey });
    fc.assert(fc.property(text, phones, fc.uniqueArray(tag, { maxLength: 4 }), (name, phoneList, tags) => {
      const contact: VcardContact = { uid: 'u', name, emails: ['a@b.example'], phones: phoneList, tags, links: [] };
      const [back] = parseVcards(toVcards([contact])).items;
      expect(back.name).toBe(name);
      expect(back.emails).toEqual(contact.emails);
      expect(back.tags).toEqual(tags);
      expect(back.phones).toEqual(phoneList);
    }));
  });
});
