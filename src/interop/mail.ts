/**
 * One e-mail message (RFC 5322 / MIME) in, a plain object out: the addresses, the decoded subject,
 * the readable text, attachment names and sizes, and the ids that thread and de-duplicate it.
 * MIME decoding (transfer encodings, charsets, RFC 2047 words, HTML to text, message/rfc822 parts)
 * is postal-mime's; this module adds the limits that keep hostile input to one problem per message
 * and the trimming of quoted replies and signatures (docs/mail.md, "What is kept").
 */
import { createHash } from 'node:crypto';
import { c1AsWindows1252 } from './decode.js';
import { stripControlChars } from '../core/control-chars.js';
import type { Email } from 'postal-mime';
import { CharsetChain, getDecoderLabel } from './charsets.js';
import { decodeHeaderText, parseAddressList, rawHeaders } from './mail-headers.js';
import type { RawHeaders } from './mail-headers.js';
import { declaredCharsets, parseMime } from './mail-mime.js';
import { parseMailDate } from './mail-date.js';

export interface MailAddress {
  /** Lower-cased address. */
  address: string;
  /** Decoded display name, when the header has one. */
  name?: string;
}

export interface MailAttachment {
  name: string;
  /** Decoded size in bytes. */
  size: number;
}

export interface MailMessage {
  /** Message-ID without angle brackets. */
  messageId?: string;
  /** A stable id from the headers, for messages without a Message-ID: `hash:` and 16 hex digits. */
  headerHash: string;
  /** The thread root: first References id, else In-Reply-To (only replies have one). */
  thread?: string;
  /** Sending instant (ms since 1970) from the Date header, when it has a usable one. */
  sent?: number;
  /** The Date header as written when it is not a usable date. */
  badDate?: string;
  /** When the topmost Received header says the message arrived (ms since 1970), if it says. */
  received?: number;
  from: MailAddress[];
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  /** The readable text: text/plain preferred, else HTML as text; quoted history and signature cut. */
  text: string;
  attachments: MailAttachment[];
  /** Things worth telling the user that did not stop the import (an unknown charset). */
  warnings: string[];
  /** Why the headers say no person wrote it to a person: a list, bulk or automated mail. */
  bulk?: BulkClass;
}

export type BulkClass = 'mailing list' | 'bulk mail' | 'automated';

/**
 * List and bulk mail by the headers its senders set: List-Id/List-Unsubscribe (RFC 2919, 2369),
 * Precedence (list, bulk, junk), Auto-Submitted other than `no` (RFC 3834).
 */
function bulkClass(headers: RawHeaders): BulkClass | undefined {
  const precedence = headers.get('precedence')?.[0]?.trim().toLowerCase();
  const auto = headers.get('auto-submitted')?.[0]?.replace(/\(.*?\)/g, '').trim().toLowerCase();
  if (auto && auto !== 'no') return 'automated';
  if (headers.has('list-id') || headers.has('list-unsubscribe') || precedence === 'list') return 'mailing list';
  if (precedence === 'bulk' || precedence === 'junk') return 'bulk mail';
  return undefined;
}

/** Limits per message; a message beyond one is a problem for that message only (docs/mail.md). */
export interface MailLimits {
  /** Whole message, bytes. */
  maxMessageBytes: number;
  /** The top-level header block, bytes (and all part headers together). */
  maxHeaderBytes: number;
  /** Nested multipart / message parts. */
  maxNestingDepth: number;
  /** MIME parts in one message. */
  maxParts: number;
  /** Characters of body text kept in the interaction. */
  maxTextChars: number;
}

export const DEFAULT_MAIL_LIMITS: MailLimits = {
  // Above what mail providers deliver (Gmail and Outlook.com stop at 25–50 MB of attachments).
  maxMessageBytes: 64 * 1024 * 1024,
  maxHeaderBytes: 256 * 1024,
  maxNestingDepth: 32,
  maxParts: 1000,
  maxTextChars: 100_000,
};

/** A message that cannot be imported; the message says why, in words for the user. */
export class MailParseError extends Error {}

/** Parses one raw message; throws MailParseError for a message beyond the limits or unreadable. */
export async function parseMessage(raw: Uint8Array, limits: MailLimits = DEFAULT_MAIL_LIMITS, legacyCharset = 'windows-1252'): Promise<MailMessage> {
  if (raw.byteLength > limits.maxMessageBytes) throw new MailParseError(tooLarge(raw.byteLength, limits.maxMessageBytes));
  const headerEnd = headerBlockEnd(raw, limits.maxHeaderBytes);
  if (headerEnd < 0) throw new MailParseError(`the header is over ${kb(limits.maxHeaderBytes)} (limit)`);
  const latin1 = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  if (headerEnd === 0 || !/^[!-9;-~]+:/m.test(latin1.slice(0, headerEnd))) throw new MailParseError('not an e-mail message (no header lines)');
  const parts = countParts(latin1);
  if (parts > limits.maxParts) throw new MailParseError(`${parts} MIME parts, over the limit of ${limits.maxParts}`);
  const labels = declaredCharsets(latin1);
  const chain = new CharsetChain(labels, legacyCharset);
  const guessed: string[] = [];
  let email: Email;
  try {
    email = await parseMime(raw, limits, chain, guessed);
  } catch (err) {
    throw new MailParseError(`cannot be read as MIME: ${(err as Error).message}`);
  }
  const unknown = labels.filter((l) => getDecoderLabel(l) === undefined);
  return toMessage(email, latin1.slice(0, headerEnd), { chain, guessed, unknown }, limits);
}

export function tooLarge(size: number, limit: number): string {
  return `the message is ${mb(size)}, over the ${mb(limit)} limit`;
}

function kb(n: number): string {
  return `${Math.round(n / 1024)} KB`;
}

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Offset of the blank line that ends the top-level header, or -1 when none comes within `max`
 * bytes (a message that is all header is fine when short).
 */
function headerBlockEnd(raw: Uint8Array, max: number): number {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, max + 4));
  const lf = buf.indexOf('\n\n');
  const crlf = buf.indexOf('\r\n\r\n');
  const ends = [lf, crlf].filter((i) => i >= 0);
  if (ends.length) {
    const end = Math.min(...ends);
    return end <= max ? end : -1;
  }
  return raw.byteLength <= max ? raw.byteLength : -1;
}

/** Parts by their Content-Type headers: cheap, and enough to refuse a bomb before parsing it. */
function countParts(text: string): number {
  let n = 0;
  const re = /^content-type:/gim;
  while (re.exec(text)) n++;
  return n;
}

/** The delivery time of the topmost Received header: the date after its last `;`. */
function receivedAt(headers: RawHeaders): number | undefined {
  const raw = headers.get('received')?.[0];
  const at = raw?.lastIndexOf(';') ?? -1;
  return raw && at >= 0 ? parseMailDate(raw.slice(at + 1)) : undefined;
}

interface Decoding {
  chain: CharsetChain;
  /** Notes of the chain: text that was not what its label (or UTF-8) said. */
  guessed: string[];
  /** Labels no decoder knows. */
  unknown: string[];
}

function toMessage(email: Email, header: string, dec: Decoding, limits: MailLimits): MailMessage {
  const headers = rawHeaders(header);
  const notes: string[] = [];
  const text1 = (raw: string, what: string) => oneLine(decodeHeaderText(raw, dec.chain, what, dec.guessed));
  const list = (key: string, shown: string) => {
    const found = (headers.get(key) ?? []).map((v) => parseAddressList(v, shown, (raw) => text1(raw, `${shown} display name`)));
    notes.push(...found.flatMap((f) => f.notes));
    return found.flatMap((f) => f.mailboxes);
  };
  const dateText = headers.get('date')?.[0];
  const sentAt = dateText ? parseMailDate(dateText) : undefined;
  const references = messageIds(email.references);
  const inReplyTo = messageIds(email.inReplyTo)[0];
  let text = trimReply(c1AsWindows1252(email.text ?? '').replace(/\r\n?/g, '\n')).replace(/\n{3,}/g, '\n\n');
  const subject = text1(headers.get('subject')?.[0] ?? '', 'Subject');
  const message: MailMessage = {
    messageId: messageIds(email.messageId)[0],
    headerHash: headerHash(header),
    thread: references[0] ?? inReplyTo,
    sent: sentAt,
    badDate: sentAt === undefined ? dateText?.trim() || undefined : undefined,
    received: sentAt === undefined ? receivedAt(headers) : undefined,
    from: list('from', 'From'),
    replyTo: list('reply-to', 'Reply-To'),
    to: list('to', 'To'),
    cc: list('cc', 'Cc'),
    bcc: list('bcc', 'Bcc'),
    subject,
    text: '',
    attachments: email.attachments
      .filter((a) => a.disposition === 'attachment' || (a.filename && !a.related))
      .map((a) => ({ name: a.filename ? oneLine(a.filename) : `unnamed.${a.mimeType.split('/')[1] ?? 'bin'}`, size: byteSize(a.content) })),
    bulk: bulkClass(headers),
    warnings: [...dec.unknown.map((c) => `unknown charset '${c}'; its text was read as ${dec.chain.legacy}`), ...new Set(dec.guessed), ...notes],
  };
  if (text.length > limits.maxTextChars) {
    text = `${text.slice(0, limits.maxTextChars)}\n\n[… cut at ${limits.maxTextChars} characters]`;
    message.warnings.push(`body text cut at ${limits.maxTextChars} characters`);
  }
  message.text = text;
  message.warnings.push(...replacementNotes(message));
  return message;
}

/** U+FFFD is never written without a note naming where it is (bytes no charset could read). */
function replacementNotes(m: MailMessage): string[] {
  const where = [
    m.subject.includes('\ufffd') ? 'Subject' : '',
    [...m.from, ...m.replyTo, ...m.to, ...m.cc, ...m.bcc].some((a) => a.name?.includes('\ufffd')) ? 'a display name' : '',
    m.text.includes('\ufffd') ? 'the body' : '',
  ].filter(Boolean);
  return where.length ? [`${where.join(', ')} holds U+FFFD (\ufffd): bytes that could not be read in any charset`] : [];
}

/** A header text as one clean line: C1 read as windows-1252, whitespace runs one space, ESC/NUL/bidi overrides dropped (docs/mail.md). */
function oneLine(text: string): string {
  return stripControlChars(c1AsWindows1252(text).replace(/\s+/g, ' ')).trim();
}

function byteSize(content: ArrayBuffer | Uint8Array | string): number {
  return typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
}

/** `<a@x> <b@y>` → ['a@x', 'b@y']; a bare id without brackets is taken whole. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]);
  if (bracketed.length) return bracketed;
  const bare = value.trim();
  return bare && !/\s/.test(bare) ? [bare] : [];
}

/**
 * The identity of a message without a Message-ID: a hash of the headers that do not change when
 * the same message is delivered or copied again (From, To, Cc, Date, Subject as written).
 */
function headerHash(header: string): string {
  const unfolded = header.replace(/\r?\n[ \t]+/g, ' ');
  const pick = ['from', 'to', 'cc', 'date', 'subject'].map((name) => {
    const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded);
    return `${name}:${(m?.[1] ?? '').trim()}`;
  });
  return `hash:${createHash('sha256').update(pick.join('\n')).digest('hex').slice(0, 16)}`;
}

/** Lines that start the quoted history of a reply, as the common clients write it. */
const ATTRIBUTION = [
  /^On .{4,300}wrote:\s*$/, // Gmail, Apple Mail, Thunderbird, mutt ("On Tue, … Ada <ada@x> wrote:")
  /^Am .{4,300}schrieb .{1,200}:\s*$/, // German clients
  /^Le .{4,300}a écrit\s*:\s*$/, // French clients
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i, // Outlook (older); newer Outlook draws a rule of _ then From:/Sent:
];

/**
 * Cuts the quoted history a reply carries below the new text, and the signature (after the
 * standard `-- ` line). Quoted lines interleaved with new text (inline replies) are kept: only a
 * trailing quote goes. A forwarded message's text is never cut.
 */
export function trimReply(text: string): string {
  const lines = text.split('\n');
  let end = lines.length;
  const sig = lines.findIndex((l) => l === '-- ' || l === '--');
  if (sig > 0) end = sig;
  for (let i = 0; i < end; i++) {
    const line = lines[i].trim();
    const outlook = (/^_{10,}$/.test(line) && /^From:/i.test(lines[i + 1]?.trim() ?? '')) || ATTRIBUTION[3].test(line);
    const attribution = ATTRIBUTION.slice(0, 3).some((re) => re.test(line)) && isQuoteBelow(lines, i + 1, end);
    // Gmail wraps a long attribution: "On Tue, 17 Nov 2026 at 09:15, Ada Lovelace <" / "ada@x> wrote:"
    const wrapped = /^On .{4,300}$/.test(line) && /wrote:\s*$/.test(lines[i + 1]?.trim() ?? '') && isQuoteBelow(lines, i + 2, end);
    if ((outlook && i > 0) || attribution || wrapped) {
      end = i;
      break;
    }
  }
  // A trailing block of "> " lines (no attribution line) is history too.
  let j = end;
  while (j > 0 && (lines[j - 1].startsWith('>') || lines[j - 1].trim() === '')) j--;
  if (j > 0 && j < end && lines.slice(j, end).some((l) => l.startsWith('>'))) end = j;
  return lines.slice(0, end).join('\n').replace(/\s+$/, '').replace(/^\s*\n/, '');
}

/** Whether the lines from `from` to `end` are quoted ("> …") or blank, with at least one quote. */
function isQuoteBelow(lines: string[], from: number, end: number): boolean {
  let quoted = false;
  for (let i = from; i < end; i++) {
    const l = lines[i];
    if (l.startsWith('>')) quoted = true;
    else if (l.trim() !== '') return false;
  }
  return quoted || from >= end;
}
