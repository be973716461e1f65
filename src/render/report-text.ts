/**
 * `tb report` for the terminal (compact tables, Unicode bars and sparklines), for Markdown, and as
 * one long CSV table. Undefined ratios (no deal closed, nothing reached a stage) print as "—",
 * never NaN or 0%.
 */
import type { CountRow, MoneyAmount, Report } from '../core/report.js';
import { barChart, formatMoney, sparkline } from './charts.js';
import { renderCsvTable, renderMarkdownTable, renderTable } from './table.js';
import type { Cell } from './table.js';

export const DASH = '—';

/** 0.625 → `63%`; null → `—`. */
export const pct = (r: number | null): string => (r === null ? DASH : `${Math.round(r * 100)}%`);
/** 12.25 → `12.3 d`; null → `—`. */
export const days = (d: number | null): string => (d === null ? DASH : `${Math.round(d * 10) / 10} d`);
/** `EUR 12,500 + USD 2,000`; nothing → `—`. */
export const money = (amounts: MoneyAmount[]): string =>
  amounts.length ? amounts.map((a) => formatMoney(a.value, a.currency, { pretty: true })).join(' + ') : DASH;

export interface TextOptions {
  title: string;
  width: number;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

const amountIn = (amounts: MoneyAmount[], currency: string): number => amounts.find((a) => a.currency === currency)?.value ?? 0;

function keyValues(pairs: Array<[string, string]>): string[] {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`);
}

function indent(text: string): string[] {
  return text.split('\n').map((l) => (l ? `  ${l}` : l));
}

function countBars(rows: CountRow[], width: number): string[] {
  return barChart(rows.map((r) => ({ label: r.key, value: r.count })), { width }).map((l) => `    ${l}`);
}

/** The four headline sections shared by text and Markdown. */
function headline(report: Report): Array<[string, string]> {
  const d = report.deals;
  const c = report.contacts;
  const churned = `${c.churned.inPeriod}${c.churned.undated ? ` (${c.churned.undated} more without a date)` : ''}`;
  return [
    ['Won', String(d.won)],
    ['Lost', String(d.lost)],
    ['Win rate', pct(d.winRate)],
    ['Won value', d.wonValue.length ? money(d.wonValue.map((v) => ({ currency: v.currency, value: v.total }))) : formatMoney(0, report.currency, { pretty: true })],
    ['Average deal', money(d.wonValue.map((v) => ({ currency: v.currency, value: v.average })))],
    ['Sales cycle', `average ${days(d.cycle.averageDays)} · median ${days(d.cycle.medianDays)} (${d.cycle.deals} won deal${d.cycle.deals === 1 ? '' : 's'})`],
    ['Pipeline created', `${d.created.count} deal${d.created.count === 1 ? '' : 's'} · ${money(d.created.value)}`],
    ['Interactions', String(report.activity.total)],
    ['New contacts', String(c.created)],
    ['Churned', churned],
    ['Customers at risk', String(c.retentionRisk.length)],
  ];
}

function conversionRows(report: Report): Cell[][] {
  return report.deals.conversion.map((s, i) => [s.stage, s.reached, s.advanced, pct(s.rate), days(report.deals.stageDays[i]?.averageDays ?? null)]);
}
const CONVERSION_HEAD = ['stage', 'reached', 'went further', 'rate', 'avg days in stage'];

function closedRows(report: Report): Cell[][] {
  return report.deals.closed.map((r) => [r.closed, r.title, r.outcome, formatMoney(r.value, r.currency, { pretty: true }), r.owner ?? '', r.lost_reason ?? '']);
}
const CLOSED_HEAD = ['closed', 'deal', 'outcome', 'value', 'owner', 'reason'];

/** An "open complaints" column appears only when some customer has one (docs/cases.md). */
const hasComplaints = (report: Report): boolean => report.contacts.retentionRisk.some((r) => r.open_complaints);
function riskRows(report: Report): Cell[][] {
  const complaints = hasComplaints(report);
  return report.contacts.retentionRisk.map((r) => [r.name, r.cadence || DASH, r.last_contact ?? 'never', r.days_overdue === undefined ? DASH : r.days_overdue, ...(complaints ? [r.open_complaints ?? 0] : [])]);
}
const riskHead = (report: Report): string[] => ['customer', 'cadence', 'last contact', 'days overdue', ...(hasComplaints(report) ? ['open complaints'] : [])];

function groupRows(report: Report): Cell[][] {
  return (report.groups ?? []).map((g) => [g.key, g.won, g.lost, pct(g.winRate), money(g.wonValue), g.interactions]);
}

/** Lead figures (docs/scoring.md): present only when scoring is configured. */
function leadBandRows(report: Report): Cell[][] {
  return (report.leads?.bands ?? []).map((b) => [b.band, b.leads, b.contacts, b.won, pct(b.conversion)]);
}
const LEAD_BAND_HEAD = ['score band', 'open leads', 'contacts', 'on a won deal', 'conversion'];

function leadOwnerRows(report: Report): Cell[][] {
  return (report.leads?.byOwner ?? []).map((o) => [o.owner, o.leads, o.averageScore ?? DASH, o.assignedInPeriod]);
}
const LEAD_OWNER_HEAD = ['owner', 'open leads', 'average score', 'assigned in period'];

/** Week labels under a sparkline: the first week at the left, the last at the right. */
function weekAxis(weeks: CountRow[]): string {
  if (!weeks.length) return '';
  const first = weeks[0].key;
  const last = weeks[weeks.length - 1].key;
  if (weeks.length === 1) return first;
  const gap = weeks.length - first.length - last.length;
  return gap >= 1 ? `${first}${' '.repeat(gap)}${last}` : `${first} … ${last}`;
}

export function renderReportText(report: Report, opts: TextOptions): string {
  const { bold, dim } = opts;
  const width = Math.max(40, opts.width);
  const barWidth = Math.max(10, Math.min(30, width - 40));
  const d = report.deals;
  const a = report.activity;
  const out: string[] = [];
  const section = (title: string) => out.push('', bold(title));
  const table = (head: string[], rows: Cell[][]) => out.push(...indent(renderTable(head, rows, { width: width - 2, head: bold })));

  out.push(`${bold(opts.title)} ${dim(`${report.since} – ${report.until}`)}`);
  out.push('', ...keyValues(headline(report)));

  const currency = report.currency;
  const others = [...new Set(d.wonByMonth.flatMap((m) => m.value.map((v) => v.currency)))].filter((c) => c !== currency).sort();
  section(`Won value per month (${currency})${others.length ? dim(`, not shown: ${others.join(', ')}`) : ''}`);
  out.push(
    ...barChart(
      d.wonByMonth.map((m) => ({ label: m.month, value: amountIn(m.value, currency) })),
      { width: barWidth, format: (n) => formatMoney(n, currency, { pretty: true }) },
    ).map((l, i) => `  ${l}${d.wonByMonth[i].won ? dim(` (${d.wonByMonth[i].won} won)`) : ''}`),
  );

  section('Stage conversion');
  table(CONVERSION_HEAD, conversionRows(report));

  section(`Deals closed (${d.closed.length})`);
  if (d.closed.length) table(CLOSED_HEAD, closedRows(report));
  else out.push(`  ${dim('none in this period')}`);

  section(`Activity (${a.total} interaction${a.total === 1 ? '' : 's'})`);
  const peak = Math.max(0, ...a.byWeek.map((w) => w.count));
  out.push(`  per week, peak ${peak}`, `    ${sparkline(a.byWeek.map((w) => w.count))}`, `    ${dim(weekAxis(a.byWeek))}`);
  const nonZero = (rows: CountRow[]) => rows.filter((r) => r.count > 0);
  for (const [label, rows] of [['by channel', a.byChannel], ['by direction', a.byDirection], ['by owner', a.byOwner]] as const) {
    const shown = nonZero(rows);
    if (!shown.length) continue;
    out.push(`  ${label}`, ...countBars(shown, barWidth));
  }

  section(`Customers past their keep-in-touch cadence on ${report.today} (${report.contacts.retentionRisk.length})`);
  if (report.contacts.retentionRisk.length) table(riskHead(report), riskRows(report));
  else out.push(`  ${dim('none')}`);

  if (report.leads) {
    section(`Leads by score band (today's scores; won = on a deal won in the period)`);
    table(LEAD_BAND_HEAD, leadBandRows(report));
    section('Open leads by owner');
    if (report.leads.byOwner.length) table(LEAD_OWNER_HEAD, leadOwnerRows(report));
    else out.push(`  ${dim('none')}`);
  }

  if (report.by && report.groups) {
    section(`By ${report.by}`);
    table([report.by, 'won', 'lost', 'win rate', 'won value', 'interactions'], groupRows(report));
  }
  return out.join('\n');
}

export function renderReportMarkdown(report: Report, title: string): string {
  const d = report.deals;
  const a = report.activity;
  const md = (head: string[], rows: Cell[][]) => (rows.length ? renderMarkdownTable(head, rows) : '_None in this period._');
  const counts = (rows: CountRow[]) => rows.filter((r) => r.count > 0).map((r) => [r.key, r.count]);
  const parts = [
    `# ${title}`,
    `${report.since} – ${report.until}`,
    renderMarkdownTable(['KPI', 'value'], headline(report)),
    `## Won value per month`,
    renderMarkdownTable(['month', 'won', 'value'], d.wonByMonth.map((m) => [m.month, m.won, m.value.length ? money(m.value) : formatMoney(0, report.currency, { pretty: true })])),
    `## Stage conversion`,
    md(CONVERSION_HEAD, conversionRows(report)),
    `## Deals closed`,
    md(CLOSED_HEAD, closedRows(report)),
    `## Activity`,
    `Interactions per week: \`${sparkline(a.byWeek.map((w) => w.count))}\` (${a.byWeek[0]?.key ?? ''} – ${a.byWeek[a.byWeek.length - 1]?.key ?? ''})`,
    md(['channel', 'count'], counts(a.byChannel)),
    md(['direction', 'count'], counts(a.byDirection)),
    md(['owner', 'count'], counts(a.byOwner)),
    `## Customers past their keep-in-touch cadence on ${report.today}`,
    md(riskHead(report), riskRows(report)),
  ];
  if (report.leads) {
    parts.push(`## Leads by score band`, md(LEAD_BAND_HEAD, leadBandRows(report)), `## Open leads by owner`, md(LEAD_OWNER_HEAD, leadOwnerRows(report)));
  }
  if (report.by && report.groups) {
    parts.push(`## By ${report.by}`, md([report.by, 'won', 'lost', 'win rate', 'won value', 'interactions'], groupRows(report)));
  }
  return parts.join('\n\n');
}

/**
 * One long table `section,key,metric,value` — easy to filter in a spreadsheet. Numbers are plain:
 * money rounded to cents without currency or separators, rates as fractions and days to 4
 * decimals; an undefined ratio or average is an empty cell.
 */
export function renderReportCsv(report: Report): string {
  const rows: Cell[][] = [];
  const add: AddRow = (section, key, metric, value) =>
    rows.push([section, key, metric, value === null || value === undefined ? '' : typeof value === 'number' ? String(Math.round(value * 10000) / 10000) : value]);
  add('period', '', 'since', report.since);
  add('period', '', 'until', report.until);
  dealRows(report.deals, add);
  activityRows(report.activity, add);
  const c = report.contacts;
  add('contacts', '', 'created', c.created);
  add('contacts', '', 'churned', c.churned.inPeriod);
  add('contacts', '', 'churned_undated', c.churned.undated);
  add('contacts', '', 'retention_risk', c.retentionRisk.length);
  if (report.leads) leadRows(report.leads, add);
  for (const g of report.groups ?? []) {
    const section = `by_${report.by}`;
    add(section, g.key, 'won', g.won);
    add(section, g.key, 'lost', g.lost);
    add(section, g.key, 'win_rate', g.winRate);
    for (const v of g.wonValue) add(section, g.key, `won_value_${v.currency}`, cashCell(v.value));
    add(section, g.key, 'interactions', g.interactions);
  }
  return renderCsvTable(['section', 'key', 'metric', 'value'], rows);
}

type AddRow = (section: string, key: string, metric: string, value: number | string | null | undefined) => void;

/** Money in a CSV cell: rounded to cents, without currency or separators. */
const cashCell = (n: number) => formatMoney(n, '', { pretty: false });

function dealRows(d: Report['deals'], add: AddRow): void {
  add('deals', '', 'won', d.won);
  add('deals', '', 'lost', d.lost);
  add('deals', '', 'win_rate', d.winRate);
  for (const v of d.wonValue) {
    add('won_value', v.currency, 'count', v.count);
    add('won_value', v.currency, 'total', cashCell(v.total));
    add('won_value', v.currency, 'average', cashCell(v.average));
  }
  add('sales_cycle', '', 'deals', d.cycle.deals);
  add('sales_cycle', '', 'average_days', d.cycle.averageDays);
  add('sales_cycle', '', 'median_days', d.cycle.medianDays);
  add('pipeline_created', '', 'count', d.created.count);
  for (const v of d.created.value) add('pipeline_created', v.currency, 'value', cashCell(v.value));
  for (const m of d.wonByMonth) {
    add('won_by_month', m.month, 'won', m.won);
    for (const v of m.value) add('won_by_month', m.month, `value_${v.currency}`, cashCell(v.value));
  }
  d.conversion.forEach((s, i) => {
    add('conversion', s.stage, 'reached', s.reached);
    add('conversion', s.stage, 'advanced', s.advanced);
    add('conversion', s.stage, 'rate', s.rate);
    add('stage_days', s.stage, 'average_days', d.stageDays[i]?.averageDays ?? null);
    add('stage_days', s.stage, 'stays', d.stageDays[i]?.stays ?? 0);
  });
}

function activityRows(a: Report['activity'], add: AddRow): void {
  add('activity', '', 'total', a.total);
  for (const [section, list] of [['activity_channel', a.byChannel], ['activity_direction', a.byDirection], ['activity_owner', a.byOwner], ['activity_week', a.byWeek]] as const) {
    for (const r of list) add(section, r.key, 'count', r.count);
  }
}

function leadRows(leads: NonNullable<Report['leads']>, add: AddRow): void {
  for (const b of leads.bands) {
    add('lead_band', b.band, 'open_leads', b.leads);
    add('lead_band', b.band, 'contacts', b.contacts);
    add('lead_band', b.band, 'won', b.won);
    add('lead_band', b.band, 'conversion', b.conversion);
  }
  for (const o of leads.byOwner) {
    add('lead_owner', o.owner, 'open_leads', o.leads);
    add('lead_owner', o.owner, 'average_score', o.averageScore);
    add('lead_owner', o.owner, 'assigned_in_period', o.assignedInPeriod);
  }
}
