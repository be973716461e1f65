import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { UsageError } from '../errors.js';
import { resolveAny } from '../core/resolve.js';
import { planChanges } from '../core/changes.js';
import type { Edit } from '../core/changes.js';
import { asString, displayName } from '../core/fields.js';
import { dealHistory } from '../core/derived.js';
import { stageById } from '../core/config.js';
import { updateRecord } from '../store/write.js';
import { parseRecordText } from '../store/frontmatter.js';
import { recordJson } from '../render/records.js';
import { stageMessage } from '../core/sync.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('set')
    .description('change fields of a record from the command line; only the touched keys change in the file')
    .argument('<ref>', 'id, unique id prefix, email or name')
    .argument('<change...>', 'key=value, key= (remove), key+=value / key-=value (lists), +tag, -tag')
    .allowUnknownOption()
    .addHelpText('after', `
Values are YAML scalars: 9 is a number, true a boolean, [a, b] a list, anything else text.
Use -- before the changes if one looks like an option (tb set ada -- -vip).

Examples:
  $ tb set ada stage=customer +vip
  $ tb set ada title="Chief Analyst" nps=9
  $ tb set ada emails+=ada@work.example -newsletter
  $ tb set acme-renewal value=30000 expected_close=2027-02-01
`)
    .action(action(getApp, setCommand));
}

function setCommand(app: App, ref: string, changes: string[]): void {
  if (!changes.length) throw new UsageError('nothing to change', 'e.g. tb set ada stage=customer +vip');
  const ds = app.load();
  const rec = resolveAny(ds, ref);
  const { edits } = planChanges(rec.type, rec.data, changes);
  const stageEdit = edits.find((e) => e.key === 'stage' && 'value' in e) as { key: string; value: unknown } | undefined;
  if (stageEdit) checkStage(app, rec.type, String(stageEdit.value), rec.data.stage, edits);
  const text = updateRecord(app.root, rec.path, edits);
  const after = { ...rec, data: parseRecordText(text, rec.path).data };
  const stageChanged = rec.type === 'deal' && stageEdit && String(stageEdit.value) !== asString(rec.data.stage);
  app.wrote(
    rec.path,
    stageChanged
      ? stageMessage(rec.id, String(stageEdit.value), changes.filter((c) => !/^stage\s*=/.test(c)))
      : `set: ${displayName(after)} ${changes.join(' ')}`,
  );
  if (app.format(['text', 'json'], 'text') === 'json') {
    app.out(JSON.stringify(recordJson(after), null, 2));
    return;
  }
  app.say(`Updated ${rec.type} ${rec.id}: ${edits.map((e) => ('remove' in e ? `removed ${e.key}` : `${e.key}`)).join(', ')} (${rec.path})`);

  function checkStage(app: App, type: string, stage: string, old: unknown, list: Edit[]): void {
    const config = ds.config;
    if (type === 'contact' && !config.lifecycle.includes(stage)) {
      throw new UsageError(`unknown lifecycle stage '${stage}'`, `use one of: ${config.lifecycle.join(', ')}`);
    }
    if (type === 'deal') {
      const def = stageById(config, stage);
      if (!def) throw new UsageError(`unknown pipeline stage '${stage}'`, `use one of: ${config.pipeline.map((s) => s.id).join(', ')}`);
      if (stage !== asString(old)) {
        // A stage change is the one log kept in a file: append it to history, as `tb deal move` does.
        const history = dealHistory(rec).map((h) => ({ date: h.date, stage: h.stage }));
        list.push({ key: 'history', value: [...(Array.isArray(rec.data.history) ? rec.data.history : history), { date: app.today, stage }] });
        if (def.closed && !list.some((e) => e.key === 'closed')) list.push({ key: 'closed', value: app.today });
      }
    }
  }
}
