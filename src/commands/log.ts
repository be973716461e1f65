import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, assertWritable } from './common.js';
import { UsageError, NotFoundError, AmbiguousError } from '../errors.js';
import { emptyRecordLists, type CrmRecord, type Dataset, type Problem } from '../core/types.js';
import { readRecordsById, recordFileExists } from '../store/load.js';
import { parseWhenKeepTime } from '../core/dates.js';
import { resolveRef, resolveRefOrExplain } from '../core/resolve.js';
import { displayName, asString } from '../core/fields.js';
import { interactionBaseId, interactionSubdir, ordered, reminderBaseId, reminderData } from '../core/records.js';
import { didYouMean } from '../core/suggest.js';
import { createRecord } from '../store/write.js';
import { withExistingRecords } from '../store/lock.js';
import { editText } from '../store/terminal.js';
import { recordJson } from '../render/records.js';

interface LogOptions {
  channel?: string;
  direction?: string;
  date?: string;
  deal?: string;
  owner?: string;
  summary?: string;
  body?: string;
  edit?: boolean;
  followUp?: string;
  followUpText?: string;
  case?: string;
}

export function register(program: Command, getApp: GetApp): void {
  program
    .command('log')
    .description('record a touchpoint with one or more contacts')
    .argument('<contact...>', 'contacts (id, prefix, email or name), then optionally the one-line summary')
    .option('-c, --channel <channel>', 'email, call, meeting, message, note … (default: the contact\'s preferred channel, else note)')
    .option('--direction <dir>', 'in or out', 'out')
    .option('-d, --date <when>', 'when it happened: 2026-11-20, 2026-11-20T14:30, yesterday, -2d (default today)')
    .option('--deal <deal>', 'the deal this touchpoint belongs to')
    .option('--owner <owner>', 'who logged it (default: me)')
    .option('-m, --summary <text>', 'the one-line summary (then every argument is a contact)')
    .option('--body <text>', 'details for the body (also read from piped stdin)')
    .option('-e, --edit', 'write the details in $EDITOR')
    .option('--follow-up <when>', 'also create a reminder: tomorrow, +3d, next friday, 2026-12-01')
    .option('--follow-up-text <text>', 'text of that reminder (default: "Follow up: <summary>")')
    .option('--case <case>', 'link the touchpoint to a service case (case: <id>; docs/cases.md)')
    .addHelpText('after', `
The last argument is the summary unless it is a contact's exact id or email; -m makes it explicit.

Examples:
  $ tb log ada "Call about the renewal" --channel call
  $ tb log ada grace "Workshop kick-off" --channel meeting --date 2026-11-20T14:30
  $ echo "Asked for a proposal by Friday" | tb log ada "Intro call" -c call --follow-up "next friday"
  $ tb log ada@example.com -m "Sent the contract" -c email --deal acme-renewal
  $ tb log ada "Called back about the invoice" -c call --direction in --case 2026-11-20-ada-lovelace-invoice
`)
    .action(action(getApp, logCommand));
}

/** Splits the words into contacts and a summary (see help text). */
function splitArgs(words: string[], contacts: readonly CrmRecord[], explicitSummary: boolean, problems: readonly Problem[]): { refs: CrmRecord[]; summary?: string } {
  const refs: CrmRecord[] = [];
  let summary: string | undefined;
  words.forEach((w, i) => {
    const last = i === words.length - 1;
    if (last && !explicitSummary && words.length > 1) {
      try {
        const r = resolveRef(contacts, w, 'contact');
        if (r.id === w.toLowerCase() || (w.includes('@') && !/\s/.test(w))) {
          refs.push(r);
          return;
        }
      } catch (err) {
        if (!(err instanceof NotFoundError || err instanceof AmbiguousError)) throw err;
      }
      summary = w;
      return;
    }
    refs.push(resolveRefOrExplain(contacts, w, 'contact', problems));
  });
  return { refs, summary };
}

async function logCommand(app: App, words: string[], opts: LogOptions): Promise<void> {
  // Check the output format before writing anything: a usage error must leave no file behind.
  app.format(['text', 'json'], 'text');
  const ds = fastLoad(app, words, opts) ?? (await app.load({ types: ['contact', 'deal'] }));
  const config = ds.config;
  const { refs, summary: argSummary } = splitArgs(words, ds.contacts, opts.summary !== undefined, ds.problems);
  let summary = opts.summary ?? argSummary;
  const contactIds = [...new Set(refs.map((r) => r.id))];
  const first = refs[0];
  const channel = opts.channel ?? asString(first.data.channel) ?? (config.channels.includes('note') ? 'note' : config.channels[0]);
  if (!config.channels.includes(channel)) {
    throw new UsageError(`unknown channel '${channel}'`, didYouMean(channel, config.channels) ?? `use one of: ${config.channels.join(', ')}`);
  }
  const direction = opts.direction ?? 'out';
  if (direction !== 'in' && direction !== 'out') throw new UsageError(`--direction must be 'in' or 'out', got '${direction}'`);
  const date = opts.date ? parseWhenKeepTime(opts.date, app.today, '--date') : app.today;
  const deal = opts.deal ? resolveRefOrExplain(ds.deals, opts.deal, 'deal', ds.problems).id : undefined;
  const linked = opts.case ? await linkedCase(app, opts.case, config.max_file_size) : undefined;
  const caseId = linked?.id;
  // The check below looks the case up in the dataset, which the fast path did not fill.
  if (linked && !ds.cases.some((c) => c.id === linked.id)) ds.cases = [...ds.cases, linked];
  // --no-input: a script that leaves stdin open is not waited for.
  let body = opts.body ?? (app.opts.input === false ? undefined : app.readStdin(config.max_file_size));
  if (!summary && app.interactive) {
    const { askText } = await import('../prompts/index.js');
    summary = (await askText('Summary:', { required: true })).trim();
  }
  if (opts.edit) {
    if (!app.interactive) throw new UsageError('--edit needs a terminal');
    body = editText(body ?? '', app.env, 'touchpoint.md');
  }
  if (!summary) throw new UsageError('missing the summary: tb log <contact> "<summary>" (or -m)');
  const followUpDue = opts.followUp ? parseWhenKeepTime(opts.followUp, app.today, '--follow-up date') : undefined;
  const owner = app.defaultOwner(opts.owner);
  const data = ordered('interaction', { date, contacts: contactIds, channel, direction, summary, deal, owner, case: caseId });
  const baseId = interactionBaseId(date, contactIds[0], channel);
  // What `tb check` would refuse (an owner not in touchbase.yaml …) is never written.
  assertWritable(ds, { type: 'interaction', id: baseId, path: `interactions/${interactionSubdir(date)}/${baseId}.md`, data });
  const followUp = followUpDue ? reminderData({ due: followUpDue, text: opts.followUpText ?? `Follow up: ${summary}`, contact: contactIds[0], deal, owner }) : undefined;
  if (followUp) assertWritable(ds, { type: 'reminder', id: 'follow-up', path: 'reminders/follow-up.md', data: followUp });
  // Under the contacts' (and deal's) locks, checked to exist: tb merge deleting one waits or is waited for.
  const named = [...contactIds.map((id) => refs.find((r) => r.id === id)!.path), ...(deal ? [ds.deals.find((d) => d.id === deal)?.path ?? `deals/${deal}.md`] : [])];
  const rec = withExistingRecords(app.root, named, () => createRecord(app.root, {
    type: 'interaction',
    baseId,
    subdir: interactionSubdir(date),
    data,
    body: body ? `${body.trim()}\n` : undefined,
    randomSuffix: true,
  }), 'shared');
  app.wrote(rec.path, `log: ${channel} with ${contactIds.map((id) => displayName(refs.find((r) => r.id === id)!)).join(', ')}`);
  let reminder: CrmRecord | undefined;
  if (followUpDue && followUp) {
    reminder = createRecord(app.root, {
      type: 'reminder',
      baseId: reminderBaseId(followUpDue, contactIds[0], String(followUp.text)),
      data: followUp,
      randomSuffix: true,
    });
    app.wrote(reminder.path);
  }
  if (app.format(['text', 'json'], 'text') === 'json') {
    // One JSON document: the interaction, with the reminder it created under `follow_up`.
    app.out(JSON.stringify({ ...recordJson(rec), ...(reminder ? { follow_up: recordJson(reminder) } : {}) }, null, 2));
    return;
  }
  app.say(`Logged ${channel} with ${contactIds.join(', ')} on ${date} (${rec.path})`);
  if (reminder) app.say(`Follow-up due ${reminder.data.due} (${reminder.path})`);
}

/** The case `--case` names: an exact id reads one file; anything else loads the cases. */
async function linkedCase(app: App, ref: string, maxSize: number): Promise<CrmRecord> {
  const exact = recordFileExists(app.root, 'case', ref) ? readRecordsById(app.root, 'case', [ref], maxSize)?.[0] : undefined;
  if (exact) return exact;
  const ds = await app.load({ types: ['case'] });
  return resolveRefOrExplain(ds.cases, ref, 'case', ds.problems);
}

/**
 * The common case `tb log ada-lovelace "Call" [--deal acme-renewal]` names records by exact id:
 * then only those files are read, never the whole contacts folder (writes stay fast at any size).
 * Anything else (a prefix, a name, an email) goes through the full load.
 */
function fastLoad(app: App, words: string[], opts: LogOptions): Dataset | undefined {
  const explicit = opts.summary !== undefined;
  const last = words[words.length - 1];
  const lastIsSummary = !explicit && words.length > 1 && !recordFileExists(app.root, 'contact', last);
  if (lastIsSummary && last.includes('@') && !/\s/.test(last)) return undefined;
  const contactIds = lastIsSummary ? words.slice(0, -1) : words;
  if (opts.deal && !recordFileExists(app.root, 'deal', opts.deal)) return undefined;
  const config = app.config();
  const contacts = readRecordsById(app.root, 'contact', contactIds, config.max_file_size);
  const deals = opts.deal ? readRecordsById(app.root, 'deal', [opts.deal], config.max_file_size) : [];
  if (!contacts || !deals) return undefined;
  return { ...emptyRecordLists(), root: app.root, config, contacts, deals, problems: [] };
}
