/**
 * `tb report --format html`: one self-contained page — inline CSS, inline SVG, no scripts, no
 * fonts or images fetched from anywhere — that reads well on a phone and can be mailed as is.
 * Every piece of user text goes through `escapeHtml`.
 */
import type { CountRow, MoneyAmount, Report } from '../core/report.js';
import type { CampaignResult } from '../core/campaign.js';
import { formatMoney } from './charts.js';
import { escapeHtml } from './html.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0 auto;max-width:60rem;padding:1rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;background:#fbfbfc}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #dde1e6;padding-bottom:.2rem}
.period{color:#5b6570;margin:0 0 1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem}
.card{background:#fff;border:1px solid #dde1e6;border-radius:.5rem;padding:.6rem .75rem}
.card .k{font-size:.8rem;color:#5b6570}.card .v{font-size:1.25rem;font-weight:600;word-break:break-word}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
figure{margin:0;background:#fff;border:1px solid #dde1e6;border-radius:.5rem;padding:.6rem}
figcaption{font-size:.85rem;color:#5b6570;margin-bottom:.3rem}
svg{width:100%;height:auto;display:block}
svg text{font-size:11px;fill:#3a434c}
.bar{fill:#3b7dd8}.line{fill:none;stroke:#3b7dd8;stroke-width:2}.dot{fill:#3b7dd8}.funnel{fill:#5aa469}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eceff2;vertical-align:top}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n,td.d{white-space:nowrap}
.empty{color:#5b6570;font-style:italic}
@media (max-width:30rem){body{padding:.6rem;font-size:14px}.card .v{font-size:1.1rem}table{font-size:.8rem}th,td{padding:.25rem .3rem}}
`;

const pct = (r: number | null): string => (r === null ? '—' : `${Math.round(r * 100)}%`);
const days = (d: number | null): string => (d === null ? '—' : `${Math.round(d * 10) / 10} d`);
const money = (amounts: Array<{ currency: string; value: number }>): string =>
  amounts.length ? amounts.map((a) => formatMoney(a.value, a.currency, { pretty: true })).join(' + ') : '—';

function card(key: string, value: string): string {
  return `<div class="card"><div class="k">${escapeHtml(key)}</div><div class="v">${escapeHtml(value)}</div></div>`;
}

function table(headers: string[], rows: string[][], numeric: boolean[] = []): string {
  if (!rows.length) return '<p class="empty">Nothing in this period.</p>';
  const cls = (i: number) => (numeric[i] ? ' class="n"' : '');
  // Dates never break at their hyphens.
  const cellCls = (c: string, i: number) => (numeric[i] ? ' class="n"' : /^\d{4}-\d{2}-\d{2}$/.test(c) ? ' class="d"' : '');
  const head = headers.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cellCls(c, i)}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function svg(label: string, width: number, height: number, content: string): string {
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}"><title>${escapeHtml(label)}</title>${content}</svg>`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthName = (month: string): string => MONTHS[Number(month.slice(5, 7)) - 1] ?? month;

const amountIn = (amounts: MoneyAmount[], currency: string): number => amounts.find((a) => a.currency === currency)?.value ?? 0;

/** Vertical bars of the won value per month, in one currency. */
function wonByMonthChart(report: Report, currency: string): string {
  const months = report.deals.wonByMonth;
  const values = months.map((m) => amountIn(m.value, currency));
  const max = Math.max(0, ...values);
  const [w, h, top, bottom] = [320, 160, 16, 22];
  const slot = w / Math.max(1, months.length);
  // More than 12 months: label every few months, with the year (about 6 labels across).
  const labelStep = Math.ceil(months.length / 6);
  const bars = months
    .map((m, i) => {
      const bh = max > 0 ? ((values[i] / max) * (h - top - bottom)) : 0;
      const x = i * slot + slot * 0.15;
      const y = h - bottom - bh;
      const tip = `${m.month}: ${formatMoney(values[i], currency, { pretty: true })}`;
      const text = months.length <= 12 ? monthName(m.month) : i % labelStep === 0 ? `${monthName(m.month)} ${m.month.slice(2, 4)}` : '';
      // Keep labels near the edges inside the picture.
      const cx = x + slot * 0.35;
      const [lx, anchor] = cx < 18 ? [1, 'start'] : cx > w - 18 ? [w - 1, 'end'] : [cx, 'middle'];
      const label = text ? `<text x="${lx.toFixed(1)}" y="${h - 6}" text-anchor="${anchor}">${escapeHtml(text)}</text>` : '';
      return `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${bh.toFixed(1)}"><title>${escapeHtml(tip)}</title></rect>${label}`;
    })
    .join('');
  const peak = `<text x="2" y="11">${escapeHtml(formatMoney(max, currency, { pretty: true }))}</text>`;
  return svg(`Won value per month in ${currency}`, w, h, peak + bars);
}

/** A line of interactions per ISO week. */
function activityChart(weeks: CountRow[]): string {
  const [w, h, pad] = [320, 132, 14];
  const plotH = h - 12;
  const max = Math.max(1, ...weeks.map((r) => r.count));
  const step = weeks.length > 1 ? (w - 2 * pad) / (weeks.length - 1) : 0;
  const points = weeks.map((r, i) => [pad + i * step, plotH - pad - (r.count / max) * (plotH - 2 * pad)] as const);
  const line = points.length > 1 ? `<polyline class="line" points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>` : '';
  const dots = points
    .map(([x, y], i) => `<circle class="dot" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2.5"><title>${escapeHtml(`${weeks[i].key}: ${weeks[i].count}`)}</title></circle>`)
    .join('');
  const peak = `<text x="2" y="11">${max}</text>`;
  const axis = weeks.length
    ? `<text x="${pad}" y="${h - 2}">${escapeHtml(weeks[0].key)}</text>` +
      (weeks.length > 1 ? `<text x="${w - pad}" y="${h - 2}" text-anchor="end">${escapeHtml(weeks[weeks.length - 1].key)}</text>` : '')
    : '';
  return svg('Interactions per week', w, h, peak + line + dots + axis);
}

/** Centred bars, one per open stage, as wide as the deals that reached it. */
function funnelChart(report: Report): string {
  const stages = report.deals.conversion;
  const [w, rowH] = [320, 26];
  const h = Math.max(1, stages.length) * rowH;
  const max = Math.max(1, ...stages.map((s) => s.reached));
  const rows = stages
    .map((s, i) => {
      const bw = Math.max(s.reached > 0 ? 2 : 0, (s.reached / max) * (w - 120));
      const x = 110 + (w - 120 - bw) / 2;
      const y = i * rowH + 3;
      const text = `${s.stage} ${s.reached}${s.rate === null ? '' : ` → ${pct(s.rate)}`}`;
      return `<text x="2" y="${y + 14}">${escapeHtml(text.length > 20 ? `${text.slice(0, 19)}…` : text)}</text><rect class="funnel" x="${x.toFixed(1)}" y="${y}" width="${bw.toFixed(1)}" height="${rowH - 6}"><title>${escapeHtml(`${s.stage}: ${s.reached} reached, ${s.advanced} advanced`)}</title></rect>`;
    })
    .join('');
  return svg('Stage funnel', w, h, rows);
}

function otherCurrencies(report: Report, currency: string): string[] {
  const all = new Set(report.deals.wonByMonth.flatMap((m) => m.value.map((v) => v.currency)));
  all.delete(currency);
  return [...all].sort();
}

type ReportHtmlOptions = { title: string; currency: string; cases?: string; campaigns?: { windowDays: number; results: readonly CampaignResult[] } };

/** `cases`: the HTML section of `tb report cases` (render/case-report.ts), added when the directory has cases. */
export function renderReportHtml(report: Report, opts: ReportHtmlOptions): string {
  const currency = opts.currency.toUpperCase();
  const sections = [...chartSections(report, currency), ...dealSections(report), ...activitySections(report)];
  if (opts.campaigns?.results.length) sections.push(...campaignSection(opts.campaigns.results, opts.campaigns.windowDays));
  if (report.contacts.churned.undated) {
    sections.push(`<p class="empty">${report.contacts.churned.undated} churned contact(s) have no churned date and are not counted in the period.</p>`);
  }
  // Lead figures, when scoring is configured (docs/scoring.md).
  if (report.leads) sections.push(...leadSections(report.leads));
  if (opts.cases) sections.push(opts.cases);
  return page(report, opts.title, kpiCards(report, currency), sections);
}

function page(report: Report, title: string, cards: string, sections: string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="period">${escapeHtml(report.since)} – ${escapeHtml(report.until)}</p>
<div class="cards">
${cards}
</div>
${sections.join('\n')}
</body>
</html>
`;
}

/** The headline figures, one card each. */
function kpiCards(report: Report, currency: string): string {
  const { deals: d, activity: a, contacts: c } = report;
  return [
    card('Won', String(d.won)),
    card('Lost', String(d.lost)),
    card('Win rate', pct(d.winRate)),
    card('Won value', d.wonValue.length ? money(d.wonValue.map((v) => ({ currency: v.currency, value: v.total }))) : formatMoney(0, currency, { pretty: true })),
    card('Average deal', money(d.wonValue.map((v) => ({ currency: v.currency, value: v.average })))),
    card('Sales cycle (avg / median)', `${days(d.cycle.averageDays)} / ${days(d.cycle.medianDays)}`),
    card('Pipeline created', `${d.created.count} · ${money(d.created.value)}`),
    card('Interactions', String(a.total)),
    card('New contacts', String(c.created)),
    card('Churned', String(c.churned.inPeriod)),
    card('Customers at risk', String(c.retentionRisk.length)),
  ].join('\n');
}

function chartSections(report: Report, currency: string): string[] {
  const others = otherCurrencies(report, currency);
  const wonCaption = `Won value per month (${currency})${others.length ? `; not shown: ${others.join(', ')}` : ''}`;
  return [
    `<h2>Charts</h2><div class="charts">`,
    `<figure><figcaption>${escapeHtml(wonCaption)}</figcaption>${wonByMonthChart(report, currency)}</figure>`,
    `<figure><figcaption>Interactions per week</figcaption>${activityChart(report.activity.byWeek)}</figure>`,
    `<figure><figcaption>Stage funnel (deals that reached each stage → went further)</figcaption>${funnelChart(report)}</figure>`,
    `</div>`,
  ];
}

/** Stage conversion, the deals closed, and the breakdown `--by` asked for. */
function dealSections(report: Report): string[] {
  const d = report.deals;
  const sections = [
    `<h2>Stage conversion</h2>`,
    table(
      ['Stage', 'Reached', 'Went further', 'Rate', 'Avg days in stage'],
      d.conversion.map((s, i) => [s.stage, String(s.reached), String(s.advanced), pct(s.rate), days(d.stageDays[i]?.averageDays ?? null)]),
      [false, true, true, true, true],
    ),
    `<h2>Deals closed</h2>`,
    table(
      ['Closed', 'Deal', 'Outcome', 'Value', 'Owner', 'Reason'],
      d.closed.map((r) => [r.closed, r.title, r.outcome, formatMoney(r.value, r.currency, { pretty: true }), r.owner ?? '', r.lost_reason ?? '']),
      [false, false, false, true, false, false],
    ),
  ];
  if (report.groups && report.by) {
    sections.push(
      `<h2>By ${escapeHtml(report.by)}</h2>`,
      table(
        [report.by[0].toUpperCase() + report.by.slice(1), 'Won', 'Lost', 'Win rate', 'Won value', 'Interactions'],
        report.groups.map((g) => [g.key, String(g.won), String(g.lost), pct(g.winRate), money(g.wonValue), String(g.interactions)]),
        [false, true, true, true, true, true],
      ),
    );
  }
  return sections;
}

/** Interactions by channel, direction and owner, and the customers past their cadence. */
function activitySections(report: Report): string[] {
  const { activity: a, contacts: c } = report;
  const counts = (rows: CountRow[]) => rows.filter((r) => r.count > 0).map((r) => [r.key, String(r.count)]);
  return [
    `<h2>Activity</h2>`,
    `<div class="charts">`,
    `<div>${table(['Channel', 'Count'], counts(a.byChannel), [false, true])}</div>`,
    `<div>${table(['Direction', 'Count'], counts(a.byDirection), [false, true])}</div>`,
    `<div>${table(['Owner', 'Count'], counts(a.byOwner), [false, true])}</div>`,
    `</div>`,
    `<h2>Customers past their keep-in-touch cadence (as of ${escapeHtml(report.today)})</h2>`,
    // An "Open complaints" column only when some customer has one (docs/cases.md).
    c.retentionRisk.some((r) => r.open_complaints)
      ? table(
          ['Customer', 'Cadence', 'Last contact', 'Days overdue', 'Open complaints'],
          c.retentionRisk.map((r) => [r.name, r.cadence || '—', r.last_contact ?? 'never', r.days_overdue === undefined ? '—' : String(r.days_overdue), String(r.open_complaints ?? 0)]),
          [false, false, false, true, true],
        )
      : table(
          ['Customer', 'Cadence', 'Last contact', 'Days overdue'],
          c.retentionRisk.map((r) => [r.name, r.cadence, r.last_contact ?? 'never', r.days_overdue === undefined ? '—' : String(r.days_overdue)]),
          [false, false, false, true],
        ),
  ];
}

function leadSections(leads: NonNullable<Report['leads']>): string[] {
  const rate = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)}%`);
  return [
    `<h2>Leads by score band</h2>`,
    table(['Score band', 'Open leads', 'Contacts', 'On a won deal', 'Conversion'], leads.bands.map((b) => [b.band, String(b.leads), String(b.contacts), String(b.won), rate(b.conversion)]), [false, true, true, true, true]),
    `<h2>Open leads by owner</h2>`,
    table(['Owner', 'Open leads', 'Average score', 'Assigned in period'], leads.byOwner.map((o) => [o.owner, String(o.leads), o.averageScore === null ? '—' : String(o.averageScore), String(o.assignedInPeriod)]), [false, true, true, true]),
  ];
}

/** Campaigns sent in the period and what they earned within the window (docs/campaigns.md). */
function campaignSection(results: readonly CampaignResult[], windowDays: number): string[] {
  return [
    `<h2>Campaigns (${windowDays} days after each send)</h2>`,
    table(
      ['Sent', 'Campaign', 'Recipients', 'Replies', 'Reply rate', 'Meetings', 'Deals', 'Won value'],
      results.map((r) => [r.sent ?? '', r.name, String(r.recipients), String(r.replies), pct(r.reply_rate), String(r.meetings), String(r.deals), r.won_value.length ? money(r.won_value) : '—']),
      [false, false, true, true, true, true, true, true],
    ),
  ];
}
