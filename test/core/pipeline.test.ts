import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.js';
import { buildDerived } from '../../src/core/derived.js';
import { closedStageId, moveDeal, openStageIds, reopenTarget, summarizePipeline } from '../../src/core/pipeline.js';
import { normalizeConfig } from '../../src/core/config.js';
import type { Config, CrmRecord, Dataset, RecordType } from '../../src/core/types.js';
import { DataError, UsageError } from '../../src/errors.js';

const FOLDER: Record<RecordType, string> = { contact: 'contacts', company: 'companies', deal: 'deals', interaction: 'interactions', reminder: 'reminders' };
const rec = (type: RecordType, id: string, data: Record<string, unknown>): CrmRecord => ({ type, id, path: `${FOLDER[type]}/${id}.md`, data });
const deal = (id: string, data: Record<string, unknown>) => rec('deal', id, data);

function config(): Config {
  const c = defaultConfig();
  c.rates = { USD: 0.9 };
  c.owners = { sam: { name: 'Sam Lee' }, alex: {} };
  return c;
}

const today = '2026-11-20';

/*
 * Open deals (today 2026-11-20, stale_after 21d):
 *   acme   proposal    10000 EUR  p.5  → w 5000  sam   created 10-01 (age 50) close 11-10 (past, 10d)  last activity 10-20 (31d: stale)  no reminder
 *   beta   lead         2000 EUR  p.6 (override of .1) → w 1200  alex  created 11-15 (age 5)  close 12-15  reminder on contact bob
 *   gamma  negotiation  5000 USD  p.75 → w 3750  sam   created 11-01 (age 19) close 12-01  reminder on the deal
 *   delta  proposal     1000 GBP  p.5 → w 500   no owner, no dates, no reminder
 * Closed: won (7000), lost (3000) — never in groups or totals.
 */
function dataset(): Dataset {
  return {
    root: '/crm',
    config: config(),
    contacts: [rec('contact', 'bob', { name: 'Bob' })],
    companies: [rec('company', 'acme-inc', { name: 'Acme Inc.' })],
    deals: [
      deal('acme', { title: 'Acme renewal', stage: 'proposal', value: 10000, owner: 'sam', company: 'acme-inc', created: '2026-10-01', expected_close: '2026-11-10', history: [{ date: '2026-10-01', stage: 'lead' }, { date: '2026-10-20', stage: 'proposal' }] }),
      deal('beta', { title: 'Beta pilot', stage: 'lead', value: 2000, probability: 0.6, owner: 'alex', contacts: ['bob'], created: '2026-11-15', expected_close: '2026-12-15' }),
      deal('gamma', { title: 'Gamma US', stage: 'negotiation', value: 5000, currency: 'USD', owner: 'sam', created: '2026-11-01', expected_close: '2026-12-01' }),
      deal('delta', { title: 'Delta UK', stage: 'proposal', value: 1000, currency: 'gbp' }),
      deal('won-one', { title: 'Won one', stage: 'won', value: 7000, owner: 'sam', created: '2026-09-01', closed: '2026-10-01', expected_close: '2026-09-01' }),
      deal('lost-one', { title: 'Lost one', stage: 'lost', value: 3000, owner: 'alex', created: '2026-09-01', closed: '2026-10-01' }),
    ],
    interactions: [],
    reminders: [
      rec('reminder', 'r-bob', { due: '2026-11-25', text: 'call', contact: 'bob', status: 'open' }),
      rec('reminder', 'r-gamma', { due: '2026-11-01', text: 'send quote', deal: '[[gamma]]' }),
      rec('reminder', 'r-acme-done', { due: '2026-11-01', text: 'old', deal: 'acme', status: 'done' }),
    ],
    problems: [],
  };
}

function summarize(by: 'stage' | 'owner' | 'month' | 'company', extra: { dealFilter?: (d: CrmRecord) => boolean; currency?: string; ds?: Dataset } = {}) {
  const ds = extra.ds ?? dataset();
  return summarizePipeline(ds, buildDerived(ds, { today }), { today }, { by, dealFilter: extra.dealFilter, currency: extra.currency });
}

describe('summarizePipeline', () => {
  it('lists every open stage in config order, with per-currency totals and average age', () => {
    const s = summarize('stage');
    expect(s.count).toBe(4);
    expect(s.groups.map((g) => [g.key, g.count, g.averageAgeDays])).toEqual([
      ['lead', 1, 5],
      ['qualified', 0, null],
      ['proposal', 2, 50],
      ['negotiation', 1, 19],
    ]);
    expect(s.groups[0].totals).toEqual([{ currency: 'EUR', count: 1, value: 2000, weighted: 1200 }]);
    expect(s.groups[1].totals).toEqual([]);
    expect(s.groups[2].totals).toEqual([
      { currency: 'EUR', count: 1, value: 10000, weighted: 5000 },
      { currency: 'GBP', count: 1, value: 1000, weighted: 500 },
    ]);
  });

  it('never sums currencies together; converts those with a rate and names the rest', () => {
    const s = summarize('stage');
    expect(s.totals).toEqual([
      { currency: 'EUR', count: 2, value: 12000, weighted: 6200 },
      { currency: 'GBP', count: 1, value: 1000, weighted: 500 },
      { currency: 'USD', count: 1, value: 5000, weighted: 3750 },
    ]);
    expect(s.currency).toBe('EUR');
    expect(s.converted?.currency).toBe('EUR');
    expect(s.converted?.value).toBeCloseTo(12000 + 4500);
    expect(s.converted?.weighted).toBeCloseTo(6200 + 3375);
    expect(s.converted?.unconverted).toEqual(['GBP']);
  });

  it('converts into another target currency through the config currency', () => {
    const s = summarize('stage', { currency: 'usd' });
    expect(s.converted?.currency).toBe('USD');
    expect(s.converted?.value).toBeCloseTo(5000 + 12000 / 0.9);
    expect(s.converted?.unconverted).toEqual(['GBP']);
  });

  it('gives no converted total when no foreign currency has a rate', () => {
    const ds = dataset();
    ds.config.rates = {};
    expect(summarize('stage', { ds }).converted).toBeUndefined();
    ds.deals = ds.deals.filter((d) => d.data.currency === undefined);
    expect(summarize('stage', { ds }).totals.map((t) => t.currency)).toEqual(['EUR']);
  });

  it('uses the deal probability over the stage probability', () => {
    const lead = summarize('stage').groups.find((g) => g.key === 'lead')!;
    expect(lead.totals[0].weighted).toBe(2000 * 0.6);
  });

  it.each([
    ['month', [['2026-11', 1], ['2026-12', 2], ['', 1]]],
    ['owner', [['alex', 1], ['sam', 2], ['', 1]]],
    ['company', [['acme-inc', 1], ['', 3]]],
  ] as const)('groups by %s, the "none" bucket last', (by, expected) => {
    const s = summarize(by);
    expect(s.groups.map((g) => g.key)).toEqual(expected.map((e) => e[0]));
    expect(s.groups.map((g) => g.count)).toEqual(expected.map((e) => e[1]));
  });

  it('labels groups with owner and company names', () => {
    expect(summarize('owner').groups.map((g) => g.label)).toEqual(['alex', 'Sam Lee', '(no owner)']);
    expect(summarize('company').groups.map((g) => g.label)).toEqual(['Acme Inc.', '(no company)']);
    expect(summarize('month').groups.map((g) => g.label)).toEqual(['2026-11', '2026-12', 'no date']);
  });

  it('applies a deal filter (owner) to groups, totals and attention lists', () => {
    const s = summarize('stage', { dealFilter: (d) => d.data.owner === 'sam' });
    expect(s.count).toBe(2);
    expect(s.totals).toEqual([
      { currency: 'EUR', count: 1, value: 10000, weighted: 5000 },
      { currency: 'USD', count: 1, value: 5000, weighted: 3750 },
    ]);
    expect(s.attention.noNextStep.map((d) => d.id)).toEqual(['acme']);
  });

  it('lists deals past their close date, stale deals and deals without a next step', () => {
    const { pastClose, stale, noNextStep } = summarize('stage').attention;
    expect(pastClose).toEqual([
      { id: 'acme', title: 'Acme renewal', stage: 'proposal', owner: 'sam', value: 10000, currency: 'EUR', expected_close: '2026-11-10', last_activity: '2026-10-20', days: 10 },
    ]);
    expect(stale.map((d) => [d.id, d.days])).toEqual([['acme', 31]]);
    expect(noNextStep.map((d) => d.id)).toEqual(['acme', 'delta']);
  });

  it('shows deals in a stage the config does not know after the configured stages', () => {
    const ds = dataset();
    ds.deals.push(deal('typo', { title: 'Typo', stage: 'propsal', value: 1 }), deal('bare', { title: 'Bare' }));
    const keys = summarize('stage', { ds }).groups.map((g) => g.key);
    expect(keys).toEqual(['lead', 'qualified', 'proposal', 'negotiation', 'propsal', '']);
  });

  it('counts a deal without a value as 0, not NaN', () => {
    const ds = dataset();
    ds.deals = [deal('novalue', { title: 'No value', stage: 'lead' })];
    expect(summarize('stage', { ds }).totals).toEqual([{ currency: 'EUR', count: 1, value: 0, weighted: 0 }]);
  });
});

describe('moveDeal', () => {
  const cfg = defaultConfig();
  const value = (plan: ReturnType<typeof moveDeal>, key: string) => plan.edits.find((e) => e.key === key);

  it('appends to existing history and sets the stage', () => {
    const d = deal('acme', { title: 'A', stage: 'lead', created: '2026-10-01', history: [{ date: '2026-10-01', stage: 'lead' }] });
    const plan = moveDeal(d, 'proposal', '2026-11-20', cfg);
    expect(plan.noop).toBe(false);
    expect(plan.edits).toEqual([
      { key: 'stage', value: 'proposal' },
      { key: 'history', value: [{ date: '2026-10-01', stage: 'lead' }, { date: '2026-11-20', stage: 'proposal' }] },
    ]);
    expect(plan.message).toBe("moved deal 'acme' from 'lead' to 'proposal'");
    // The record itself is not mutated: the caller applies the edits.
    expect(d.data.history).toHaveLength(1);
  });

  it('seeds history with the current stage at its created date', () => {
    const plan = moveDeal(deal('a', { title: 'A', stage: 'lead', created: '2026-10-01' }), 'qualified', '2026-10-05', cfg);
    expect(value(plan, 'history')).toEqual({ key: 'history', value: [{ date: '2026-10-01', stage: 'lead' }, { date: '2026-10-05', stage: 'qualified' }] });
  });

  it('without a created date, history starts at the move', () => {
    const plan = moveDeal(deal('a', { title: 'A', stage: 'lead' }), 'qualified', '2026-10-05T10:30', cfg);
    expect(value(plan, 'history')).toEqual({ key: 'history', value: [{ date: '2026-10-05', stage: 'qualified' }] });
  });

  it('sets closed when won, and closed plus lost_reason when lost with a reason', () => {
    const d = deal('a', { title: 'A', stage: 'proposal', history: [] });
    expect(value(moveDeal(d, 'won', '2026-11-20', cfg), 'closed')).toEqual({ key: 'closed', value: '2026-11-20' });
    const lost = moveDeal(d, 'lost', '2026-11-20', cfg, { reason: 'price' });
    expect(lost.edits.slice(2)).toEqual([
      { key: 'closed', value: '2026-11-20' },
      { key: 'lost_reason', value: 'price' },
    ]);
    expect(value(moveDeal(d, 'lost', '2026-11-20', cfg), 'lost_reason')).toBeUndefined();
  });

  it('reopening removes closed and lost_reason', () => {
    const d = deal('a', { title: 'A', stage: 'lost', closed: '2026-11-01', lost_reason: 'price', history: [{ date: '2026-11-01', stage: 'lost' }] });
    const plan = moveDeal(d, 'negotiation', '2026-11-20', cfg);
    expect(plan.edits.slice(2)).toEqual([
      { key: 'closed', remove: true },
      { key: 'lost_reason', remove: true },
    ]);
  });

  it('moving a lost deal to won replaces closed and drops the lost reason', () => {
    const d = deal('a', { title: 'A', stage: 'lost', closed: '2026-11-01', lost_reason: 'price' });
    expect(moveDeal(d, 'won', '2026-11-20', cfg).edits.slice(2)).toEqual([
      { key: 'closed', value: '2026-11-20' },
      { key: 'lost_reason', remove: true },
    ]);
  });

  it('same stage is a no-op with a message', () => {
    const plan = moveDeal(deal('a', { title: 'A', stage: 'proposal' }), 'proposal', '2026-11-20', cfg);
    expect(plan).toEqual({ edits: [], message: "deal 'a' is already in stage 'proposal'", noop: true });
  });

  it('accepts a stage in another case', () => {
    expect(value(moveDeal(deal('a', { title: 'A', stage: 'lead' }), 'Won', '2026-11-20', cfg), 'stage')).toEqual({ key: 'stage', value: 'won' });
  });

  it('rejects an unknown stage with the valid ones and a suggestion', () => {
    const move = () => moveDeal(deal('a', { title: 'A', stage: 'lead' }), 'propsal', '2026-11-20', cfg);
    expect(move).toThrow(UsageError);
    expect(move).toThrow("unknown stage 'propsal'");
    try {
      move();
    } catch (e) {
      expect((e as UsageError).hint).toBe("did you mean 'proposal'? valid stages: lead, qualified, proposal, negotiation, won, lost");
      expect((e as UsageError).exitCode).toBe(2);
    }
  });

  it('rejects a bad date and a history that is not a list', () => {
    expect(() => moveDeal(deal('a', { stage: 'lead' }), 'won', 'tomorrow', cfg)).toThrow(UsageError);
    expect(() => moveDeal(deal('a', { stage: 'lead', history: 'oops' }), 'won', '2026-11-20', cfg)).toThrow(DataError);
  });
});

describe('reopenTarget and closed stages', () => {
  const cfg = defaultConfig();

  it('finds the won and lost stages and the open ones', () => {
    expect(closedStageId(cfg, 'won')).toBe('won');
    expect(closedStageId(cfg, 'lost')).toBe('lost');
    expect(openStageIds(cfg)).toEqual(['lead', 'qualified', 'proposal', 'negotiation']);
    const noLost = { ...cfg, pipeline: cfg.pipeline.filter((s) => s.closed !== 'lost') };
    expect(() => closedStageId(noLost, 'lost')).toThrow("the pipeline has no stage with 'closed: lost'");
  });

  it('goes back to the last open stage in history, by date', () => {
    const d = deal('a', { stage: 'lost', history: [{ date: '2026-11-01', stage: 'lost' }, { date: '2026-10-01', stage: 'lead' }, { date: '2026-10-15', stage: 'negotiation' }] });
    expect(reopenTarget(d, cfg)).toBe('negotiation');
  });

  it('takes a named open stage, refuses a closed one', () => {
    const d = deal('a', { stage: 'won' });
    expect(reopenTarget(d, cfg, 'Qualified')).toBe('qualified');
    expect(() => reopenTarget(d, cfg, 'lost')).toThrow("cannot reopen into 'lost': it is a closed stage");
  });

  it('is undefined for an open deal and an error without an open stage in history', () => {
    expect(reopenTarget(deal('a', { stage: 'proposal' }), cfg)).toBeUndefined();
    expect(() => reopenTarget(deal('a', { stage: 'lost', history: [{ date: '2026-01-01', stage: 'lost' }] }), cfg)).toThrow("deal 'a' has no open stage in its history");
  });
});

describe('pipeline config problems', () => {
  it('name the entry they are about', () => {
    const { problems } = normalizeConfig({
      pipeline: [{ id: 'lead', probability: 0.1 }, { id: 'lead', probability: 2 }, { id: 'won', closed: 'won' }, { id: 'lost', closed: 'maybe' }],
    });
    expect(problems.map((p) => [p.key, p.item, p.message])).toEqual([
      ['pipeline', 1, "pipeline stage 'lead' is listed twice"],
      ['pipeline', 1, "pipeline stage 'lead': probability must be a number from 0 to 1, got '2'"],
      ['pipeline', 3, "pipeline stage 'lost': closed must be 'won' or 'lost'"],
      ['pipeline', undefined, "pipeline has no stage with 'closed: lost'"],
    ]);
  });
});
