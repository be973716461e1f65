import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, assertWritable } from './common.js';
import { UsageError } from '../errors.js';
import { parseWhenKeepTime } from '../core/dates.js';
import { resolveRefOrExplain } from '../core/resolve.js';
import { reminderBaseId, reminderData } from '../core/records.js';
import { checkRepeat, checkRepeatFrom } from '../core/reminders.js';
import { createRecord } from '../store/write.js';
import { withExistingRecords } from '../store/lock.js';
import { printCreated } from './output.js';

interface RemindOptions {
  repeat?: string;
  repeatFrom?: string;
  owner?: string;
  deal?: string;
}

export function register(program: Command, getApp: GetApp): void {
  program
    .command('remind')
    .description('create a follow-up reminder about a contact or a deal')
    .argument('<target>', 'the contact or deal (id, unique id prefix, email or name)')
    .argument('<when>', 'due date: 2026-12-01, today, tomorrow, +3d, in 2 weeks, next friday, end of month')
    .argument('<text...>', 'what to do (the words are joined)')
    .option('--repeat <interval>', 'repeat when done: 1w, 2w, 1m, 3m, 1y (any Nd, Nw, Nm, Ny)')
    .option('--repeat-from <from>', "count the next occurrence from the 'due' date (default) or the day it was 'done'")
    .option('--deal <deal>', 'also link a deal (when the target is a contact)')
    .option('--owner <owner>', 'who should act on it (default: me)')
    .addHelpText('after', `
A monthly reminder due on the 29th-31st keeps its day: Jan 31 -> Feb 28 -> Mar 31 (anchor_day).
With --repeat-from done the next one is counted from the day you complete it.

Examples:
  $ tb remind ada tomorrow "Send the proposal"
  $ tb remind acme-renewal "next friday" Ask for a decision date
  $ tb remind jose 2027-01-31 Send the monthly report --repeat 1m
  $ tb remind grace "in 2 weeks" Water the relationship --repeat 3m --repeat-from done
`)
    .action(action(getApp, remindCommand));
}

async function remindCommand(app: App, targetRef: string, when: string, words: string[], opts: RemindOptions): Promise<void> {
  // Check the output format before writing anything: a usage error must leave no file behind.
  app.format(['text', 'json'], 'text');
  const text = words.join(' ').trim();
  if (!text) throw new UsageError('missing the reminder text', 'e.g. tb remind ada tomorrow "Send the proposal"');
  const due = parseWhenKeepTime(when, app.today, 'when');
  const repeat = opts.repeat === undefined ? undefined : checkRepeat(opts.repeat);
  const repeatFrom = opts.repeatFrom === undefined ? undefined : checkRepeatFrom(opts.repeatFrom);
  if (repeatFrom !== undefined && repeat === undefined) throw new UsageError('--repeat-from needs --repeat', 'e.g. --repeat 1m --repeat-from done');
  const ds = await app.load({ types: ['contact', 'deal'] });
  const target = resolveRefOrExplain([...ds.contacts, ...ds.deals], targetRef, 'contact or deal', ds.problems);
  let contact: string | undefined;
  let deal: string | undefined;
  if (target.type === 'contact') contact = target.id;
  else deal = target.id;
  if (opts.deal !== undefined) {
    if (deal !== undefined) throw new UsageError('--deal is for a reminder about a contact; this one is already about a deal');
    deal = resolveRefOrExplain(ds.deals, opts.deal, 'deal', ds.problems).id;
  }
  const owner = app.defaultOwner(opts.owner);
  const data = reminderData({ due, text, contact, deal, owner, repeat, repeatFrom });
  const baseId = reminderBaseId(due, target.id, text);
  // What `tb check` would refuse (an owner not in touchbase.yaml …) is never written.
  assertWritable(ds, { type: 'reminder', id: baseId, path: `reminders/${baseId}.md`, data });
  // Under the target's lock, checked to exist: tb merge deleting it meanwhile waits or is waited for.
  const dealPath = deal !== undefined && target.type === 'contact' ? ds.deals.find((d) => d.id === deal)?.path : undefined;
  const rec = withExistingRecords(app.root, [target.path, ...(dealPath ? [dealPath] : [])], () => createRecord(app.root, {
    type: 'reminder',
    baseId,
    data,
    randomSuffix: true,
  }), 'shared');
  app.wrote(rec.path, `remind: ${text} (${target.id}, due ${due})`);
  printCreated(app, rec, `Reminder for ${target.id} due ${due}${repeat ? `, every ${repeat}` : ''}: ${text}`);
}
