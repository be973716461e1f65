/**
 * `tb campaign new|list|preview|send|report` (docs/campaigns.md): one message to a segment, sent
 * through the user's own mail transport, recorded so timelines and reports see it.
 */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { hasControlChars } from '../core/control-chars.js';
import { action, assertWritable } from './common.js';
import { DataError, TbError, UsageError } from '../errors.js';
import type { CrmRecord, Dataset, FrontMatter } from '../core/types.js';
import { buildDerived } from '../core/derived.js';
import { compileQuery } from '../core/query/index.js';
import { resolveRefOrExplain } from '../core/resolve.js';
import { displayName } from '../core/fields.js';
import { durationDays, parseDuration } from '../core/dates.js';
import { interactionBaseId, interactionSubdir, ordered } from '../core/records.js';
import { slugify } from '../core/slug.js';
import { foldText } from '../core/text.js';
import { didYouMean } from '../core/suggest.js';
import { parseTemplate, renderTemplate } from '../core/template.js';
import type { TemplatePart } from '../core/template.js';
import { alreadySent, campaignOf, campaignResults, campaignSettings, recipientEmail, recipientLookup, selectAudience } from '../core/campaign.js';
import type { Audience, Campaign, CampaignResult, CampaignSettings } from '../core/campaign.js';
import { createRecord } from '../store/write.js';
import { recordExistsAnywhere } from '../store/lookup.js';
import { DEFAULT_SENDMAIL, emlDirTransport, isMboxHead, mboxTransport, sendmailTransport } from '../store/mail-transport.js';
import { guardOutputPath } from '../store/output-path.js';
import type { Transport } from '../store/mail-transport.js';
import { readTemplateFile, sendCampaignMessages } from '../store/campaign-send.js';
import type { PreparedMessage, SendOutcome } from '../store/campaign-send.js';
import { recordJson } from '../render/records.js';
import { printCreated } from './output.js';
import { renderCsvTable, renderMarkdownTable, renderTable } from '../render/table.js';
import type { Cell } from '../render/table.js';
import { makeStyle } from '../render/style.js';

export interface NewCampaignOptions {
  segment?: string;
  subject?: string;
  bodyFile?: string;
  body?: string;
  owner?: string;
  from?: string;
  channel?: string;
}

interface SendOptions {
  out?: string;
  mbox?: string;
  sendmail?: string | boolean;
  dryRun?: boolean;
  newOnly?: boolean;
  retryUnknown?: boolean;
}

export function register(program: Command, getApp: GetApp): void {
  const cmd = program
    .command('campaign')
    .description('one message to a segment: new, list, preview, send, report')
    .addHelpText('after', `
Examples:
  $ tb campaign new "Winter update" --segment "stage:customer" --subject "News from {{owner.name}}" --body-file winter.md
  $ tb campaign preview winter-update --limit 2
  $ tb campaign send winter-update --out outbox/ --dry-run
  $ tb campaign send winter-update --sendmail                  pipes each message to sendmail -t -i
  $ tb campaign send winter-update --sendmail "msmtp -a work -t" --new-only
  $ tb campaign report --window 14d --format md

See docs/campaigns.md.
`);

  cmd
    .command('new')
    .description('create a campaign (a draft): the body file is the Markdown message template')
    .argument('<name>', 'the campaign name; its id is made from it')
    .option('--segment <query>', 'who gets it: a query over contacts or @segment (required)')
    .option('--subject <text>', 'the subject line; placeholders allowed (required)')
    .option('--body-file <file>', 'the Markdown template for the message body')
    .option('--body <text>', 'the template given inline instead of --body-file')
    .option('--owner <owner>', 'the sender (default: me, when me is a configured owner)')
    .option('--from <address>', 'From: address, e.g. "Sam Lee <sam@example.com>" (default: the owner\'s email)')
    .option('--channel <channel>', 'channel recorded on each interaction', 'email')
    .addHelpText('after', `
Placeholders: {{first_name}}, {{name}}, {{company}}, {{owner.name}}, any contact field ({{title}}),
with a default: {{first_name|there}}.

Examples:
  $ tb campaign new "Winter update" --segment "stage:customer -tag:churned" --subject "Hello {{first_name|there}}" --body-file winter.md
  $ tb campaign new "Event follow-up" --segment @met-at-expo --subject "Good to meet you" --body "Hi {{first_name}}, …"
`)
    .action(action(getApp, (app: App, name: string, opts: NewCampaignOptions) => newCampaign(app, name, opts)));

  cmd
    .command('list')
    .description('list campaigns with their status')
    .addHelpText('after', '\nFormats: --format table (default) | json | csv | md.\n\nExample:\n  $ tb campaign list --json\n')
    .action(action(getApp, listCampaigns));

  cmd
    .command('preview')
    .description('who would get it, who is left out and why, and the first rendered messages')
    .argument('<campaign>', 'campaign id, prefix or name')
    .option('--limit <n>', 'messages to show rendered', '1')
    .addHelpText('after', '\nFormats: --format text (default) | json.\n\nExamples:\n  $ tb campaign preview winter-update\n  $ tb campaign preview winter --limit 3 --json\n')
    .action(action(getApp, previewCampaign));

  cmd
    .command('send')
    .description('send through exactly one of --out, --mbox or --sendmail; each recipient is recorded as an interaction')
    .argument('<campaign>', 'campaign id, prefix or name')
    .option('--out <dir>', 'write one RFC 5322 .eml file per recipient into DIR')
    .option('--mbox <file>', 'append every message to an mbox FILE')
    .option('--sendmail [command]', `pipe each message to COMMAND (default: ${DEFAULT_SENDMAIL})`)
    .option('--dry-run', 'render and check everything, show who would get it; send and write nothing')
    .option('--new-only', 'for a campaign already sent: send only to contacts who joined the segment since')
    .option('--retry-unknown', 'send again to recipients whose delivery is unknown (tb stopped while sendmail had their message); check your sent folder first')
    .addHelpText('after', `
A campaign is sent once, by one tb at a time. Each recipient is claimed in .touchbase/sends/ before
the message is handed over and recorded right after: if the transport fails or tb is stopped
(TERM/INT are forwarded to sendmail and awaited), running the same command again continues with
the rest. A message whose fate cannot be known (sendmail had it when tb died) is reported as
unknown and not sent again unless --retry-unknown. Output paths never go through a symbolic link.

Examples:
  $ tb campaign send winter-update --out outbox/
  $ tb campaign send winter-update --mbox winter.mbox --dry-run
  $ tb campaign send winter-update --sendmail
  $ tb campaign send winter-update --sendmail "msmtp -t" --new-only
  $ tb campaign send winter-update --sendmail --new-only --retry-unknown   after checking the sent folder
  $ tb campaign send winter-update --out outbox/ --json
`)
    .action(action(getApp, sendCampaign));

  cmd
    .command('report')
    .description('what campaigns earned: recipients, replies, meetings, deals and won value within a window')
    .argument('[campaign]', 'one campaign (default: all that were sent)')
    .option('--window <duration>', 'how long after the send counts, e.g. 14d, 4w', '14d')
    .addHelpText('after', '\nFormats: --format table (default) | json | csv | md.\n\nExamples:\n  $ tb campaign report\n  $ tb campaign report winter-update --window 30d --json\n')
    .action(action(getApp, reportCampaigns));
}

// ---------------------------------------------------------------------------------------------
// new

/** `tb campaign new` and `tb add campaign`. */
export async function newCampaign(app: App, nameArg: string | undefined, opts: NewCampaignOptions): Promise<void> {
  app.format(['text', 'json'], 'text');
  const name = nameArg?.trim();
  if (!name) throw new UsageError('missing the name: tb campaign new "<name>" --segment QUERY --subject TEXT');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UsageError('the name cannot contain line breaks or control characters');
  if (!opts.segment?.trim()) throw new UsageError('missing --segment: who the campaign goes to', 'e.g. --segment "stage:customer" or --segment @at-risk');
  if (!opts.subject?.trim()) throw new UsageError('missing --subject', 'e.g. --subject "News from {{owner.name}}"');
  // A header line: CR, LF or other control characters would be rewritten or break the message.
  if (hasControlChars(opts.subject) || /[\r\n]/.test(opts.subject)) throw new UsageError('--subject must be one line of text without control characters (CR, LF, ESC …)');
  if (opts.body !== undefined && opts.bodyFile !== undefined) throw new UsageError('give --body or --body-file, not both');
  const body = opts.bodyFile !== undefined ? readBodyFile(app, opts.bodyFile) : opts.body ?? '';
  for (const [what, text] of [['--subject', opts.subject], ['the body', body]] as const) {
    const { errors } = parseTemplate(text);
    if (errors.length) throw new UsageError(`${what}: ${errors[0].message} (line ${errors[0].line}, column ${errors[0].column})`);
  }
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder', 'campaign'] });
  // The segment must be a query that works on contacts, checked now rather than at send time.
  segmentPredicate(app, ds, opts.segment);
  const channel = opts.channel ?? 'email';
  if (!ds.config.channels.includes(channel)) throw new UsageError(`unknown channel '${channel}'`, didYouMean(channel, ds.config.channels) ?? `use one of: ${ds.config.channels.join(', ')}`);
  const data: FrontMatter = ordered('campaign', {
    name, subject: opts.subject.trim(), segment: opts.segment.trim(), channel, status: 'draft',
    owner: app.defaultOwner(opts.owner), from: opts.from?.trim(), created: app.today,
  });
  const base = slugify(name) || 'campaign';
  assertWritable(ds, { type: 'campaign', id: base, path: `campaigns/${base}.md`, data });
  const rec = createRecord(app.root, { type: 'campaign', baseId: base, data, body: body.trim() ? `${body.trim()}\n` : undefined }, (id) => recordExistsAnywhere(app.root, id, 'campaign'));
  app.wrote(rec.path, `campaign: new ${name}`);
  // A second campaign of the same name is allowed (a newsletter sent again) but likely a slip.
  const same = ds.campaigns.filter((c) => foldText(displayName(c)).trim() === foldText(name).trim());
  if (same.length) app.warn(`a campaign named '${name}' already exists: ${same.map((c) => c.id).join(', ')}; this one is ${rec.id} (tb rm ${rec.id} if it was a slip)`);
  printCreated(app, rec, `Added campaign ${rec.id}`);
}

function readBodyFile(app: App, file: string): string {
  return readTemplateFile(path.resolve(app.sys.cwd, file), file, app.config().max_file_size);
}

// ---------------------------------------------------------------------------------------------
// list

async function listCampaigns(app: App): Promise<void> {
  const format = app.format(['table', 'json', 'csv', 'md'], 'table');
  const ds = await app.load({ types: ['campaign'] });
  const campaigns = [...ds.campaigns].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (format === 'json') return app.out(JSON.stringify(campaigns.map((c) => recordJson(c)), null, 2));
  const headers = ['id', 'name', 'status', 'sent', 'segment', 'subject'];
  const rows: Cell[][] = campaigns.map((r) => {
    const c = campaignOf(r);
    return [c.id, c.name, c.status, c.sent, c.segment, c.subject];
  });
  if (format === 'csv') return app.raw(renderCsvTable(headers, rows));
  if (format === 'md') return app.out(renderMarkdownTable(headers, rows));
  if (!rows.length) return app.say('No campaigns yet: tb campaign new "<name>" --segment QUERY --subject TEXT');
  app.out(renderTable(headers, rows, { width: app.columns, head: (s) => makeStyle(app.color).bold(s) }));
}

// ---------------------------------------------------------------------------------------------
// preview and send: shared preparation

interface Prepared {
  campaign: Campaign;
  record: CrmRecord;
  audience: Audience;
  settings: CampaignSettings;
  from: { name?: string; address: string };
  /** Per recipient: the rendered subject, text, html and List-Unsubscribe, or what is missing. */
  rendered: Array<{ contact: CrmRecord; to: { name?: string; address: string }; subject: string; text: string; htmlMarkdown: string; listUnsubscribe?: string; missing: string[] }>;
  members: number;
}

async function loadCampaignData(app: App): Promise<Dataset> {
  return app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder', 'campaign'], bodies: ['campaign'] });
}

function findCampaign(ds: Dataset, ref: string): CrmRecord {
  return resolveRefOrExplain(ds.campaigns, ref, 'campaign', ds.problems);
}

function segmentPredicate(app: App, ds: Dataset, segment: string): (c: CrmRecord) => boolean {
  const ctx = app.ctx();
  return compileQuery([segment], { dataset: ds, ctx, derived: buildDerived(ds, ctx), type: 'contact' });
}

function templateOf(campaign: CrmRecord, text: string, what: string): TemplatePart[] {
  const { parts, errors } = parseTemplate(text);
  if (errors.length) throw new DataError(`${what}: ${errors[0].message} (line ${errors[0].line}, column ${errors[0].column})`, { path: campaign.path });
  return parts;
}

/** `Name <address>` or a bare address. */
function parseAddress(text: string): { name?: string; address: string } | undefined {
  const m = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  if (m) return m[1] ? { name: m[1], address: m[2] } : { address: m[2] };
  return /^[^\s<>@]+@[^\s<>@]+$/.test(text.trim()) ? { address: text.trim() } : undefined;
}

async function prepare(app: App, ds: Dataset, ref: string): Promise<Prepared> {
  const record = findCampaign(ds, ref);
  const campaign = campaignOf(record);
  if (!campaign.segment) throw new DataError(`campaign ${campaign.id} has no segment`, { path: record.path }, 'set one: tb set <campaign> segment="stage:customer"');
  if (!campaign.subject) throw new DataError(`campaign ${campaign.id} has no subject`, { path: record.path }, 'set one: tb set <campaign> subject="…"');
  const config = ds.config;
  const ownerId = campaign.owner;
  const ownerDef = ownerId ? config.owners[ownerId] : undefined;
  const fromText = campaign.from ?? (ownerDef?.email ? (ownerDef.name ? `${ownerDef.name} <${ownerDef.email}>` : ownerDef.email) : undefined);
  const from = fromText ? parseAddress(fromText) : undefined;
  if (!from) {
    throw new DataError(
      fromText ? `campaign ${campaign.id}: '${fromText}' is not an email address` : `campaign ${campaign.id} has no sender: no 'from' and no owner with an email in touchbase.yaml`,
      { path: record.path },
      'set from: "Name <you@example.com>" on the campaign, or give its owner an email under owners: in touchbase.yaml',
    );
  }
  const settings = campaignSettings(config);
  const inSegment = segmentPredicate(app, ds, campaign.segment);
  const members = ds.contacts.filter((c) => inSegment(c));
  const sent = alreadySent(ds.interactions, campaign.id);
  const sentAddresses = new Set(ds.contacts.filter((c) => sent.has(c.id)).map((c) => recipientEmail(c)?.toLowerCase()).filter((a): a is string => a !== undefined));
  const audience = selectAudience(members, sent, settings, ds.contacts, sentAddresses);
  const subjectT = templateOf(record, campaign.subject, 'subject');
  const bodyT = templateOf(record, campaign.body, 'body');
  const unsubscribeT = settings.listUnsubscribe ? templateOf(record, settings.listUnsubscribe, 'campaigns.list_unsubscribe') : undefined;
  const companies = new Map(ds.companies.map((c) => [c.id, c]));
  const scope = { companies, campaign, ...(ownerId ? { owner: { id: ownerId, ...(ownerDef ?? {}) } } : {}) };
  const { escapeHtml } = await import('../render/mime.js');
  const rendered = audience.recipients.map((contact) => {
    const lookup = recipientLookup(contact, scope);
    const subject = renderTemplate(subjectT, lookup);
    const text = renderTemplate(bodyT, lookup);
    const htmlSource = renderTemplate(bodyT, lookup, escapeHtml);
    const unsub = unsubscribeT && renderTemplate(unsubscribeT, lookup);
    const missing = [...new Set([...subject.missing, ...text.missing, ...(unsub?.missing ?? [])])];
    const subjectLine = subject.text.replace(/\s*\r?\n\s*/g, ' ').trim();
    return {
      contact,
      to: { name: displayName(contact), address: recipientEmail(contact)! },
      subject: subjectLine,
      text: text.text.replace(/\n*$/, '\n'),
      // The Markdown with HTML-escaped values; rendered to HTML only when sending.
      htmlMarkdown: htmlSource.text,
      ...(unsub ? { listUnsubscribe: unsub.text } : {}),
      missing,
    };
  });
  return { campaign, record, audience, settings, from, rendered, members: members.length };
}

/** Recipients that cannot be rendered, as one line per missing key. */
function missingLines(p: Prepared): string[] {
  const byKey = new Map<string, string[]>();
  for (const r of p.rendered) for (const k of r.missing) byKey.set(k, [...(byKey.get(k) ?? []), r.contact.id]);
  return [...byKey].map(([k, ids]) => `{{${k}}} cannot be filled for ${ids.length} recipient${ids.length === 1 ? '' : 's'}: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ` and ${ids.length - 10} more` : ''}`);
}

const REASON_TEXT: Record<string, string> = {
  'no email': 'no email address',
  do_not_contact: 'do_not_contact: true',
  unsubscribed: 'unsubscribed',
  'already sent': 'already sent this campaign',
  'duplicate address': 'address mailed once per campaign',
};

function skippedJson(a: Audience) {
  return a.skipped.map((s) => ({ id: s.contact.id, name: displayName(s.contact), reason: s.reason, ...(s.detail ? { detail: s.detail } : {}) }));
}

async function previewCampaign(app: App, ref: string, opts: { limit?: string }): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const limit = Number(opts.limit ?? '1');
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`--limit must be a whole number, got '${opts.limit}'`);
  const ds = await loadCampaignData(app);
  const p = await prepare(app, ds, ref);
  const shown = p.rendered.slice(0, limit);
  const missing = p.rendered.filter((r) => r.missing.length).map((r) => ({ id: r.contact.id, keys: r.missing }));
  if (format === 'json') {
    app.out(JSON.stringify({
      campaign: recordJson(p.record, undefined, true),
      from: p.from,
      segment: { query: p.campaign.segment, members: p.members },
      recipients: p.rendered.map((r) => ({ id: r.contact.id, name: r.to.name, email: r.to.address })),
      skipped: skippedJson(p.audience),
      missing,
      messages: shown.map((r) => ({ to: r.to, subject: r.subject, text: r.text, ...(r.listUnsubscribe ? { list_unsubscribe: r.listUnsubscribe } : {}) })),
    }, null, 2));
    return;
  }
  const style = makeStyle(app.color);
  const lines: string[] = [];
  lines.push(style.bold(`Campaign ${p.campaign.id}: ${p.campaign.name} (${p.campaign.status}${p.campaign.sent ? ` ${p.campaign.sent}` : ''})`));
  lines.push(`Segment:    ${p.campaign.segment} (${p.members} contact${p.members === 1 ? '' : 's'})`);
  lines.push(`From:       ${formatAddress(p.from)}`);
  lines.push(`Recipients: ${p.rendered.length}`);
  for (const r of p.rendered) lines.push(`  ${r.contact.id}  ${formatAddress(r.to)}`);
  if (p.audience.skipped.length) {
    lines.push(`Left out:   ${p.audience.skipped.length}`);
    for (const s of p.audience.skipped) lines.push(`  ${s.contact.id}  ${REASON_TEXT[s.reason]}${s.detail ? ` (${s.detail})` : ''}`);
  }
  const problems = missingLines(p);
  if (problems.length) {
    lines.push(style.bold('Cannot send yet:'));
    for (const l of problems) lines.push(`  ${l}`);
  }
  shown.forEach((r, i) => {
    lines.push('', style.dim(`--- message ${i + 1} of ${p.rendered.length} ---`));
    lines.push(`From: ${formatAddress(p.from)}`, `To: ${formatAddress(r.to)}`, `Subject: ${r.subject}`);
    if (r.listUnsubscribe) lines.push(`List-Unsubscribe: ${r.listUnsubscribe}`);
    lines.push('', r.text.replace(/\n$/, ''));
  });
  app.out(lines.join('\n'));
}

function formatAddress(a: { name?: string; address: string }): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
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

async function sendCampaign(app: App, ref: string, opts: SendOptions): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const makeTransport = chooseTransport(app, opts);
  const ds = await loadCampaignData(app);
  const p = await prepare(app, ds, ref);
  const { campaign, record } = p;
  if (campaign.status === 'sent' && !opts.newOnly) {
    throw new DataError(`campaign ${campaign.id} was already sent${campaign.sent ? ` on ${campaign.sent}` : ''}; refusing to send it again`, { path: record.path }, 'tb campaign send <campaign> --new-only sends to contacts who joined the segment since');
  }
  const problems = missingLines(p);
  if (problems.length) {
    throw new DataError(`campaign ${campaign.id}: ${problems[0]}; nothing was sent`, { path: record.path }, problems.length > 1 ? problems.slice(1).join('; ') : 'add the field to those contacts, or a default: {{field|default}}');
  }
  const channel = campaign.channel;
  if (!ds.config.channels.includes(channel)) throw new DataError(`campaign ${campaign.id}: unknown channel '${channel}'`, { path: record.path }, `use one of: ${ds.config.channels.join(', ')}`);
  const today = app.today;
  const stamp = app.sys.now.getTime().toString(36);
  const { buildMessage, markdownToHtml, messageIdFor } = await import('../render/mime.js');
  const messages: PreparedMessage[] = [];
  for (const r of p.rendered) {
    const messageId = messageIdFor(campaign.id, r.contact.id, stamp, p.from.address);
    const bytes = await buildMessage({ from: p.from, to: r.to, subject: r.subject, text: r.text, html: markdownToHtml(r.htmlMarkdown, r.subject), messageId, date: app.sys.now, ...(r.listUnsubscribe ? { listUnsubscribe: r.listUnsubscribe } : {}) });
    const data = ordered('interaction', {
      date: today, contacts: [r.contact.id], channel, direction: 'out', summary: r.subject,
      owner: campaign.owner, campaign: campaign.id, message_id: messageId,
    });
    messages.push({ contactId: r.contact.id, address: r.to.address, messageId, bytes, interaction: { type: 'interaction', baseId: interactionBaseId(today, r.contact.id, channel), subdir: interactionSubdir(today), data, randomSuffix: true } });
  }
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

// ---------------------------------------------------------------------------------------------
// report

export function parseWindow(text: string): number {
  const d = parseDuration(text);
  if (!d) throw new UsageError(`--window must be a duration like 14d or 4w, got '${text}'`);
  return durationDays(d);
}

export function campaignReportRows(results: readonly CampaignResult[]): { headers: string[]; rows: Cell[][] } {
  const headers = ['id', 'name', 'sent', 'recipients', 'replies', 'reply_rate', 'meetings', 'deals', 'won'];
  const rows: Cell[][] = results.map((r) => [
    r.id, r.name, r.sent, r.recipients, r.replies, `${Math.round(r.reply_rate * 1000) / 10}%`, r.meetings, r.deals,
    r.won_value.map((w) => `${w.value} ${w.currency}`).join(', ') || '0',
  ]);
  return { headers, rows };
}

async function reportCampaigns(app: App, ref: string | undefined, opts: { window?: string }): Promise<void> {
  const format = app.format(['table', 'json', 'csv', 'md'], 'table');
  const window = parseWindow(opts.window ?? '14d');
  const ds = await app.load({ types: ['deal', 'interaction', 'campaign'] });
  const chosen = ref ? [findCampaign(ds, ref)] : ds.campaigns.filter((c) => campaignOf(c).status !== 'draft');
  const results = campaignResults([...chosen].sort((a, b) => (a.id < b.id ? -1 : 1)), ds, window);
  if (format === 'json') return app.out(JSON.stringify({ window_days: window, campaigns: results }, null, 2));
  const { headers, rows } = campaignReportRows(results);
  if (format === 'csv') return app.raw(renderCsvTable(headers, rows));
  if (format === 'md') return app.out(renderMarkdownTable(headers, rows));
  if (!rows.length) return app.say('No campaign has been sent yet.');
  app.out(renderTable(headers, rows, { width: app.columns, head: (s) => makeStyle(app.color).bold(s) }));
}
