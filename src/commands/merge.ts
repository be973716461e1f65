import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { UsageError } from '../errors.js';
import type { RecordType } from '../core/types.js';
import { DATASET_KEY } from '../core/types.js';
import { resolveRef } from '../core/resolve.js';
import { planMerge, referringTypes } from '../core/dedupe.js';
import type { FieldChange, MergePlan } from '../core/dedupe.js';
import { asRefList, displayName } from '../core/fields.js';
import type { CrmRecord, Dataset } from '../core/types.js';
import { FOLDER_OF } from '../core/types.js';
import { isValidSlug } from '../core/slug.js';
import { loadDataset, readRecordText, withBody } from '../store/load.js';
import { withExistingRecords } from '../store/lock.js';
import { faultPoint } from '../store/fault.js';
import { parseRecordText } from '../store/frontmatter.js';
import { deleteRecord, updateRecord } from '../store/write.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('merge')
    .description('merge two contacts (or two companies) into one, rewriting every reference')
    .argument('<keep>', 'the record that stays (id, prefix, email or name)')
    .argument('<drop>', 'the record merged into it and then deleted')
    .option('-n, --dry-run', 'print what would change, write nothing')
    .addHelpText('after', `
keep's non-empty values win; drop's values fill keep's empty fields; lists (emails, phones, tags …)
are unioned. drop's notes are appended to keep's under "## Merged from <name> (<id>)". Every
interaction, deal and reminder naming drop (for companies: contacts and deals) is rewritten to
keep, then drop's file is deleted. When drop was merged and deleted in another clone already but
records here still name it (after tb sync), tb merge KEEP DROP-ID points them at keep.

Examples:
  $ tb dedupe
  $ tb merge jose-muller jose-mueller --dry-run
  $ tb merge acme acme-gmbh
`)
    .action(action(getApp, mergeCommand));
}

async function mergeCommand(app: App, keepRef: string, dropRef: string, opts: { dryRun?: boolean }): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const ds = await app.load({ types: [...new Set<RecordType>(['contact', 'company', ...referringTypes('contact'), ...referringTypes('company')])] });
  const candidates = [...ds.contacts, ...ds.companies];
  const keep = withBody(app.root, resolveRef(candidates, keepRef, 'contact or company'));
  const gone = leftoverDrop(ds, keep, dropRef);
  if (gone) return finishElsewhereMerge(app, keep, gone, opts.dryRun === true, format);
  const drop = withBody(app.root, resolveRef(candidates, dropRef, 'contact or company'));
  if (keep.path === drop.path) throw new UsageError(`'${keepRef}' and '${dropRef}' are the same ${keep.type} (${keep.id})`);
  if (keep.type !== drop.type) throw new UsageError(`cannot merge ${keep.type} ${keep.id} with ${drop.type} ${drop.id}`, 'merge two contacts or two companies');
  const referrers = referringTypes(keep.type).flatMap((t: RecordType) => ds[DATASET_KEY[t]]);
  const plan = opts.dryRun ? planMerge(keep, drop, referrers) : applyMerge(app, keep, drop);

  if (format === 'json') {
    app.out(JSON.stringify({
      dry_run: opts.dryRun === true,
      type: keep.type,
      keep: { id: keep.id, path: keep.path },
      drop: { id: drop.id, path: drop.path },
      fields: plan.fields,
      notes_appended: plan.bodyAppend !== '',
      references: plan.references.map((r) => ({ path: r.record.path, key: r.key, before: r.before, after: r.after })),
      deleted: drop.path,
    }, null, 2));
    return;
  }
  for (const line of describe(plan, opts.dryRun === true)) app.say(line);
}

/**
 * Merges under the locks of both records, planned from the files as they are then: a tb log naming
 * drop either finished before (its interaction is rewritten here) or waits and finds drop gone.
 * Each step can be repeated: keep's edits and notes land once, references already rewritten are
 * not found again, and drop is deleted last, so re-running after a crash at any step completes it.
 */
function applyMerge(app: App, keepSeen: CrmRecord, dropSeen: CrmRecord): MergePlan {
  const root = app.root;
  return withExistingRecords(root, [keepSeen.path, dropSeen.path], () => {
    const reread = (r: CrmRecord): CrmRecord => ({ ...r, ...parsedWithBody(readRecordText(root, r.path), r.path) });
    const keep = reread(keepSeen);
    const drop = reread(dropSeen);
    const fresh = loadDataset(root, { types: referringTypes(keep.type) });
    const plan = planMerge(keep, drop, referringTypes(keep.type).flatMap((t: RecordType) => fresh[DATASET_KEY[t]]));
    updateRecord(root, keep.path, plan.edits, plan.bodyAppend || undefined);
    app.wrote(keep.path, `merge: ${drop.id} into ${keep.id}`);
    faultPoint('merge:after-keep');
    for (const r of plan.references) {
      updateRecord(root, r.record.path, [{ key: r.key, value: r.after }]);
      app.wrote(r.record.path);
      faultPoint('merge:after-reference');
    }
    deleteRecord(root, drop.path);
    app.wrote(drop.path);
    return plan;
  });
}

/**
 * A record merged (and deleted) in another clone while this one logged against it: after `tb sync`
 * its id is gone but records here still name it. Then `tb merge KEEP GONE-ID` points them at KEEP.
 * Undefined when `ref` names an existing record or nothing refers to it.
 */
function leftoverDrop(ds: Dataset, keep: CrmRecord, ref: string): CrmRecord | undefined {
  const id = ref.trim().toLowerCase();
  if (!isValidSlug(id) || id === keep.id || [...ds.contacts, ...ds.companies].some((r) => r.id === id)) return undefined;
  const ghost: CrmRecord = { type: keep.type, id, path: `${FOLDER_OF[keep.type]}/${id}.md`, data: {}, body: '' };
  const referrers = referringTypes(keep.type).flatMap((t: RecordType) => ds[DATASET_KEY[t]]);
  return planMerge(keep, ghost, referrers).references.length ? ghost : undefined;
}

function finishElsewhereMerge(app: App, keep: CrmRecord, ghost: CrmRecord, dryRun: boolean, format: string): void {
  const root = app.root;
  const plan = withExistingRecords(root, dryRun ? [] : [keep.path], () => {
    const fresh = loadDataset(root, { types: referringTypes(keep.type) });
    const p = planMerge(keep, ghost, referringTypes(keep.type).flatMap((t: RecordType) => fresh[DATASET_KEY[t]]));
    if (!dryRun) {
      for (const r of p.references) {
        updateRecord(root, r.record.path, [{ key: r.key, value: r.after }]);
        app.wrote(r.record.path, `merge: ${ghost.id} into ${keep.id} (references left after a merge elsewhere)`);
      }
    }
    return p;
  });
  if (format === 'json') {
    app.out(JSON.stringify({
      dry_run: dryRun, type: keep.type, keep: { id: keep.id, path: keep.path }, drop: { id: ghost.id, path: ghost.path },
      fields: [], notes_appended: false,
      references: plan.references.map((r) => ({ path: r.record.path, key: r.key, before: r.before, after: r.after })),
      deleted: null,
    }, null, 2));
    return;
  }
  app.say(`${dryRun ? 'Would point' : 'Pointed'} ${plan.references.length} reference${plan.references.length === 1 ? '' : 's'} to ${ghost.id} (deleted already, merged elsewhere) at ${keep.id}`);
  for (const r of plan.references) app.say(`  ${r.record.path}: ${r.key} ${show(asRefList(r.before))} → ${show(asRefList(r.after))}`);
  if (dryRun) app.say('Dry run: nothing was written.');
}

function parsedWithBody(text: string, rel: string): { data: CrmRecord['data']; body: string } {
  const parsed = parseRecordText(text, rel);
  return { data: parsed.data, body: parsed.body };
}

function show(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

function fieldLine(f: FieldChange): string {
  if (f.kind === 'added') return `${f.key}: ${show(f.value)} (from ${'drop'})`;
  if (f.kind === 'extended') return `${f.key} += ${show(f.value)}`;
  return `${f.key}: kept ${show(f.value)} (dropped ${show(f.dropped)})`;
}

function describe(plan: MergePlan, dryRun: boolean): string[] {
  const { keep, drop } = plan;
  const lines = [`${dryRun ? 'Would merge' : 'Merged'} ${keep.type} ${drop.id} (${displayName(drop)}) into ${keep.id} (${displayName(keep)})`];
  for (const f of plan.fields) lines.push(`  ${keep.path}: ${fieldLine(f).replace('(from drop)', `(from ${drop.id})`)}`);
  if (plan.bodyAppend) lines.push(`  ${keep.path}: notes of ${drop.id} appended`);
  for (const r of plan.references) lines.push(`  ${r.record.path}: ${r.key} ${show(asRefList(r.before))} → ${show(asRefList(r.after))}`);
  lines.push(`  ${dryRun ? 'would delete' : 'deleted'} ${drop.path}`);
  if (dryRun) lines.push('Dry run: nothing was written.');
  return lines;
}
