/**
 * vCard 2.1 / 3.0 / 4.0 reader and vCard 4.0 writer (RFC 6350). Small on purpose: it reads what
 * Apple, Google, Outlook and Android export and keeps the fields touchbase has.
 */
import {
  addUnique, emptyDraft, escapeText, foldLine, nameFromEmail, normalizeBirthday, normalizeTag, phoneKey, setBirthday,
  type ContactDraft, type ImportIssue, type ParseResult,
} from './types.js';

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
  const issues: ImportIssue[] = [];
  const items: ContactDraft[] = [];
  for (const card of splitCards(unfold(text.replace(/^\uFEFF/, '')), issues)) {
    const properties: Property[] = [];
    const bad = card.lines.find((l) => {
      const prop = parseProperty(l);
      if (prop) properties.push(prop);
      return prop === undefined;
    });
    if (bad) {
      issues.push({ line: card.startLine, message: `card has an unreadable line ${bad.line} ('${preview(bad.text)}'); skipped` });
      continue;
    }
    const draft = draftFromProperties(properties, card.startLine, issues);
    if (draft) items.push(draft);
  }
  return { items, issues: [...issues].sort((a, b) => a.line - b.line) };
}

// ---------------------------------------------------------------------------------------------
// Lines and cards

/**
 * Joins folded lines: a line starting with a space or tab continues the previous one (RFC 6350
 * §3.2). vCard 2.1 quoted-printable values continue instead after a line ending in `=`.
 */
function unfold(text: string): LogicalLine[] {
  const physical = text.split(/\r\n|\r|\n/);
  const out: LogicalLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i];
    const last = out[out.length - 1];
    if (last && isQuotedPrintable(last.text) && last.text.endsWith('=')) {
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
function parseProperty(l: LogicalLine): Property | undefined {
  const colon = nameEnd(l.text);
  if (colon < 0) return undefined;
  const [nameWithGroup, ...rawParams] = splitUnquoted(l.text.slice(0, colon), ';');
  const m = /^(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)$/.exec(nameWithGroup.trim());
  if (!m) return undefined;
  const params = new Map<string, string[]>();
  for (const raw of rawParams) addParam(params, raw);
  const value = decodeValue(l.text.slice(colon + 1), params);
  return { group: m[1]?.toLowerCase(), name: m[2].toUpperCase(), params, value, line: l.line };
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

function decodeValue(value: string, params: Map<string, string[]>): string {
  if (!params.get('ENCODING')?.includes('QUOTED-PRINTABLE')) return value;
  return decodeQuotedPrintable(value, params.get('CHARSET')?.[0] ?? 'UTF-8');
}

/** `=C3=A9` → `é` in the given charset (vCard 2.1). */
function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(value.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(value[i], 'utf8'));
    }
  }
  try {
    return new TextDecoder(charset.toLowerCase()).decode(Uint8Array.from(bytes));
  } catch {
    // An unknown charset label: UTF-8 is what modern phones write anyway.
    return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
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

function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
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
  for (const p of props) {
    switch (p.name) {
      case 'FN': formatted ??= unescapeText(p.value).trim() || undefined; break;
      case 'N': structured ??= nameFromN(p.value); break;
      case 'EMAIL': addUnique(draft.emails, unescapeText(p.value)); break;
      case 'TEL': addUnique(draft.phones, unescapeText(p.value).replace(/^tel:/i, ''), phoneKey); break;
      case 'ORG': draft.company ??= splitEscaped(p.value, ';')[0]?.trim() || undefined; break;
      case 'TITLE': draft.title ??= unescapeText(p.value).trim() || undefined; break;
      case 'NOTE': draft.notes = joinNotes(draft.notes, unescapeText(p.value).trim()); break;
      case 'CATEGORIES': for (const t of splitEscaped(p.value, ',')) addUnique(draft.tags, normalizeTag(t)); break;
      case 'URL': addUnique(draft.links, unescapeText(p.value), (s) => s); break;
      case 'ADR': draft.location ??= locationFromAdr(p.value); break;
      case 'BDAY': setBirthday(draft, unescapeText(p.value), p.line, issues); break;
      case 'UID': draft.extra.uid ??= unescapeText(p.value); break;
      case 'NICKNAME': draft.extra.nickname ??= unescapeText(p.value); break;
      default: break;
    }
  }
  draft.name = formatted ?? structured ?? draft.company ?? (draft.emails[0] ? nameFromEmail(draft.emails[0]) : undefined);
  if (!draft.name && draft.emails.length === 0 && draft.phones.length === 0) {
    issues.push({ line: startLine, message: 'card has no name, email or phone; skipped' });
    return undefined;
  }
  return draft;
}

/** N is `family;given;additional;prefix;suffix`; the readable order is given additional family. */
function nameFromN(value: string): string | undefined {
  const [family = '', given = '', additional = ''] = splitEscaped(value, ';');
  return [given, additional, family].map((s) => s.trim()).filter(Boolean).join(' ') || undefined;
}

/** ADR is `pobox;ext;street;locality;region;code;country`; touchbase keeps "city, country". */
function locationFromAdr(value: string): string | undefined {
  const parts = splitEscaped(value, ';').map((s) => s.trim().replace(/\n/g, ' '));
  const city = parts[3] || parts[4];
  return [city, parts[6]].filter(Boolean).join(', ') || undefined;
}

function joinNotes(existing: string | undefined, note: string): string | undefined {
  if (note === '') return existing;
  return existing ? `${existing}\n\n${note}` : note;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A contact to write: the fields a draft carries, with the name required and a stable UID. */
export type VcardContact = Omit<ContactDraft, 'name' | 'extra' | 'source'> & { name: string; uid: string };

/** vCard 4.0, CRLF line ends, folded at 75 octets; reads back through parseVcards unchanged. */
export function toVcards(contacts: VcardContact[]): string {
  return contacts.map((c) => cardLines(c).map(foldLine).join('\r\n') + '\r\n').join('');
}

function cardLines(c: VcardContact): string[] {
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', `UID:${escapeText(c.uid)}`, `FN:${escapeText(c.name)}`, `N:${structuredName(c.name)}`];
  if (c.company) lines.push(`ORG:${escapeText(c.company)}`);
  if (c.title) lines.push(`TITLE:${escapeText(c.title)}`);
  for (const email of c.emails) lines.push(`EMAIL:${escapeText(email)}`);
  for (const phone of c.phones) lines.push(`TEL;VALUE=text:${escapeText(phone)}`);
  const bday = c.birthday ? vcardDate(c.birthday) : undefined;
  if (bday) lines.push(`BDAY:${bday}`);
  // Locations are free text ("Paris, France"), so the whole text goes in the locality component.
  if (c.location) lines.push(`ADR:;;;${escapeText(c.location)};;;`);
  for (const link of c.links) lines.push(`URL:${link.replace(/[\r\n]+/g, '')}`);
  if (c.tags.length > 0) lines.push(`CATEGORIES:${c.tags.map(escapeText).join(',')}`);
  if (c.notes) lines.push(`NOTE:${escapeText(c.notes)}`);
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
