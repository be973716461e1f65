import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, assertWritable } from './common.js';
import { UsageError } from '../errors.js';
import { resolveAny, resolveRefOrExplain } from '../core/resolve.js';
import { planChanges } from '../core/changes.js';
import { DATASET_KEY, FIELD_ORDER, LIST_REFERENCE_KEYS, LIST_VALUED_FIELDS, REFERENCE_KEYS } from '../core/schema.js';
import type { CrmRecord, Dataset } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';
import { nearMissField } from '../core/field-names.js';
import type { Edit } from '../core/changes.js';
import { asString, displayName } from '../core/fields.js';
import { moveDeal } from '../core/pipeline.js';
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

async function setCommand(app: App, ref: string, changes: string[]): Promise<void> {
  // Check the output format before writing anything: a usage error must leave no file behind.
  app.format(['text', 'json'], 'text');
  if (!changes.length) throw new UsageError('nothing to change', 'e.g. tb set ada stage=customer +vip');
  const ds = await app.load();
  const rec = resolveAny(ds, ref);
  /** The edits for the record with `data`: planned once to check them, again from the file as it is when written. */
  const plan = (data: CrmRecord['data']): Edit[] => {
    const { edits } = planChanges(rec.type, data, changes);
    resolveReferences(edits, ds);
    const stageEdit = stageEditIn(edits);
    if (stageEdit) checkStage(app, { ...rec, data }, String(stageEdit.value), edits);
    return edits;
  };
  const edits = plan(rec.data);
  refuseNearMisses(rec, edits, ds);
  noteNewFields(app, rec, edits, ds);
  const stageEdit = stageEditIn(edits);
  let unchanged = false;
  const text = updateRecord(app.root, rec.path, plan, undefined, (after, before) => {
    unchanged = after === before;
    assertWritable(ds, { ...rec, data: parseRecordText(after, rec.path).data }, rec);
  });
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
  if (unchanged) return app.say(`No change to ${rec.type} ${rec.id}: it already has those values (${rec.path})`);
  app.say(`Updated ${rec.type} ${rec.id}: ${edits.map((e) => ('remove' in e ? `removed ${e.key}` : `${e.key}`)).join(', ')} (${rec.path})`);

  function checkStage(app: App, current: CrmRecord, stage: string, list: Edit[]): void {
    const config = ds.config;
    if (current.type === 'contact' && !config.lifecycle.includes(stage)) {
      throw new UsageError(`unknown lifecycle stage '${stage}'`, didYouMean(stage, config.lifecycle) ?? `use one of: ${config.lifecycle.join(', ')}`);
    }
    if (current.type === 'deal') {
      // One code path for stage changes: the same plan as `tb deal move` (history, closed, lost_reason).
      // Keys the user sets explicitly in the same command win over the plan's.
      const plan = moveDeal(current, stage, app.today, config);
      for (const e of plan.edits) {
        const mine = list.findIndex((x) => x.key === e.key);
        if (e.key === 'stage' && mine >= 0) list[mine] = e;
        else if (mine < 0) list.push(e);
      }
    }
  }
}

/** The edit that sets `stage`, if any. */
function stageEditIn(edits: Edit[]): { key: string; value: unknown } | undefined {
  return edits.find((e) => e.key === 'stage' && 'value' in e) as { key: string; value: unknown } | undefined;
}

/** `company=Acme Corp`, `contacts+=ada@example.com`: reference fields store ids, resolved like any ref. */
function resolveReferences(edits: Edit[], ds: Dataset): void {
  for (const edit of edits) {
    const kind = REFERENCE_KEYS[edit.key];
    if (!kind || !('value' in edit)) continue;
    const one = (ref: unknown) => resolveRefOrExplain(ds[DATASET_KEY[kind]], String(ref), kind, ds.problems).id;
    edit.value = Array.isArray(edit.value) ? [...new Set(edit.value.map(one))] : one(edit.value);
  }
}

/**
 * `email=…`, `emial=…`, `tag+=…`: a near miss of a field of this record type is refused with the
 * right name (nothing written), so no stray key hides a value from `tb show`.
 */
function refuseNearMisses(rec: CrmRecord, edits: Edit[], ds: Dataset): void {
  for (const e of edits) {
    if ('remove' in e) continue;
    const meant = nearMissField(rec.type, e.key, Object.keys(ds.config.fields));
    if (!meant) continue;
    const value = Array.isArray(e.value) ? e.value.join(',') : String(e.value);
    const list = LIST_VALUED_FIELDS.has(meant) || LIST_REFERENCE_KEYS.has(meant);
    throw new UsageError(`'${e.key}' is not a ${rec.type} field; did you mean '${meant}'? (nothing was written)`, list ? `tb set ${rec.id} ${meant}+=${value} adds to the list; ${meant}=${value} replaces it` : `tb set ${rec.id} ${meant}=${value}`);
  }
}

/** A truly new custom field is kept, with a note on how to declare it (docs/config.md, fields). */
function noteNewFields(app: App, rec: CrmRecord, edits: Edit[], ds: Dataset): void {
  const known = new Set<string>([...FIELD_ORDER[rec.type], ...Object.keys(ds.config.fields), ...Object.keys(rec.data)]);
  for (const e of edits) {
    if (known.has(e.key) || 'remove' in e) continue;
    app.warn(`'${e.key}' is a new custom field on ${rec.id}; declare it under fields: in touchbase.yaml to have tb check it`);
  }
}
