/**
 * Output of `tb pipeline`: the human report (table, bar chart, "Needs attention"), Markdown, CSV and
 * the JSON shape. Money is pretty (`EUR 12,500`) for people and raw numbers for machines.
 */
import type { ChalkInstance } from 'chalk';
import type { AttentionItem, CurrencyTotal, PipelineGroupBy, PipelineSummary } from '../core/pipeline.js';
import { barChart, formatMoney } from './charts.js';
import { renderCsvTable, renderMarkdownTable, renderTable } from './table.js';
import type { Cell } from './table.js';

/** Money rounded to cents, as a JSON number. */
function cents(n: number): number {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? 0 : r;
}

function days(n: number | null): number | null {
  return n === null ? null : Math.round(n * 10) / 10;
}

function totalJson(t: CurrencyTotal) {
  return { currency: t.currency, count: t.count, value: cents(t.value), weighted: cents(t.weighted) };
}

function attentionJson(a: AttentionItem) {
  return { ...a, value: cents(a.value) };
}

/** The JSON document of `tb pipeline --json` (documented in docs/pipeline.md). */
export function pipelineJson(s: PipelineSummary, asOf: string, stageChart: ChartRow[]) {
  return {
    as_of: asOf,
    by: s.by,
    currency: s.currency,
    count: s.count,
    groups: s.groups.map((g) => ({ key: g.key, label: g.label, count: g.count, totals: g.totals.map(totalJson), average_age_days: days(g.averageAgeDays) })),
    totals: s.totals.map(totalJson),
    converted: s.converted ? { currency: s.converted.currency, value: cents(s.converted.value), weighted: cents(s.converted.weighted), unconverted: s.converted.unconverted } : null,
    unconverted: unconvertedCurrencies(s),
    stages: stageChart.map((r) => ({ stage: r.label, value: cents(r.value) })),
    attention: {
      past_close: s.attention.pastClose.map(attentionJson),
      stale: s.attention.stale.map(attentionJson),
      no_next_step: s.attention.noNextStep.map(attentionJson),
    },
  };
}

/** Currencies in the totals that cannot be expressed in the summary currency (no rate). */
export function unconvertedCurrencies(s: PipelineSummary): string[] {
  if (s.converted) return s.converted.unconverted;
  return s.totals.map((t) => t.currency).filter((c) => c !== s.currency);
}

/** One row per group and currency, then the totals (and the converted grand total). */
export function pipelineCsv(s: PipelineSummary): string {
  const headers = ['row', 'key', 'label', 'currency', 'count', 'value', 'weighted', 'average_age_days'];
  const raw = (n: number) => formatMoney(n, '', { pretty: false });
  const rows: Cell[][] = [];
  for (const g of s.groups) {
    const totals = g.totals.length ? g.totals : [{ currency: s.currency, count: 0, value: 0, weighted: 0 }];
    for (const t of totals) rows.push(['group', g.key, g.label, t.currency, t.count, raw(t.value), raw(t.weighted), days(g.averageAgeDays) ?? '']);
  }
  for (const t of s.totals) rows.push(['total', '', '', t.currency, t.count, raw(t.value), raw(t.weighted), '']);
  if (s.converted) rows.push(['converted', '', '', s.converted.currency, '', raw(s.converted.value), raw(s.converted.weighted), '']);
  return renderCsvTable(headers, rows);
}

export interface ChartRow {
  label: string;
  value: number;
}

export interface PipelineTextOptions {
  style: ChalkInstance;
  width: number;
  staleAfter: string;
  /** Currencies left out of the chart because they have no rate. */
  chartLeftOut: string[];
  markdown?: boolean;
}

const GROUP_HEADER: Record<PipelineGroupBy, string> = { stage: 'stage', owner: 'owner', month: 'expected close', company: 'company' };

function ageText(n: number | null): string {
  return n === null ? '–' : `${Math.round(n)}d`;
}

/** The group table: one line per group, continuation lines for further currencies, then totals. */
function groupTable(s: PipelineSummary, o: PipelineTextOptions): { headers: string[]; rows: Cell[][] } {
  const money = (n: number, c: string) => formatMoney(n, c, { pretty: true });
  const headers = [GROUP_HEADER[s.by], 'deals', 'value', 'weighted', 'avg age'];
  const rows: Cell[][] = [];
  const moneyLines = (first: Cell[], totals: CurrencyTotal[], age: string) => {
    const list = totals.length ? totals : [{ currency: s.currency, count: 0, value: 0, weighted: 0 }];
    list.forEach((t, i) => {
      if (i === 0) rows.push([...first, money(t.value, t.currency), money(t.weighted, t.currency), age]);
      else rows.push(['', '', money(t.value, t.currency), money(t.weighted, t.currency), '']);
    });
  };
  for (const g of s.groups) moneyLines([g.label, g.count], g.totals, ageText(g.averageAgeDays));
  moneyLines([o.style.bold('total'), s.count], s.totals, '');
  if (s.converted) rows.push([`all in ${s.converted.currency}`, '', money(s.converted.value, s.currency), money(s.converted.weighted, s.currency), '']);
  return { headers, rows };
}

function attentionLine(a: AttentionItem, what: 'pastClose' | 'stale' | 'noNextStep'): string {
  const parts: string[] = [];
  if (what === 'pastClose') parts.push(`expected close ${a.expected_close}, ${a.days} day${a.days === 1 ? '' : 's'} ago`);
  if (what === 'stale') parts.push(a.last_activity ? `last activity ${a.last_activity}, ${a.days} days ago` : 'no activity recorded');
  parts.push(a.stage, formatMoney(a.value, a.currency, { pretty: true }));
  if (a.owner) parts.push(a.owner);
  return `${a.id}  ${a.title} · ${parts.join(' · ')}`;
}

function attentionSections(s: PipelineSummary, o: PipelineTextOptions): string[] {
  const bullet = o.markdown ? '- ' : '    ';
  const sections: Array<[string, 'pastClose' | 'stale' | 'noNextStep']> = [
    ['Past expected close', 'pastClose'],
    [`Stale (no activity or stage change for more than ${o.staleAfter})`, 'stale'],
    ['No next step (no open reminder on the deal or its contacts)', 'noNextStep'],
  ];
  const out: string[] = [];
  for (const [title, key] of sections) {
    const items = s.attention[key];
    if (!items.length) continue;
    out.push(o.markdown ? `\n### ${title} (${items.length})\n` : `  ${title} (${items.length})`);
    for (const a of items) out.push(`${bullet}${attentionLine(a, key)}`);
  }
  if (!out.length) out.push(o.markdown ? '\nNothing needs attention.' : '  Nothing needs attention.');
  return out;
}

/** Notes under the totals: which currencies could not be converted. */
function conversionNote(s: PipelineSummary): string[] {
  const left = unconvertedCurrencies(s);
  if (!left.length) return [];
  const what = left.length === 1 ? `${left[0]} is` : `${left.join(', ')} are`;
  return [`${what} not converted to ${s.currency}: no rate in touchbase.yaml (rates:)`];
}

/** The human report: header, group table, notes, bar chart of value per stage, needs attention. */
export function renderPipelineText(s: PipelineSummary, chart: ChartRow[], head: string, o: PipelineTextOptions): string {
  const st = o.style;
  const { headers, rows } = groupTable(s, o);
  const chartTitle = `Value by stage (${s.currency}${o.chartLeftOut.length ? `; ${o.chartLeftOut.join(', ')} left out` : ''})`;
  const chartLines = barChart(chart, { width: Math.max(10, Math.min(30, o.width - 40)), format: (n) => formatMoney(n, s.currency, { pretty: true }) });
  if (o.markdown) {
    const md = [`## ${head}`, '', renderMarkdownTable(headers.map(String), rows), ...conversionNote(s).map((n) => `\n${n}`)];
    md.push('', `### ${chartTitle}`, '', '```', ...chartLines, '```', '', '## Needs attention', ...attentionSections(s, o));
    return md.join('\n');
  }
  const out = [st.bold(head), '', renderTable(headers, rows, { width: o.width, head: (h) => st.bold(h) }), ...conversionNote(s)];
  if (chartLines.length && s.count) out.push('', st.bold(chartTitle), ...chartLines.map((l) => `  ${l}`));
  out.push('', st.bold('Needs attention'), ...attentionSections(s, o));
  return out.join('\n');
}
