/**
 * `tb report cases` as terminal text, Markdown, and an HTML section (also part of
 * `tb report --html`). Figures are defined in docs/cases.md; undefined ones print as "—".
 */
import type { CaseFigures, CaseReport } from '../core/case-report.js';
import { renderMarkdownTable, renderTable } from './table.js';
import type { Cell } from './table.js';
import { escapeHtml } from './html.js';

const DASH = '—';
const pct = (r: number | null): string => (r === null ? DASH : `${Math.round(r * 100)}%`);
const hours = (h: number | null): string => (h === null ? DASH : `${h} h`);
const num = (n: number | null): string => (n === null ? DASH : String(n));

/** The headline figures as label/value pairs, in reading order. */
export function caseHeadline(f: CaseFigures): Array<[string, string]> {
  return [
    ['Opened', String(f.opened)],
    ['Resolved', String(f.resolved)],
    ['Backlog', String(f.backlog)],
    ['First response (median / p90)', `${hours(f.first_response.median)} / ${hours(f.first_response.p90)}`],
    ['Resolution (median / p90)', `${hours(f.resolution.median)} / ${hours(f.resolution.p90)}`],
    ['SLA attainment', f.sla.decided ? `${pct(f.sla.attainment)} (${f.sla.met} of ${f.sla.decided})` : DASH],
    ['CSAT', f.csat.average === null ? DASH : `${num(f.csat.average)} / 5`],
    ['CSAT response rate', f.csat.response_rate === null ? DASH : `${pct(f.csat.response_rate)} (${f.csat.rated} rated)`],
  ];
}

const GROUP_HEAD = ['opened', 'resolved', 'backlog', 'first resp. median', 'resolution median', 'SLA met', 'CSAT'];

function groupCells(f: CaseFigures): Cell[] {
  return [f.opened, f.resolved, f.backlog, hours(f.first_response.median), hours(f.resolution.median), pct(f.sla.attainment), num(f.csat.average)];
}

export function renderCaseReportText(r: CaseReport, opts: { title: string; width: number; bold: (s: string) => string; dim: (s: string) => string }): string {
  const { bold, dim } = opts;
  const out: string[] = [`${bold(opts.title)} ${dim(`${r.since} – ${r.until}`)}`, ''];
  const pairs = caseHeadline(r.totals);
  const labelWidth = Math.max(...pairs.map(([k]) => k.length));
  out.push(...pairs.map(([k, v]) => `  ${k.padEnd(labelWidth)}  ${v}`));
  const indent = (text: string) => text.split('\n').map((l) => `  ${l}`);
  out.push('', bold('Most complaints'));
  if (r.top_complaints.length) out.push(...indent(renderTable(['company', 'complaints', 'open'], r.top_complaints.map((c) => [c.company, c.complaints, c.open]), { width: opts.width - 2, head: bold })));
  else out.push(`  ${dim('none in this period')}`);
  if (r.by && r.groups) {
    out.push('', bold(`By ${r.by}`));
    out.push(...indent(renderTable([r.by, ...GROUP_HEAD], r.groups.map((g) => [g.key, ...groupCells(g.figures)]), { width: opts.width - 2, head: bold })));
  }
  out.push('', dim(`Hours on the SLA clock; breaches judged at ${r.as_of}.`));
  return out.join('\n');
}

export function renderCaseReportMarkdown(r: CaseReport, title: string): string {
  const out = [`# ${title}`, '', `${r.since} – ${r.until}`, '', renderMarkdownTable(['figure', 'value'], caseHeadline(r.totals)), '', '## Most complaints', ''];
  out.push(r.top_complaints.length ? renderMarkdownTable(['company', 'complaints', 'open'], r.top_complaints.map((c) => [c.company, c.complaints, c.open])) : '_none in this period_');
  if (r.by && r.groups) out.push('', `## By ${r.by}`, '', renderMarkdownTable([r.by, ...GROUP_HEAD], r.groups.map((g) => [g.key, ...groupCells(g.figures)])));
  out.push('', `Hours on the SLA clock; breaches judged at ${r.as_of}.`);
  return out.join('\n');
}

/** The Cases section of the HTML report: cards, most complaints, the breakdown. */
export function caseReportHtmlSection(r: CaseReport): string {
  const cards = caseHeadline(r.totals)
    .map(([k, v]) => `<div class="card"><div class="k">${escapeHtml(k)}</div><div class="v">${escapeHtml(v)}</div></div>`)
    .join('\n');
  const rows = (head: string[], body: Cell[][]) => {
    if (!body.length) return '<p class="empty">Nothing in this period.</p>';
    const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
    const tr = body.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(String(c ?? ''))}</td>`).join('')}</tr>`).join('\n');
    return `<div class="table-wrap"><table><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table></div>`;
  };
  const parts = [
    `<h2>Cases</h2>`,
    `<div class="cards">\n${cards}\n</div>`,
    `<h2>Most complaints</h2>`,
    rows(['Company', 'Complaints', 'Open'], r.top_complaints.map((c) => [c.company, c.complaints, c.open])),
  ];
  if (r.by && r.groups) parts.push(`<h2>Cases by ${escapeHtml(r.by)}</h2>`, rows([r.by, ...GROUP_HEAD], r.groups.map((g) => [g.key, ...groupCells(g.figures)])));
  parts.push(`<p class="empty">Hours on the SLA clock; breaches judged at ${escapeHtml(r.as_of)}.</p>`);
  return parts.join('\n');
}
