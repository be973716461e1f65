/**
 * `tb report attribution` (docs/attribution.md): each won deal's value shared among the touches
 * that led to it, summed per channel, campaign, source or owner.
 */
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { UsageError } from '../errors.js';
import { durationDays, parseDuration } from '../core/dates.js';
import { buildDerived } from '../core/derived.js';
import { compileQuery, queryNeedsBodies } from '../core/query/index.js';
import { didYouMean } from '../core/suggest.js';
import { computeAttribution, GROUP_BY, MODELS } from '../core/attribution.js';
import type { AttributionGroupBy, AttributionModel, AttributionResult } from '../core/attribution.js';
import { renderCsvTable, renderMarkdownTable, renderTable } from '../render/table.js';
import type { Cell } from '../render/table.js';
import { makeStyle } from '../render/style.js';

interface AttributionCliOptions {
  model?: string;
  by?: string;
  lookback?: string;
  deals?: boolean;
}

export function registerAttribution(report: Command, getApp: GetApp): void {
  report
    .command('attribution')
    .description("share each won deal's value among the touches before its close")
    .argument('[query...]', 'limit the deals (same query language as tb list deals)')
    .option('--model <model>', `how a deal's value is shared: ${MODELS.join(', ')}`, 'linear')
    .option('--by <what>', `group the shares by ${GROUP_BY.join(', ')} (default: channel)`)
    .option('--lookback <duration>', 'touches this long before the close count, e.g. 90d, 6m', '90d')
    .option('--deals', 'also list every deal with its touches and shares')
    .addHelpText('after', `
Models (docs/attribution.md has a worked example of each):
  first        100 % to the first touch          last        100 % to the last touch
  linear       equal shares                      u-shaped    40 % first, 40 % last, 20 % over the middle
  time-decay   a touch's weight halves for every 7 days before the close

Shares are in cents and of one deal sum exactly to its value (the rounding remainder goes to the
last touch). A won deal with no touch in the window is listed as unattributed.
Formats: --format table (default) | json | csv | md.

Examples:
  $ tb report attribution --model u-shaped --by campaign
  $ tb report attribution --model time-decay --by channel --lookback 180d closed>=2026-01-01
  $ tb report attribution --model first --by source --deals --json
`)
    .action(action(getApp, attributionCommand));
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  const v = value.toLowerCase();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`${what} '${value}' is not one of: ${allowed.join(', ')}`, didYouMean(value, allowed));
}

async function attributionCommand(app: App, words: string[], opts: AttributionCliOptions, cmd: Command): Promise<void> {
  const format = app.format(['table', 'json', 'csv', 'md'], 'table');
  // Commander hands options it does not know at the top level to `tb report`, which has a --by of
  // its own: a --by written after `attribution` arrives there.
  const parent = cmd.parent?.opts<{ by?: string; since?: string; until?: string; owner?: string; html?: string }>() ?? {};
  for (const k of ['since', 'until', 'owner', 'html'] as const) {
    if (parent[k] !== undefined) throw new UsageError(`--${k} is not an option of tb report attribution`, 'limit the deals with a query instead, e.g. closed>=2026-01-01 owner:sam');
  }
  const model = oneOf<AttributionModel>(opts.model ?? 'linear', MODELS, '--model');
  const by = oneOf<AttributionGroupBy>(opts.by ?? parent.by ?? 'channel', GROUP_BY, '--by');
  const lookback = parseDuration(opts.lookback ?? '90d');
  if (!lookback) throw new UsageError(`--lookback must be a duration like 90d or 6m, got '${opts.lookback}'`);
  const config = app.config();
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder'], bodies: queryNeedsBodies(words, config) ? ['deal'] : false });
  const ctx = app.ctx();
  const dealFilter = words.length ? compileQuery(words, { dataset: ds, ctx, derived: buildDerived(ds, ctx), type: 'deal' }) : undefined;
  const result = computeAttribution(ds, { model, by, lookbackDays: durationDays(lookback), ...(dealFilter ? { dealFilter } : {}) });
  if (format === 'json') return app.out(JSON.stringify(result, null, 2));
  const { headers, rows } = groupRows(result);
  if (format === 'csv') return app.raw(renderCsvTable(headers, rows));
  if (format === 'md') return app.out(renderMarkdownTable(headers, rows));
  app.out(renderText(result, app, opts.deals === true));
}

/** One row per group: its attributed value and its part of the attributed total of its currency. */
function groupRows(r: AttributionResult): { headers: string[]; rows: Cell[][] } {
  const attributed = new Map(r.totals.map((t) => [t.currency, t.attributed]));
  const headers = [r.by, 'value', 'currency', 'share', 'touches', 'deals'];
  const rows: Cell[][] = r.groups.map((g) => {
    const total = attributed.get(g.currency) ?? 0;
    return [g.group, g.value.toFixed(2), g.currency, total ? `${(Math.round((g.value / total) * 1000) / 10).toFixed(1)}%` : '—', g.touches, g.deals];
  });
  return { headers, rows };
}

function renderText(r: AttributionResult, app: App, withDeals: boolean): string {
  const style = makeStyle(app.color);
  const head = (s: string) => style.bold(s);
  const out: string[] = [head(`Attribution: ${r.model} model by ${r.by}, touches up to ${r.lookback_days} days before the close`)];
  const { headers, rows } = groupRows(r);
  out.push(rows.length ? renderTable(headers, rows, { width: app.columns, head }) : 'No won deal with a touch in its window.');
  for (const t of r.totals) {
    out.push(`Won ${t.won.toFixed(2)} ${t.currency}: attributed ${t.attributed.toFixed(2)}, unattributed ${t.unattributed.toFixed(2)}`);
  }
  if (r.unattributed.length) {
    out.push('', head(`Unattributed (no touch in the window): ${r.unattributed.length}`));
    for (const d of r.unattributed) out.push(`  ${d.closed}  ${d.id}  ${d.value.toFixed(2)} ${d.currency}`);
  }
  if (withDeals) {
    for (const d of r.deals) {
      out.push('', head(`${d.id}: ${d.value.toFixed(2)} ${d.currency}, closed ${d.closed}`));
      for (const t of d.touches) out.push(`  ${t.date.padEnd(16)} ${(t.channel ?? '').padEnd(8)} ${t.group.padEnd(14)} ${t.value.toFixed(2).padStart(12)}  ${t.interaction}`);
    }
  }
  return out.join('\n');
}
