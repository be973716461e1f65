import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { planCancel, resolveReminder } from '../core/reminders.js';
import { updateRecord } from '../store/write.js';
import { parseRecordText } from '../store/frontmatter.js';
import { recordJson } from '../render/records.js';
import { REMINDER_REF_HELP } from './done.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('cancel')
    .description('cancel an open reminder (it stays on file with status: cancelled)')
    .argument('<reminder>', 'reminder id, unique id prefix, or a contact/deal with one open reminder')
    .addHelpText('after', `
${REMINDER_REF_HELP}
A cancelled repeating reminder does not schedule a next occurrence.

Examples:
  $ tb cancel ada
  $ tb cancel 2026-11-27-ada-lovelace-send-proposal-q7p2
`)
    .action(action(getApp, cancelCommand));
}

async function cancelCommand(app: App, ref: string): Promise<void> {
  // Check the output format before writing anything: a usage error must leave no file behind.
  app.format(['text', 'json'], 'text');
  const ds = await app.load({ types: ['contact', 'deal', 'reminder'] });
  const rem = resolveReminder(ds, ref);
  planCancel(rem);
  // Planned again from the file under its lock: a reminder done meanwhile is not also cancelled.
  const text = updateRecord(app.root, rem.path, (data) => planCancel({ ...rem, data }));
  app.wrote(rem.path, `cancel: ${rem.id}`);
  if (app.format(['text', 'json'], 'text') === 'json') {
    app.out(JSON.stringify(recordJson({ ...rem, data: parseRecordText(text, rem.path).data }), null, 2));
    return;
  }
  app.say(`Cancelled: ${String(rem.data.text ?? rem.id)} (${rem.path})`);
}
