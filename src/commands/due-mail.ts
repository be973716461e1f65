/**
 * `tb due --mail-to ADDRESS` (docs/cron-and-digest.md, "The digest by mail"): the digest as one
 * MIME message (plain text and HTML) through the campaign transports — sendmail (the default),
 * `--mbox FILE` or `--out DIR` — so a cron line needs no `mail` command. Nothing is sent when
 * nothing is due.
 */
import type { App } from '../app.js';
import { UsageError } from '../errors.js';
import type { Config } from '../core/types.js';
import { parseAddress } from '../core/campaign-prepare.js';
import type { Address } from '../core/campaign-prepare.js';
import { DEFAULT_SENDMAIL, emlDirTransport, isMboxHead, mboxTransport, sendmailTransport } from '../store/mail-transport.js';
import type { Transport } from '../store/mail-transport.js';
import { guardOutputPath } from '../store/output-path.js';

export interface DigestMailOptions {
  mailTo?: string;
  mailFrom?: string;
  sendmail?: string | boolean;
  mbox?: string;
  out?: string;
}

/** Whether any mail option was given without --mail-to (a slip), or --mail-to with another format. */
export function checkDigestMailOptions(app: App, opts: DigestMailOptions): Address | undefined {
  const transportGiven = opts.sendmail !== undefined || opts.mbox !== undefined || opts.out !== undefined || opts.mailFrom !== undefined;
  if (opts.mailTo === undefined) {
    if (transportGiven) throw new UsageError('--sendmail, --mbox, --out and --mail-from go with --mail-to ADDRESS', 'e.g. tb due --mail-to me@example.com --sendmail');
    return undefined;
  }
  const to = parseAddress(opts.mailTo);
  if (!to) throw new UsageError(`--mail-to '${opts.mailTo}' is not an email address`, 'e.g. --mail-to "Sam Lee <sam@example.com>"');
  if (app.opts.format !== undefined && app.opts.format !== 'text') throw new UsageError('--mail-to sends the digest as text and HTML; leave out --format');
  const chosen = [opts.sendmail !== undefined && '--sendmail', opts.mbox !== undefined && '--mbox', opts.out !== undefined && '--out'].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`give only one of ${chosen.join(', ')}`);
  return to;
}

/** The transport, its output path checked now (before anything is read). Sendmail by default. */
export function digestTransport(app: App, opts: DigestMailOptions): () => Transport {
  if (opts.out !== undefined) {
    const abs = guardOutputPath(app.root, app.sys.cwd, opts.out, { option: '--out', what: 'the digest', example: 'outbox/', kind: 'folder' });
    return () => emlDirTransport(abs, opts.out!);
  }
  if (opts.mbox !== undefined) {
    const abs = guardOutputPath(app.root, app.sys.cwd, opts.mbox, { option: '--mbox', what: 'the mbox', example: 'digest.mbox', kind: 'file', accepts: isMboxHead });
    return () => mboxTransport(abs, opts.mbox!, app.sys.now);
  }
  const command = typeof opts.sendmail === 'string' && opts.sendmail.trim() ? opts.sendmail.trim() : DEFAULT_SENDMAIL;
  return () => sendmailTransport(command, app.sys.cwd, app.env);
}

/** From: --mail-from, else the `me` owner's email, else the recipient (a digest to oneself). */
function senderOf(app: App, config: Config, to: Address, mailFrom: string | undefined): Address {
  if (mailFrom !== undefined) {
    const from = parseAddress(mailFrom);
    if (!from) throw new UsageError(`--mail-from '${mailFrom}' is not an email address`);
    return from;
  }
  const me = app.me()?.id;
  const def = me ? config.owners[me] : undefined;
  return def?.email ? { ...(def.name ? { name: def.name } : {}), address: def.email } : to;
}

export interface DigestMail {
  to: Address;
  subject: string;
  text: string;
  markdown: string;
  items: number;
}

/** Builds and sends the digest message; says where it went only on a terminal (cron stays quiet). */
export async function sendDigestMail(app: App, config: Config, mail: DigestMail, opts: DigestMailOptions, makeTransport: () => Transport): Promise<void> {
  const { buildMessage, escapeHtml, markdownToHtml } = await import('../render/mime.js');
  const from = senderOf(app, config, mail.to, opts.mailFrom);
  const stamp = app.sys.now.getTime().toString(36);
  const domain = /@([^@\s>]+)$/.exec(from.address)?.[1] ?? 'touchbase.invalid';
  // The digest's Markdown holds record text: escaped first, so a name like <img …> stays text.
  const html = markdownToHtml(mail.markdown.replace(/[&<>]/g, (c) => escapeHtml(c)), mail.subject);
  const bytes = await buildMessage({ from, to: mail.to, subject: mail.subject, text: mail.text, html, messageId: `<due.${app.today}.${stamp}@${domain}>`, date: app.sys.now });
  const transport = makeTransport();
  const name = `due-${app.today}-${stamp}`;
  await transport.deliver(bytes, name, transport.target(bytes, name));
  if (app.sys.stdoutIsTTY) app.say(`Mailed the digest (${mail.items} item${mail.items === 1 ? '' : 's'}) to ${mail.to.address} via ${transport.describe}`);
}
