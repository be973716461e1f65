import path from 'node:path';
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { UsageError } from '../errors.js';
import { addMonths, parseWhen } from '../core/dates.js';
import { buildDerived } from '../core/derived.js';
import { asString, interactionContacts, normalizeRef } from '../core/fields.js';
import { ownersOnRecords, resolveOwnerOption } from '../core/owners.js';
import { computeReport } from '../core/report.js';
import { computeLeadReport } from '../core/lead-report.js';
import { scoringOf } from '../core/scoring.js';
import type { ReportGroupBy, ReportOptions } from '../core/report.js';
import { compileQuery, queryNeedsBodies } from '../core/query/index.js';
import { didYouMean, suggest } from '../core/suggest.js';
import type { CrmRecord, Dataset } from '../core/types.js';
import { campaignResults } from '../core/campaign.js';
import type { CampaignResult } from '../core/campaign.js';
import { guardOutputPath } from '../store/output-path.js';
import { writeOutputFile } from '../store/io.js';
import { renderReportCsv, renderReportMarkdown, renderReportText } from '../render/report-text.js';
import { makeStyle } from '../render/style.js';
import { warnQueryWords } from './query-words.js';
import { registerAttribution } from './attribution.js';

const GROUPS: readonly ReportGroupBy[] = ['owner', 'channel', 'month', 'stage'];
/** The words after `tb report` that name a report of their own. */
const SUBREPORTS = ['attribution', 'cases'];

/**
 * `tb report atribution`: a near miss of a sub-report with no query syntax is a typo, not a
 * full-text search of the deals: a usage error rather than the general report.
 */
export function checkSubreportWord(word: string | undefined): void {
  if (word === undefined || word.startsWith('-') || /[:<>=@]/.test(word)) return;
  const lower = word.toLowerCase();
  if (SUBREPORTS.includes(lower)) return;
  const close = suggest(lower, SUBREPORTS);
  if (!close.length) return;
  throw new UsageError(`unknown report '${word}': tb report takes ${SUBREPORTS.join(', ')} or a deal query`, didYouMean(word, SUBREPORTS));
}

interface ReportCliOptions {
  since?: string;
  until?: string;
  by?: string;
  owner?: string;
  html?: string;
}

export function register(program: Command, getApp: GetApp): void {
  const report = program
    .command('report')
    .description('KPIs for a period: win rate, deal size, sales cycle, stage conversion, activity, churn')
    .argument('[query...]', 'limit the deals (same query language as tb list deals); or `cases [query…]` for the cases report')
    .option('--since <when>', 'first day of the period (default: the 1st of the month 11 months ago, i.e. the last 12 months)')
    .option('--until <when>', 'last day of the period (default: today)')
    .option('--by <what>', 'add a breakdown by owner, channel, month or stage (cases: category, owner, priority, company)')
    .option('--owner <who>', "only deals, interactions and contacts of this owner: me, an owner's id, name or email, or all (default)")
    .option('--html <file>', 'write a self-contained HTML page (inline SVG charts, no network) instead of printing')
    .addHelpText('after', `
Formats: --format table (default) | json | csv | md. Every KPI is defined in tb help reports (docs/reports.md).

Examples:
  $ tb report                                  the last 12 months
  $ tb report --since 2026-01-01 --by owner
  $ tb report --since "3 months ago" --owner me
  $ tb report tag:retainer --by month --json
  $ tb report --since 2026-01-01 --html ~/kpi-2026.html
  $ tb report cases --by category --since 2026-10-01      service cases (docs/cases.md)
  $ tb report attribution --model u-shaped --by campaign     (see tb report attribution --help)
`)
    .action(action(getApp, reportCommand));
  // Before report's own options are read: `tb report atribution --model u-shaped` is the typo, not '--model'.
  program.hook('preSubcommand', (_program, sub) => {
    if (sub === report) checkSubreportWord(program.args[1]);
  });
  // `tb report attribution …` (docs/attribution.md): its own options, in its own module.
  registerAttribution(report, getApp);
}

function parseBy(value: string | undefined): ReportGroupBy | undefined {
  if (value === undefined) return undefined;
  const by = value.toLowerCase() as ReportGroupBy;
  if (GROUPS.includes(by)) return by;
  throw new UsageError(`--by '${value}' is not one of: ${GROUPS.join(', ')}`, didYouMean(value, GROUPS));
}

/** The default period start: the first day of the month 11 months before today (12 months incl. this one). */
export function defaultSince(today: string): string {
  return `${addMonths(`${today.slice(0, 7)}-01`, -11).slice(0, 7)}-01`;
}

async function reportCommand(app: App, words: string[], opts: ReportCliOptions): Promise<void> {
  checkSubreportWord(words[0]);
  // `tb report cases …`: the service report (docs/cases.md), in its own module.
  if (words[0]?.toLowerCase() === 'cases') {
    const { reportCases } = await import('./report-cases.js');
    return reportCases(app, words.slice(1), opts);
  }
  const by = parseBy(opts.by);
  const format = opts.html === undefined ? app.format(['table', 'json', 'csv', 'md'], 'table') : 'html';
  const today = app.today;
  const since = opts.since === undefined ? defaultSince(today) : parseWhen(opts.since, today, '--since date');
  const until = opts.until === undefined ? today : parseWhen(opts.until, today, '--until date');
  const htmlPath = opts.html === undefined ? undefined : htmlTarget(app, opts.html);

  const config = app.config();
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder', 'case'], bodies: queryNeedsBodies(words, config) ? ['deal'] : false });
  const ctx = app.ctx();
  const derived = buildDerived(ds, ctx);
  const reportOpts: ReportOptions = { since, until, by };
  warnQueryWords(app, words);
  if (words.length) reportOpts.dealFilter = compileQuery(words, { dataset: ds, ctx, derived, type: 'deal' });

  const choice = resolveOwnerOption(opts.owner, ds.config, ctx.me, ownersOnRecords([ds.contacts, ds.deals, ds.interactions]));
  if (choice.warning) app.warn(choice.warning);
  const owner = choice.id;
  if (owner !== undefined) {
    const id = owner.toLowerCase();
    const owns = (r: CrmRecord | undefined) => asString(r?.data.owner)?.toLowerCase() === id;
    const contacts = new Map(ds.contacts.map((c) => [c.id, c]));
    const deals = new Map(ds.deals.map((d) => [d.id, d]));
    const queryFilter = reportOpts.dealFilter;
    reportOpts.dealFilter = (d) => owns(d) && (!queryFilter || queryFilter(d));
    reportOpts.contactFilter = owns;
    // An interaction with no owner of its own belongs to the owner of its deal, else of its contacts.
    reportOpts.interactionFilter = (i) => {
      if (asString(i.data.owner)) return owns(i);
      const deal = deals.get(normalizeRef(i.data.deal) ?? '');
      if (deal && asString(deal.data.owner)) return owns(deal);
      return interactionContacts(i).some((c) => owns(contacts.get(c)));
    };
  }

  const report = computeReport(ds, derived, ctx, reportOpts);
  const scoring = scoringOf(ds.config);
  if (scoring) report.leads = computeLeadReport(ds, derived, scoring, { since, until, contactFilter: reportOpts.contactFilter });
  const title = `${config.name ?? 'touchbase'} — report`;

  if (htmlPath) {
    // The HTML report (inline SVG charts) is only loaded when asked for.
    const { renderReportHtml } = await import('../render/report-html.js');
    const { casesHtmlSection } = await import('./report-cases.js');
    // A report is derived data: written, never autocommitted.
    writeOutputFile(htmlPath.abs, renderReportHtml(report, { title, currency: config.currency, cases: casesHtmlSection(ds, ctx, since, until), campaigns: await campaignsInPeriod(app, ds, report.since, report.until) }));
    app.say(`Wrote the report for ${report.since} – ${report.until} to ${htmlPath.shown}`);
    return;
  }
  if (format === 'json') return app.out(JSON.stringify(report, null, 2));
  if (format === 'csv') return app.raw(renderReportCsv(report));
  if (format === 'md') return app.out(renderReportMarkdown(report, title));
  const style = makeStyle(app.color);
  app.out(renderReportText(report, { title, width: app.columns, bold: (s) => style.bold(s), dim: (s) => style.dim(s) }));
}

/** Where `--html FILE` goes: through the one output guard (docs/reliability.md); replaces only an earlier page. */
function htmlTarget(app: App, file: string): { abs: string; shown: string } {
  const abs = guardOutputPath(app.root, app.sys.cwd, file, { option: '--html', what: 'the report', example: 'report.html', kind: 'file', accepts: (head) => /^\s*<!doctype html/i.test(head) });
  return { abs, shown: path.relative(app.sys.cwd, abs).startsWith('..') ? abs : path.relative(app.sys.cwd, abs) };
}

/** Campaigns sent in the period, for the HTML report: what each earned in the 14 days after (docs/campaigns.md). */
async function campaignsInPeriod(app: App, ds: Dataset, since: string, until: string): Promise<{ windowDays: number; results: CampaignResult[] } | undefined> {
  const { campaigns } = await app.load({ types: ['campaign'] });
  const windowDays = 14;
  const results = campaignResults(campaigns, ds, windowDays).filter((r) => r.sent !== undefined && r.sent >= since && r.sent <= until);
  return results.length ? { windowDays, results: results.sort((a, b) => (a.sent! < b.sent! ? -1 : a.sent! > b.sent! ? 1 : a.id < b.id ? -1 : 1)) } : undefined;
}
