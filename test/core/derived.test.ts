import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildDerived, distinctContacts, extendSummary, summarizeInteractions, summaryAnswers, type InteractionSummary } from '../../src/core/derived.js';
import { addDays } from '../../src/core/dates.js';
import { interactionContacts } from '../../src/core/fields.js';
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

describe('interaction summary', () => {
  const viaSummary = (ds: Dataset, cutoff: string, today: string) => {
    const summary = summarizeInteractions(ds.interactions, cutoff);
    // Through JSON, as the store keeps it.
    const back = JSON.parse(JSON.stringify(summary)) as unknown;
    expect(summaryAnswers(back, today)).toBe(true);
    return buildDerived({ ...ds, interactions: [], interactionSummary: back as InteractionSummary }, { today });
  };
  const fieldsOfAll = (ds: Dataset, d: ReturnType<typeof buildDerived>) => [...ds.contacts, ...ds.deals, ...ds.companies].map((r) => d.fieldsOf(r));

  it('gives the same derived fields as the records, for a cutoff on or before today', () => {
    const ds = dataset();
    const direct = fieldsOfAll(ds, buildDerived(ds, { today: '2026-11-23' }));
    for (const cutoff of ['2026-11-23', '2026-11-19', '2026-11-01', '2020-01-01']) {
      expect(fieldsOfAll(ds, viaSummary(ds, cutoff, '2026-11-23'))).toEqual(direct);
    }
  });

  it('keeps interactions after the cutoff one by one, and a later today counts them', () => {
    const s = summarizeInteractions(dataset().interactions, '2026-11-10');
    expect(s.later).toEqual([['2026-11-20', ['ada'], ''], ['2026-12-01', ['ada'], '']]);
    expect(s.contacts).toEqual([['ada', 1, '2026-11-02', '2026-11-02'], ['bob', 1, '2026-11-02', '2026-11-02']]);
    expect(s.deals).toEqual([['d3', '2026-11-02']]);
    const ds = dataset();
    expect(viaSummary(ds, '2026-11-10', '2026-12-05').contact('ada')).toMatchObject({ interactions: 3, last_contact: '2026-12-01' });
  });

  it('cannot answer for a day before its cutoff, nor when it is not a summary', () => {
    const s = summarizeInteractions(dataset().interactions, '2026-11-23');
    expect(summaryAnswers(s, '2026-11-22')).toBe(false);
    expect(summaryAnswers(s, '2026-11-23')).toBe(true);
    expect(summaryAnswers({ cutoff: 'soon', contacts: [], deals: [], later: [] }, '2026-11-23')).toBe(false);
    expect(summaryAnswers([], '2026-11-23')).toBe(false);
    expect(summaryAnswers(null, '2026-11-23')).toBe(false);
    expect(summaryAnswers({ ...s, contacts: [['ada', 'one', '2026-01-01', '2026-01-02']] }, '2026-11-23')).toBe(false);
    expect(summaryAnswers({ ...s, deals: [null] }, '2026-11-23')).toBe(false);
    expect(summaryAnswers({ ...s, later: [['2026-12-01', 'ada', '']] }, '2026-11-23')).toBe(false);
    expect(() => buildDerived({ ...dataset(), interactions: [], interactionSummary: s }, { today: '2026-11-01' })).toThrow(/cannot answer/);
  });

  it('equals the records for any interactions, cutoff and today (property)', () => {
    const day = fc.integer({ min: 0, max: 60 }).map((n) => addDays('2026-10-01', n));
    const interaction = fc.record({
      date: fc.oneof(day, day.map((d) => `${d}T09:30`), fc.constant('not a date'), fc.constant(undefined)),
      contacts: fc.oneof(fc.array(fc.constantFrom('ada', 'bob', 'cy', '[[ada]]'), { maxLength: 3 }), fc.constant(undefined)),
      contact: fc.option(fc.constantFrom('ada', 'bob'), { nil: undefined }),
      deal: fc.option(fc.constantFrom('d1', 'd2', 'd3', '[[d1]]'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(interaction, { maxLength: 25 }), day, fc.integer({ min: 0, max: 30 }), (items, cutoff, ahead) => {
        const ds = { ...dataset(), interactions: items.map((data, i) => rec('interaction', `i${i}`, JSON.parse(JSON.stringify(data)) as Record<string, unknown>)) };
        const today = addDays(cutoff, ahead);
        expect(fieldsOfAll(ds, viaSummary(ds, cutoff, today))).toEqual(fieldsOfAll(ds, buildDerived(ds, { today })));
        // A summary of the first ones, extended by the rest (as after `tb log`), is the same summary.
        const split = Math.floor(items.length / 2);
        const extended = extendSummary(summarizeInteractions(ds.interactions.slice(0, split), cutoff), ds.interactions.slice(split));
        expect(normalized(extended!)).toEqual(normalized(summarizeInteractions(ds.interactions, cutoff)));
      }),
    );
  });

  it('an extension that would keep too many interactions one by one is refused (rebuild instead)', () => {
    const many = Array.from({ length: 5001 }, (_, i) => rec('interaction', `i${i}`, { date: '2027-01-01', contacts: ['ada'] }));
    expect(extendSummary(summarizeInteractions([], '2026-11-23'), many)).toBeUndefined();
    expect(extendSummary(summarizeInteractions([], '2026-11-23'), many.slice(1))?.later).toHaveLength(5000);
  });
});

/** A summary with its lists in one order (the order of a summary carries no meaning). */
function normalized(s: InteractionSummary): InteractionSummary {
  const byJson = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
  return { cutoff: s.cutoff, contacts: [...s.contacts].sort(byJson), deals: [...s.deals].sort(byJson), later: [...s.later].sort(byJson) };
}

describe('distinctContacts', () => {
  it('equals the distinct interactionContacts for any contacts/contact values (property)', () => {
    const value = fc.oneof(fc.constantFrom('ada', '[[ada]]', ' bob ', '', '[[ada|A]]', 'cy'), fc.integer(), fc.constant(null));
    const field = fc.oneof(fc.constant(undefined), value, fc.array(value, { maxLength: 3 }));
    fc.assert(
      fc.property(field, field, (contacts, contact) => {
        const data: Record<string, unknown> = {};
        if (contacts !== undefined) data.contacts = contacts;
        if (contact !== undefined) data.contact = contact;
        const r = rec('interaction', 'i', data);
        expect(distinctContacts(r)).toEqual([...new Set(interactionContacts(r))]);
      }),
      { numRuns: 2000 },
    );
  });
});
