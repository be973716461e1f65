/** `tb case open|reply|note|resolve|reopen|close|list`: service cases (docs/cases.md). */
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, assertWritable } from './common.js';
import { DataError, NotFoundError, UsageError } from '../errors.js';
import type { CrmRecord, Dataset, FrontMatter } from '../core/types.js';
import { resolveRef, resolveRefOrExplain } from '../core/resolve.js';
import { asString, displayName, normalizeRef } from '../core/fields.js';
import { interactionBaseId, interactionSubdir, ordered } from '../core/records.js';
import { didYouMean } from '../core/suggest.js';
import {
  caseBaseId,
  caseData,
  caseOrderProblems,
  caseSettingsOf,
  closeChanges,
  isCaseActive,
  reopenChanges,
  replyChanges,
  resolveChanges,
  statusFor,
  type CaseChanges,
  type CaseSettings,
} from '../core/cases.js';
import { formatInstant, parseInstant } from '../core/instants.js';
import { slaTimeZone } from '../core/sla.js';
import { parseWhenKeepTime } from '../core/dates.js';
import { createRecord, updateRecord } from '../store/write.js';
import { parseRecordText } from '../store/frontmatter.js';
import { recordJson } from '../render/records.js';
import type { FrontMatterEdit } from '../store/roundtrip.js';

export function register(program: Command, getApp: GetApp): void {
  const cmd = program
    .command('case')
    .description('service cases: open, reply, note, resolve, reopen, close, list')
    .addHelpText('after', `
A case is named by its id, a unique id prefix, or a contact with exactly one active case.
Times are stamped now (or --as-of) in the SLA time zone (business_hours.timezone, else UTC),
with the offset written: 2026-11-20T09:15+01:00. --at backdates a stamp.

Examples:
  $ tb case open ada "The invoice is wrong" --priority high --category complaint --channel email
  $ tb case reply ada "Sorry about that, a corrected invoice is attached." --channel email
  $ tb case note 2026-11-20-ada-lovelace-the-invoice "Asked finance to re-issue"
  $ tb case resolve ada --satisfaction 5
  $ tb case reopen 2026-11-20-ada-lovelace-the-invoice
  $ tb case list status:open priority:high breached:true --sort resolve_due
`);
  registerCaseOpen(cmd, getApp);
  registerCaseReply(cmd, getApp);
  registerCaseNote(cmd, getApp);
  registerCaseResolve(cmd, getApp);
  registerCaseReopen(cmd, getApp);
  registerCaseClose(cmd, getApp);
  registerCaseList(cmd, getApp);
}

function registerCaseOpen(cmd: Command, getApp: GetApp): void {
  cmd
    .command('open')
    .description('open a case for a contact')
    .argument('<contact>', 'contact id, prefix, email or name')
    .argument('<subject...>', 'one-line subject')
    .option('-p, --priority <priority>', 'low, normal (default), high, urgent (or a priority named in sla:)')
    .option('--category <category>', 'complaint, question, request, incident (case_categories:)')
    .option('-c, --channel <channel>', 'where it came in: email, call …')
    .option('--owner <owner>', 'who handles it (default: me)')
    .option('--deal <deal>', 'the deal it is about')
    .option('--company <company>', "the company (default: the contact's)")
    .option('--body <text>', 'the description (also read from piped stdin)')
    .option('--at <when>', 'when it was opened (default: now)')
    .action(action(getApp, openCommand));
}

function registerCaseReply(cmd: Command, getApp: GetApp): void {
  cmd
    .command('reply')
    .description('log an outbound reply linked to the case; sets first_response; status → waiting')
    .argument('<case>', 'case id, prefix, or a contact with one active case')
    .argument('<text...>', 'what was said')
    .option('-c, --channel <channel>', "channel of the reply (default: the case's channel, else email)")
    .option('--keep-open', 'leave the status as it is instead of waiting')
    .option('--at <when>', 'when the reply was sent (default: now)')
    .action(action(getApp, (app: App, ref: string, text: string[], opts: ThreadOptions) => threadCommand(app, ref, text.join(' '), opts, 'reply')));
}

function registerCaseNote(cmd: Command, getApp: GetApp): void {
  cmd
    .command('note')
    .description('add an internal note (a note interaction linked to the case)')
    .argument('<case>', 'case id, prefix, or a contact with one active case')
    .argument('<text...>', 'the note')
    .option('--at <when>', 'when (default: now)')
    .action(action(getApp, (app: App, ref: string, text: string[], opts: ThreadOptions) => threadCommand(app, ref, text.join(' '), opts, 'note')));
}

function registerCaseResolve(cmd: Command, getApp: GetApp): void {
  cmd
    .command('resolve')
    .description('mark a case resolved (stamps resolved); --satisfaction records the CSAT rating')
    .argument('<case>', 'case id, prefix, or a contact with one active case')
    .option('--satisfaction <n>', 'customer satisfaction 1–5 (also on an already resolved case)')
    .option('--at <when>', 'when (default: now)')
    .action(action(getApp, (app: App, ref: string, opts: StatusOptions) => statusCommand(app, ref, opts, 'resolve')));
}

function registerCaseReopen(cmd: Command, getApp: GetApp): void {
  cmd
    .command('reopen')
    .description('reopen a resolved or closed case (clears resolved)')
    .argument('<case>', 'case id or prefix')
    .action(action(getApp, (app: App, ref: string, opts: StatusOptions) => statusCommand(app, ref, opts, 'reopen')));
}

function registerCaseClose(cmd: Command, getApp: GetApp): void {
  cmd
    .command('close')
    .description('close a case (stamps resolved if it never was)')
    .argument('<case>', 'case id, prefix, or a contact with one active case')
    .option('--at <when>', 'when (default: now)')
    .action(action(getApp, (app: App, ref: string, opts: StatusOptions) => statusCommand(app, ref, opts, 'close')));
}

function registerCaseList(cmd: Command, getApp: GetApp): void {
  cmd
    .command('list')
    .description('list cases: the same as tb list cases [query…]')
    .argument('[query...]', 'status:open priority:high breached:true …')
    .option('--sort <fields>', 'sort by fields (default: next deadline first)')
    .option('--limit <n>', 'show at most n cases')
    .option('--fields <list>', 'columns to show')
    .action(async (query: string[], opts: Record<string, string | undefined>) => {
      const { listRecords } = await import('./list.js');
      await action(getApp, (app: App) => listRecords(app, 'case', query, opts))();
    });
}

interface OpenOptions {
  priority?: string;
  category?: string;
  channel?: string;
  owner?: string;
  deal?: string;
  company?: string;
  body?: string;
  at?: string;
}

interface ThreadOptions {
  channel?: string;
  keepOpen?: boolean;
  at?: string;
}

interface StatusOptions {
  satisfaction?: string;
  at?: string;
}

/** The moment to stamp: --at, else --as-of (a date is its midnight), else the clock; in the SLA zone. */
function stampOf(app: App, settings: CaseSettings, at: string | undefined): string {
  const zone = slaTimeZone(settings.sla);
  let ms: number | undefined;
  if (at !== undefined) {
    ms = parseInstant(at, zone) ?? parseInstant(parseWhenKeepTime(at, app.today, '--at'), zone);
    if (ms === undefined) throw new UsageError(`--at '${at}' is not a date or date-time`);
  } else ms = parseInstant(app.ctx().now ?? app.today, zone)!;
  return formatInstant(ms, zone);
}

function oneOf(what: string, value: string, allowed: readonly string[]): string {
  const v = value.toLowerCase();
  if (allowed.includes(v)) return v;
  throw new UsageError(`unknown ${what} '${value}'`, didYouMean(value, allowed) ?? `use one of: ${allowed.join(', ')}`);
}

async function openCommand(app: App, contactRef: string, subjectWords: string[], opts: OpenOptions): Promise<void> {
  app.format(['text', 'json'], 'text');
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'case'] });
  const settings = caseSettingsOf(ds.config);
  const contact = resolveRefOrExplain(ds.contacts, contactRef, 'contact', ds.problems);
  const subject = subjectWords.join(' ').trim();
  if (!subject) throw new UsageError('missing the subject: tb case open <contact> "<subject>"');
  const priority = opts.priority ? oneOf('priority', opts.priority, settings.priorities) : 'normal';
  const category = opts.category ? oneOf('category', opts.category, settings.categories) : undefined;
  if (opts.channel && !ds.config.channels.includes(opts.channel)) {
    throw new UsageError(`unknown channel '${opts.channel}'`, didYouMean(opts.channel, ds.config.channels) ?? `use one of: ${ds.config.channels.join(', ')}`);
  }
  const company = opts.company ? resolveRefOrExplain(ds.companies, opts.company, 'company', ds.problems).id : normalizeRef(contact.data.company);
  const deal = opts.deal ? resolveRefOrExplain(ds.deals, opts.deal, 'deal', ds.problems).id : undefined;
  const opened = stampOf(app, settings, opts.at);
  const body = opts.body ?? (app.opts.input === false ? undefined : app.readStdin(ds.config.max_file_size));
  const data = caseData({
    subject,
    contact: contact.id,
    company,
    status: statusFor(settings, 'open'),
    priority,
    category,
    channel: opts.channel,
    owner: app.defaultOwner(opts.owner),
    opened,
    deal,
  });
  const baseId = caseBaseId(opened, contact.id, subject);
  assertWritable(ds, { type: 'case', id: baseId, path: `cases/${baseId}.md`, data });
  const rec = createRecord(app.root, { type: 'case', baseId, data, body: body ? `${body.trim()}\n` : undefined, randomSuffix: true });
  app.wrote(rec.path, `case: open ${rec.id}`);
  if (app.format(['text', 'json'], 'text') === 'json') return app.out(JSON.stringify(recordJson(rec), null, 2));
  app.say(`Opened case ${rec.id} for ${displayName(contact)} (${rec.path})`);
}

/**
 * A case by id or prefix; else a contact (id, email, name) with exactly one active case — or,
 * for reopen, exactly one case at all.
 */
function resolveCase(ds: Dataset, ref: string, settings: CaseSettings, activeOnly: boolean): CrmRecord {
  try {
    return resolveRef(ds.cases, ref, 'case');
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    let contact: CrmRecord;
    try {
      contact = resolveRef(ds.contacts, ref, 'contact');
    } catch {
      throw err;
    }
    const theirs = ds.cases.filter((c) => normalizeRef(c.data.contact) === contact.id && (!activeOnly || isCaseActive(c, settings)));
    if (theirs.length === 1) return theirs[0];
    if (!theirs.length) throw new NotFoundError(`${displayName(contact)} has no ${activeOnly ? 'active ' : ''}case`, 'tb list cases shows them all');
    throw new UsageError(`${displayName(contact)} has ${theirs.length} ${activeOnly ? 'active ' : ''}cases; name one`, theirs.map((c) => c.id).join(', '));
  }
}

/**
 * Applies transition changes to the case file under its lock, worked out from what is on disk;
 * refuses a result whose stamps are out of order (a reply --at before the case was opened).
 */
function applyChanges(app: App, rec: CrmRecord, settings: CaseSettings, plan: (onDisk: CrmRecord) => CaseChanges): FrontMatter {
  const edits = (data: FrontMatter): FrontMatterEdit[] =>
    Object.entries(plan({ ...rec, data })).map(([key, value]) => (value === undefined ? { key, remove: true as const } : { key, value }));
  const approve = (after: string): void => {
    const problem = caseOrderProblems({ ...rec, data: parseRecordText(after, rec.path).data }, settings)[0];
    if (problem) throw new DataError(`refusing to save ${rec.path}: ${problem.message}`, undefined, 'nothing was written to the case');
  };
  const text = updateRecord(app.root, rec.path, edits, undefined, approve);
  return parseRecordText(text, rec.path).data;
}

async function threadCommand(app: App, ref: string, text: string, opts: ThreadOptions, kind: 'reply' | 'note'): Promise<void> {
  app.format(['text', 'json'], 'text');
  const ds = await app.load({ types: ['contact', 'deal', 'case'] });
  const settings = caseSettingsOf(ds.config);
  const kase = resolveCase(ds, ref, settings, kind === 'reply');
  if (!text.trim()) throw new UsageError(`missing the text: tb case ${kind} <case> "<text>"`);
  const contact = normalizeRef(kase.data.contact);
  if (!contact) throw new DataError(`case ${kase.id} names no contact`, { path: kase.path }, 'tb set <case> contact=<id> first');
  const stamp = stampOf(app, settings, opts.at);
  const config = ds.config;
  const channel = kind === 'note' ? (config.channels.includes('note') ? 'note' : config.channels[config.channels.length - 1]) : (opts.channel ?? asString(kase.data.channel) ?? (config.channels.includes('email') ? 'email' : config.channels[0]));
  if (!config.channels.includes(channel)) throw new UsageError(`unknown channel '${channel}'`, didYouMean(channel, config.channels) ?? `use one of: ${config.channels.join(', ')}`);
  // Interactions keep a wall-clock date (YYYY-MM-DDTHH:MM in the SLA zone); the case keeps the offset.
  const date = stamp.slice(0, 16);
  const firstLine = text.trim().split('\n')[0];
  const summary = kind === 'reply' ? `Re: ${asString(kase.data.subject) ?? kase.id}` : firstLine.length > 100 ? `${firstLine.slice(0, 97)}…` : firstLine;
  const data = ordered('interaction', {
    date,
    contacts: [contact],
    channel,
    direction: kind === 'reply' ? 'out' : undefined,
    summary,
    deal: normalizeRef(kase.data.deal),
    owner: app.defaultOwner(),
    case: kase.id,
  });
  const baseId = interactionBaseId(date, contact, channel);
  assertWritable(ds, { type: 'interaction', id: baseId, path: `interactions/${interactionSubdir(date)}/${baseId}.md`, data });
  if (kind === 'reply') {
    // Refuse before writing the interaction: a reply --at before the case was opened.
    const preview = { ...kase, data: { ...kase.data, ...replyChanges(kase, settings, stamp, opts.keepOpen === true) } };
    const problem = caseOrderProblems(preview, settings)[0];
    if (problem) throw new DataError(`refusing to save ${kase.path}: ${problem.message}`, undefined, 'nothing was written');
  }
  const interaction = createRecord(app.root, { type: 'interaction', baseId, subdir: interactionSubdir(date), data, body: `${text.trim()}\n`, randomSuffix: true });
  app.wrote(interaction.path, `case: ${kind} ${kase.id}`);
  let caseData: FrontMatter = kase.data;
  if (kind === 'reply') {
    caseData = applyChanges(app, kase, settings, (onDisk) => replyChanges(onDisk, settings, stamp, opts.keepOpen === true));
    app.wrote(kase.path);
  }
  if (app.format(['text', 'json'], 'text') === 'json') {
    return app.out(JSON.stringify({ case: recordJson({ ...kase, data: caseData }), interaction: recordJson(interaction) }, null, 2));
  }
  const status = asString(caseData.status) ?? 'open';
  app.say(kind === 'reply' ? `Replied on case ${kase.id} (now ${status}) (${interaction.path})` : `Noted on case ${kase.id} (${interaction.path})`);
}

async function statusCommand(app: App, ref: string, opts: StatusOptions, kind: 'resolve' | 'reopen' | 'close'): Promise<void> {
  app.format(['text', 'json'], 'text');
  const ds = await app.load({ types: ['contact', 'case'] });
  const settings = caseSettingsOf(ds.config);
  if (opts.satisfaction !== undefined && !/^[1-5]$/.test(opts.satisfaction.trim())) {
    throw new UsageError(`--satisfaction must be a whole number from 1 to 5, got '${opts.satisfaction}'`);
  }
  const satisfaction = opts.satisfaction === undefined ? undefined : Number(opts.satisfaction);
  const kase = resolveCase(ds, ref, settings, kind !== 'reopen' && satisfaction === undefined);
  const stamp = stampOf(app, settings, opts.at);
  const plan = (onDisk: CrmRecord): CaseChanges =>
    kind === 'resolve' ? resolveChanges(onDisk, settings, stamp, satisfaction) : kind === 'reopen' ? reopenChanges(onDisk, settings) : closeChanges(onDisk, settings, stamp);
  // Refuse before taking the lock when the transition is impossible (already resolved …).
  plan(kase);
  const after = applyChanges(app, kase, settings, plan);
  app.wrote(kase.path, `case: ${kind} ${kase.id}`);
  if (app.format(['text', 'json'], 'text') === 'json') return app.out(JSON.stringify(recordJson({ ...kase, data: after }), null, 2));
  const verb = kind === 'resolve' ? 'Resolved' : kind === 'reopen' ? 'Reopened' : 'Closed';
  app.say(`${verb} case ${kase.id} (${kase.path})`);
}
