import { describe, expect, it } from 'vitest';
import { buildDerived } from '../../src/core/derived.js';
import { normalizeConfig } from '../../src/core/config.js';
import { bandLabels, bandOf, compileScoring, parseScoring, scoringOf, scoringProblems } from '../../src/core/scoring.js';
import { compileQuery } from '../../src/core/query/index.js';
import type { CrmRecord, Dataset, RecordType } from '../../src/core/types.js';

const rec = (type: RecordType, id: string, data: Record<string, unknown>): CrmRecord => ({ type, id, path: `${type}/${id}.md`, data });
const TODAY = '2026-12-01';

function dataset(raw: Record<string, unknown>): Dataset {
  return {
    root: '/x',
    config: normalizeConfig(raw).config,
    contacts: [
      // Last touched 2026-11-01: 30 days before TODAY.
      rec('contact', 'ada', { name: 'Ada', company: 'acme', tags: ['vip'], stage: 'lead', title: 'CTO' }),
      // Never touched; created 60 days before TODAY.
      rec('contact', 'bob', { name: 'Bob', company: 'tiny', stage: 'lead', created: '2026-10-02' }),
      // Never touched, no created date: decaying points are not decayed.
      rec('contact', 'cy', { name: 'Cy', tags: ['competitor'] }),
    ],
    companies: [rec('company', 'acme', { name: 'Acme', size: 500 }), rec('company', 'tiny', { name: 'Tiny', size: 5 })],
    deals: [],
    interactions: [
      rec('interaction', 'i1', { date: '2026-10-01', contacts: ['ada'] }),
      rec('interaction', 'i2', { date: '2026-11-01', contacts: ['ada'] }),
    ],
    reminders: [],
    problems: [],
  };
}

const RULES = {
  rules: [
    { when: 'company.size>=100', points: 30, label: 'Large company' },
    { when: 'title:CTO,CEO', points: 20, label: 'Decision maker' },
    // Engagement halves every 30 days since the last touch.
    { when: 'interactions>=1', points: 40, label: 'Engaged', decay: '30d' },
    { when: 'tag:competitor', points: -50, label: 'Competitor' },
    // Overlaps with "Large company" for Ada.
    { when: 'tag:vip', points: 15, label: 'VIP', decay: '15d' },
    { when: 'stage:lead', points: 5, label: 'Lead', decay: '60d' },
  ],
};

function scores(raw: Record<string, unknown>, today = TODAY) {
  const ds = dataset(raw);
  const derived = buildDerived(ds, { today });
  return { ds, derived, detail: (id: string) => derived.scoreDetail(id)! };
}

describe('scores (hand-computed)', () => {
  const { ds, derived, detail } = scores({ scoring: RULES });

  // Ada: 30 (large) + 20 (CTO) + 40×0.5 (engaged, 30 of 30 days) + 15×0.25 (vip, 30 of 15 days) + 5×0.7071 (lead, 30 of 60 days)
  //      = 30 + 20 + 20 + 3.75 → 3.8 + 3.5355 → 3.5 = 77.3
  // Bob: created 60 days ago, no touch: lead 5×0.5 = 2.5; small company, no interactions.
  // Cy: competitor −50; nothing decays (no touch, no created date).
  it.each([
    ['ada', 77.3],
    ['bob', 2.5],
    ['cy', -50],
  ])('%s scores %d', (id, expected) => {
    expect(derived.score(ds.contacts.find((c) => c.id === id)!)).toBe(expected);
  });

  it('the breakdown says where every point came from', () => {
    const ada = detail('ada');
    expect(ada.rules.map((r) => [r.label, r.matched, r.earned])).toEqual([
      ['Large company', true, 30],
      ['Decision maker', true, 20],
      ['Engaged', true, 20],
      ['Competitor', false, 0],
      ['VIP', true, 3.8],
      ['Lead', true, 3.5],
    ]);
    expect(ada.rules[2].decay).toEqual({ every: '30d', since: '2026-11-01', days: 30, factor: 0.5 });
    expect(detail('cy').rules[2].decay).toEqual({ every: '30d', days: 0, factor: 1 });
    expect(detail('bob').rules[5].decay).toMatchObject({ since: '2026-10-02', days: 60, factor: 0.5 });
  });

  it('companies score as the best of their contacts', () => {
    expect(derived.score(ds.companies[0])).toBe(77.3);
    expect(derived.score(ds.companies[1])).toBe(2.5);
    expect(derived.fieldsOf(ds.companies[0])).toMatchObject({ score: 77.3 });
    expect(derived.fieldsOf(ds.contacts[1])).toMatchObject({ score: 2.5 });
  });

  it('score is a field for queries', () => {
    const env = { dataset: ds, ctx: { today: TODAY }, derived, type: 'contact' as const };
    expect(ds.contacts.filter(compileQuery('score>=50', env)).map((c) => c.id)).toEqual(['ada']);
    expect(ds.contacts.filter(compileQuery('score<0', env)).map((c) => c.id)).toEqual(['cy']);
    expect(ds.companies.filter(compileQuery('score:1..10', { ...env, type: 'company' })).map((c) => c.id)).toEqual(['tiny']);
  });
});

describe('clamping', () => {
  it.each([
    [{ min: 0 }, 'cy', 0, -50],
    [{ max: 60 }, 'ada', 60, 77.3],
    [{ min: 0, max: 100 }, 'bob', 2.5, 2.5],
  ])('%j: %s scores %d (raw %d)', (bounds, id, score, raw) => {
    const { detail } = scores({ scoring: { ...RULES, ...bounds } });
    expect(detail(id)).toMatchObject({ score, raw });
  });
});

describe('without scoring', () => {
  it('score is undefined and not a derived field', () => {
    const { ds, derived } = scores({});
    expect(derived.score(ds.contacts[0])).toBeUndefined();
    expect(derived.fieldsOf(ds.contacts[0])).not.toHaveProperty('score');
    expect(() => compileQuery('score>=1', { dataset: ds, ctx: { today: TODAY }, derived, type: 'contact' })).toThrow(/unknown field 'score'/);
  });
});

describe('config problems', () => {
  it.each([
    [{ rules: [{ when: 'tag:vip' }] }, /points must be a number/],
    [{ rules: [{ points: 3 }] }, /needs a query in 'when'/],
    [{ rules: [{ when: 'tag:x', points: 1, decay: 'soon' }] }, /decay 'soon' is not an interval/],
    [{ rules: [], min: 10, max: 5 }, /min \(10\) is above scoring.max \(5\)/],
    [{ rules: 'x' }, /scoring.rules must be a list/],
    [{ rules: [], bands: [50, 25] }, /bands must be a list of ascending numbers/],
  ])('%j', (raw, message) => {
    expect(parseScoring(raw).problems.map((p) => p.message).join('\n')).toMatch(message);
  });

  it('rules whose queries do not compile, with did-you-mean; rules using score are cycles', () => {
    const ds = dataset({ segments: { hot: 'score>=50' }, scoring: { rules: [{ when: 'titel:CTO', points: 1 }, { when: 'score>=10', points: 1 }, { when: '@hot', points: 1 }, { when: 'company.score>1', points: 1 }, { when: 'tag:vip', points: 1 }] } });
    const derived = buildDerived(ds, { today: TODAY });
    const messages = scoringProblems({ dataset: ds, ctx: { today: TODAY }, derived, type: 'contact' }).map((p) => p.message);
    expect(messages).toHaveLength(4);
    expect(messages[0]).toMatch(/scoring rule 1 \('titel:CTO'\): unknown field 'titel'.*did you mean 'title'/);
    expect(messages[1]).toMatch(/scoring rule 2 .* uses score itself/);
    expect(messages[2]).toMatch(/scoring rule 3 .* uses score itself/);
    expect(messages[3]).toMatch(/scoring rule 4 .* uses score itself/);
  });

  it('the config is read once per config object', () => {
    const ds = dataset({ scoring: RULES });
    expect(scoringOf(ds.config)).toBe(scoringOf(ds.config));
  });
});

describe('bands', () => {
  it.each([
    [-3, '<25'],
    [0, '<25'],
    [25, '25–49'],
    [49.9, '25–49'],
    [50, '50–74'],
    [75, '75+'],
    [300, '75+'],
  ])('%d is in %s', (score, band) => expect(bandOf(score, [25, 50, 75])).toBe(band));
  it('labels every band lowest first', () => expect(bandLabels([25, 50, 75])).toEqual(['<25', '25–49', '50–74', '75+']));
});

describe('compileScoring', () => {
  it('compiles each rule once, not per contact', () => {
    const ds = dataset({ scoring: RULES });
    const derived = buildDerived(ds, { today: TODAY });
    const scorer = compileScoring(scoringOf(ds.config)!, { dataset: ds, ctx: { today: TODAY }, derived, type: 'contact' });
    expect(scorer.score(ds.contacts[2]).score).toBe(-50);
  });

  it('the quick total always agrees with the breakdown', () => {
    for (const bounds of [{}, { min: 0, max: 60 }]) {
      const ds = dataset({ scoring: { ...RULES, ...bounds } });
      const derived = buildDerived(ds, { today: TODAY });
      const scorer = compileScoring(scoringOf(ds.config)!, { dataset: ds, ctx: { today: TODAY }, derived, type: 'contact' });
      for (const c of ds.contacts) expect(scorer.total(c)).toBe(scorer.score(c).score);
    }
  });
});
