import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.js';
import { computeAttribution, modelWeights, splitCents, MODELS } from '../../src/core/attribution.js';
import type { AttributionModel } from '../../src/core/attribution.js';
import type { CrmRecord } from '../../src/core/types.js';

const rec = (type: CrmRecord['type'], id: string, data: Record<string, unknown>): CrmRecord => ({ type, id, path: `${type}s/${id}.md`, data });
const touch = (id: string, date: string, contacts: string[], extra: Record<string, unknown> = {}) => rec('interaction', id, { date, contacts, channel: 'email', direction: 'out', ...extra });

/*
 * Hand-computed fixture (docs/attribution.md uses the same numbers):
 *   big    won 1000.00 EUR, closed 2026-10-29, contact ann; lookback 90 days
 *          t1 10-01 email (campaign spring) 28 days before close
 *          t2 10-15 call                    14 days
 *          t3 10-22 meeting with bob, linked by `deal: big`   7 days
 *          t4 10-29 email                    0 days (the close day counts)
 *          not touches: t0 07-01 (120 days: outside the lookback), t5 11-02 (after the close),
 *          x1 10-20 with dan (not on the deal, not linked)
 *   small  won 100.00 EUR, closed 2026-11-10, contact cat: u1 11-01 (9 days), u2 11-05 (5), u3 11-10 (0)
 *   none   won 500 EUR, closed 2026-11-01, contact eve: no touch at all → unattributed
 *   open   an open deal and a lost deal with touches: never attributed
 */
function input() {
  const config = defaultConfig();
  return {
    config,
    contacts: [
      rec('contact', 'ann', { name: 'Ann', source: 'referral' }),
      rec('contact', 'bob', { name: 'Bob', source: 'event' }),
      rec('contact', 'cat', { name: 'Cat' }),
      rec('contact', 'eve', { name: 'Eve' }),
    ],
    deals: [
      rec('deal', 'big', { title: 'Big', stage: 'won', value: 1000, contacts: ['ann'], closed: '2026-10-29', owner: 'sam' }),
      rec('deal', 'small', { title: 'Small', stage: 'won', value: 100, contacts: ['cat'], closed: '2026-11-10' }),
      rec('deal', 'none', { title: 'None', stage: 'won', value: 500, contacts: ['eve'], closed: '2026-11-01' }),
      rec('deal', 'open', { title: 'Open', stage: 'proposal', value: 700, contacts: ['ann'] }),
      rec('deal', 'gone', { title: 'Gone', stage: 'lost', value: 300, contacts: ['ann'], closed: '2026-10-20' }),
    ],
    interactions: [
      touch('t0', '2026-07-01', ['ann']),
      touch('t1', '2026-10-01', ['ann'], { campaign: 'spring' }),
      touch('t2', '2026-10-15', ['ann'], { channel: 'call', owner: 'alex' }),
      touch('t3', '2026-10-22T14:30', ['bob'], { channel: 'meeting', deal: 'big' }),
      touch('t4', '2026-10-29', ['ann']),
      touch('t5', '2026-11-02', ['ann']),
      touch('x1', '2026-10-20', ['dan']),
      touch('u1', '2026-11-01', ['cat']),
      touch('u2', '2026-11-05', ['cat']),
      touch('u3', '2026-11-10', ['cat']),
    ],
  };
}

const shares = (model: AttributionModel, lookbackDays = 90) => {
  const r = computeAttribution(input(), { model, by: 'channel', lookbackDays });
  return Object.fromEntries(r.deals.map((d) => [d.id, d.touches.map((t) => [t.interaction, t.value])]));
};

describe('attribution models on the hand-computed fixture', () => {
  it.each<[AttributionModel, Array<[string, number]>, Array<[string, number]>]>([
    ['first', [['t1', 1000], ['t2', 0], ['t3', 0], ['t4', 0]], [['u1', 100], ['u2', 0], ['u3', 0]]],
    ['last', [['t1', 0], ['t2', 0], ['t3', 0], ['t4', 1000]], [['u1', 0], ['u2', 0], ['u3', 100]]],
    // 100.00 / 3: 33.33 each, the remaining cent to the last touch.
    ['linear', [['t1', 250], ['t2', 250], ['t3', 250], ['t4', 250]], [['u1', 33.33], ['u2', 33.33], ['u3', 33.34]]],
    // 40 / 20 spread over the middle / 40.
    ['u-shaped', [['t1', 400], ['t2', 100], ['t3', 100], ['t4', 400]], [['u1', 40], ['u2', 20], ['u3', 40]]],
    // big: weights 1/16, 1/4, 1/2, 1 = 1:4:8:16 of 29 → 3448, 13793, 27586 cents, remainder 55173.
    // small: 2^(-9/7), 2^(-5/7), 1 → 2030.86, 3017.85 → 2030, 3017, remainder 4953 cents.
    ['time-decay', [['t1', 34.48], ['t2', 137.93], ['t3', 275.86], ['t4', 551.73]], [['u1', 20.3], ['u2', 30.17], ['u3', 49.53]]],
  ])('%s', (model, big, small) => {
    expect(shares(model)).toEqual({ big, small });
  });

  it('every model: shares of a deal sum exactly to its value; the deal with no touch is unattributed', () => {
    for (const model of MODELS) {
      const r = computeAttribution(input(), { model, by: 'channel', lookbackDays: 90 });
      for (const d of r.deals) expect(Math.round(d.touches.reduce((a, t) => a + t.value * 100, 0))).toBe(Math.round(d.value * 100));
      expect(r.unattributed).toEqual([{ id: 'none', title: 'None', closed: '2026-11-01', value: 500, currency: 'EUR' }]);
      expect(r.totals).toEqual([{ currency: 'EUR', won: 1600, attributed: 1100, unattributed: 500 }]);
    }
  });

  it('a shorter lookback drops older touches (the close day always counts)', () => {
    expect(shares('linear', 7)).toEqual({ big: [['t3', 500], ['t4', 500]], small: [['u2', 50], ['u3', 50]] });
    expect(shares('u-shaped', 0)).toEqual({ big: [['t4', 1000]], small: [['u3', 100]] });
  });
});

describe('groups', () => {
  it.each([
    ['channel', [['email', 600, 5, 2], ['call', 250, 1, 1], ['meeting', 250, 1, 1]]],
    ['campaign', [['(none)', 850, 6, 2], ['spring', 250, 1, 1]]],
    // A touch's own owner, else the deal's: small has neither.
    ['owner', [['sam', 750, 3, 1], ['alex', 250, 1, 1], ['(none)', 100, 3, 1]]],
    // The touch's first contact's source: t3 was with bob (event).
    ['source', [['referral', 750, 3, 1], ['event', 250, 1, 1], ['(none)', 100, 3, 1]]],
  ] as const)('linear by %s', (by, expected) => {
    const r = computeAttribution(input(), { model: 'linear', by, lookbackDays: 90 });
    const rows = r.groups.map((g) => [g.group, g.value, g.touches, g.deals]);
    expect(rows).toEqual(expected);
    expect(Math.round(r.groups.reduce((a, g) => a + g.value * 100, 0))).toBe(110000);
  });

  it('a query limits the deals', () => {
    const r = computeAttribution(input(), { model: 'last', by: 'channel', lookbackDays: 90, dealFilter: (d) => d.id === 'small' });
    expect(r.deals.map((d) => d.id)).toEqual(['small']);
    expect(r.unattributed).toEqual([]);
  });
});

describe('splitCents and modelWeights', () => {
  it.each([
    [100, [1, 1, 1], [33, 33, 34]],
    [1, [1, 1], [0, 1]],
    [0, [1, 2], [0, 0]],
    [1000, [0, 0], [0, 1000]],
    [99999, [80, 20, 20, 80], [39999, 9999, 9999, 40002]],
  ])('%d cents by %j', (cents, weights, expected) => {
    expect(splitCents(cents, weights)).toEqual(expected);
    expect(splitCents(cents, weights).reduce((a, b) => a + b, 0)).toBe(cents);
  });

  it.each<[AttributionModel, number[], number[]]>([
    ['u-shaped', [5], [1]],
    ['u-shaped', [9, 1], [1, 1]],
    ['u-shaped', [9, 5, 1], [40, 20, 40]],
    ['u-shaped', [9, 7, 5, 3, 1], [120, 20, 20, 20, 120]],
    ['time-decay', [14, 7, 0], [0.25, 0.5, 1]],
    ['first', [3, 2, 1], [1, 0, 0]],
    ['last', [3, 2, 1], [0, 0, 1]],
  ])('%s weights for %j', (model, days, expected) => {
    expect(modelWeights(model, days)).toEqual(expected);
  });
});

describe('touches ordered by time', () => {
  it('compares times, not text: `2026-11-10 15:00` (a space, as hand-written) comes after 14:00', () => {
    const config = defaultConfig();
    const deals = [rec('deal', 'd', { title: 'D', contacts: ['ann'], stage: 'won', value: 100, created: '2026-11-01', closed: '2026-11-20' })];
    const interactions = [touch('a-later', '2026-11-10 15:00', ['ann'], { campaign: 'later' }), touch('z-earlier', '2026-11-10T14:00', ['ann'], { campaign: 'earlier' })];
    const r = computeAttribution({ deals, interactions, contacts: [], config }, { model: 'first', by: 'campaign', lookbackDays: 90 });
    expect(r.deals[0].touches.map((t) => t.interaction)).toEqual(['z-earlier', 'a-later']);
    expect(r.groups.find((g) => g.value > 0)?.group).toBe('earlier');
  });
});
