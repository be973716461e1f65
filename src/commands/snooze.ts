import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { parseWhenKeepTime } from '../core/dates.js';
import { planSnooze, resolveReminder } from '../core/reminders.js';
import { updateRecord } from '../store/write.js';
import { parseRecordText } from '../store/frontmatter.js';
import { recordJson } from '../render/records.js';
import { REMINDER_REF_HELP } from './done.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('snooze')
    .description('move an open reminder to a new due date')
    .argument('<reminder>', 'reminder id, unique id prefix, or a contact/deal with one open reminder')
    .argument('<when>', 'new due date: 2026-12-01, tomorrow, +3d, in 2 weeks, next monday')
    .addHelpText('after', `
${REMINDER_REF_HELP}
Done and cancelled reminders cannot be snoozed. The file keeps its name; only due changes.

Examples:
  $ tb snooze ada "next monday"
  $ tb snooze 2026-11-27-ada-lovelace-send-proposal-q7p2 +3d
`)
    .action(action(getApp, snoozeCommand));
}

async function snoozeCommand(app: App, ref: string, when: string): Promise<void> {
  // Check the output format before writing anything: a usage error must leave no file behind.
  app.format(['text', 'json'], 'text');
  const due = parseWhenKeepTime(when, app.today, 'when');
  const ds = await app.load({ types: ['contact', 'deal', 'reminder'] });
  const rem = resolveReminder(ds, ref);
  planSnooze(rem, due);
  // Planned again from the file under its lock: a reminder done or cancelled meanwhile is refused.
  const text = updateRecord(app.root, rem.path, (data) => planSnooze({ ...rem, data }, due));
  const after = parseRecordText(text, rem.path).data;
  app.wrote(rem.path, `snooze: ${rem.id} to ${due}`);
  if (app.format(['text', 'json'], 'text') === 'json') {
    app.out(JSON.stringify(recordJson({ ...rem, data: after }), null, 2));
    return;
  }
  app.say(`Snoozed to ${String(after.due)}: ${String(rem.data.text ?? rem.id)} (${rem.path})`);
}
