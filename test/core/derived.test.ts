import { describe, expect, it } from 'vitest';
import { buildDerived } from '../../src/core/derived.js';
import { defaultConfig } from '../../src/core/config.js';
import type { CrmRecord, Dataset, RecordType } from '../../src/core/types.js';

const rec = (type: RecordType, id: string, data: Record<string, unknown>): CrmRecord => ({ type, id, path: `${type}/${id}.md`, data });

function dataset(): Dataset {
  return {
    root: '/x',
    config: defaultConfig(),
    contacts: [rec('contact', 'ada', { name: 'Ada', company: '[[acme]]' }), rec('contact', 'bob', { name: 'Bob', company: 'acme' }), rec('contact', 'cy', { name: 'Cy' })],
    companies: [rec('company', 'acme', { name: 'Acme' })],
    deals: [
      rec('deal', 'd1', { title: 'D1', stage: 'proposal', value: 10000, contacts: ['ada'], company: 'acme', created: '2026-10-01', history: [{ date: '2026-10-01', stage: 'lead' }, { date: '2026-10-20', stage: 'proposal' }] }),
      rec('deal', 'd2', { title: 'D2', stage: 'won', value: 5000, contacts: ['ada'], created: '2026-01-01' }),
      rec('deal', 'd3', { title: 'D3', stage: 'lead', value: 2000, probability: 0.6, contacts: ['bob'], created: '2026-09-01' }),
    ],
    interactions: [
      rec('interaction', 'i1', { date: '2026-11-02', contacts: ['ada', 'bob'], deal: 'd3' }),
      rec('interaction', 'i2', { date: '2026-11-20T14:30', contacts: ['ada'] }),
      rec('interaction', 'i3', { date: '2026-12-01', contacts: ['ada'] }),
    ],
    reminders: [
      rec('reminder', 'r1', { due: '2026-11-20', text: 'x', contact: 'ada' }),
      rec('reminder', 'r2', { due: '2026-11-10', text: 'y', contact: 'ada', status: 'done' }),
      rec('reminder', 'r3', { due: '2026-12-01', text: 'z', contact: 'bob' }),
    ],
    problems: [],
  };
}

describe('buildDerived', () => {
  const d = buildDerived(dataset(), { today: '2026-11-23' });

  it('contacts: interactions after today are ignored, times count by date', () => {
    expect(d.contact('ada')).toEqual({ last_contact: '2026-11-20', first_contact: '2026-11-02', interactions: 2, open_deals: 1, pipeline_value: 10000, next_due: '2026-11-20', overdue: true });
    expect(d.contact('bob')).toMatchObject({ last_contact: '2026-11-02', interactions: 1, open_deals: 1, pipeline_value: 2000, next_due: '2026-12-01', overdue: false });
    expect(d.contact('cy')).toEqual({ interactions: 0, open_deals: 0, pipeline_value: 0, overdue: false });
  });

  // d3's last activity is exactly stale_after (21d) ago: not yet stale (stale means longer than that).
  it('deals: probability override, weighted, age, days in stage, stale', () => {
    expect(d.deal('d1')).toMatchObject({ open: true, probability: 0.5, weighted: 5000, age: 53, days_in_stage: 34, last_activity: '2026-10-20', stale: true });
    expect(d.deal('d3')).toMatchObject({ probability: 0.6, weighted: 1200, last_activity: '2026-11-02', stale: false });
    expect(d.deal('d2')).toMatchObject({ open: false, outcome: 'won', weighted: 5000, stale: false });
  });

  it('companies count contacts through [[links]] and open deals', () => {
    expect(d.company('acme')).toEqual({ contacts: 2, last_contact: '2026-11-20', open_deals: 1, pipeline_value: 10000 });
  });
});
