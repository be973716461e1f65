/**
 * CSV files as spreadsheets and CRM/helpdesk systems write them outside the US: semicolon- and
 * tab-separated sheets, decimal commas, day-first dates (fixtures in test/fixtures/interop/csv-locales,
 * each in its producer's shape: Excel in a German or French locale, Zoho, HubSpot, Freshdesk).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContactsCsv, parseRecordsCsv } from '../../src/interop/csv.js';
import { parseDelimiter } from '../../src/interop/csv-table.js';
import { decideConventions, decimalEvidence, parseLocaleDate, parseLocaleNumber, parsePlainNumber } from '../../src/interop/csv-locale.js';
import { decodeInput } from '../../src/interop/decode.js';
import { UsageError } from '../../src/errors.js';

const text = (name: string): string => decodeInput(readFileSync(new URL(`../fixtures/interop/csv-locales/${name}`, import.meta.url))).text;

describe('CSV delimiters: the header row decides', () => {
  it('reads Excel\'s German "CSV (Trennzeichen-getrennt)": windows-1252, semicolons, Vorname;Name, 23.11.1980', () => {
    const { items, issues, reading } = parseContactsCsv(text('excel-de-kontakte.csv'));
    expect(issues).toEqual([]);
    expect(reading).toEqual({ delimiter: 'semicolon', delimiter_from: 'header', date_order: 'DMY', date_order_from: 'values' });
    expect(items[0]).toMatchObject({
      name: 'Jürgen Weiß', company: 'Müller & Söhne GmbH', emails: ['juergen.weiss@mueller-soehne.example'],
      phones: ['+49 89 1234567'], birthday: '1980-11-23', notes: 'Rückruf; nach der Messe',
    });
    // 05.03.1975 is the fifth of March: a dotted date is day first.
    expect(items[1]).toMatchObject({ name: 'Renée Faßbender', birthday: '1975-03-05' });
  });

  it('reads Excel\'s French "CSV UTF-8": BOM, semicolons, and 05/03/1975 decided by 23/11/1980 in the same file', () => {
    const { items, issues, reading } = parseContactsCsv(text('excel-fr-contacts.csv'));
    expect(issues).toEqual([]);
    expect(reading).toMatchObject({ delimiter: 'semicolon', date_order: 'DMY', date_order_from: 'values' });
    expect(items.map((c) => [c.name, c.company, c.birthday])).toEqual([
      ['Hélène Lefèvre', 'Société Générale des Eaux', '1975-03-05'],
      ['François Côté', 'Éditions du Lac', '1980-11-23'],
    ]);
  });

  it('keeps a comma-separated helpdesk export (Freshdesk) as it was, a semicolon inside no cell', () => {
    const { items, issues, reading } = parseContactsCsv(text('freshdesk-contacts.csv'));
    expect(issues).toEqual([]);
    expect(reading).toEqual({ delimiter: 'comma', delimiter_from: 'header' });
    expect(items[0]).toMatchObject({ name: 'Dana Whitfield', title: 'Support Lead', company: 'Northwind Traders', tags: ['vip', 'renewal'] });
    expect(items[1].phones).toEqual(['+1 212 555 0199', '+1 917 555 0123']);
  });

  it('reads tab-separated sheets, and Excel\'s `sep=;` first line', () => {
    expect(parseContactsCsv('Name\tEmail\nAda Lovelace\tada@x.org\n').items[0]).toMatchObject({ name: 'Ada Lovelace', emails: ['ada@x.org'] });
    const sep = parseContactsCsv('sep=;\nName;Email\nAda;ada@x.org\n');
    expect(sep.reading).toMatchObject({ delimiter: 'semicolon', delimiter_from: 'given' });
    expect(sep.items[0]).toMatchObject({ name: 'Ada', emails: ['ada@x.org'], source: { line: 3 } });
  });

  it('a --map column helps decide: `Kunde;Mail` has no known column until --map names one', () => {
    const { items, reading } = parseContactsCsv('Kunde;Mail\nErika Mustermann;erika@example.org\n', { map: { Kunde: 'name', Mail: 'email' } });
    expect(reading.delimiter).toBe('semicolon');
    expect(items[0]).toMatchObject({ name: 'Erika Mustermann', emails: ['erika@example.org'] });
  });

  it('refuses a header with no name, email or phone column, naming the delimiter and the header it read', () => {
    const { items, issues } = parseContactsCsv(text('unknown-columns-semicolon.csv'));
    expect(items).toEqual([]);
    expect(issues).toEqual([{
      line: 1,
      message: 'no name, email or phone column recognised in the header "Kundennummer;Ansprechpartner;Kontaktweg" read as semicolon-separated; nothing imported (name the delimiter with --delimiter or a column with --map column=field)',
    }]);
  });

  it('a wrong --delimiter is named in the refusal, with the delimiter that fits', () => {
    const forced = parseContactsCsv('Name;Email\nAda;ada@x.org\n', { delimiter: ',' });
    expect(forced.items).toEqual([]);
    expect(forced.issues[0].message).toBe(
      'no name, email or phone column recognised in the header "Name;Email" read as comma-separated; nothing imported (the header looks semicolon-separated: add --delimiter \';\')',
    );
    // `--map email=email` on a semicolon file read with commas points at the delimiter, not only at the column.
    expect(() => parseContactsCsv('Name;email\nAda;ada@x.org\n', { delimiter: ',', map: { email: 'email' } })).toThrow(
      expect.objectContaining({
        name: 'UsageError',
        message: `--map: the file has no column 'email' (header "Name;email" read as comma-separated)`,
        hint: "the header looks semicolon-separated: add --delimiter ';'",
      }),
    );
  });

  it('--delimiter takes a character or its name', () => {
    expect([';', 'semicolon', ',', 'comma', 'tab', '\\t', '\t', '|'].map(parseDelimiter)).toEqual([';', ';', ',', ',', '\t', '\t', '\t', '|']);
    expect(() => parseDelimiter(':')).toThrow(UsageError);
  });
});

describe('European numbers and dates, decided per file', () => {
  it('a Zoho deals export re-saved by German Excel: 4.800,50 and 12.000 (twelve thousand) and 23.11.2026', () => {
    const { items, issues, reading } = parseRecordsCsv(text('zoho-deals-excel-de.csv'), 'deal');
    expect(issues).toEqual([]);
    expect(reading).toEqual({
      delimiter: 'semicolon', delimiter_from: 'header', decimal_separator: ',', decimal_from: 'values', date_order: 'DMY', date_order_from: 'values',
    });
    expect(items.map((i) => [i.fields.title, i.fields.value, i.fields.expected_close, i.fields.company, i.fields.contacts])).toEqual([
      ['Relaunch Website', 4800.5, '2026-11-23', 'Müller & Söhne GmbH', ['Jürgen Weiß']],
      ['Wartungsvertrag 2027', 12000, '2027-01-15', 'Straßenbau Nord AG', ['Renée Faßbender']],
      ['Schulung', 950, '2026-12-01', 'Straßenbau Nord AG', undefined],
    ]);
  });

  it('French Excel "Texte Unicode": UTF-16, tabs, 4 800,50 grouped with no-break spaces, 23/11/2026', () => {
    const { items, issues, reading } = parseRecordsCsv(text('hubspot-deals-excel-fr.txt'), 'deal');
    expect(issues).toEqual([]);
    expect(reading).toMatchObject({ delimiter: 'tab', decimal_separator: ',', date_order: 'DMY' });
    expect(items.map((i) => [i.fields.title, i.fields.value, i.fields.expected_close])).toEqual([
      ['Audit énergétique', 4800.5, '2026-11-23'],
      ['Formation équipe', 1250, '2026-12-05'],
    ]);
  });

  it('a US HubSpot export stays US: 12,500.75 and 4.5, and `2026-12-15 00:00` is the day', () => {
    const { items, issues, reading } = parseRecordsCsv(text('hubspot-deals.csv'), 'deal');
    expect(issues).toEqual([]);
    expect(reading).toMatchObject({ delimiter: 'comma', decimal_separator: '.', decimal_from: 'values' });
    expect(items.map((i) => [i.fields.value, i.fields.expected_close, i.fields.created])).toEqual([
      [12500.75, '2026-12-15', '2026-10-02'],
      [4.5, '2027-01-31', '2026-11-01'],
    ]);
  });

  it('the file decides, not the cell: 4.800 is 4800 in a European file and 4.8 in a US one', () => {
    const eu = parseRecordsCsv('title;value\nA;4.800\nB;1,5\n', 'deal');
    const us = parseRecordsCsv('title,value\nA,4.800\nB,"1,500.25"\n', 'deal');
    expect(eu.items.map((i) => i.fields.value)).toEqual([4800, 1.5]);
    expect(us.items.map((i) => i.fields.value)).toEqual([4.8, 1500.25]);
    // Without any telling value a semicolon file is European (Excel writes semicolons where the comma is decimal).
    const assumed = parseRecordsCsv('title;value\nA;4.800\n', 'deal');
    expect(assumed.items[0].fields.value).toBe(4800);
    expect(assumed.reading).toMatchObject({ decimal_separator: ',', decimal_from: 'assumed' });
  });

  it('a value against the file\'s shape is reported and kept as text, not read as another number', () => {
    const { items, issues } = parseRecordsCsv('title;value\nA;4.800,50\nB;1,5\nC;4,800.50\n', 'deal');
    expect(items.map((i) => i.fields.value)).toEqual([4800.5, 1.5, '4,800.50']);
    expect(issues).toEqual([{ line: 4, message: "value '4,800.50' is not a number in this file's shape (decimal comma, as 4.800,50); kept as text" }]);
  });

  it('interaction dates with a time, day first', () => {
    const { items } = parseRecordsCsv('date;contacts;summary\n23.11.2026 14:30;Ada;Anruf\n', 'interaction');
    expect(items[0].fields.date).toBe('2026-11-23T14:30');
  });

  it('the pieces: evidence, parsing, the decision', () => {
    expect(['4.800,50', '4 800,50', '4,5', '1.234.567', '4,800.50', '4.5', '1,234,567', '4.800', '4,800', '4800', 'x'].map(decimalEvidence))
      .toEqual([',', ',', ',', ',', '.', '.', '.', undefined, undefined, undefined, undefined]);
    expect(parseLocaleNumber('€ 4.800,50', ',')).toBe(4800.5);
    expect(parseLocaleNumber('-1.234', ',')).toBe(-1234);
    expect(parseLocaleNumber('4.80.0', ',')).toBeUndefined();
    expect(parseLocaleDate('31.02.2026', 'DMY')).toBeUndefined();
    expect(parseLocaleDate('11/23/2026', 'MDY')).toBe('2026-11-23');
    expect(decideConventions([], ['11/23/2026'], ';')).toMatchObject({ decimal: '.', dateOrder: 'MDY' });
    expect(decideConventions(['4,5'], ['01/02/2026'], ',')).toMatchObject({ decimal: ',', dateOrder: 'DMY', dateOrderFrom: 'assumed' });
  });
});

describe('parsePlainNumber: numbers in custom columns', () => {
  it('reads grouped and decimal numbers in the given convention, and nothing that only looks like one', () => {
    expect(parsePlainNumber('1.234,56', ',')).toBe(1234.56);
    expect(parsePlainNumber('12,5', ',')).toBe(12.5);
    expect(parsePlainNumber('1.234', ',')).toBe(1234);
    expect(parsePlainNumber('1.234', '.')).toBe(1.234);
    expect(parsePlainNumber('4 800,50', ',')).toBe(4800.5);
    expect(parsePlainNumber('0,5', ',')).toBe(0.5);
    for (const text of ['01067', '+49 30 1234', '1.2.3', '23.11.2026', '12.5', '€ 12', '50%', '12,']) expect([text, parsePlainNumber(text, ',')]).toEqual([text, undefined]);
  });
});
