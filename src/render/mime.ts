/**
 * Campaign messages as RFC 5322 / MIME bytes (docs/campaigns.md, "Messages"). Built with
 * nodemailer's MailComposer, a maintained builder that gets the hard parts right: RFC 2047
 * encoded-words for non-ASCII names and subjects, quoted-printable UTF-8 bodies, the
 * multipart/alternative structure, folding of long headers.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { marked } from 'marked';
import { escapeHtml } from './html.js';
import { stripControlChars } from '../core/control-chars.js';

// Re-exported for the campaign command, which loads this module for sending anyway.
export { escapeHtml };

export interface Address {
  name?: string;
  address: string;
}

export interface OutgoingMessage {
  from: Address;
  to: Address;
  subject: string;
  /** The plain-text part: the rendered Markdown as written. */
  text: string;
  /** The HTML part, rendered from the same Markdown. */
  html: string;
  messageId: string;
  date: Date;
  /** The List-Unsubscribe header value (`<mailto:…>, <https://…>`), when configured. */
  listUnsubscribe?: string;
}

/** The HTML part: the Markdown rendered by `marked`, in a minimal UTF-8 document. */
export function markdownToHtml(markdown: string, title: string): string {
  const body = marked.parse(markdown, { async: false, gfm: true });
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}</body></html>\n`;
}

/** Display names longer than this are cut (with …): a name is cosmetic, and MTAs cap header sizes. */
export const MAX_DISPLAY_NAME = 200;
/** A run of non-blank characters longer than this cannot be folded (RFC 5322 folds at blanks only). */
const LONGEST_FOLDABLE_WORD = 60;

/** Header text: control characters (ESC, NUL, CR, LF …) dropped, runs of blanks made one space. */
export function headerText(text: string, max = Infinity): string {
  const clean = stripControlChars(text.replace(/[\r\n\t]+/g, ' ')).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** RFC 2047 Q encoded-words of at most 75 characters each, separated by spaces (so they fold). */
export function encodedWords(text: string): string {
  const words: string[] = [];
  let cur = '';
  for (const ch of text) {
    const enc = /[A-Za-z0-9!*+\-/]/.test(ch) ? ch : ch === ' ' ? '_' : [...Buffer.from(ch, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    if (cur.length + enc.length > 63) {
      words.push(cur);
      cur = '';
    }
    cur += enc;
  }
  if (cur) words.push(cur);
  return words.map((w) => `=?UTF-8?Q?${w}?=`).join(' ');
}

const unfoldable = (text: string) => new RegExp(`\\S{${LONGEST_FOLDABLE_WORD + 1},}`).test(text);

/**
 * A display name that folds: a run of more than 60 non-blank characters gets a space every 60
 * (the builder encodes names itself, and leaves a plain-ASCII word unbroken).
 */
function foldableName(name: string): string {
  return name.replace(new RegExp(`\\S{${LONGEST_FOLDABLE_WORD + 1},}`, 'g'), (word) => word.replace(new RegExp(`(\\S{${LONGEST_FOLDABLE_WORD}})(?=\\S)`, 'g'), '$1 '));
}

/** A subject the builder would leave as one unfoldable line: given already encoded as short encoded-words. */
function foldableHeaders(subject: string): Record<string, { prepared: true; foldLines: true; value: string }> {
  return unfoldable(subject) ? { Subject: { prepared: true, foldLines: true, value: encodedWords(subject) } } : {};
}

/**
 * The message as bytes with CRLF line ends, as RFC 5322 has it (an .eml file). Names and the
 * subject lose control characters (docs/campaigns.md, "Messages"); every header line is folded.
 */
export async function buildMessage(m: OutgoingMessage): Promise<Buffer> {
  const to = { address: m.to.address, ...(m.to.name ? { name: foldableName(headerText(m.to.name, MAX_DISPLAY_NAME)) } : {}) };
  const from = { address: m.from.address, ...(m.from.name ? { name: foldableName(headerText(m.from.name, MAX_DISPLAY_NAME)) } : {}) };
  const subject = headerText(m.subject);
  const headers: Record<string, string | { prepared: true; foldLines: true; value: string }> = { ...foldableHeaders(subject) };
  if (m.listUnsubscribe) headers['List-Unsubscribe'] = headerText(m.listUnsubscribe);
  const mail = new MailComposer({
    from,
    to,
    // A prepared Subject header is used only when the builder has none of its own.
    ...(headers.Subject ? {} : { subject }),
    text: m.text,
    html: m.html,
    messageId: m.messageId,
    date: m.date,
    headers,
    textEncoding: 'quoted-printable',
  });
  // Every line ends CRLF (RFC 5322): the builder leaves a plain-text body's own line ends as LF.
  const built = await mail.compile().build();
  return Buffer.from(built.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

/** A Message-ID: unique per campaign, recipient and send, at the sender's domain. */
export function messageIdFor(campaignId: string, contactId: string, stamp: string, fromAddress: string): string {
  const domain = /@([^@\s>]+)$/.exec(fromAddress)?.[1] ?? 'touchbase.invalid';
  return `<${campaignId}.${contactId}.${stamp}@${domain}>`;
}
