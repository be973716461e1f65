/** `tb report cases [query…] [--by …] [--since --until]`: service figures (docs/cases.md). */
import type { App } from '../app.js';
import { UsageError } from '../errors.js';
import { parseWhen } from '../core/dates.js';
import { buildDerived } from '../core/derived.js';
import { caseSettingsOf, slaNow } from '../core/cases.js';
import { CASE_GROUPS, caseReport, type CaseGroupBy } from '../core/case-report.js';
import { compileQuery } from '../core/query/index.js';
import { didYouMean } from '../core/suggest.js';
import type { Ctx, Dataset } from '../core/types.js';
import { ownersOnRecords, resolveOwnerOption } from '../core/owners.js';
import { asString } from '../core/fields.js';
import { makeStyle } from '../render/style.js';
import { caseReportHtmlSection, renderCaseReportMarkdown, renderCaseReportText } from '../render/case-report.js';
import { defaultSince } from './report.js';

interface Options {
  since?: string;
  until?: string;
  by?: string;
  owner?: string;
  html?: string;
}

function parseBy(value: string | undefined): CaseGroupBy | undefined {
  if (value === undefined) return undefined;
  const by = value.toLowerCase() as CaseGroupBy;
  if (CASE_GROUPS.includes(by)) return by;
  throw new UsageError(`--by '${value}' is not one of: ${CASE_GROUPS.join(', ')}`, didYouMean(value, CASE_GROUPS));
}

export async function reportCases(app: App, words: string[], opts: Options): Promise<void> {
  const by = parseBy(opts.by);
  if (opts.html !== undefined) throw new UsageError('tb report cases has no --html', 'tb report --html includes the Cases section');
  const format = app.format(['table', 'json', 'md'], 'table');
  const today = app.today;
  const since = opts.since === undefined ? defaultSince(today) : parseWhen(opts.since, today, '--since date');
  const until = opts.until === undefined ? today : parseWhen(opts.until, today, '--until date');
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'case'] });
  const ctx = app.ctx();
  let cases = ds.cases;
  if (words.length) {
    const matches = compileQuery(words, { dataset: ds, ctx, derived: buildDerived(ds, ctx), type: 'case' });
    cases = cases.filter(matches);
  }
  const choice = resolveOwnerOption(opts.owner, ds.config, ctx.me, ownersOnRecords([ds.cases]));
  if (choice.warning) app.warn(choice.warning);
  if (choice.id !== undefined) cases = cases.filter((c) => asString(c.data.owner)?.toLowerCase() === choice.id!.toLowerCase());
  const settings = caseSettingsOf(ds.config);
  const report = caseReport(cases, settings, slaNow(ctx, settings), { since, until, by });
  const title = `${ds.config.name ?? 'touchbase'} — cases`;
  if (format === 'json') return app.out(JSON.stringify(report, null, 2));
  if (format === 'md') return app.out(renderCaseReportMarkdown(report, title));
  const style = makeStyle(app.color);
  app.out(renderCaseReportText(report, { title, width: Number.isFinite(app.columns) ? app.columns : 100, bold: (s) => style.bold(s), dim: (s) => style.dim(s) }));
}

/** The Cases section for `tb report --html`, or undefined when the directory has no cases. */
export function casesHtmlSection(ds: Dataset, ctx: Ctx, since: string, until: string): string | undefined {
  if (!ds.cases?.length) return undefined;
  const settings = caseSettingsOf(ds.config);
  return caseReportHtmlSection(caseReport(ds.cases, settings, slaNow(ctx, settings), { since, until }));
}
