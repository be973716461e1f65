import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { planDone, resolveReminder } from '../core/reminders.js';
import { createRecordOnce, updateRecord } from '../store/write.js';
import { withRecordLock } from '../store/lock.js';
import { readRecordText } from '../store/load.js';
import { faultPoint } from '../store/fault.js';
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
today with repeat_from: done. Both paths are printed. The next occurrence's file name follows from
the reminder and the new due date, so completing it twice (say in two clones) makes one file.

Examples:
  $ tb done ada
  $ tb done 2026-11-27-ada-lovelace-send-proposal-q7p2
  $ tb --as-of 2026-11-30 done 2026-11-27-ada
`)
    .action(action(getApp, doneCommand));
}

/**
 * Completes `rem` under its lock, planned from the file as it is then (a parallel done or cancel
 * finds it no longer open). The next occurrence is made first, under a fixed name, and the reminder
 * marked done last: a crash between the two leaves it open, and a re-run finds the next occurrence
 * made already and only marks it done (docs/reliability.md).
 */
function complete(root: string, rem: CrmRecord, today: string): { text: string; next?: CrmRecord } {
  return withRecordLock(root, rem.path, () => {
    const current: CrmRecord = { ...rem, data: parseRecordText(readRecordText(root, rem.path), rem.path).data };
    const plan = planDone(current, today);
    let next: CrmRecord | undefined;
    if (plan.next) {
      next = createRecordOnce(root, { type: 'reminder', baseId: plan.next.id, data: plan.next.data }).record;
      faultPoint('done:after-next');
    }
    return { text: updateRecord(root, rem.path, plan.edits), next };
  });
}

async function doneCommand(app: App, ref: string): Promise<void> {
  // Check the output format before writing anything: a usage error must leave no file behind.
  app.format(['text', 'json'], 'text');
  const ds = await app.load({ types: ['contact', 'deal', 'reminder'] });
  const rem = resolveReminder(ds, ref);
  const today = app.today;
  const { text, next } = complete(app.root, rem, today);
  app.wrote(rem.path, `done: ${rem.id}`);
  if (next) app.wrote(next.path);
  if (app.format(['text', 'json'], 'text') === 'json') {
    const doneRec = { ...rem, data: parseRecordText(text, rem.path).data };
    app.out(JSON.stringify({ done: recordJson(doneRec), next: next ? recordJson(next) : null }, null, 2));
    return;
  }
  app.say(`Done ${today}: ${String(rem.data.text ?? rem.id)} (${rem.path})`);
  if (next) app.say(`Next due ${String(next.data.due)} (${next.path})`);
}
