/** `tb campaign send` (docs/campaigns.md, "Sending", "Never a double send"): wiring; the delivery is store/campaign-send.ts. */
import os from 'node:os';
import type { App } from '../app.js';
import { DataError, TbError, UsageError } from '../errors.js';
import type { CrmRecord } from '../core/types.js';
import { interactionBaseId, interactionSubdir, ordered } from '../core/records.js';
import { DEFAULT_SENDMAIL, emlDirTransport, isMboxHead, mboxTransport, sendmailTransport } from '../store/mail-transport.js';
import { guardOutputPath } from '../store/output-path.js';
import type { Transport } from '../store/mail-transport.js';
import { sendCampaignMessages } from '../store/campaign-send.js';
import type { PreparedMessage, SendOutcome } from '../store/campaign-send.js';
import { loadCampaignData, prepare } from './campaign-common.js';
import { formatAddress, missingLines, skippedJson, type Prepared } from '../core/campaign-prepare.js';

export interface SendOptions {
  out?: string;
  mbox?: string;
  sendmail?: string | boolean;
  dryRun?: boolean;
  newOnly?: boolean;
  retryUnknown?: boolean;
}

/** The transport named by the options, its output path checked by the one guard before anything is read. */
function chooseTransport(app: App, opts: SendOptions): () => Transport {
  const chosen = [opts.out !== undefined && '--out', opts.mbox !== undefined && '--mbox', opts.sendmail !== undefined && '--sendmail'].filter(Boolean);
  if (chosen.length !== 1) {
    throw new UsageError(chosen.length ? `give only one of ${chosen.join(', ')}` : 'say where the messages go: --out DIR, --mbox FILE or --sendmail [COMMAND]', 'e.g. tb campaign send <campaign> --out outbox/ --dry-run');
  }
  const cwd = app.sys.cwd;
  if (opts.out !== undefined) {
    const abs = guardOutputPath(app.root, cwd, opts.out, { option: '--out', what: 'the messages', example: 'outbox/', kind: 'folder' });
    return () => emlDirTransport(abs, opts.out!);
  }
  if (opts.mbox !== undefined) {
    const abs = guardOutputPath(app.root, cwd, opts.mbox, { option: '--mbox', what: 'the mbox', example: 'sent.mbox', kind: 'file', accepts: isMboxHead });
    return () => mboxTransport(abs, opts.mbox!, app.sys.now);
  }
  const command = typeof opts.sendmail === 'string' && opts.sendmail.trim() ? opts.sendmail.trim() : DEFAULT_SENDMAIL;
  return () => sendmailTransport(command, cwd, app.env);
}

/** Warnings about what an earlier, interrupted run left: recorded now, or unknown. */
function reportSettled(app: App, id: string, outcome: SendOutcome): void {
  if (outcome.recovered.length) app.warn(`${outcome.recovered.length} message${outcome.recovered.length === 1 ? '' : 's'} of an interrupted send found delivered and recorded now`);
  if (outcome.skipped.length) app.warn(`${outcome.skipped.length} recipient${outcome.skipped.length === 1 ? ' was' : 's were'} sent meanwhile by another run; left out`);
  if (outcome.unknown.length) {
    app.warn(`${outcome.unknown.length} recipient${outcome.unknown.length === 1 ? '' : 's'} of ${id} unknown: tb stopped while sendmail had the message (${outcome.unknown.slice(0, 5).map((u) => u.address).join(', ')}${outcome.unknown.length > 5 ? ', …' : ''}); check your sent folder; not sent again unless --retry-unknown`);
  }
}

/** Refuses a campaign sent before (without --new-only), a placeholder some recipient lacks, an unknown channel. */
function assertSendable(p: Prepared, channels: readonly string[], opts: SendOptions): void {
  const { campaign, record } = p;
  if (campaign.status === 'sent' && !opts.newOnly) {
    throw new DataError(`campaign ${campaign.id} was already sent${campaign.sent ? ` on ${campaign.sent}` : ''}; refusing to send it again`, { path: record.path }, 'tb campaign send <campaign> --new-only sends to contacts who joined the segment since');
  }
  const problems = missingLines(p);
  if (problems.length) {
    throw new DataError(`campaign ${campaign.id}: ${problems[0]}; nothing was sent`, { path: record.path }, problems.length > 1 ? problems.slice(1).join('; ') : 'add the field to those contacts, or a default: {{field|default}}');
  }
  const channel = campaign.channel;
  if (!channels.includes(channel)) throw new DataError(`campaign ${campaign.id}: unknown channel '${channel}'`, { path: record.path }, `use one of: ${channels.join(', ')}`);
}

/** One message per rendered recipient, with the interaction that records it. */
async function buildMessages(app: App, p: Prepared): Promise<PreparedMessage[]> {
  const { campaign } = p;
  const { channel } = campaign;
  const today = app.today;
  const stamp = app.sys.now.getTime().toString(36);
  const { buildMessage, markdownToHtml, messageIdFor } = await import('../render/mime.js');
  const messages: PreparedMessage[] = [];
  for (const r of p.rendered) {
    const messageId = messageIdFor(campaign.id, r.contact.id, stamp, p.from.address);
    const bytes = await buildMessage({ from: p.from, to: r.to, subject: r.subject, text: r.text, html: markdownToHtml(r.htmlMarkdown, r.subject), messageId, date: app.sys.now, ...(r.listUnsubscribe ? { listUnsubscribe: r.listUnsubscribe } : {}) });
    const data = ordered('interaction', {
      date: app.nowLocal, contacts: [r.contact.id], channel, direction: 'out', summary: r.subject,
      owner: campaign.owner, campaign: campaign.id, message_id: messageId,
    });
    messages.push({ contactId: r.contact.id, address: r.to.address, messageId, bytes, interaction: { type: 'interaction', baseId: interactionBaseId(today, r.contact.id, channel), subdir: interactionSubdir(today), data, randomSuffix: true } });
  }
  return messages;
}

export async function sendCampaign(app: App, ref: string, opts: SendOptions): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const makeTransport = chooseTransport(app, opts);
  const ds = await loadCampaignData(app);
  const p = await prepare(app, ds, ref);
  const { campaign, record } = p;
  assertSendable(p, ds.config.channels, opts);
  const today = app.today;
  const messages = await buildMessages(app, p);
  const summary = {
    campaign: campaign.id,
    dry_run: Boolean(opts.dryRun),
    recipients: p.rendered.map((r) => ({ id: r.contact.id, email: r.to.address })),
    skipped: skippedJson(p.audience),
  };
  if (opts.dryRun) {
    if (format === 'json') return app.out(JSON.stringify({ ...summary, sent: [] }, null, 2));
    app.say(`Would send ${messages.length} message${messages.length === 1 ? '' : 's'} for ${campaign.id}${p.audience.skipped.length ? ` (${p.audience.skipped.length} left out: tb campaign preview ${campaign.id})` : ''}; nothing sent (--dry-run)`);
    for (const r of p.rendered) app.say(`  ${r.contact.id}  ${formatAddress(r.to)}`);
    return;
  }
  if (!messages.length) {
    if (format === 'json') return app.out(JSON.stringify({ ...summary, sent: [] }, null, 2));
    app.say(`Nothing to send for ${campaign.id}: no recipient left${p.audience.skipped.length ? ` (${p.audience.skipped.length} left out: tb campaign preview ${campaign.id})` : ''}`);
    return;
  }
  const transport = makeTransport();
  const done = [{ key: 'status', value: 'sent' }, ...(campaign.sent ? [] : [{ key: 'sent', value: today }])];
  const recordedIds = new Set(ds.interactions.map((i) => String(i.data.message_id ?? '')).filter(Boolean));
  const outcome = await sendCampaignMessages({
    root: app.root, campaignId: campaign.id, campaignRel: record.path, messages, transport, done, recordedIds,
    retryUnknown: Boolean(opts.retryUnknown), onSent: (rec) => app.wrote(rec.path),
  });
  for (const rec of outcome.recovered) app.wrote(rec.path);
  app.wrote(record.path, `campaign: send ${campaign.id} (${outcome.sent.length + outcome.recovered.length} message${outcome.sent.length + outcome.recovered.length === 1 ? '' : 's'})`);
  reportSettled(app, campaign.id, outcome);
  const left = messages.length - outcome.sent.length - outcome.skipped.length - outcome.recovered.length - outcome.unknown.length;
  if (outcome.interrupted) {
    throw new TbError(`interrupted (${outcome.interrupted}) after sending ${outcome.sent.length} of ${messages.length}; run the same command again to send the remaining ${left}`, 128 + (os.constants.signals[outcome.interrupted] ?? 15));
  }
  if (outcome.failed) {
    app.warn(`sent and recorded ${outcome.sent.length} of ${messages.length}; ${left} not sent`);
    throw new DataError(`${outcome.failed.error.message}; run the same command again to send the remaining ${left}`, undefined, outcome.failed.error.hint);
  }
  if (format === 'json') {
    const rows = (recs: CrmRecord[]) => recs.map((rec) => ({ contact: rec.data.contacts, message_id: rec.data.message_id, interaction: rec.path }));
    return app.out(JSON.stringify({
      ...summary, via: transport.describe, sent: rows(outcome.sent), recovered: rows(outcome.recovered),
      unknown: outcome.unknown.map((u) => ({ id: u.contactId, email: u.address })), sent_meanwhile: outcome.skipped,
    }, null, 2));
  }
  app.say(`Sent ${outcome.sent.length} message${outcome.sent.length === 1 ? '' : 's'} for ${campaign.id} via ${transport.describe}; recorded as interactions (${record.path}: status sent)`);
}
