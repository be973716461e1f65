import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { planDone, resolveReminder } from '../core/reminders.js';
import { reminderBaseId } from '../core/records.js';
import { createRecord, updateRecord } from '../store/write.js';
import { parseRecordText } from '../store/frontmatter.js';
import { recordJson } from '../render/records.js';
import type { CrmRecord } from '../core/types.js';

export const REMINDER_REF_HELP = `A reminder is named by its id (the file name without .md), a unique id prefix, or a contact
or deal that has exactly one open reminder (tb done ada).`;

export function register(program: Command, getApp: GetApp): void {
  program
    .command('done')
    .description('mark a reminder done; a repeating one schedules its next occurrence')
    .argument('<reminder>', 'reminder id, unique id prefix, or a contact/deal with one open reminder')
    .addHelpText('after', `
${REMINDER_REF_HELP}
Sets status: done and done: <today>. For a reminder with repeat: the next occurrence is a new
file (same text, contact, deal, owner, repeat), due one interval after the due date, or after
today with repeat_from: done. Both paths are printed.

Examples:
  $ tb done ada
  $ tb done 2026-11-27-ada-lovelace-send-proposal-q7p2
  $ tb --as-of 2026-11-30 done 2026-11-27-ada
`)
    .action(action(getApp, doneCommand));
}

async function doneCommand(app: App, ref: string): Promise<void> {
  // Check the output format before writing anything: a usage error must leave no file behind.
  app.format(['text', 'json'], 'text');
  const ds = await app.load({ types: ['contact', 'deal', 'reminder'] });
  const rem = resolveReminder(ds, ref);
  const today = app.today;
  const plan = planDone(rem, today);
  const text = updateRecord(app.root, rem.path, plan.edits);
  app.wrote(rem.path, `done: ${rem.id}`);
  let next: CrmRecord | undefined;
  if (plan.next) {
    next = createRecord(app.root, { type: 'reminder', baseId: reminderBaseId(plan.next.due, plan.next.target, plan.next.text), data: plan.next.data, randomSuffix: true });
    app.wrote(next.path);
  }
  if (app.format(['text', 'json'], 'text') === 'json') {
    const doneRec = { ...rem, data: parseRecordText(text, rem.path).data };
    app.out(JSON.stringify({ done: recordJson(doneRec), next: next ? recordJson(next) : null }, null, 2));
    return;
  }
  app.say(`Done ${today}: ${String(rem.data.text ?? rem.id)} (${rem.path})`);
  if (next) app.say(`Next due ${String(next.data.due)} (${next.path})`);
}
