import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, checkPipelineConfig } from './common.js';
import { UsageError } from '../errors.js';
import type { CrmRecord } from '../core/types.js';
import { buildDerived } from '../core/derived.js';
import { compileQuery, queryNeedsBodies } from '../core/query/index.js';
import { conversionRate, summarizePipeline } from '../core/pipeline.js';
import type { PipelineGroupBy, PipelineSummary } from '../core/pipeline.js';
import { asString } from '../core/fields.js';
import { ownersOnRecords, resolveOwnerOption } from '../core/owners.js';
import { didYouMean } from '../core/suggest.js';
import { makeStyle } from '../render/style.js';
import { pipelineCsv, pipelineJson, renderPipelineText } from '../render/pipeline.js';
import type { ChartRow } from '../render/pipeline.js';
import { warnQueryWords } from './query-words.js';

interface PipelineOptions {
  by?: string;
  owner?: string;
  currency?: string;
}

const GROUPINGS: PipelineGroupBy[] = ['stage', 'owner', 'month', 'company'];

export function register(program: Command, getApp: GetApp): void {
  program
    .command('pipeline')
    .description('open deals: count, value and weighted forecast per stage, and deals that need attention')
    .argument('[query...]', 'only deals matching this query (see "Query language"), e.g. tag:regulatory value>=10000')
    .option('--by <what>', 'group by stage (default), owner, month (of expected_close: a forecast) or company')
    .option('--owner <who>', "only deals owned by me, an owner's id, name or email, or all (default)")
    .option('--currency <code>', 'currency of the converted grand total and the chart (default: the config currency)')
    .addHelpText('after', `
Weighted value = value × probability (the deal's own probability, else its stage's). Won and lost
deals are left out. Currencies are never added together: there is one total per currency, plus a
grand total converted with 'rates:' from touchbase.yaml when it has them.

Formats: --format table (default) | md | csv | json.

Examples:
  $ tb pipeline
  $ tb pipeline --by owner
  $ tb pipeline --by month --owner me
  $ tb pipeline company.industry:logistics --by company
  $ tb pipeline --json | jq '.totals'
`)
    .action(action(getApp, pipelineCommand));
}

function parseBy(value: string | undefined): PipelineGroupBy {
  if (value === undefined) return 'stage';
  const by = value.toLowerCase() as PipelineGroupBy;
  if (GROUPINGS.includes(by)) return by;
  throw new UsageError(`cannot group by '${value}'`, didYouMean(value, GROUPINGS) ?? `use one of: ${GROUPINGS.join(', ')}`);
}

async function pipelineCommand(app: App, words: string[], opts: PipelineOptions): Promise<void> {
  const format = app.format(['table', 'json', 'csv', 'md'], 'table');
  const by = parseBy(opts.by);
  const config = app.config();
  // Interactions only feed derived fields (last contact, deal activity): their summary is enough.
  // The query filters deals, so only their bodies are wanted for full text.
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder'], bodies: queryNeedsBodies(words, config) ? ['deal'] : false, interactionSummary: app.today });
  checkPipelineConfig(app, ds.problems);

  const currency = (opts.currency ?? ds.config.currency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new UsageError(`--currency must be a 3-letter code like EUR, got '${opts.currency}'`);
  if (currency !== ds.config.currency && ds.config.rates[currency] === undefined) {
    throw new UsageError(`no rate for ${currency} in touchbase.yaml`, `add it under rates: (value in ${ds.config.currency} of 1 ${currency}), or leave out --currency`);
  }

  const ctx = app.ctx();
  const derived = buildDerived(ds, ctx);
  warnQueryWords(app, words);
  const matches = words.length ? compileQuery(words, { dataset: ds, ctx, derived, type: 'deal' }) : undefined;
  const choice = resolveOwnerOption(opts.owner, ds.config, app.me()?.id, ownersOnRecords([ds.deals]));
  if (choice.warning) app.warn(choice.warning);
  const owner = choice.id;
  const dealFilter = (d: CrmRecord): boolean => (matches ? matches(d) : true) && (owner === undefined || asString(d.data.owner)?.toLowerCase() === owner.toLowerCase());

  const summary = summarizePipeline(ds, derived, ctx, { by, dealFilter, currency });
  const byStage = by === 'stage' ? summary : summarizePipeline(ds, derived, ctx, { by: 'stage', dealFilter, currency });
  const { rows: chart, leftOut } = stageChart(byStage, app);

  if (format === 'json') return app.out(JSON.stringify(pipelineJson(summary, app.today, chart), null, 2));
  if (format === 'csv') return app.raw(pipelineCsv(summary));

  const scope = [words.length ? `matching ${words.join(' ')}` : '', owner !== undefined ? `owned by ${owner}` : ''].filter(Boolean).join(', ');
  const head = `Pipeline by ${by}: ${summary.count} open deal${summary.count === 1 ? '' : 's'}${scope ? ` ${scope}` : ''}, as of ${app.today}`;
  app.out(renderPipelineText(summary, chart, head, { style: makeStyle(app.color), width: app.columns, staleAfter: ds.config.stale_after, chartLeftOut: leftOut, markdown: format === 'md' }));
}


/** Value per open stage in the summary currency; currencies without a rate are left out (and named). */
function stageChart(s: PipelineSummary, app: App): { rows: ChartRow[]; leftOut: string[] } {
  const config = app.config();
  const leftOut = new Set<string>();
  const rows = s.groups.map((g) => {
    let value = 0;
    for (const t of g.totals) {
      const rate = conversionRate(t.currency, s.currency, config);
      if (rate === undefined) leftOut.add(t.currency);
      else value += t.value * rate;
    }
    return { label: g.label, value };
  });
  return { rows, leftOut: [...leftOut].sort() };
}
