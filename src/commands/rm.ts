import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { DataError } from '../errors.js';
import { resolveAny } from '../core/resolve.js';
import { planRemove } from '../core/remove.js';
import type { Reference, RemovePlan } from '../core/remove.js';
import { displayName } from '../core/fields.js';
import type { CrmRecord } from '../core/types.js';
import { deleteRecord, updateRecord } from '../store/write.js';
import { withExistingRecords, withRecordLock } from '../store/lock.js';
import { loadDataset } from '../store/load.js';
import { DATASET_KEY } from '../core/types.js';
import { isInsideWorkTree, isTracked } from '../store/git.js';

interface RmOptions {
  force?: boolean;
  cascade?: boolean;
  dryRun?: boolean;
}

export function register(program: Command, getApp: GetApp): void {
  program
    .command('rm')
    .alias('delete')
    .description('remove a record; refuses while other records name it (see --force, --cascade)')
    .argument('<ref>', 'id, unique id prefix, email or name')
    .option('--cascade', "also remove the record's own interactions and reminders (shared ones, and a deal's, case's or campaign's interactions, only lose the reference)")
    .option('-f, --force', 'remove even though other records still name it (they are listed; they will dangle)')
    .option('-n, --dry-run', 'print what would happen, change nothing')
    .addHelpText('after', `
The file is deleted. If git tracks it, its history stays (git log -- <path>); a file never
committed is gone for good, so try --dry-run first. With git.autocommit on, the removal is one
commit. Details: tb help removing.

Examples:
  $ tb rm ada --dry-run          what would be removed, what still names ada
  $ tb rm ada --cascade          ada with the interactions and reminders about her alone
  $ tb rm acme --force           a company whose contacts keep 'company: acme' (dangling)
  $ tb delete rem-2026-11-30     the same command by its other name
`)
    .action(action(getApp, rmCommand));
}

async function rmCommand(app: App, ref: string, opts: RmOptions): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const ds = await app.load();
  const seen = resolveAny(ds, ref);
  const first = checked(planRemove(ds, seen), opts);
  // The removal itself holds the record (tb log, tb remind naming it wait, then find it gone) and
  // is planned again from the files as they are then: what was logged meanwhile is cascaded too.
  const { plan, removed, unlinks, blocking, tracked } = opts.dryRun
    ? { ...first, tracked: new Set<string>() }
    : withExistingRecords(app.root, [seen.path], () => {
      const fresh = loadDataset(app.root, { now: () => app.sys.now.getTime() });
      const target = fresh[DATASET_KEY[seen.type]].find((r) => r.path === seen.path) ?? seen;
      const now = checked(planRemove(fresh, target), opts);
      return { ...now, tracked: apply(app, target, now.removed, now.unlinks) };
    });
  const dangling = blocking;

  if (format === 'json') {
    app.out(JSON.stringify({
      dry_run: opts.dryRun === true,
      removed: removed.map((r) => ({ id: r.id, type: r.type, path: r.path })),
      unlinked: unlinks.map((u) => ({ path: u.record.path, key: u.key, before: u.before, after: u.after ?? null })),
      dangling: dangling.map((d) => ({ id: d.record.id, type: d.record.type, path: d.record.path, key: d.key })),
    }, null, 2));
    return;
  }
  for (const line of describe(plan, removed, unlinks, dangling, opts, app, tracked)) app.say(line);
}

/** The plan's removals and unlinks under the options, or the refusal while others still name the record. */
function checked(plan: RemovePlan, opts: RmOptions): { plan: RemovePlan; removed: CrmRecord[]; unlinks: RemovePlan['unlinks']; blocking: Reference[] } {
  const target = plan.target;
  const blocking = opts.cascade ? plan.dangling : plan.references;
  if (blocking.length && !opts.force && !opts.dryRun) {
    const hint = opts.cascade || !plan.cascade.length && !plan.unlinks.length
      ? `--force removes it anyway and leaves them dangling; tb merge moves references to another ${target.type}`
      : `--cascade ${cascadeDoes(plan)}; --force leaves the references dangling`;
    // A refusal about the data, not wrong usage: exit 1 (docs/commands.md, exit codes).
    throw new DataError(`${target.id} is still named by ${countOf(blocking)}: ${blocking.slice(0, 5).map(where).join(', ')}${blocking.length > 5 ? ', …' : ''}`, undefined, hint);
  }
  return { plan, removed: opts.cascade ? [target, ...plan.cascade] : [target], unlinks: opts.cascade ? plan.unlinks : [], blocking };
}

/** What --cascade would do here: remove own records, or only unlink (a case's or campaign's interactions stay). */
function cascadeDoes(plan: RemovePlan): string {
  if (plan.cascade.length) return 'removes its own interactions and reminders';
  const keys = [...new Set(plan.unlinks.map((u) => `${u.key}:`))].join(', ');
  return `takes ${keys} off the ${countOf(plan.unlinks)} naming it (they stay)`;
}

function countOf(refs: readonly Reference[]): string {
  const n = new Set(refs.map((r) => r.record.path)).size;
  return `${n} record${n === 1 ? '' : 's'}`;
}

function where(r: Reference): string {
  return `${r.record.path} (${r.key})`;
}

/**
 * Deletes and rewrites, each under the file's lock; every touched path goes to autocommit.
 * Returns the removed paths git tracked (only their history is kept).
 */
function apply(app: App, target: CrmRecord, removed: CrmRecord[], unlinks: RemovePlan['unlinks']): Set<string> {
  const trackedPaths = new Set<string>();
  const git = isInsideWorkTree(app.root);
  for (const u of unlinks) {
    updateRecord(app.root, u.record.path, [u.after === undefined ? { key: u.key, remove: true } : { key: u.key, value: u.after }]);
    app.wrote(u.record.path);
  }
  const message = `rm: ${target.type} ${target.id}${removed.length > 1 ? ` and ${removed.length - 1} own record${removed.length > 2 ? 's' : ''}` : ''}`;
  for (const rec of removed) {
    // Tracked or not is asked before the delete: only a tracked file's removal can be committed.
    const tracked = git && isTracked(app.root, rec.path);
    withRecordLock(app.root, rec.path, () => deleteRecord(app.root, rec.path));
    if (tracked) {
      trackedPaths.add(rec.path);
      app.wrote(rec.path, message);
    }
  }
  if (!app.commitMessage) app.commitMessage = message;
  return trackedPaths;
}

function describe(plan: RemovePlan, removed: CrmRecord[], unlinks: RemovePlan['unlinks'], dangling: Reference[], opts: RmOptions, app: App, tracked: ReadonlySet<string>): string[] {
  const dry = opts.dryRun === true;
  const lines: string[] = [];
  for (const r of removed) lines.push(`${dry ? 'Would remove' : 'Removed'} ${r.type} ${r.id} (${displayName(r)}): ${r.path}`);
  for (const u of unlinks) lines.push(`  ${u.record.path}: ${u.key} ${dry ? 'would lose' : 'no longer names'} ${plan.target.id}`);
  if (dangling.length) {
    lines.push(`${dry && !opts.force ? 'Still named by' : 'Left dangling'} (${countOf(dangling)}):`);
    for (const d of dangling) lines.push(`  ${where(d)}`);
  }
  if (dry) {
    if (dangling.length && !opts.force) lines.push(`Without --force this is refused${!opts.cascade && (plan.cascade.length || plan.unlinks.length) ? ` (--cascade ${cascadeDoes(plan)})` : ''}.`);
    lines.push('Dry run: nothing was changed.');
  } else {
    // Only a file git tracks has a history to go back to; an uncommitted one is simply gone.
    const kept = removed.filter((r) => tracked.has(r.path)).map((r) => r.path);
    const gone = removed.filter((r) => !tracked.has(r.path)).map((r) => r.path);
    if (kept.length && !app.config().git.autocommit) lines.push(`git keeps the history of ${listed(kept)}; commit the removal (git commit -a) or turn on git.autocommit.`);
    const it = gone.length === 1 ? 'it is' : 'they are';
    if (gone.length && !isInsideWorkTree(app.root)) lines.push(`${listed(gone)}: this CRM is not in git, so ${it} gone and no copy is kept.`);
    else if (gone.length) lines.push(`${listed(gone)} ${gone.length === 1 ? 'was' : 'were'} never committed to git: ${it} gone, no copy is kept.`);
  }
  return lines;
}

function listed(paths: readonly string[]): string {
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}
