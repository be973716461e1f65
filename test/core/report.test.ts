import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.js';
import { buildDerived } from '../../src/core/derived.js';
import { computeReport, contactCadence, dealClosedDate, isoWeek } from '../../src/core/report.js';
import type { ReportOptions } from '../../src/core/report.js';
import type { CrmRecord, Dataset, RecordType } from '../../src/core/types.js';
import { UsageError } from '../../src/errors.js';

const FOLDER: Record<RecordType, string> = { contact: 'contacts', company: 'companies', deal: 'deals', interaction: 'interactions', reminder: 'reminders' };
const rec = (type: RecordType, id: string, data: Record<string, unknown>): CrmRecord => ({ type, id, path: `${FOLDER[type]}/${id}.md`, data });
const h = (...entries: Array<[string, string]>) => entries.map(([date, stage]) => ({ date, stage }));

const today = '2026-11-20';
const october = { since: '2026-10-01', until: '2026-10-31' };

/*
 * Period: October 2026. Today: 2026-11-20.
 *   w1  won  sam   10000 EUR  created 08-22, closed 10-11        cycle 50   lead 08-22 → qualified 09-15 → proposal 10-01 → won 10-11
 *   w2  won  alex   2000 USD  created 10-01, no `closed` (10-21) cycle 20   lead → proposal 10-05 → qualified 10-08 (backwards) → proposal 10-12 → won 10-21
 *   w4  won  alex   1000 EUR  created 10-20, closed 10-30        cycle 10   proposal 10-20 → won 10-30
 *   l1  lost sam    3000 EUR  created 10-02, closed 10-10 (price)           lead → lost 10-10
 *   w3  won  sam     500 EUR  closed 11-05 (after the period)               lead 10-20 → won 11-05
 *   l2  lost        closed 09-20 (before the period)
 *   o1  open sam    4000 EUR  created 10-15, stage qualified, no history
 *   o2  open        created 11-02
 */
function dataset(): Dataset {
  const config = defaultConfig();
  config.cadence = { tags: { vip: '30d' }, stages: { customer: '90d' } };
  return {
    root: '/crm',
    config,
    contacts: [
      rec('contact', 'ann', { name: 'Ann', stage: 'customer', tags: ['VIP'], created: '2026-10-05', owner: 'sam' }),
      rec('contact', 'bob', { name: 'Bob', stage: 'customer', created: '2026-01-01', owner: 'sam' }),
      rec('contact', 'cat', { name: 'Cat', stage: 'customer', cadence: '7d', created: '2026-02-01', owner: 'alex' }),
      rec('contact', 'dan', { name: 'Dan', stage: 'customer', created: '2026-11-01' }),
      rec('contact', 'eve', { name: 'Eve', stage: 'customer' }),
      rec('contact', 'fay', { name: 'Fay', stage: 'churned', churned: '2026-10-15' }),
      rec('contact', 'gus', { name: 'Gus', stage: 'churned' }),
      rec('contact', 'hal', { name: 'Hal', stage: 'churned', updated: '2026-09-01' }),
      rec('contact', 'ivy', { name: 'Ivy', stage: 'lead', created: '2026-10-31' }),
    ],
    companies: [],
    deals: [
      rec('deal', 'w1', { title: 'W1', stage: 'won', value: 10000, owner: 'sam', created: '2026-08-22', closed: '2026-10-11', history: h(['2026-08-22', 'lead'], ['2026-09-15', 'qualified'], ['2026-10-01', 'proposal'], ['2026-10-11', 'won']) }),
      rec('deal', 'w2', { title: 'W2', stage: 'won', value: 2000, currency: 'USD', owner: 'alex', created: '2026-10-01', history: h(['2026-10-01', 'lead'], ['2026-10-05', 'proposal'], ['2026-10-08', 'qualified'], ['2026-10-12', 'proposal'], ['2026-10-21', 'won']) }),
      rec('deal', 'w4', { title: 'W4', stage: 'won', value: 1000, owner: 'alex', created: '2026-10-20', closed: '2026-10-30', history: h(['2026-10-20', 'proposal'], ['2026-10-30', 'won']) }),
      rec('deal', 'l1', { title: 'L1', stage: 'lost', value: 3000, owner: 'sam', created: '2026-10-02', closed: '2026-10-10', lost_reason: 'price', history: h(['2026-10-02', 'lead'], ['2026-10-10', 'lost']) }),
      rec('deal', 'w3', { title: 'W3', stage: 'won', value: 500, owner: 'sam', created: '2026-10-20', closed: '2026-11-05', history: h(['2026-10-20', 'lead'], ['2026-11-05', 'won']) }),
      rec('deal', 'l2', { title: 'L2', stage: 'lost', value: 900, created: '2026-08-01', closed: '2026-09-20', history: h(['2026-08-01', 'lead'], ['2026-09-20', 'lost']) }),
      rec('deal', 'o1', { title: 'O1', stage: 'qualified', value: 4000, owner: 'sam', created: '2026-10-15' }),
      rec('deal', 'o2', { title: 'O2', stage: 'negotiation', value: 800, probability: 0.9, created: '2026-11-02', history: h(['2026-11-02', 'lead']) }),
    ],
    interactions: [
      rec('interaction', 'i1', { date: '2026-10-01', channel: 'email', direction: 'out', owner: 'sam', contacts: ['ann'] }),
      rec('interaction', 'i2', { date: '2026-10-06', channel: 'call', direction: 'in', owner: 'alex', contacts: ['bob'] }),
      rec('interaction', 'i3', { date: '2026-10-07T09:30', channel: 'Meeting', direction: 'out', owner: 'sam', contacts: ['[[ann]]'], deal: 'o1' }),
      rec('interaction', 'i4', { date: '2026-10-20', channel: 'email', direction: 'in', owner: 'sam', contact: 'cat' }),
      rec('interaction', 'i5', { date: '2026-11-03', channel: 'call', direction: 'out', owner: 'sam', contacts: ['bob'] }),
      rec('interaction', 'i6', { date: '2026-09-30', channel: 'email', direction: 'out', owner: 'sam', contacts: ['cat'] }),
    ],
    reminders: [],
    problems: [],
  };
}

function report(opts: Partial<ReportOptions> = {}, ds = dataset()) {
  return computeReport(ds, buildDerived(ds, { today }), { today }, { ...october, ...opts });
}

describe('computeReport: deals', () => {
  const r = report();

  it('counts won and lost deals closed in the period only', () => {
    expect([r.deals.won, r.deals.lost, r.deals.winRate]).toEqual([3, 1, 0.75]);
    expect(r.deals.closed.map((c) => [c.id, c.outcome, c.closed])).toEqual([
      ['l1', 'lost', '2026-10-10'],
      ['w1', 'won', '2026-10-11'],
      ['w2', 'won', '2026-10-21'],
      ['w4', 'won', '2026-10-30'],
    ]);
    expect(r.deals.closed[0].lost_reason).toBe('price');
  });

  it('sums and averages won value per currency', () => {
    expect(r.deals.wonValue).toEqual([
      { currency: 'EUR', count: 2, total: 11000, average: 5500 },
      { currency: 'USD', count: 1, total: 2000, average: 2000 },
    ]);
    expect(r.deals.wonByMonth).toEqual([{ month: '2026-10', won: 3, value: [{ currency: 'EUR', value: 11000 }, { currency: 'USD', value: 2000 }] }]);
  });

  it('measures the sales cycle from created to closed', () => {
    expect(r.deals.cycle.deals).toBe(3);
    expect(r.deals.cycle.averageDays).toBeCloseTo(80 / 3);
    expect(r.deals.cycle.medianDays).toBe(20);
  });

  it('computes stage conversion from history, counting a backwards deal once per stage', () => {
    expect(r.deals.conversion).toEqual([
      { stage: 'lead', reached: 3, advanced: 1, rate: 1 / 3 },
      { stage: 'qualified', reached: 2, advanced: 1, rate: 0.5 },
      { stage: 'proposal', reached: 3, advanced: 3, rate: 1 },
      { stage: 'negotiation', reached: 0, advanced: 0, rate: null },
    ]);
  });

  it('a deal that goes back and returns to a stage has not advanced past it', () => {
    const ds = dataset();
    ds.deals = [rec('deal', 'b', { title: 'B', stage: 'lost', history: h(['2026-10-01', 'proposal'], ['2026-10-02', 'qualified'], ['2026-10-03', 'proposal'], ['2026-10-04', 'lost']) })];
    const conversion = report({}, ds).deals.conversion;
    expect(conversion.find((c) => c.stage === 'proposal')).toEqual({ stage: 'proposal', reached: 1, advanced: 0, rate: 0 });
    expect(conversion.find((c) => c.stage === 'qualified')).toEqual({ stage: 'qualified', reached: 1, advanced: 1, rate: 1 });
  });

  it('ignores stage moves after the period when judging conversion', () => {
    const ds = dataset();
    ds.deals = [rec('deal', 'b', { title: 'B', stage: 'won', history: h(['2026-10-30', 'lead'], ['2026-11-02', 'won']) })];
    expect(report({}, ds).deals.conversion[0]).toEqual({ stage: 'lead', reached: 1, advanced: 0, rate: 0 });
  });

  it('averages the completed stays per stage that ended in the period', () => {
    expect(r.deals.stageDays).toEqual([
      { stage: 'lead', averageDays: 6, stays: 2 },
      { stage: 'qualified', averageDays: 10, stays: 2 },
      { stage: 'proposal', averageDays: 8, stays: 4 },
      { stage: 'negotiation', averageDays: null, stays: 0 },
    ]);
  });

  it('counts the pipeline created in the period per currency', () => {
    expect(r.deals.created).toEqual({ count: 5, value: [{ currency: 'EUR', value: 8500 }, { currency: 'USD', value: 2000 }] });
  });

  it('restricts everything deal-related to a deal filter (owner)', () => {
    const sam = report({ dealFilter: (d) => d.data.owner === 'sam' });
    expect([sam.deals.won, sam.deals.lost, sam.deals.winRate]).toEqual([1, 1, 0.5]);
    expect(sam.deals.wonValue).toEqual([{ currency: 'EUR', count: 1, total: 10000, average: 10000 }]);
    expect(sam.deals.created.count).toBe(3);
  });

  it('gives a null win rate and null cycle, never NaN, when nothing closed', () => {
    const june = report({ since: '2026-06-01', until: '2026-06-30' });
    expect(june.deals.winRate).toBeNull();
    expect(june.deals.cycle).toEqual({ deals: 0, averageDays: null, medianDays: null });
    expect(june.deals.wonValue).toEqual([]);
    expect(june.deals.conversion.every((c) => c.rate === null)).toBe(true);
    expect(JSON.stringify(june)).not.toContain('NaN');
  });

  it('dates a closed deal by `closed`, else its last history entry', () => {
    expect(dealClosedDate(rec('deal', 'x', { closed: '2026-01-02', history: h(['2026-03-01', 'won']) }))).toBe('2026-01-02');
    expect(dealClosedDate(rec('deal', 'x', { history: h(['2026-03-01', 'won'], ['2026-02-01', 'lead']) }))).toBe('2026-03-01');
    expect(dealClosedDate(rec('deal', 'x', {}))).toBeUndefined();
  });
});

describe('computeReport: activity and contacts', () => {
  const r = report();

  it('counts interactions in the period by channel, direction, owner and ISO week', () => {
    expect(r.activity.total).toBe(4);
    expect(r.activity.byChannel).toEqual([
      { key: 'email', count: 2 },
      { key: 'call', count: 1 },
      { key: 'meeting', count: 1 },
      { key: 'message', count: 0 },
      { key: 'note', count: 0 },
    ]);
    expect(r.activity.byDirection).toEqual([{ key: 'in', count: 2 }, { key: 'out', count: 2 }]);
    expect(r.activity.byOwner).toEqual([{ key: 'sam', count: 3 }, { key: 'alex', count: 1 }]);
    expect(r.activity.byWeek).toEqual([
      { key: '2026-W40', count: 1 },
      { key: '2026-W41', count: 2 },
      { key: '2026-W42', count: 0 },
      { key: '2026-W43', count: 1 },
      { key: '2026-W44', count: 0 },
    ]);
  });

  it('counts new and churned contacts, keeping undated churns apart', () => {
    expect(r.contacts.created).toBe(2);
    expect(r.contacts.churned).toEqual({ inPeriod: 1, undated: 1, ids: ['fay'] });
  });

  it('lists customers past their cadence today (contact, then tag, then stage rule)', () => {
    expect(r.contacts.retentionRisk).toEqual([
      { id: 'eve', name: 'Eve', cadence: '90d' },
      { id: 'cat', name: 'Cat', cadence: '7d', last_contact: '2026-10-20', due_since: '2026-10-27', days_overdue: 24 },
      { id: 'ann', name: 'Ann', cadence: '30d', last_contact: '2026-10-07', due_since: '2026-11-06', days_overdue: 14 },
    ]);
  });

  it('limits contacts and their interactions with a contact filter', () => {
    const alex = report({ contactFilter: (c) => c.data.owner === 'alex' });
    expect(alex.activity.total).toBe(1);
    expect(alex.contacts.retentionRisk.map((c) => c.id)).toEqual(['cat']);
    expect(alex.contacts.created).toBe(0);
  });

  it('an interaction filter wins over the contact filter for interactions', () => {
    const r2 = report({ contactFilter: () => false, interactionFilter: (i) => i.data.owner === 'alex' });
    expect(r2.activity.byOwner).toEqual([{ key: 'alex', count: 1 }]);
  });
});

describe('computeReport: breakdown', () => {
  it('by owner', () => {
    expect(report({ by: 'owner' }).groups).toEqual([
      { key: 'alex', won: 2, lost: 0, winRate: 1, wonValue: [{ currency: 'EUR', value: 1000 }, { currency: 'USD', value: 2000 }], interactions: 1 },
      { key: 'sam', won: 1, lost: 1, winRate: 0.5, wonValue: [{ currency: 'EUR', value: 10000 }], interactions: 3 },
    ]);
  });

  it('by channel: interactions by channel, deals without one under (none)', () => {
    const groups = report({ by: 'channel' }).groups!;
    expect(groups.map((g) => [g.key, g.won, g.lost, g.interactions])).toEqual([
      ['call', 0, 0, 1],
      ['email', 0, 0, 2],
      ['meeting', 0, 0, 1],
      ['(none)', 3, 1, 0],
    ]);
  });

  it('by stage: deals by the stage they closed from, interactions by their deal stage', () => {
    const groups = report({ by: 'stage' }).groups!;
    expect(groups.map((g) => [g.key, g.won, g.lost, g.winRate, g.interactions])).toEqual([
      ['lead', 0, 1, 0, 0],
      ['qualified', 0, 0, null, 1],
      ['proposal', 3, 0, 1, 0],
      ['negotiation', 0, 0, null, 0],
      ['(none)', 0, 0, null, 3],
    ]);
  });

  it('by month lists every month of the period', () => {
    const groups = report({ by: 'month', since: '2026-09-01', until: '2026-11-30' }).groups!;
    expect(groups.map((g) => [g.key, g.won, g.lost, g.interactions])).toEqual([
      ['2026-09', 0, 1, 1],
      ['2026-10', 3, 1, 4],
      ['2026-11', 1, 0, 1],
    ]);
  });
});

describe('helpers and validation', () => {
  it.each([
    ['2026-10-01', '2026-W40'],
    ['2026-01-01', '2026-W01'],
    ['2025-12-29', '2026-W01'],
    ['2027-01-01', '2026-W53'],
    ['2024-12-30', '2025-W01'],
  ])('isoWeek(%s) = %s', (date, week) => expect(isoWeek(date)).toBe(week));

  it('picks the cadence from the contact, then the first tag rule, then the stage', () => {
    const config = defaultConfig();
    config.cadence = { tags: { vip: '30d', partner: '60d' }, stages: { customer: '90d' }, default: '1y' };
    const c = (data: Record<string, unknown>) => contactCadence(rec('contact', 'x', data), config);
    expect(c({ cadence: '7d', tags: ['vip'] })).toBe('7d');
    expect(c({ tags: ['partner', 'vip'], stage: 'customer' })).toBe('30d');
    expect(c({ stage: 'Customer' })).toBe('90d');
    expect(c({ stage: 'lead' })).toBe('1y');
  });

  it.each([
    [{ since: '2026-13-01', until: '2026-12-31' }],
    [{ since: 'yesterday', until: '2026-12-31' }],
    [{ since: '2026-12-01', until: '2026-11-01' }],
  ])('rejects a bad period %o', (period) => {
    expect(() => report(period)).toThrow(UsageError);
  });
});
