/**
 * The header fields tb takes from a message — addresses, Subject, Date — read from the raw header
 * bytes rather than from postal-mime's decoded values, for three reasons (docs/mail.md):
 * - raw 8-bit text (Outlook 2000, old Eudora, a windows-1251 Subject) goes through the charset
 *   chain of interop/charsets.ts instead of becoming U+FFFD;
 * - an RFC 2047 encoded word is text: it is decoded inside a display name, never parsed for an
 *   address (`From: =?utf-8?b?<"Ada <ada@x>">?=` has no address, it is not mail from Ada);
 * - every mailbox of a list counts (two From mailboxes, a Cc of twenty), and a list missing a comma
 *   (`Bob <bob@x> Bobby <bobby@x>`) is split into its mailboxes, never glued into a name.
 */
import { isEmailAddress } from '../core/email-address.js';
import type { CharsetChain } from './charsets.js';

/** Header fields by lower-cased name, unfolded, as byte strings (one char per byte: latin1). */
export type RawHeaders = Map<string, string[]>;

export function rawHeaders(block: string): RawHeaders {
  const out: RawHeaders = new Map();
  for (const field of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const m = /^([!-9;-~]+)[ \t]*:(.*)$/s.exec(field);
    if (!m) continue;
    const key = m[1].toLowerCase();
    out.set(key, [...(out.get(key) ?? []), m[2].trim()]);
  }
  return out;
}

export interface ParsedMailbox {
  /** Lower-cased addr-spec. */
  address: string;
  name?: string;
}

export interface AddressListResult {
  mailboxes: ParsedMailbox[];
  /** What was wrong and what was done about it, for the message's notes. */
  notes: string[];
}

type Token = { kind: 'word' | 'quoted' | 'comment' | 'angle'; text: string; space: boolean } | { kind: ',' | ':' | ';' };

/** RFC 5322 tokens of an address list: words, quoted strings, comments, `<…>`, and , : ; */
function tokenize(value: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let space = false;
  while (i < value.length) {
    const ch = value[i];
    if (/\s/.test(ch)) {
      space = true;
      i++;
      continue;
    }
    if (ch === ',' || ch === ';' || ch === ':') {
      tokens.push({ kind: ch });
      i++;
    } else if (ch === '"') {
      let text = '';
      for (i++; i < value.length && value[i] !== '"'; i++) text += value[i] === '\\' ? value[++i] ?? '' : value[i];
      tokens.push({ kind: 'quoted', text, space });
      i++;
    } else if (ch === '(') {
      let depth = 0;
      let text = '';
      for (; i < value.length; i++) {
        if (value[i] === '\\') text += value[++i] ?? '';
        else if (value[i] === '(' && depth++ === 0) continue;
        else if (value[i] === ')' && --depth === 0) break;
        else text += value[i];
      }
      tokens.push({ kind: 'comment', text, space });
      i++;
    } else if (ch === '<') {
      const end = value.indexOf('>', i);
      const stop = end < 0 ? value.length : end;
      tokens.push({ kind: 'angle', text: value.slice(i + 1, stop), space });
      i = stop + 1;
    } else {
      const m = /^[^\s,;:"(<]+/.exec(value.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], space });
      i += m[0].length;
    }
    space = false;
  }
  return tokens;
}

/** `local@domain` with a dot-atom or quoted local part (RFC 5322 3.4.1), lower-cased; else undefined. */
function addrSpec(text: string): string | undefined {
  const t = text.trim().replace(/^(?:@[^,:]+,?)+:/, ''); // an obsolete source route (@a,@b:) goes
  const m = /^("(?:[^"\\]|\\.)*"|[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[^\]]*\])$/.exec(t);
  return m ? t.toLowerCase() : undefined;
}

const ENCODED_WORD = /=\?[^?\s]+\?[bq]\?[^?\s]*\?=/i;

/**
 * Parses an address header's raw value. `decode` turns raw text (8-bit bytes, encoded words)
 * into a display name. `header` names the field in notes.
 */
export function parseAddressList(value: string, header: string, decode: (raw: string) => string): AddressListResult {
  const notes: string[] = [];
  const mailboxes: ParsedMailbox[] = [];
  let element: Token[] = [];
  const flush = () => {
    if (element.length) elementMailboxes(element, header, decode, mailboxes, notes);
    element = [];
  };
  for (const t of tokenize(value)) {
    if (t.kind === ',' || t.kind === ';') flush();
    else if (t.kind === ':') element = []; // a group's name: its mailboxes follow
    else element.push(t);
  }
  flush();
  const seen = new Set<string>();
  const unique = mailboxes.filter((m) => !seen.has(m.address) && seen.add(m.address));
  return { mailboxes: unique, notes };
}

type TextToken = Extract<Token, { text: string }>;

/** The mailboxes of one comma-separated element; more than one when a comma was missing. */
function elementMailboxes(tokens: Token[], header: string, decode: (raw: string) => string, out: ParsedMailbox[], notes: string[]): void {
  const words = tokens as TextToken[];
  const found: { address: string; name: TextToken[] }[] = [];
  let pending: TextToken[] = [];
  for (let i = 0; i < words.length; i++) {
    const t = words[i];
    const bare = t.kind === 'word' ? joinedAddress(words, i) : undefined;
    if (t.kind === 'angle') {
      found.push({ address: t.text, name: pending });
      pending = [];
    } else if (bare) {
      // `ada@x.org (Ada Lovelace)`: the old style puts the name in a comment after the address.
      const comment = words[bare.next]?.kind === 'comment' ? [words[bare.next]] : [];
      found.push({ address: bare.text, name: pending.length ? pending : comment });
      pending = [];
      i = bare.next - 1 + comment.length;
    } else pending.push(t);
  }
  const shown = words.map((w) => (w.kind === 'angle' ? `<${w.text}>` : w.kind === 'quoted' ? `"${w.text}"` : w.kind === 'comment' ? `(${w.text})` : w.text)).join(' ');
  if (found.length === 0) {
    const why = ENCODED_WORD.test(shown) ? ' (an encoded word is text, never an address)' : '';
    notes.push(`${header}: '${clip(decode(shown))}' has no address${why}; left out`);
    return;
  }
  if (found.length > 1) notes.push(`${header}: a comma was missing between ${found.length} mailboxes in '${clip(shown)}'; read as ${found.length}`);
  for (const f of found) {
    const address = addrSpec(f.address);
    if (!address) {
      notes.push(`${header}: '${clip(f.address)}' is not an address; left out`);
      continue;
    }
    if (!isEmailAddress(address)) {
      notes.push(`${header}: '${clip(address)}' has no dot in its domain, which tb check refuses; left out`);
      continue;
    }
    const raw = f.name.filter((w) => w.kind !== 'comment' || f.name.length === 1).map((w) => (w.space ? ' ' : '') + w.text).join('').trim();
    const name = decode(raw).replace(/\s+/g, ' ').trim().replace(/^["']|["']$/g, '');
    out.push({ address, ...(name && name.toLowerCase() !== address ? { name } : {}) });
  }
}

/** A bare address starting at word `i` (`ada@x.org`, also split as `ada` `@x.org` by odd spacing). */
function joinedAddress(words: TextToken[], i: number): { text: string; next: number } | undefined {
  let text = words[i].text;
  let j = i + 1;
  while (j < words.length && words[j].kind === 'word' && !words[j].space && (text.endsWith('@') || words[j].text.startsWith('@'))) text += words[j++].text;
  return text.includes('@') && !ENCODED_WORD.test(text) ? { text, next: j } : undefined;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * Raw header text as Unicode: 8-bit bytes through the charset chain, then RFC 2047 encoded words
 * (adjacent words joined without the space between them), each word's bytes through the chain
 * with its own label first. `guessed` collects what was not plain UTF-8.
 */
export function decodeHeaderText(raw: string, chain: CharsetChain, what: string, guessed: string[]): string {
  const text = /[\x80-\xff]/.test(raw) ? chain.decode(Buffer.from(raw, 'latin1'), undefined, what, guessed) : raw;
  // Whitespace between two encoded words is not text (RFC 2047 6.2).
  return text.replace(/(\?=)\s+(?==\?[^?\s]+\?[bq]\?)/gi, '$1').replace(/=\?([^?*\s]+)(?:\*[^?\s]*)?\?([bq])\?([^?\s]*)\?=/gi, (_word, label: string, enc: string, data: string) => {
    const bytes = enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64') : qBytes(data);
    return chain.decode(bytes, label, what, guessed);
  });
}

/** The Q encoding of RFC 2047: `_` is a space, `=XX` a byte. */
function qBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '_') bytes.push(0x20);
    else if (ch === '=' && /^[0-9a-f]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(ch.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}
