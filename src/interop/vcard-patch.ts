/**
 * Editing one card in place for `tb vdir sync`: only the properties of the fields tb keeps in step
 * (core/vdir-sync.ts) are touched, and only when their value changed; every other line — PHOTO,
 * X- properties, groups, the UID, the version — stays byte for byte (docs/vdir.md).
 *
 * Works on the card's bytes as a latin1 string (one character per byte), so lines tb does not
 * touch keep whatever charset they were written in; lines tb writes are UTF-8.
 */
import type { CardFields } from '../core/vdir-sync.js';
import { decodeWith, isUtf8 } from './decode.js';
import { unquotePrintable } from './vcard.js';
import { escapeText, foldLine, normalizeBirthday, normalizeTag, phoneKey } from './types.js';

/** One content line: its physical lines (folds kept) and its parts. */
interface ContentLine {
  raw: string[];
  group?: string;
  name: string;
  params: string;
  value: string;
}

const CRLF = '\r\n';

/** Splits bytes (latin1) into content lines; the first BEGIN:VCARD … END:VCARD is the card. */
function contentLines(binary: string): ContentLine[] {
  const physical = binary.replace(/\r+\n/g, '\n').split(/\r|\n/);
  const out: ContentLine[] = [];
  for (const line of physical) {
    const last = out[out.length - 1];
    if (last && /^[ \t]/.test(line)) {
      last.raw.push(line);
      last.value += line.slice(1);
    } else if (last && /quoted-printable/i.test(last.params) && last.value.endsWith('=') && line.trim() !== '') {
      // vCard 2.1: a quoted-printable value goes on after a line ending in "=".
      last.raw.push(line);
      last.value = last.value.slice(0, -1) + line;
    } else if (line.trim() !== '') {
      out.push(parseLine(line));
    }
  }
  return out;
}

function parseLine(line: string): ContentLine {
  let inQuotes = false;
  let colon = -1;
  for (let i = 0; i < line.length && colon < 0; i++) {
    if (line[i] === '"') inQuotes = !inQuotes;
    else if (line[i] === ':' && !inQuotes) colon = i;
  }
  const head = colon < 0 ? line : line.slice(0, colon);
  const semi = head.indexOf(';');
  const nameWithGroup = semi < 0 ? head : head.slice(0, semi);
  const dot = nameWithGroup.indexOf('.');
  return {
    raw: [line],
    group: dot > 0 ? nameWithGroup.slice(0, dot).toLowerCase() : undefined,
    name: (dot > 0 ? nameWithGroup.slice(dot + 1) : nameWithGroup).trim().toUpperCase(),
    params: semi < 0 ? '' : head.slice(semi + 1),
    value: colon < 0 ? '' : line.slice(colon + 1),
  };
}

/** A property's value with quoted-printable and charset undone, escapes kept (structured values). */
function rawText(l: ContentLine): string {
  let bytes = l.value;
  if (/quoted-printable/i.test(l.params)) bytes = unquotePrintable(bytes);
  const buf = Buffer.from(bytes, 'latin1');
  const charset = /charset="?([^;:"]+)/i.exec(l.params)?.[1];
  if (charset) {
    try {
      return decodeWith(charset, buf);
    } catch {
      // An unknown charset: read as below.
    }
  }
  return isUtf8(buf) ? buf.toString('utf8') : buf.toString('latin1');
}

/** A property's value as text: quoted-printable and charset undone, escapes removed. */
function textOf(l: ContentLine): string {
  return rawText(l).replace(/\\(.)/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch)).trim();
}

/** The card's UID, or undefined when it has none. */
export function cardUid(bytes: Uint8Array): string | undefined {
  const line = contentLines(Buffer.from(bytes).toString('latin1')).find((l) => l.name === 'UID');
  const uid = line ? textOf(line) : '';
  return uid === '' ? undefined : uid;
}

/** A card that is a group of cards (vCard 4 KIND:group, Apple's X-ADDRESSBOOKSERVER-KIND), not a person. */
export function isGroupCard(bytes: Uint8Array): boolean {
  return contentLines(Buffer.from(bytes).toString('latin1')).some((l) => (l.name === 'KIND' || l.name === 'X-ADDRESSBOOKSERVER-KIND') && /^group$/i.test(textOf(l)));
}

// ---------------------------------------------------------------------------------------------
// Writing values

/** A new property line in the card's version, folded, as bytes (latin1 string). */
function newLine(name: string, value: string, version: string): string {
  const nonAscii = /[^\x20-\x7e]/.test(value);
  // vCard 2.1 has no default charset: say it is UTF-8.
  const params = version === '2.1' && nonAscii ? ';CHARSET=UTF-8' : '';
  const folded = foldLine(`${name}${params}:${value}`);
  return Buffer.from(folded.replace(/\r\n/g, CRLF), 'utf8').toString('latin1');
}

function structuredName(name: string): string {
  const words = name.trim().split(/\s+/);
  const family = words.length > 1 ? words.pop() ?? '' : '';
  return `${escapeText(family)};${escapeText(words.join(' '))};;;`;
}

/** BDAY in the card's version: 4.0 `19901001` / `--1001`; 3.0 and 2.1 `1990-10-01` / `--10-01`. */
function birthdayValue(date: string, version: string): string {
  const normal = normalizeBirthday(date) ?? date;
  return version === '4.0' ? normal.replace(/-/g, '').replace(/^(\d{4})$/, '--$1') : normal;
}

type ListName = 'emails' | 'phones' | 'links';
const LIST_PROPERTY: Record<ListName, { name: string; key: (s: string) => string }> = {
  // vCard 4 allows a URI value (`EMAIL;VALUE=uri:mailto:…`, as `TEL:tel:…`); tb reads the address.
  emails: { name: 'EMAIL', key: (s) => s.trim().replace(/^mailto:/i, '').toLowerCase() },
  phones: { name: 'TEL', key: (s) => phoneKey(s.replace(/^tel:/i, '')) },
  links: { name: 'URL', key: (s) => s.trim() },
};

/**
 * The card with `desired` written into it. `current` is what the card holds now (as tb reads it):
 * a field equal to it is left as it is, line for line.
 */
export function patchCard(bytes: Uint8Array, current: CardFields, desired: CardFields): Buffer {
  // A UTF-8 byte order mark before BEGIN:VCARD (some Windows tools write one) is dropped.
  const lines = contentLines(Buffer.from(bytes).toString('latin1').replace(/^\xef\xbb\xbf/, ''));
  const begin = lines.findIndex((l) => l.name === 'BEGIN' && /^vcard$/i.test(l.value.trim()));
  const end = lines.findIndex((l, i) => i > begin && l.name === 'END' && /^vcard$/i.test(l.value.trim()));
  if (begin < 0 || end < 0) throw new Error('not a vCard (no BEGIN:VCARD … END:VCARD)');
  const version = lines.find((l) => l.name === 'VERSION')?.value.trim() ?? '3.0';
  let body = lines.slice(begin + 1, end);
  const added: string[] = [];
  // Groups a removed property belonged to: their Apple labels go with it, no others.
  const touched = new Set<string>();
  const keep = (l: ContentLine, kept: boolean): boolean => {
    if (!kept && l.group) touched.add(l.group);
    return kept;
  };
  const drop = (names: string[]) => {
    body = body.filter((l) => keep(l, !names.includes(l.name)));
  };
  const scalar = (field: 'title' | 'birthday', name: string, value: string | undefined) => {
    if (same(current[field], value)) return;
    drop([name]);
    if (value) added.push(newLine(name, field === 'birthday' ? birthdayValue(value, version) : escapeText(value), version));
  };
  if (!same(current.name, desired.name) && desired.name) {
    drop(['FN', 'N']);
    added.push(newLine('FN', escapeText(desired.name), version), newLine('N', structuredName(desired.name), version));
  }
  if (!same(current.company, desired.company, true)) {
    const org = body.find((l) => l.name === 'ORG');
    // The department after `;` stays; written as UTF-8 text, as the new line is.
    const units = org ? rawText(org).split(/(?<!\\);/).slice(1) : [];
    drop(['ORG']);
    if (desired.company) added.push(newLine('ORG', [escapeText(desired.company), ...units].join(';'), version));
  }
  scalar('title', 'TITLE', desired.title);
  scalar('birthday', 'BDAY', desired.birthday);
  for (const field of ['emails', 'phones', 'links'] as const) {
    const { name, key } = LIST_PROPERTY[field];
    const wanted = new Map(desired[field].map((v) => [key(v), v]));
    body = body.filter((l) => keep(l, l.name !== name || wanted.delete(key(textOf(l))) || keepUnwanted(l, current[field], key)));
    for (const v of wanted.values()) added.push(newLine(name, field === 'links' ? v.replace(/[\r\n]+/g, '') : escapeText(v), version));
  }
  if (!sameSet(current.tags, desired.tags)) {
    // A category keeps the card's own spelling (`Close Friends`, a group on the server), a new one tb's.
    const spelled = new Map(body.filter((l) => l.name === 'CATEGORIES').flatMap((l) => splitList(textOf(l))).map((c) => [normalizeTag(c), c]));
    drop(['CATEGORIES']);
    if (desired.tags.length) added.push(newLine('CATEGORIES', desired.tags.map((t) => escapeText(spelled.get(normalizeTag(t)) ?? t)).join(','), version));
  }
  body = dropOrphanLabels(body, touched);
  const before = lines.slice(0, begin + 1).map((l) => l.raw.join(CRLF));
  const after = lines.slice(end).map((l) => l.raw.join(CRLF));
  const text = [...before, ...body.map((l) => l.raw.join(CRLF)), ...added, ...after].join(CRLF) + CRLF;
  return Buffer.from(text, 'latin1');
}

/**
 * A line whose value tb does not read as one of the field's values (a `tel:` URI tb reads
 * differently, an empty EMAIL) is kept unless tb had read it: only what tb knows is removed.
 */
function keepUnwanted(l: ContentLine, current: string[], key: (s: string) => string): boolean {
  const k = key(textOf(l));
  return k === '' || !current.some((v) => key(v) === k);
}

/**
 * Apple's `item1.X-ABLabel` lines whose grouped property tb removed. A group of Apple's own
 * properties only (`item2.X-ABDATE` with its label: an anniversary) is not tb's and stays.
 */
function dropOrphanLabels(body: ContentLine[], touched: ReadonlySet<string>): ContentLine[] {
  const labelOnly = new Set<string>();
  for (const group of touched) {
    const members = body.filter((l) => l.group === group);
    if (members.every((m) => m.name === 'X-ABLABEL')) labelOnly.add(group);
  }
  return body.filter((l) => !l.group || !labelOnly.has(l.group));
}

/** CATEGORIES text split on commas (escaped ones were unescaped by textOf: a tag never holds one). */
function splitList(text: string): string[] {
  return text.split(',').map((t) => t.trim()).filter(Boolean);
}

function same(a: string | undefined, b: string | undefined, caseless = false): boolean {
  const norm = (s: string | undefined) => (caseless ? (s ?? '').trim().toLowerCase() : (s ?? '').trim());
  return norm(a) === norm(b);
}

function sameSet(a: string[], b: string[]): boolean {
  const norm = (l: string[]) => [...new Set(l.map((s) => s.trim().toLowerCase()))].sort().join('\u0000');
  return norm(a) === norm(b);
}

/** A new card (vCard 3.0, which every CardDAV server takes) for a contact that has none. */
export function newCard(uid: string, fields: CardFields): Buffer {
  const skeleton = ['BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//touchbase//tb vdir sync//EN', `UID:${escapeText(uid)}`, 'END:VCARD'].join(CRLF) + CRLF;
  const empty: CardFields = { emails: [], phones: [], links: [], tags: [] };
  return patchCard(Buffer.from(skeleton, 'latin1'), empty, fields);
}
