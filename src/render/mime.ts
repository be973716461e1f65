/**
 * Campaign messages as RFC 5322 / MIME bytes (docs/campaigns.md, "Messages"). Built with
 * nodemailer's MailComposer, a maintained builder that gets the hard parts right: RFC 2047
 * encoded-words for non-ASCII names and subjects, quoted-printable UTF-8 bodies, the
 * multipart/alternative structure, folding of long headers.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { marked } from 'marked';
import { escapeHtml } from './html.js';

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

/** The message as bytes with CRLF line ends, as RFC 5322 has it (an .eml file). */
export async function buildMessage(m: OutgoingMessage): Promise<Buffer> {
  const headers: Record<string, string> = {};
  if (m.listUnsubscribe) headers['List-Unsubscribe'] = m.listUnsubscribe;
  const mail = new MailComposer({
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId: m.messageId,
    date: m.date,
    headers,
    textEncoding: 'quoted-printable',
  });
  return mail.compile().build();
}

/** A Message-ID: unique per campaign, recipient and send, at the sender's domain. */
export function messageIdFor(campaignId: string, contactId: string, stamp: string, fromAddress: string): string {
  const domain = /@([^@\s>]+)$/.exec(fromAddress)?.[1] ?? 'touchbase.invalid';
  return `<${campaignId}.${contactId}.${stamp}@${domain}>`;
}
