import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { UsageError } from '../errors.js';
import { CONFIG_FILE } from '../core/config.js';
import { buildDerived } from '../core/derived.js';
import { compileTerritories, planAssignment, STRATEGIES, territoriesOf, type AssignmentPlan, type Strategy } from '../core/assign.js';
import { asString } from '../core/fields.js';
import { compileQuery, queryNeedsBodies } from '../core/query/index.js';
import { didYouMean } from '../core/suggest.js';
import { configuredOwnerId, ownerSpellings } from '../core/owners.js';
import type { Config, Dataset, RecordType } from '../core/types.js';
import { updateRecord } from '../store/write.js';
import { setConfigEntry } from '../store/config-file.js';
import { withRecordLock } from '../store/lock.js';
import { loadDataset } from '../store/load.js';
import { renderCsvTable, renderMarkdownTable, renderTable } from '../render/table.js';
import { makeStyle } from '../render/style.js';

interface AssignOptions {
  to?: string;
  strategy: string;
  reassign?: boolean;
  dryRun?: boolean;
}

export function register(program: Command, getApp: GetApp): void {
  program
    .command('assign')
    .description('give leads an owner: territory rules first, then round-robin or balanced, best score first')
    .argument('[query...]', 'only contacts matching this query (default: every contact without an owner)')
    .option('--to <owners>', 'owners to hand the leads out to, comma-separated (e.g. sam,kim,lee)')
    .option('--strategy <name>', 'round-robin (take turns, continuing where the last run stopped) or balanced (fewest open leads)', 'round-robin')
    .option('--reassign', 'also hand out contacts that already have an owner')
    .option('--dry-run', 'print the plan and change nothing')
    .addHelpText('after', `
Territory rules (assignment: [{when: QUERY, owner: ID}] in touchbase.yaml) apply first; the first
matching rule wins. Only leads no rule covers are distributed to --to. Each lead assigned gets
owner: and assigned: (today); the round-robin position is kept in touchbase.yaml (round_robin.last).
See docs/scoring.md.

Formats: --format table (default) | json | csv | md.

Examples:
  $ tb assign --to sam,kim --dry-run
  $ tb assign stage:lead --to sam,kim,lee --strategy balanced
  $ tb assign 'score>=50' --to sam,kim --reassign --json
`)
    .action(action(getApp, assignCommand));
}

function parseStrategy(text: string): Strategy {
  const s = text.toLowerCase() as Strategy;
  if (STRATEGIES.includes(s)) return s;
  throw new UsageError(`--strategy '${text}' is not one of: ${STRATEGIES.join(', ')}`, didYouMean(text, STRATEGIES));
}

/** `--to sam,kim`: owners by id, name or email, checked against owners: when the config lists any; ids out. */
function parseOwners(text: string | undefined, config: Config): string[] {
  if (text === undefined) return [];
  const asked = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
  if (!asked.length) throw new UsageError('--to needs at least one owner id', 'e.g. --to sam,kim');
  const known = Object.keys(config.owners);
  if (!known.length) return asked;
  return [...new Set(asked.map((owner) => {
    const id = configuredOwnerId(config, owner);
    if (id === undefined) throw new UsageError(`unknown owner '${owner}' in --to`, didYouMean(owner, ownerSpellings(config)) ?? `owners: ${known.join(', ')}`);
    return id;
  }))];
}

/** Assignments wait for each other this long (one writes 100 leads in about a second). */
const ASSIGN_WAIT_MS = 60_000;

async function assignCommand(app: App, words: string[], opts: AssignOptions): Promise<void> {
  const format = app.format(['table', 'json', 'csv', 'md'], 'table');
  const strategy = parseStrategy(opts.strategy);
  const config = app.config();
  const to = parseOwners(opts.to, config);
  const loadOpts = { types: ['contact', 'company', 'deal', 'interaction', 'reminder'] as RecordType[], bodies: queryNeedsBodies(words, config) ? ['contact'] as RecordType[] : false, interactionSummary: app.today };
  let plan: AssignmentPlan;
  if (opts.dryRun) {
    plan = planFrom(app, await app.load(loadOpts), words, opts, to, strategy);
  } else {
    // Planned and written under one lock (touchbase.yaml's, which holds the rotation), from the
    // files as they are then: a second tb assign waits, then sees the leads the first one gave out.
    plan = withRecordLock(app.root, CONFIG_FILE, () => {
      const ds = loadDataset(app.root, { ...loadOpts, now: () => app.sys.now.getTime() });
      app.warnProblems(ds);
      const p = planFrom(app, ds, words, opts, to, strategy);
      write(app, p, strategy);
      return p;
    }, ASSIGN_WAIT_MS);
  }
  report(app, plan, format, { dryRun: opts.dryRun === true, strategy });
}

function planFrom(app: App, ds: Dataset, words: string[], opts: AssignOptions, to: string[], strategy: Strategy): AssignmentPlan {
  const ctx = app.ctx();
  const derived = buildDerived(ds, ctx);
  const env = { dataset: ds, ctx, derived, type: 'contact' as const };
  const matches = compileQuery(words, env);
  const territories = compileTerritories(territoriesOf(ds.config).rules, env);
  const candidates = ds.contacts.filter((c) => matches(c) && (opts.reassign || asString(c.data.owner) === undefined));
  const lastOwner = asString((ds.config.raw.round_robin as Record<string, unknown> | undefined)?.last);
  return planAssignment({ candidates, contacts: ds.contacts, score: (c) => derived.score(c), territories, to, strategy, lastOwner, config: ds.config });
}

/** Each changed lead is one round-trip edit under its lock; the rotation's position goes to touchbase.yaml. */
function write(app: App, plan: AssignmentPlan, strategy: Strategy): void {
  const changed = plan.rows.filter((r) => r.changed);
  const message = `assign: ${changed.length} lead${changed.length === 1 ? '' : 's'} (${strategy})`;
  for (const row of changed) {
    // Two plain keys: nothing a record check could reject, so no validation pass per lead.
    updateRecord(app.root, row.path, [{ key: 'owner', value: row.owner }, { key: 'assigned', value: app.today }]);
    app.wrote(row.path, message);
  }
  if (plan.lastOwner !== undefined && setConfigEntry(app.root, 'round_robin', 'last', plan.lastOwner).changed) app.wrote(CONFIG_FILE, message);
}

function report(app: App, plan: AssignmentPlan, format: 'table' | 'json' | 'csv' | 'md', o: { dryRun: boolean; strategy: Strategy }): void {
  if (format === 'json') {
    const out = {
      dry_run: o.dryRun,
      strategy: o.strategy,
      assignments: plan.rows.map((r) => ({ id: r.id, name: r.name, path: r.path, score: r.score ?? null, from: r.from ?? null, owner: r.owner, by: r.by, rule: r.rule ?? null, changed: r.changed })),
      round_robin_last: plan.lastOwner ?? null,
    };
    return app.out(JSON.stringify(out, null, 2));
  }
  const head = ['contact', 'name', 'score', 'owner', 'by'];
  const cells = plan.rows.map((r) => [r.id, r.name, r.score, `${r.from !== undefined && r.changed ? `${r.from} → ` : ''}${r.owner}${r.changed ? '' : ' (unchanged)'}`, r.by === 'rule' ? `rule: ${r.rule}` : r.by]);
  if (format === 'csv') return app.raw(renderCsvTable(head, cells));
  if (format === 'md') return app.out(renderMarkdownTable(head, cells));
  if (!plan.rows.length) {
    if (!app.quiet) app.sys.writeErr('no leads to assign (contacts without an owner matching the query; --reassign for all)\n');
    return;
  }
  const style = makeStyle(app.color);
  app.out(renderTable(head, cells, { width: app.columns, head: (h) => style.bold(h) }));
  const changed = plan.rows.filter((r) => r.changed).length;
  app.say(o.dryRun ? `Dry run: would assign ${changed} lead${changed === 1 ? '' : 's'}; nothing written` : `Assigned ${changed} lead${changed === 1 ? '' : 's'}`);
}
