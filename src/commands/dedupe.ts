import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, parseRecordType } from './common.js';
import { UsageError } from '../errors.js';
import { findDuplicates } from '../core/dedupe.js';
import { displayName } from '../core/fields.js';
import { renderTable } from '../render/table.js';
import { makeStyle } from '../render/style.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('dedupe')
    .description('list likely duplicate contacts (or companies) with a score and the reasons')
    .argument('[type]', 'contacts (default) or companies')
    .option('--min-score <n>', 'only pairs scoring at least n (0-100, default 60)')
    .addHelpText('after', `
Scores: same email 100, same company domain 90, same phone 90, same name ignoring case and
accents 85, same words in another order 80, names one letter apart 70, two letters apart 60;
every further signal adds 5 (at most 100). Join a pair with tb merge <keep> <drop>.
Contacts sharing a phone or postal address (no email) with different first names are a
household: listed apart under "Households" (JSON: "household": true), never proposed for merging.

Examples:
  $ tb dedupe
  $ tb dedupe companies
  $ tb dedupe --min-score 85 --json
`)
    .action(action(getApp, dedupeCommand));
}

async function dedupeCommand(app: App, typeArg: string | undefined, opts: { minScore?: string }): Promise<void> {
  const type = typeArg ? parseRecordType(typeArg, ['contact', 'company']) : 'contact';
  const min = opts.minScore === undefined ? 60 : Number(opts.minScore);
  if (!Number.isFinite(min) || min < 0 || min > 100) throw new UsageError(`--min-score must be a number from 0 to 100, got '${opts.minScore}'`);
  const format = app.format(['table', 'json'], 'table');
  const ds = await app.load({ types: [type] });
  const pairs = findDuplicates(type === 'contact' ? ds.contacts : ds.companies, min);
  if (format === 'json') {
    const brief = (r: (typeof pairs)[number]['a']) => ({ id: r.id, name: displayName(r), path: r.path });
    const ordered = [...pairs.filter((p) => !p.household), ...pairs.filter((p) => p.household)];
    app.out(JSON.stringify(ordered.map((p) => ({ score: p.score, a: brief(p.a), b: brief(p.b), reasons: p.reasons, ...(p.household ? { household: true } : {}) })), null, 2));
    return;
  }
  const duplicates = pairs.filter((p) => !p.household);
  const households = pairs.filter((p) => p.household);
  if (!pairs.length) {
    if (!app.quiet) app.sys.writeErr('no likely duplicates\n');
    return;
  }
  const style = makeStyle(app.color);
  const table = (list: typeof pairs) => renderTable(['score', 'a', 'b', 'reasons'], list.map((p) => [p.score, p.a.id, p.b.id, p.reasons.join('; ')]), { width: app.columns, head: (h) => style.bold(h) });
  if (duplicates.length) {
    app.out(table(duplicates));
    app.say(`\n${duplicates.length} likely ${duplicates.length === 1 ? 'duplicate' : 'duplicates'}; join one with: tb merge ${duplicates[0].a.id} ${duplicates[0].b.id}`);
  } else if (!app.quiet) app.sys.writeErr('no likely duplicates\n');
  if (households.length) {
    app.out(`${duplicates.length ? '\n' : ''}Households (a shared phone or address, different first names: two people, not proposed for merging)\n${table(households)}`);
  }
}
