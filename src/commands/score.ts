import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { UsageError } from '../errors.js';
import { buildDerived } from '../core/derived.js';
import { byScore } from '../core/assign.js';
import { asString, displayName } from '../core/fields.js';
import { compileQuery, queryNeedsBodies } from '../core/query/index.js';
import { resolveRefOrExplain } from '../core/resolve.js';
import { scoringOf, type ScoringConfig } from '../core/scoring.js';
import type { Config } from '../core/types.js';
import { clampNote, decayNote, scoreJson, signed } from '../render/score.js';
import { renderCsvTable, renderMarkdownTable, renderTable } from '../render/table.js';
import { makeStyle } from '../render/style.js';

interface ScoreOptions {
  top?: string;
}

export function register(program: Command, getApp: GetApp): void {
  program
    .command('score')
    .description("a contact's lead score, rule by rule; or the top-scoring contacts (--top)")
    .argument('[contact-or-query...]', 'a contact (id, name, email), or with --top a query over contacts')
    .option('--top <n>', 'list the n highest-scoring contacts matching the query (default 20 without a contact)')
    .addHelpText('after', `
Scores come from scoring.rules in touchbase.yaml (see docs/scoring.md). Each rule that matches adds
its points; a rule with decay halves its points per that interval since the last touch.

Formats: --format table (default) | json | csv | md.

Examples:
  $ tb score ada                      every rule, whether it matched, its points
  $ tb score --top 20                 the 20 best leads
  $ tb score --top 10 stage:lead no:owner
  $ tb score ada --json
`)
    .action(action(getApp, scoreCommand));
}

/** Scoring must be configured: say how, rather than printing nothing. */
export function requireScoring(config: Config): ScoringConfig {
  const scoring = scoringOf(config);
  if (!scoring) throw new UsageError('no scoring rules configured', "add 'scoring: { rules: [{ when: QUERY, points: N, label: TEXT }] }' to touchbase.yaml (docs/scoring.md)");
  return scoring;
}

async function scoreCommand(app: App, words: string[], opts: ScoreOptions): Promise<void> {
  const format = app.format(['table', 'json', 'csv', 'md'], 'table');
  const config = app.config();
  const scoring = requireScoring(config);
  // A single word that is not query syntax names a contact; anything else (or --top) is a ranking.
  const ranking = opts.top !== undefined || words.length === 0 || words.some((w) => /[:<>=@()]/.test(w) || /^-/.test(w));
  const top = opts.top === undefined ? 20 : Number(opts.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a whole number of 1 or more, got '${opts.top}'`);
  const bodies = ranking && queryNeedsBodies(words, config);
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder'], bodies: bodies ? ['contact'] : false, interactionSummary: app.today });
  const ctx = app.ctx();
  const derived = buildDerived(ds, ctx);
  const style = makeStyle(app.color);

  if (!ranking) {
    const contact = resolveRefOrExplain(ds.contacts, words.join(' '), 'contact', ds.problems);
    const result = derived.scoreDetail(contact.id)!;
    if (format === 'json') return app.out(JSON.stringify(scoreJson(contact.id, displayName(contact), result, scoring), null, 2));
    const head = ['rule', 'when', 'matched', 'points', 'earned'];
    const rows = result.rules.map((r) => [r.label, r.when, r.matched ? 'yes' : 'no', signed(r.points), r.matched ? signed(r.earned) : '', ]);
    if (format === 'csv') return app.raw(renderCsvTable(head, rows));
    if (format === 'md') return app.out(renderMarkdownTable(head, rows));
    const lines = [`${style.bold(`${displayName(contact)}: ${result.score}`)}  ${style.dim(`contact ${contact.id}`)}`];
    const clamped = clampNote(result, scoring);
    if (clamped) lines.push(style.dim(clamped));
    lines.push(renderTable(head, rows.map((r, i) => [...r.slice(0, 4), r[4] + (result.rules[i].matched && result.rules[i].decay ? `  ${style.dim(decayNote(result.rules[i]))}` : '')]), { width: app.columns, head: (h) => style.bold(h) }));
    return app.out(lines.join('\n'));
  }

  const matches = compileQuery(words, { dataset: ds, ctx, derived, type: 'contact' });
  const rows = ds.contacts.filter(matches).sort(byScore((c) => derived.score(c))).slice(0, top);
  const topRules = (id: string) => derived.scoreDetail(id)!.rules.filter((r) => r.matched && r.earned !== 0).sort((a, b) => Math.abs(b.earned) - Math.abs(a.earned)).map((r) => r.label);
  if (format === 'json') {
    return app.out(JSON.stringify(rows.map((c) => ({ id: c.id, name: displayName(c), score: derived.score(c), owner: asString(c.data.owner) ?? null, stage: asString(c.data.stage) ?? null, matched: topRules(c.id) })), null, 2));
  }
  const head = ['id', 'name', 'score', 'owner', 'stage', 'matched rules'];
  const cells = rows.map((c) => [c.id, displayName(c), derived.score(c), asString(c.data.owner), asString(c.data.stage), topRules(c.id).join(', ')]);
  if (format === 'csv') return app.raw(renderCsvTable(head, cells));
  if (format === 'md') return app.out(renderMarkdownTable(head, cells));
  if (!rows.length) {
    if (!app.quiet) app.sys.writeErr('no matches\n');
    return;
  }
  app.out(renderTable(head, cells, { width: app.columns, head: (h) => style.bold(h) }));
}
