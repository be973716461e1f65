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
import type { ReportGroupBy, ReportOptions } from '../core/report.js';
import { compileQuery, queryNeedsBodies } from '../core/query/index.js';
import { didYouMean } from '../core/suggest.js';
import { FOLDER_OF } from '../core/types.js';
import type { CrmRecord } from '../core/types.js';
import { fileHead, realDirectory, realTarget, writeFileAtomic } from '../store/write.js';
import { renderReportCsv, renderReportMarkdown, renderReportText } from '../render/report-text.js';
import { makeStyle } from '../render/style.js';

const GROUPS: readonly ReportGroupBy[] = ['owner', 'channel', 'month', 'stage'];

interface ReportCliOptions {
  since?: string;
  until?: string;
  by?: string;
  owner?: string;
  html?: string;
}

export function register(program: Command, getApp: GetApp): void {
  program
    .command('report')
    .description('KPIs for a period: win rate, deal size, sales cycle, stage conversion, activity, churn')
    .argument('[query...]', 'limit the deals (same query language as tb list deals)')
    .option('--since <when>', 'first day of the period (default: the 1st of the month 11 months ago, i.e. the last 12 months)')
    .option('--until <when>', 'last day of the period (default: today)')
    .option('--by <what>', 'add a breakdown by owner, channel, month or stage')
    .option('--owner <who>', 'only deals, interactions and contacts of this owner: me, a name, or all (default)')
    .option('--html <file>', 'write a self-contained HTML page (inline SVG charts, no network) instead of printing')
    .addHelpText('after', `
Formats: --format table (default) | json | csv | md. Every KPI is defined in the README ("Reports").

Examples:
  $ tb report                                  the last 12 months
  $ tb report --since 2026-01-01 --by owner
  $ tb report --since "3 months ago" --owner me
  $ tb report tag:retainer --by month --json
  $ tb report --since 2026-01-01 --html ~/kpi-2026.html
`)
    .action(action(getApp, reportCommand));
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
  const by = parseBy(opts.by);
  const format = opts.html === undefined ? app.format(['table', 'json', 'csv', 'md'], 'table') : 'html';
  const today = app.today;
  const since = opts.since === undefined ? defaultSince(today) : parseWhen(opts.since, today, '--since date');
  const until = opts.until === undefined ? today : parseWhen(opts.until, today, '--until date');
  const htmlPath = opts.html === undefined ? undefined : htmlTarget(app, opts.html);

  const config = app.config();
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder'], bodies: queryNeedsBodies(words, config) ? ['deal'] : false });
  const ctx = app.ctx();
  const derived = buildDerived(ds, ctx);
  const reportOpts: ReportOptions = { since, until, by };
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
  const title = `${config.name ?? 'touchbase'} — report`;

  if (htmlPath) {
    // The HTML report (inline SVG charts) is only loaded when asked for.
    const { renderReportHtml } = await import('../render/report-html.js');
    // A report is derived data: written, never autocommitted.
    writeFileAtomic(htmlPath.abs, renderReportHtml(report, { title, currency: config.currency }));
    app.say(`Wrote the report for ${report.since} – ${report.until} to ${htmlPath.shown}`);
    return;
  }
  if (format === 'json') return app.out(JSON.stringify(report, null, 2));
  if (format === 'csv') return app.raw(renderReportCsv(report));
  if (format === 'md') return app.out(renderReportMarkdown(report, title));
  const style = makeStyle(app.color);
  app.out(renderReportText(report, { title, width: app.columns, bold: (s) => style.bold(s), dim: (s) => style.dim(s) }));
}

/**
 * Where `--html FILE` goes: relative to the working directory, links resolved. Never inside a record
 * folder or `.touchbase/`, never over touchbase.yaml, and never over a file that is not an earlier
 * HTML page: a report is not a record.
 */
function htmlTarget(app: App, file: string): { abs: string; shown: string } {
  if (!file.trim()) throw new UsageError('--html needs a file name, e.g. --html report.html');
  const abs = realTarget(path.resolve(app.sys.cwd, file));
  const rel = path.relative(realDirectory(app.root), abs);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  if (inside) {
    const top = rel.split(path.sep)[0];
    const forbidden = [...Object.values(FOLDER_OF), '.touchbase', '.git'];
    if (forbidden.includes(top) && rel !== top) {
      throw new UsageError(`refusing to write the report inside the record folder ${top}/ (${rel})`, 'write it next to touchbase.yaml or outside the CRM directory');
    }
    if (forbidden.includes(top) || rel === 'touchbase.yaml') throw new UsageError(`refusing to overwrite ${rel} with the report`, 'choose another file name, e.g. report.html');
  } else if (rel === '') throw new UsageError(`refusing to overwrite the CRM directory with the report`, 'choose a file name, e.g. report.html');
  const head = fileHead(abs);
  if (head !== undefined && !/^\s*<!doctype html/i.test(head)) {
    throw new UsageError(`refusing to overwrite ${file}: it exists and is not an HTML page`, 'choose a new file name, or delete the file first');
  }
  return { abs, shown: path.relative(app.sys.cwd, abs).startsWith('..') ? abs : path.relative(app.sys.cwd, abs) };
}
