import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.js';
import { buildDerived } from '../../src/core/derived.js';
import { computeReport } from '../../src/core/report.js';
import type { Report } from '../../src/core/report.js';
import type { CrmRecord, Dataset, RecordType } from '../../src/core/types.js';
import { renderReportHtml } from '../../src/render/report-html.js';
import { escapeHtml } from '../../src/render/html.js';

const FOLDER: Record<RecordType, string> = { contact: 'contacts', company: 'companies', deal: 'deals', interaction: 'interactions', reminder: 'reminders' };
const rec = (type: RecordType, id: string, data: Record<string, unknown>): CrmRecord => ({ type, id, path: `${FOLDER[type]}/${id}.md`, data });
const today = '2026-11-20';

function makeReport(since = '2026-09-01', until = '2026-10-31'): Report {
  const ds: Dataset = {
    root: '/crm',
    config: defaultConfig(),
    contacts: [rec('contact', 'ann', { name: 'Ann & "Co" <b>', stage: 'customer', cadence: '7d' })],
    companies: [],
    deals: [
      rec('deal', 'evil', { title: '<script>alert(1)</script>', stage: 'won', value: 12500, owner: '<img src=x>', created: '2026-09-01', closed: '2026-10-11', history: [{ date: '2026-09-01', stage: 'lead' }, { date: '2026-10-11', stage: 'won' }] }),
      rec('deal', 'us', { title: 'US deal', stage: 'won', value: 100, currency: 'USD', created: '2026-09-02', closed: '2026-09-20' }),
      rec('deal', 'gone', { title: 'Gone', stage: 'lost', value: 10, lost_reason: "it's <too> pricey", created: '2026-09-03', closed: '2026-09-30' }),
    ],
    interactions: [
      rec('interaction', 'i1', { date: '2026-09-10', channel: 'email', direction: 'out', owner: 'sam', contacts: ['ann'] }),
      rec('interaction', 'i2', { date: '2026-10-10', channel: 'call', direction: 'in', owner: 'sam', contacts: ['ann'] }),
    ],
    reminders: [],
    problems: [],
  };
  return computeReport(ds, buildDerived(ds, { today }), { today }, { since, until, by: 'owner' });
}

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

describe('renderReportHtml', () => {
  const html = renderReportHtml(makeReport(), { title: 'Q3 <report> & more', currency: 'EUR' });

  it('is one self-contained, phone-friendly page', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<[^>]*\s(src|href)\s*=/i);
    expect(html).not.toMatch(/<script|<link|<img|<iframe/i);
  });

  it('has one <svg> per chart: won value per month, activity per week, stage funnel', () => {
    expect(count(html, /<svg[\s>]/g)).toBe(3);
    expect(count(html, /<\/svg>/g)).toBe(3);
    expect(html).toContain('aria-label="Won value per month in EUR"');
    expect(html).toContain('aria-label="Interactions per week"');
    expect(html).toContain('aria-label="Stage funnel"');
  });

  it('draws one bar per month and names the currencies it leaves out', () => {
    expect(count(html, /<rect class="bar"/g)).toBe(2);
    expect(html).toContain('<title>2026-10: EUR 12,500</title>');
    expect(html).toContain('not shown: USD');
    expect(html).toMatch(/>Sep<\/text>.*>Oct<\/text>/);
  });

  it('escapes all user text', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Ann &amp; &quot;Co&quot; &lt;b&gt;');
    expect(html).toContain('&lt;img src=x&gt;');
    expect(html).toContain('it&#39;s &lt;too&gt; pricey');
    expect(html).toContain('<title>Q3 &lt;report&gt; &amp; more</title>');
  });

  it('keeps its tags balanced', () => {
    for (const tag of ['div', 'table', 'tr', 'figure', 'svg', 'h2']) {
      expect(count(html, new RegExp(`<${tag}[\\s>]`, 'g')), tag).toBe(count(html, new RegExp(`</${tag}>`, 'g')));
    }
  });

  it('shows the KPIs and a dash for a win rate that does not exist', () => {
    expect(html).toContain('<div class="k">Win rate</div><div class="v">67%</div>');
    const empty = renderReportHtml(makeReport('2026-06-01', '2026-06-30'), { title: 'June', currency: 'EUR' });
    expect(empty).toContain('<div class="k">Win rate</div><div class="v">—</div>');
    expect(empty).not.toContain('NaN');
    expect(count(empty, /<svg[\s>]/g)).toBe(3);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
