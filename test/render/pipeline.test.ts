import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import type { PipelineSummary } from '../../src/core/pipeline.js';
import { formatMoney } from '../../src/render/charts.js';
import { pipelineCsv, pipelineJson, renderPipelineText, unconvertedCurrencies } from '../../src/render/pipeline.js';

const summary = (): PipelineSummary => ({
  by: 'stage',
  currency: 'EUR',
  count: 3,
  groups: [
    { key: 'lead', label: 'lead', count: 1, totals: [{ currency: 'EUR', count: 1, value: 1234567.5, weighted: 123456.75 }], averageAgeDays: 10 },
    { key: 'proposal', label: 'proposal', count: 2, totals: [{ currency: 'EUR', count: 1, value: 0.1 + 0.2, weighted: 0.15 }, { currency: 'USD', count: 1, value: 2000, weighted: 1000 }], averageAgeDays: 12.25 },
    { key: 'negotiation', label: 'negotiation', count: 0, totals: [], averageAgeDays: null },
  ],
  totals: [{ currency: 'EUR', count: 2, value: 1234567.8, weighted: 123456.9 }, { currency: 'USD', count: 1, value: 2000, weighted: 1000 }],
  attention: { pastClose: [], stale: [], noNextStep: [] },
});

const plain = new Chalk({ level: 0 });

describe('money for people and for machines', () => {
  it.each([
    [1234567.5, 'EUR', 'EUR 1,234,567.50', '1234567.5'],
    [12500, 'EUR', 'EUR 12,500', '12500'],
    [0.1 + 0.2, 'USD', 'USD 0.30', '0.3'],
    [999, 'GBP', 'GBP 999', '999'],
    [-1000, 'EUR', 'EUR -1,000', '-1000'],
    [0, 'EUR', 'EUR 0', '0'],
  ])('%d %s → %s / %s', (n, cur, pretty, raw) => {
    expect(formatMoney(n, cur, { pretty: true })).toBe(pretty);
    expect(formatMoney(n, cur, { pretty: false })).toBe(raw);
  });
});

describe('pipeline rendering', () => {
  it('the human table uses pretty money and says which currencies are not converted', () => {
    const text = renderPipelineText(summary(), [{ label: 'lead', value: 1234567.5 }, { label: 'proposal', value: 0.3 }, { label: 'negotiation', value: 0 }], 'Pipeline', { style: plain, width: 100, staleAfter: '21d', chartLeftOut: ['USD'] });
    expect(text).toMatch(/^lead\s+1\s+EUR 1,234,567.50\s+EUR 123,456.75\s+10d$/m);
    expect(text).toMatch(/^proposal\s+2\s+EUR 0.30\s+EUR 0.15\s+12d$/m);
    expect(text).toMatch(/^\s+USD 2,000\s+USD 1,000$/m);
    expect(text).toMatch(/^negotiation\s+0\s+EUR 0\s+EUR 0\s+–$/m);
    expect(text).toContain('USD is not converted to EUR: no rate in touchbase.yaml (rates:)');
    expect(text).toContain('Value by stage (EUR; USD left out)');
    expect(text).toContain('  Nothing needs attention.');
  });

  it('json and csv carry raw numbers rounded to cents', () => {
    const j = pipelineJson(summary(), '2026-11-23', []);
    expect(j.groups[1].totals[0]).toEqual({ currency: 'EUR', count: 1, value: 0.3, weighted: 0.15 });
    expect(j.groups[1].average_age_days).toBe(12.3);
    expect(j.converted).toBeNull();
    expect(j.unconverted).toEqual(['USD']);
    expect(pipelineCsv(summary()).split('\r\n')).toContain('group,proposal,proposal,EUR,1,0.3,0.15,12.3');
    expect(pipelineCsv(summary()).split('\r\n')).toContain('group,negotiation,negotiation,EUR,0,0,0,');
  });

  it('a converted total lists only what had no rate', () => {
    const s = { ...summary(), converted: { currency: 'EUR', value: 1, weighted: 1, unconverted: ['GBP'] } };
    expect(unconvertedCurrencies(s)).toEqual(['GBP']);
  });
});
