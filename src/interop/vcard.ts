/**
 * vCard 2.1 / 3.0 / 4.0 reader and vCard 4.0 writer (RFC 6350). Small on purpose: it reads what
 * Apple, Google, Outlook and Android export and keeps the fields touchbase has.
 */
import {
  addAddress, addEmail, addUnique, emptyDraft, escapeText, foldLine, locationOf, nameFromEmail, normalizeBirthday,
  normalizeTag, phoneKey, setBirthday, stripControls,
  type ContactDraft, type ImportIssue, type ParseResult, type PostalAddress,
} from './types.js';
import { LEGACY_FALLBACK, decodeInput, decodeWith, firstInvalidUtf8, isUtf8, sniffEncoding } from './decode.js';

/** One unfolded property: `item1.EMAIL;TYPE=work:ada@x.org` → group item1, name EMAIL. */
interface Property {
  group?: string;
  name: string;
  params: Map<string, string[]>;
  value: string;
  line: number;
}

interface LogicalLine {
  text: string;
  line: number;
}

interface CardLines {
  startLine: number;
  lines: LogicalLine[];
}

/** Reads every card in the text; broken cards are reported on the line they start and skipped. */
export function parseVcards(text: string): ParseResult<ContactDraft> {
  return parseBinary(Buffer.from(text.replace(/^\uFEFF/, ''), 'utf8').toString('latin1'));
}

/**
 * Reads a vCard file from its bytes. UTF-16 (BOM or NUL pattern) and an explicit `encoding` are
 * decoded first; otherwise every value is decoded on its own: by its `CHARSET=` parameter (vCard
 * 2.1), else as UTF-8, else as windows-1252 with a warning (docs/import-export.md, "Encodings").
 */
export function parseVcardBytes(bytes: Uint8Array, encoding?: string): ParseResult<ContactDraft> {
  const sniffed = sniffEncoding(bytes);
  if (encoding || (sniffed && sniffed !== 'utf-8')) return parseVcards(decodeInput(bytes, encoding).text);
  const start = sniffed === 'utf-8' ? 3 : 0;
  return parseBinary(Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start).toString('latin1'));
}

/** `binary` holds one character per byte (latin1), so values can be decoded by their own charset. */
function parseBinary(binary: string): ParseResult<ContactDraft> {
  const issues: ImportIssue[] = [];
  const items: ContactDraft[] = [];
  const charsets: CharsetState = { warned: false, issues, invalid: [] };
  for (const card of splitCards(unfold(binary), issues)) {
    charsets.invalid = [];
    const properties: Property[] = [];
    for (const l of card.lines) {
      const prop = parseProperty(l, charsets);
      if (prop) properties.push(prop);
      else issues.push({ line: l.line, message: `unreadable line ('${preview(decodeBytes(l.text, undefined, charsets, l.line))}') skipped; the rest of the card was read` });
    }
    const draft = draftFromProperties(properties, card.startLine, issues);
    if (draft) items.push(draft);
    const who = `card '${draft?.name ?? '?'}' (line ${card.startLine})`;
    for (const bad of charsets.invalid) issues.push({ line: bad.line, message: `${who}, ${bad.property}: ${bad.message}` });
  }
  return { items, issues: [...issues].sort((a, b) => a.line - b.line) };
}

interface CharsetState {
  warned: boolean;
  issues: ImportIssue[];
  /** Values of the current card whose bytes do not fit their charset: reported with the card's name. */
  invalid: Array<{ line: number; property: string; message: string }>;
}

// ---------------------------------------------------------------------------------------------
// Lines and cards

/**
 * Joins folded lines: a line starting with a space or tab continues the previous one (RFC 6350
 * §3.2). vCard 2.1 quoted-printable values continue instead after a line ending in `=` (a soft
 * line break, RFC 2045 §6.7) — but a soft break followed by a blank or whitespace-only line ends
 * the value there (the continuation is empty: phones write a trailing `=` before a blank line), and
 * one followed by `END:VCARD` or another property line is a stray `=`: the card and the next
 * property are never swallowed into the value.
 */
function unfold(text: string): LogicalLine[] {
  // iPhone exports end lines CR CR LF: one line break, not two (a blank line would end a fold).
  const physical = text.replace(/\r+\n/g, '\n').split(/\r|\n/);
  const out: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i];
    const last = out[out.length - 1];
    const softBreak = last !== undefined && isQuotedPrintable(last.text) && last.text.endsWith('=');
    if (softBreak && (raw.trim() === '' || startsProperty(raw))) last.text = last.text.slice(0, -1);
    if (raw.trim() === '') continue;
    if (softBreak && !startsProperty(raw)) {
      last.text = last.text.slice(0, -1) + raw;
    } else if (last && /^[ \t]/.test(raw)) {
      last.text += raw.slice(1);
    } else if (last && isBase64(last.text) && /^[A-Za-z0-9+/]+=*$/.test(raw)) {
      // vCard 2.1 writers sometimes leave base64 PHOTO lines unindented.
      last.text += raw;
    } else {
      out.push({ text: raw, line: i + 1 });
    }
  }
  return out.filter((l) => l.text.trim() !== '');
}

/** Properties a phone writes: a line starting with one of them (`ORG;CHARSET=…:`, `END:VCARD`) is never a QP continuation. */
const PROPERTY_LINE = /^(?:[A-Za-z0-9-]+\.)?(?:BEGIN|END|VERSION|N|FN|ORG|TITLE|ROLE|TEL|EMAIL|ADR|LABEL|NOTE|URL|BDAY|NICKNAME|CATEGORIES|UID|REV|PHOTO|X-[A-Z0-9-]+)(?:;[^:]*)?:/;

function startsProperty(raw: string): boolean {
  return PROPERTY_LINE.test(raw);
}

function isQuotedPrintable(line: string): boolean {
  return /quoted-printable/i.test(paramsOf(line));
}

function isBase64(line: string): boolean {
  return /[;=](base64|b)\b/i.test(paramsOf(line));
}

function paramsOf(line: string): string {
  const colon = line.indexOf(':');
  return colon > 0 ? line.slice(0, colon) : '';
}

/** Groups lines into BEGIN:VCARD … END:VCARD blocks, reporting unterminated cards and stray text. */
function splitCards(lines: LogicalLine[], issues: ImportIssue[]): CardLines[] {
  const cards: CardLines[] = [];
  let open: CardLines | undefined;
  let strayReported = false;
  for (const l of lines) {
    const upper = l.text.trim().toUpperCase();
    if (upper === 'BEGIN:VCARD') {
      if (open) issues.push({ line: open.startLine, message: 'card has no END:VCARD; skipped' });
      open = { startLine: l.line, lines: [] };
      strayReported = false;
    } else if (upper === 'END:VCARD' && open) {
      cards.push(open);
      open = undefined;
    } else if (open) {
      open.lines.push(l);
    } else if (!strayReported) {
      // Report a run of text outside any card once, not once per line.
      issues.push({ line: l.line, message: `text outside BEGIN:VCARD/END:VCARD ('${preview(l.text)}'); ignored` });
      strayReported = true;
    }
  }
  if (open) issues.push({ line: open.startLine, message: 'card has no END:VCARD; skipped' });
  return cards;
}

/** Parses `group.NAME;param;param:value`; undefined when the line is not a property at all. */
function parseProperty(l: LogicalLine, charsets: CharsetState): Property | undefined {
  const colon = nameEnd(l.text);
  if (colon < 0) return undefined;
  const [nameWithGroup, ...rawParams] = splitUnquoted(l.text.slice(0, colon), ';');
  const m = /^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)$/.exec(nameWithGroup.trim());
  if (!m) return undefined;
  const params = new Map<string, string[]>();
  for (const raw of rawParams) addParam(params, raw);
  const name = m[2].toUpperCase();
  // Photos and sounds are binary and never used: not decoded.
  const value = BINARY_PROPERTIES.has(name) ? '' : decodeValue(l.text.slice(colon + 1), params, charsets, { line: l.line, property: name });
  return { group: m[1]?.toLowerCase(), name, params, value, line: l.line };
}

/** Index of the colon ending the name and parameters, skipping colons inside quoted parameter values. */
function nameEnd(text: string): number {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') inQuotes = !inQuotes;
    else if (text[i] === ':' && !inQuotes) return i;
  }
  return -1;
}

const ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);

/** `TYPE=work,pref`, `type=WORK`, and vCard 2.1's bare `WORK` / `QUOTED-PRINTABLE`. */
function addParam(params: Map<string, string[]>, raw: string): void {
  const eq = raw.indexOf('=');
  let key: string;
  let values: string[];
  if (eq < 0) {
    const bare = raw.trim().toUpperCase();
    key = ENCODINGS.has(bare) ? 'ENCODING' : 'TYPE';
    values = [bare];
  } else {
    key = raw.slice(0, eq).trim().toUpperCase();
    values = splitUnquoted(raw.slice(eq + 1), ',').map((v) => v.trim().replace(/^"|"$/g, '').toUpperCase());
  }
  params.set(key, [...(params.get(key) ?? []), ...values]);
}

const BINARY_PROPERTIES = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);

/** Where a value comes from, for messages about its bytes. */
interface ValueSource {
  line: number;
  property: string;
}

function decodeValue(value: string, params: Map<string, string[]>, charsets: CharsetState, source: ValueSource): string {
  const qp = params.get('ENCODING')?.includes('QUOTED-PRINTABLE') === true;
  const badEscape = qp ? /=(?![0-9A-Fa-f]{2})[^]{0,2}/.exec(value) : null;
  // RFC 2045 §6.7: a decoder keeps a malformed escape as written; it is still worth a line.
  if (badEscape) charsets.invalid.push({ line: source.line, property: source.property, message: `'${badEscape[0]}' is not a quoted-printable escape; kept as written` });
  const raw = qp ? unquotePrintable(value) : value;
  return stripControls(decodeBytes(raw, params.get('CHARSET')?.[0], charsets, source));
}

/** `=C3=A9` → the two bytes C3 A9 (still one character per byte). */
export function unquotePrintable(value: string): string {
  return value.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Bytes (one per character) → text: by the CHARSET the property names, else UTF-8 when they are
 * valid UTF-8, else windows-1252 with one warning per file. Never a silent U+FFFD: bytes that do
 * not fit the named charset (an `=E9` in a CHARSET=UTF-8 value) are reported with the card and
 * property, and a UTF-8 value is then read as windows-1252.
 */
function decodeBytes(binary: string, charset: string | undefined, charsets: CharsetState, source: ValueSource | number): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(binary)) return binary;
  const bytes = Buffer.from(binary, 'latin1');
  const line = typeof source === 'number' ? source : source.line;
  if (charset) {
    const named = decodeNamed(charset, bytes);
    if (named.text !== undefined) return named.text;
    if (named.unknown) charsets.issues.push({ line, message: `unknown CHARSET '${charset}'; read as UTF-8` });
    else if (typeof source !== 'number') {
      const bad = firstInvalidUtf8(bytes);
      const utf8 = /^utf-?8$/i.test(charset);
      const what = utf8 && bad >= 0 ? `byte 0x${bytes[bad].toString(16).toUpperCase().padStart(2, '0')} is not valid UTF-8` : `bytes are not valid ${charset}`;
      const read = utf8 ? `read as ${LEGACY_FALLBACK}` : 'unreadable bytes replaced by U+FFFD';
      charsets.invalid.push({ line, property: source.property, message: `${what} although the value says CHARSET=${charset}; ${read}` });
      return utf8 ? decodeWith(LEGACY_FALLBACK, bytes) : decodeWith(charset, bytes);
    }
  }
  if (isUtf8(bytes)) return bytes.toString('utf8');
  if (!charsets.warned) {
    charsets.warned = true;
    charsets.issues.push({ line, message: `text is not UTF-8 and names no CHARSET; read as ${LEGACY_FALLBACK} (use --encoding if accents look wrong)` });
  }
  return decodeWith(LEGACY_FALLBACK, bytes);
}

/** The bytes in the named charset: text when they fit it, `unknown` when Node does not know the name. */
function decodeNamed(charset: string, bytes: Uint8Array): { text?: string; unknown?: boolean } {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset.trim().toLowerCase(), { fatal: true });
  } catch {
    return { unknown: true };
  }
  try {
    return { text: decoder.encoding === 'windows-1252' ? decodeWith(charset, bytes) : decoder.decode(bytes) };
  } catch {
    return {};
  }
}

/** Splits on `sep` outside double quotes (parameter lists). */
function splitUnquoted(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuotes = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === sep && !inQuotes) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Splits a structured value on unescaped `sep` and unescapes each part. */
function splitEscaped(value: string, sep: ';' | ','): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      current += ch + value[i + 1];
      i++;
    } else if (ch === sep) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(unescapeText);
}

/** RFC 6350 escapes `\\ \, \; \n`; exporters also escape other characters (`http\://`), which mean themselves. */
function unescapeText(value: string): string {
  return value.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Properties → draft

function draftFromProperties(props: Property[], startLine: number, issues: ImportIssue[]): ContactDraft | undefined {
  const draft = emptyDraft(startLine);
  let formatted: string | undefined;
  let structured: string | undefined;
  // Apple labels grouped properties: `item2.X-ABLabel:_$!<Anniversary>!$_` names item2's kind.
  const labels = new Map<string, string>();
  for (const p of props) if (p.name === 'X-ABLABEL' && p.group) labels.set(p.group, unescapeText(p.value).replace(/^_\$!<(.*)>!\$_$/, '$1').toLowerCase());
  for (const p of props) {
    const text = () => unescapeText(p.value).trim();
    switch (p.name) {
      case 'FN': formatted ??= text() || undefined; break;
      case 'N': structured ??= nameFromN(p.value); break;
      case 'EMAIL': addEmail(draft, text(), p.line, issues); break;
      case 'TEL': addUnique(draft.phones, text().replace(/^tel:/i, ''), phoneKey); break;
      case 'ORG': {
        const [org, ...units] = splitEscaped(p.value, ';').map((x) => x.trim());
        draft.company ??= org || undefined;
        if (units.some(Boolean)) draft.extra.department ??= units.filter(Boolean).join(', ');
        break;
      }
      case 'TITLE': draft.title ??= text() || undefined; break;
      case 'ROLE': if (text()) draft.extra.role ??= text(); break;
      case 'NICKNAME': if (text()) draft.extra.nickname ??= splitEscaped(p.value, ',').map((x) => x.trim()).filter(Boolean).join(', '); break;
      case 'NOTE': draft.notes = joinNotes(draft.notes, text()); break;
      // A tag cannot hold a comma (the query language reads `tag:a,b` as "a or b"), so `a\,b` is two tags.
      case 'CATEGORIES': for (const t of text().split(',')) addUnique(draft.tags, normalizeTag(t)); break;
      case 'URL': case 'X-SOCIALPROFILE': addLink(draft, text()); break;
      case 'ADR': {
        const a = addressFromAdr(p, labels);
        // Only a locality (how tb writes a bare `location`): the location, not an address.
        if (a.city && !a.street && !a.extended && !a.pobox && !a.region && !a.postcode && !a.country) draft.location ??= a.city;
        else addAddress(draft.addresses, a);
        break;
      }
      case 'BDAY': setBirthday(draft, text(), p.line, issues); break;
      case 'ANNIVERSARY': case 'X-ANNIVERSARY': case 'X-MS-ANNIVERSARY': setAnniversary(draft, text()); break;
      case 'X-ABDATE': if (p.group && labels.get(p.group) === 'anniversary') setAnniversary(draft, text()); break;
      case 'X-TOUCHBASE-OWNER': if (text()) draft.extra.owner ??= text(); break;
      case 'X-TOUCHBASE-CREATED': if (text()) draft.extra.created ??= text(); break;
      case 'X-TOUCHBASE-FIELD': {
        const key = p.params.get('KEY')?.[0]?.toLowerCase();
        if (key === 'location') draft.location ??= text();
        else if (key && text()) draft.extra[key] ??= text();
        break;
      }
      case 'UID': {
        // tb's own export: the UID names the contact's id, an explicit identifier for re-imports.
        const own = /^urn:touchbase:contact:([a-z0-9-]+)$/.exec(text());
        if (own) draft.ref = own[1];
        break;
      }
      default: break;
    }
  }
  // No FN or N (a phone's card saved as a nickname, a company, an address): the nickname names
  // the person before the company does; a card with only a number stays unnamed (the importer
  // names it after the number, and tb vdir sync never writes that into the card: docs/vdir.md).
  const nickname = typeof draft.extra.nickname === 'string' ? draft.extra.nickname.split(',')[0].trim() || undefined : undefined;
  draft.name = formatted ?? structured ?? nickname ?? draft.company ?? (draft.emails[0] ? nameFromEmail(draft.emails[0]) : undefined);
  // tb's own cards say exactly which location they have; others get "city, country" from the first ADR.
  if (!draft.ref) draft.location ??= draft.addresses.map(locationOf).find(Boolean);
  if (!draft.name && draft.emails.length === 0 && draft.phones.length === 0) {
    issues.push({ line: startLine, message: 'card has no name, email or phone; skipped' });
    return undefined;
  }
  return draft;
}

/** Web links only (X-SOCIALPROFILE may hold `x-apple:` handles, which are not links). */
function addLink(draft: ContactDraft, url: string): void {
  if (/^(https?:\/\/|www\.)/i.test(url)) addUnique(draft.links, url, (s) => s);
}

function setAnniversary(draft: ContactDraft, value: string): void {
  if (value && draft.extra.anniversary === undefined) draft.extra.anniversary = normalizeBirthday(value) ?? value;
}

/** N is `family;given;additional;prefix;suffix`; the readable order is given additional family. */
function nameFromN(value: string): string | undefined {
  const [family = '', given = '', additional = ''] = splitEscaped(value, ';');
  return [given, additional, family].map((s) => s.trim()).filter(Boolean).join(' ') || undefined;
}

const ADR_TYPES = ['home', 'work', 'other'];

/** ADR is `pobox;ext;street;locality;region;code;country`, all kept; the label from TYPE or Apple's X-ABLabel. */
function addressFromAdr(p: Property, labels: Map<string, string>): PostalAddress {
  const [pobox, extended, street, city, region, postcode, country] = splitEscaped(p.value, ';').map((s) => s.trim());
  const types = (p.params.get('TYPE') ?? []).map((t) => t.toLowerCase());
  const type = types.find((t) => ADR_TYPES.includes(t)) ?? (p.group ? labels.get(p.group) : undefined);
  return { type, street, extended, pobox, city, region, postcode, country };
}

function joinNotes(existing: string | undefined, note: string): string | undefined {
  if (note === '') return existing;
  return existing ? `${existing}\n\n${note}` : note;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A contact to write: the fields a draft carries, with the name required and a stable UID. */
export type VcardContact = Omit<ContactDraft, 'name' | 'extra' | 'source' | 'ref' | 'addresses'> & {
  name: string;
  addresses?: PostalAddress[];
  uid: string;
  department?: string;
  role?: string;
  nickname?: string;
  anniversary?: string;
  /** touchbase's own fields, written as X- properties so a round trip keeps them. */
  owner?: string;
  created?: string;
  /** Other front matter (custom fields, stage, source …) as text: JSON for lists and mappings. */
  fields?: Record<string, string>;
};

/** vCard 4.0, CRLF line ends, folded at 75 octets; reads back through parseVcards unchanged. */
export function toVcards(contacts: VcardContact[]): string {
  return contacts.map((c) => cardLines(c).map(foldLine).join('\r\n') + '\r\n').join('');
}

function cardLines(c: VcardContact): string[] {
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', `UID:${escapeText(c.uid)}`, `FN:${escapeText(c.name)}`, `N:${structuredName(c.name)}`];
  if (c.nickname) lines.push(`NICKNAME:${escapeText(c.nickname)}`);
  if (c.company) lines.push(`ORG:${escapeText(c.company)}${c.department ? `;${escapeText(c.department)}` : ''}`);
  if (c.title) lines.push(`TITLE:${escapeText(c.title)}`);
  if (c.role) lines.push(`ROLE:${escapeText(c.role)}`);
  for (const email of c.emails) lines.push(`EMAIL:${escapeText(email)}`);
  for (const phone of c.phones) lines.push(`TEL;VALUE=text:${escapeText(phone)}`);
  const bday = c.birthday ? vcardDate(c.birthday) : undefined;
  if (bday) lines.push(`BDAY:${bday}`);
  const anniversary = c.anniversary ? vcardDate(c.anniversary) : undefined;
  if (anniversary) lines.push(`ANNIVERSARY:${anniversary}`);
  for (const a of c.addresses ?? []) {
    const parts = [a.pobox, a.extended, a.street, a.city, a.region, a.postcode, a.country].map((x) => escapeText(x ?? ''));
    lines.push(`ADR${a.type && /^[a-z0-9-]+$/.test(a.type) ? `;TYPE=${a.type}` : ''}:${parts.join(';')}`);
  }
  // A location with no address: the whole text goes in the locality component.
  if (c.location && !c.addresses?.length) lines.push(`ADR:;;;${escapeText(c.location)};;;`);
  for (const link of c.links) lines.push(`URL:${link.replace(/[\r\n]+/g, '')}`);
  if (c.tags.length > 0) lines.push(`CATEGORIES:${c.tags.map(escapeText).join(',')}`);
  if (c.notes) lines.push(`NOTE:${escapeText(c.notes)}`);
  if (c.owner) lines.push(`X-TOUCHBASE-OWNER:${escapeText(c.owner)}`);
  if (c.created) lines.push(`X-TOUCHBASE-CREATED:${escapeText(c.created)}`);
  for (const [key, value] of Object.entries(c.fields ?? {})) {
    if (/^[a-z0-9_-]+$/.test(key)) lines.push(`X-TOUCHBASE-FIELD;KEY=${key}:${escapeText(value)}`);
  }
  lines.push('END:VCARD');
  return lines;
}

/** N is required by vCard 3.0 readers: the last word is taken as the family name. */
function structuredName(name: string): string {
  const words = name.trim().split(/\s+/);
  const family = words.length > 1 ? words.pop() ?? '' : '';
  return `${escapeText(family)};${escapeText(words.join(' '))};;;`;
}

/** `1990-10-01` → `19901001`, `--10-01` → `--1001` (RFC 6350 date forms). */
function vcardDate(date: string): string | undefined {
  const normal = normalizeBirthday(date);
  return normal?.replace(/-/g, '').replace(/^(\d{4})$/, '--$1');
}
