/** `tb campaign report` (docs/campaigns.md, "Report"). */
import type { App } from '../app.js';
import { UsageError } from '../errors.js';
import { durationDays, parseDuration } from '../core/dates.js';
import { campaignOf, campaignResults } from '../core/campaign.js';
import type { CampaignResult } from '../core/campaign.js';
import { renderCsvTable, renderMarkdownTable, renderTable } from '../render/table.js';
import type { Cell } from '../render/table.js';
import { makeStyle } from '../render/style.js';
import { findCampaign } from './campaign-common.js';

export function parseWindow(text: string): number {
  const d = parseDuration(text);
  if (!d) throw new UsageError(`--window must be a duration like 14d or 4w, got '${text}'`);
  return durationDays(d);
}

export function campaignReportRows(results: readonly CampaignResult[]): { headers: string[]; rows: Cell[][] } {
  const headers = ['id', 'name', 'sent', 'recipients', 'replies', 'reply_rate', 'meetings', 'deals', 'won'];
  const rows: Cell[][] = results.map((r) => [
    r.id, r.name, r.sent, r.recipients, r.replies, `${Math.round(r.reply_rate * 1000) / 10}%`, r.meetings, r.deals,
    r.won_value.map((w) => `${w.value} ${w.currency}`).join(', ') || '0',
  ]);
  return { headers, rows };
}

export async function reportCampaigns(app: App, ref: string | undefined, opts: { window?: string }): Promise<void> {
  const format = app.format(['table', 'json', 'csv', 'md'], 'table');
  const window = parseWindow(opts.window ?? '14d');
  const ds = await app.load({ types: ['deal', 'interaction', 'campaign'] });
  const chosen = ref ? [findCampaign(ds, ref)] : ds.campaigns.filter((c) => campaignOf(c).status !== 'draft');
  const results = campaignResults([...chosen].sort((a, b) => (a.id < b.id ? -1 : 1)), ds, window);
  if (format === 'json') return app.out(JSON.stringify({ window_days: window, campaigns: results }, null, 2));
  const { headers, rows } = campaignReportRows(results);
  if (format === 'csv') return app.raw(renderCsvTable(headers, rows));
  if (format === 'md') return app.out(renderMarkdownTable(headers, rows));
  if (!rows.length) return app.say('No campaign has been sent yet.');
  app.out(renderTable(headers, rows, { width: app.columns, head: (s) => makeStyle(app.color).bold(s) }));
}
