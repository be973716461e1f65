/** `tb campaign list` (docs/campaigns.md). */
import type { App } from '../app.js';
import { campaignOf } from '../core/campaign.js';
import { recordJson } from '../render/records.js';
import { renderCsvTable, renderMarkdownTable, renderTable } from '../render/table.js';
import type { Cell } from '../render/table.js';
import { makeStyle } from '../render/style.js';

export async function listCampaigns(app: App): Promise<void> {
  const format = app.format(['table', 'json', 'csv', 'md'], 'table');
  const ds = await app.load({ types: ['campaign'] });
  const campaigns = [...ds.campaigns].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (format === 'json') return app.out(JSON.stringify(campaigns.map((c) => recordJson(c)), null, 2));
  const headers = ['id', 'name', 'status', 'sent', 'segment', 'subject'];
  const rows: Cell[][] = campaigns.map((r) => {
    const c = campaignOf(r);
    return [c.id, c.name, c.status, c.sent, c.segment, c.subject];
  });
  if (format === 'csv') return app.raw(renderCsvTable(headers, rows));
  if (format === 'md') return app.out(renderMarkdownTable(headers, rows));
  if (!rows.length) return app.say('No campaigns yet: tb campaign new "<name>" --segment QUERY --subject TEXT');
  app.out(renderTable(headers, rows, { width: app.columns, head: (s) => makeStyle(app.color).bold(s) }));
}
