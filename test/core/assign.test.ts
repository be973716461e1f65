import { describe, expect, it } from 'vitest';
import { buildDerived } from '../../src/core/derived.js';
import { normalizeConfig } from '../../src/core/config.js';
import { assignmentProblems, compileTerritories, isOpenLead, leadStages, planAssignment, territoriesOf, type PlanInput, type Strategy } from '../../src/core/assign.js';
import type { CrmRecord, Dataset, RecordType } from '../../src/core/types.js';

const rec = (type: RecordType, id: string, data: Record<string, unknown>): CrmRecord => ({ type, id, path: `${type}/${id}.md`, data });
const TODAY = '2026-12-01';

/** Leads with fixed scores (from the `points` field), so the order is known by hand. */
function dataset(raw: Record<string, unknown>, extra: CrmRecord[] = []): Dataset {
  return {
    root: '/x',
    config: normalizeConfig(raw).config,
    contacts: [
      rec('contact', 'l1', { name: 'L1', pts: 90, location: 'Berlin' }),
      rec('contact', 'l2', { name: 'L2', pts: 70 }),
      rec('contact', 'l3', { name: 'L3', pts: 70 }),
      rec('contact', 'l4', { name: 'L4', pts: 40, location: 'Paris' }),
      rec('contact', 'l5', { name: 'L5', pts: 10 }),
      ...extra,
    ],
    companies: [],
    deals: [],
    interactions: [],
    reminders: [],
    problems: [],
  };
}

function plan(ds: Dataset, over: Partial<PlanInput> & { strategy: Strategy; to: string[] }) {
  const derived = buildDerived(ds, { today: TODAY });
  const rules = territoriesOf(ds.config).rules;
  const territories = compileTerritories(rules, { dataset: ds, ctx: { today: TODAY }, derived, type: 'contact' });
  const candidates = ds.contacts.filter((c) => c.data.pts !== undefined && c.data.owner === undefined);
  return planAssignment({ candidates, contacts: ds.contacts, score: (c) => c.data.pts as number, territories, config: ds.config, ...over });
}

const owners = (p: ReturnType<typeof plan>) => p.rows.map((r) => `${r.id}:${r.owner}`);

describe('round-robin', () => {
  it('highest score first, ties by id, owners in --to order', () => {
    const p = plan(dataset({}), { strategy: 'round-robin', to: ['sam', 'kim'] });
    expect(owners(p)).toEqual(['l1:sam', 'l2:kim', 'l3:sam', 'l4:kim', 'l5:sam']);
    expect(p.lastOwner).toBe('sam');
  });

  it('continues after the owner the last run stopped at', () => {
    const p = plan(dataset({}), { strategy: 'round-robin', to: ['sam', 'kim', 'lee'], lastOwner: 'kim' });
    expect(owners(p)).toEqual(['l1:lee', 'l2:sam', 'l3:kim', 'l4:lee', 'l5:sam']);
  });

  it('two runs in a row continue the rotation', () => {
    const ds = dataset({});
    const first = plan(ds, { strategy: 'round-robin', to: ['sam', 'kim', 'lee'], candidates: ds.contacts.slice(0, 2) });
    expect(owners(first)).toEqual(['l1:sam', 'l2:kim']);
    const second = plan(ds, { strategy: 'round-robin', to: ['sam', 'kim', 'lee'], candidates: ds.contacts.slice(2), lastOwner: first.lastOwner });
    expect(owners(second)).toEqual(['l3:lee', 'l4:sam', 'l5:kim']);
  });

  it('starts from the first owner when the last one is not in --to', () => {
    expect(owners(plan(dataset({}), { strategy: 'round-robin', to: ['a', 'b'], lastOwner: 'gone' }))[0]).toBe('l1:a');
  });
});

describe('territories', () => {
  // l1 matches both rules: the first wins. Territory leads take no turn in the rotation.
  const raw = { assignment: [{ when: 'location:berlin', owner: 'anna' }, { when: 'pts>=80 OR location:paris', owner: 'paul' }] };
  it('first matching rule wins; only the rest is distributed', () => {
    const p = plan(dataset(raw), { strategy: 'round-robin', to: ['sam', 'kim'] });
    expect(p.rows.map((r) => [r.id, r.owner, r.by, r.rule])).toEqual([
      ['l1', 'anna', 'rule', 'location:berlin'],
      ['l2', 'sam', 'round-robin', undefined],
      ['l3', 'kim', 'round-robin', undefined],
      ['l4', 'paul', 'rule', 'pts>=80 OR location:paris'],
      ['l5', 'sam', 'round-robin', undefined],
    ]);
  });
  it('with everything covered by rules, --to is not needed', () => {
    const ds = dataset(raw);
    expect(owners(plan(ds, { strategy: 'round-robin', to: [], candidates: [ds.contacts[0], ds.contacts[3]] }))).toEqual(['l1:anna', 'l4:paul']);
    expect(() => plan(ds, { strategy: 'round-robin', to: [] })).toThrow(/no territory rule covers l2/);
  });
});

describe('balanced', () => {
  // sam already has 2 open leads (lead + no stage), kim 1 (prospect); kim's customer is not a lead.
  const owned = [
    rec('contact', 's1', { name: 'S1', owner: 'sam', stage: 'lead' }),
    rec('contact', 's2', { name: 'S2', owner: 'sam' }),
    rec('contact', 'k1', { name: 'K1', owner: 'kim', stage: 'prospect' }),
    rec('contact', 'k2', { name: 'K2', owner: 'kim', stage: 'customer' }),
  ];
  it('each lead goes to the owner with the fewest open leads at that moment; ties to the first listed', () => {
    // open: sam 2, kim 1, lee 0 → lee(1) → kim/lee tie at 1 → kim(2) → lee(2) → tie sam/kim/lee at 2 → sam(3) → kim(3)
    const p = plan(dataset({}, owned), { strategy: 'balanced', to: ['sam', 'kim', 'lee'] });
    expect(owners(p)).toEqual(['l1:lee', 'l2:kim', 'l3:lee', 'l4:sam', 'l5:kim']);
    expect(p.lastOwner).toBeUndefined();
  });

  it('--reassign: the leads being handed out do not count for their old owners', () => {
    const ds = dataset({}, owned);
    // Reassign sam's two leads and l1: counts start at sam 0, kim 1. l1 → sam (1); s1 and s2 have no
    // score, so they follow by id: s1 → sam (tie, first listed; unchanged), s2 → kim (sam has 2).
    const candidates = [ds.contacts[0], ...owned.slice(0, 2)];
    const p = plan(ds, { strategy: 'balanced', to: ['sam', 'kim'], candidates, score: (c) => c.data.pts as number | undefined });
    expect(p.rows.map((r) => [r.id, r.from, r.owner, r.changed])).toEqual([
      ['l1', undefined, 'sam', true],
      ['s1', 'sam', 'sam', false],
      ['s2', 'sam', 'kim', true],
    ]);
  });
});

describe('lead stages', () => {
  it.each([
    [['lead', 'prospect', 'customer', 'churned'], ['lead', 'prospect']],
    [['new', 'customer'], ['new']],
    [['cold', 'warm', 'hot'], ['cold']],
  ])('%j → %j', (lifecycle, expected) => {
    expect(leadStages(normalizeConfig({ lifecycle }).config)).toEqual(expected);
  });
  it('a contact without a stage is an open lead', () => {
    expect(isOpenLead(rec('contact', 'x', { name: 'X' }), ['lead'])).toBe(true);
    expect(isOpenLead(rec('contact', 'x', { name: 'X', stage: 'Customer' }), ['lead'])).toBe(false);
  });
});

describe('assignment problems', () => {
  it('reports shapes, bad queries with did-you-mean, and unknown owners', () => {
    const ds = dataset({ owners: { sam: {} }, assignment: [{ when: 'locaton:berlin', owner: 'sam' }, { owner: 'sam' }, { when: 'tag:x', owner: 'bob' }] });
    const derived = buildDerived(ds, { today: TODAY });
    const messages = assignmentProblems({ dataset: ds, ctx: { today: TODAY }, derived, type: 'contact' }).map((p) => p.message);
    expect(messages).toEqual([
      "assignment rule 2 needs 'when' (a query) and 'owner' (an owner id)",
      expect.stringMatching(/^assignment rule 1 \('locaton:berlin'\): unknown field 'locaton'.*did you mean 'location'/),
      "assignment rule 3 gives leads to 'bob', who is not one of the owners",
    ]);
  });
});
