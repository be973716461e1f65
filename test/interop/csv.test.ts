import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContactsCsv, parseRecordsCsv, toCsv } from '../../src/interop/csv.js';
import { UsageError } from '../../src/errors.js';
import type { ContactDraft } from '../../src/interop/types.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/interop/${name}`, import.meta.url), 'utf8');

function byName(items: ContactDraft[], name: string): ContactDraft {
  const found = items.find((c) => c.name === name);
  if (!found) throw new Error(`no contact named ${name}; have ${items.map((c) => c.name).join(', ')}`);
  return found;
}

describe('parseContactsCsv: Google Contacts export', () => {
  const { items, issues } = parseContactsCsv(fixture('google-contacts.csv'));

  it('reads every contact without issues', () => {
    expect(issues).toEqual([]);
    expect(items.map((c) => c.name)).toEqual(['José Müller', 'Zoë Ångström', 'Ana Paula', 'Grace Hopper']);
  });

  it('keeps both emails, the company, title, notes with their line break, and the birthday', () => {
    const jose = byName(items, 'José Müller');
    expect(jose.emails).toEqual(['jose.muller@acme.de', 'jose@müller.example']);
    expect(jose.phones).toEqual(['+49 151 2345 6789']);
    expect(jose).toMatchObject({ company: 'Acme GmbH', title: 'CTO', birthday: '1990-10-01', location: 'Berlin, DE' });
    expect(jose.notes).toBe('Met at PyCon, Berlin.\nLikes espresso.');
    expect(jose.links).toEqual(['https://example.com/jose']);
    expect(jose.source.line).toBe(2);
  });

  it('turns group membership into tags, dropping Google bookkeeping groups', () => {
    expect(byName(items, 'José Müller').tags).toEqual(['friends']);
    expect(byName(items, 'Zoë Ångström').tags).toEqual(['clients', 'close-friends']);
    expect(byName(items, 'Ana Paula').tags).toEqual([]);
  });

  it('splits cells packed with ::: and dedupes phones by their digits', () => {
    const zoe = byName(items, 'Zoë Ångström');
    expect(zoe.emails).toEqual(['zoe@angstrom.se', 'Zoe.Private@example.se']);
    expect(zoe.phones).toEqual(['+46 70 123 45 67', '+46 8 555 010 00']);
    expect(zoe.company).toBe('Ångström & Söner, AB');
    expect(zoe.birthday).toBe('--03-15');
  });

  it('builds a name from given + family, or from the email when there is none', () => {
    expect(byName(items, 'Ana Paula').emails).toEqual(['ana.paula@exemplo.com.br']);
    expect(byName(items, 'Grace Hopper').emails).toEqual(['grace.hopper@navy.example']);
  });

  it('does not put label/type columns into extra', () => {
    expect(Object.keys(byName(items, 'José Müller').extra)).not.toContain('E-mail 1 - Type');
  });
});

describe('parseContactsCsv: Outlook export', () => {
  const { items, issues } = parseContactsCsv(fixture('outlook-contacts.csv'));

  it('reads both contacts', () => {
    expect(issues).toEqual([]);
    expect(items.map((c) => c.name)).toEqual(['Ada King Lovelace', 'Renée Lefèvre']);
  });

  it('keeps all distinct emails and phones, uses Job Title (not the honorific Title)', () => {
    const ada = items[0];
    expect(ada.emails).toEqual(['ada@engines.example', 'countess@lovelace.example']);
    expect(ada.phones).toEqual(['+44 20 7946 0001', '+44 7700 900123']);
    expect(ada).toMatchObject({ company: 'Analytical Engines Ltd', title: 'Head of Research', location: 'London, United Kingdom' });
    expect(ada.tags).toEqual(['vip', 'investors']);
    expect(ada.birthday).toBe('1815-12-10');
    expect(ada.notes).toBe('Prefers email, "never" calls.');
    expect(ada.links).toEqual(['https://engines.example/ada']);
  });

  it('keeps unmapped columns in extra, but not Outlook boilerplate', () => {
    expect(items[0].extra).toEqual({ Spouse: 'William', Title: 'Dr.' });
  });

  it("treats Outlook's 0/0/00 as no birthday", () => {
    expect(items[1].birthday).toBeUndefined();
    expect(items[1]).toMatchObject({ company: 'Café Société', title: 'Gérante', tags: ['partners'] });
  });
});

describe('parseContactsCsv: generic sheet', () => {
  const { items, issues } = parseContactsCsv(fixture('generic-contacts.csv'));

  it('strips the BOM, so the first header is recognised', () => {
    expect(items[0].name).toBe('Ada Lovelace');
  });

  it('reports the malformed row with its physical line and imports the rest', () => {
    expect(issues).toEqual([{ line: 6, message: 'expected 9 columns, found 3; row skipped' }]);
    expect(items.map((c) => c.name)).toEqual(['Ada Lovelace', 'Charles Babbage', 'Émilie du Châtelet', 'Grace Hopper']);
    expect(items.map((c) => c.source.line)).toEqual([2, 5, 7, 8]);
  });

  it('handles quoted commas, several emails in one cell, and multi-line notes', () => {
    const ada = items[0];
    expect(ada.company).toBe('Engines, Inc.');
    expect(ada.emails).toEqual(['ada@lovelace.example', 'ada.l@engines.example']);
    expect(ada.tags).toEqual(['vip', 'investor']);
    expect(ada.notes).toBe('First line, with a comma\r\nsecond line\r\nthird "quoted" line');
    expect(ada.extra).toEqual({ 'Favourite Colour': 'teal' });
  });

  it('reads US dates and year-less dates', () => {
    expect(items[1].birthday).toBe('1791-12-26');
    expect(items[2].birthday).toBe('--12-17');
  });

  it('keeps a phone with a comma in one piece', () => {
    expect(items[1].phones).toEqual(['+1 555 0101, ext. 2']);
  });
});

describe('parseContactsCsv: edge cases', () => {
  it.each([
    ['unparseable quote', 'name,email\nA,"a"x@y.z\nB,b@y.z\n', [2]],
    ['quote never closed', 'name,email\nA,"a@y.z\nB,b@y.z\n', [2]],
    ['too many columns', 'name,email\nA,a@y.z,extra\nB,b@y.z\n', [2]],
  ])('%s: reports the row and keeps the others', (_label, text, lines) => {
    const { items, issues } = parseContactsCsv(text);
    expect(issues.map((i) => i.line)).toEqual(lines);
    expect(items.map((c) => c.name)).toContain('B');
  });

  it('lets --map override and add columns, case-insensitively', () => {
    const text = 'Full,Mail,Employer Name,Shoe Size,Skip\nAda,ada@x.org,Engines,38,zzz\n';
    const { items } = parseContactsCsv(text, { map: { full: 'name', MAIL: 'email', 'employer name': 'company', 'shoe size': 'shoe_size', skip: '-' } });
    expect(items[0]).toMatchObject({ name: 'Ada', emails: ['ada@x.org'], company: 'Engines', extra: { shoe_size: 38 } });
  });

  it('rejects --map naming a column the file does not have, with a suggestion', () => {
    expect(() => parseContactsCsv('Full,Mail\nAda,a@x.org\n', { map: { Fulll: 'name' } })).toThrow(
      expect.objectContaining({ name: 'UsageError', message: `--map: the file has no column 'Fulll' (header "Full,Mail" read as comma-separated)`, hint: "did you mean 'Full'?" }),
    );
    expect(() => parseRecordsCsv('name\nAcme\n', 'company', { map: { domain: 'domain' } })).toThrow(UsageError);
  });

  it('reports a bad email and an unknown birthday without dropping the row', () => {
    const { items, issues } = parseContactsCsv('name,email,birthday\nAda,not-an-email; contact1@invalid; ÑÑÑÑ; ok@x.org,sometime\n');
    // Values tb check would reject are kept in custom fields, never as emails or a birthday.
    expect(items[0]).toMatchObject({ name: 'Ada', emails: ['ok@x.org'], extra: { birthday_text: 'sometime', unparsed_emails: ['not-an-email', 'contact1@invalid', 'ÑÑÑÑ'] } });
    expect(issues.map((i) => i.line)).toEqual([2, 2, 2, 2]);
  });

  it('skips a row with nothing to identify the person', () => {
    const { items, issues } = parseContactsCsv('name,notes\n,just a note\n,\n');
    expect(items).toEqual([]);
    expect(issues).toEqual([{ line: 2, message: 'row has no name, email or phone; skipped' }]);
  });

  it('reports an empty file, and a broken header without reading data as column names', () => {
    expect(parseContactsCsv('').issues).toHaveLength(1);
    const broken = parseContactsCsv('name,"email"x\nAda,ada@x.org\n');
    expect(broken.items).toEqual([]);
    expect(broken.issues.map((i) => i.line)).toEqual([1]);
  });
});

describe('parseRecordsCsv', () => {
  it('maps headers to snake_case keys with per-type aliases, lists and numbers', () => {
    const text = 'Deal Name,Amount,Stage,Close Date,Contacts,Probability,Region\r\nAcme renewal,"12,500.00",proposal,2027-01-31,ada-lovelace; grace-hopper,40%,EMEA\r\n';
    const { items, issues } = parseRecordsCsv(text, 'deal');
    expect(issues).toEqual([]);
    expect(items).toEqual([{
      line: 2,
      fields: { title: 'Acme renewal', value: 12500, stage: 'proposal', expected_close: '2027-01-31', contacts: ['ada-lovelace', 'grace-hopper'], probability: 0.4, region: 'EMEA' },
    }]);
  });

  it('reports bad rows and non-numeric values with their line', () => {
    const text = 'name,domain\nAcme,acme.example\nBroken\nInitech,initech.example\n';
    const { items, issues } = parseRecordsCsv(text, 'company');
    expect(items.map((r) => r.fields.name)).toEqual(['Acme', 'Initech']);
    expect(issues.map((i) => i.line)).toEqual([3]);
    const deal = parseRecordsCsv('title,value\nX,lots\n', 'deal');
    expect(deal.items[0].fields.value).toBe('lots');
    expect(deal.issues[0].line).toBe(2);
  });

  it("splits every list field on ';' (plain lists and lists of references), never a reminder's one contact", () => {
    const company = parseRecordsCsv('name,tags\nAcme,a; b\n', 'company').items[0].fields;
    expect(company.tags).toEqual(['a', 'b']);
    const deal = parseRecordsCsv('title,contacts,links\nX,ada; grace,https://a.example; https://b.example\n', 'deal').items[0].fields;
    expect(deal).toEqual({ title: 'X', contacts: ['ada', 'grace'], links: ['https://a.example', 'https://b.example'] });
    const reminder = parseRecordsCsv('text,contact\nCall,ada; grace\n', 'reminder').items[0].fields;
    expect(reminder.contact).toBe('ada; grace');
  });

  it('honours --map', () => {
    const { items } = parseRecordsCsv('Who,When\nada,2026-11-20\n', 'interaction', { map: { who: 'contacts', when: 'date' } });
    expect(items[0].fields).toEqual({ contacts: ['ada'], date: '2026-11-20' });
  });
});

describe('toCsv', () => {
  it('quotes per RFC 4180, joins lists, uses CRLF', () => {
    const out = toCsv(
      [
        { name: 'Ada, Countess', tags: ['vip', 'investor'], notes: 'two\nlines', quote: 'say "hi"', n: 3 },
        { name: 'Grace', tags: [], history: [{ date: '2026-01-01', stage: 'lead' }] },
      ],
      ['name', 'tags', 'notes', 'quote', 'n', 'history'],
    );
    expect(out).toBe(
      'name,tags,notes,quote,n,history\r\n' +
      '"Ada, Countess",vip; investor,"two\nlines","say ""hi""",3,\r\n' +
      'Grace,,,,,"[{""date"":""2026-01-01"",""stage"":""lead""}]"\r\n',
    );
  });

  it('adds a BOM on request and writes a header even with no rows', () => {
    expect(toCsv([], ['name', 'email'], { bom: true })).toBe('\uFEFFname,email\r\n');
  });

  it('round-trips through parseContactsCsv', () => {
    const text = toCsv([{ name: 'Zoë Ångström', emails: ['zoe@a.se', 'z@b.se'], notes: 'a, b\nc; d "e"', tags: ['x', 'y'] }], ['name', 'emails', 'notes', 'tags']);
    const { items, issues } = parseContactsCsv(text);
    expect(issues).toEqual([]);
    expect(items[0]).toMatchObject({ name: 'Zoë Ångström', emails: ['zoe@a.se', 'z@b.se'], notes: 'a, b\nc; d "e"', tags: ['x', 'y'] });
  });
});
