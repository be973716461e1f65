import { describe, expect, it } from 'vitest';
import { computeDigest, digestIsEmpty } from '../../src/core/due.js';
import type { Digest, DigestOptions } from '../../src/core/due.js';
import { buildDerived } from '../../src/core/derived.js';
import { defaultConfig } from '../../src/core/config.js';
import type { Config, CrmRecord, Dataset, FrontMatter, RecordType } from '../../src/core/types.js';
import { FOLDER_OF } from '../../src/core/types.js';
import { UsageError } from '../../src/errors.js';

const TODAY = '2026-11-23';

function rec(type: RecordType, id: string, data: FrontMatter): CrmRecord {
  return { type, id, path: `${FOLDER_OF[type]}/${id}.md`, data };
}
const contact = (id: string, data: FrontMatter = {}) => rec('contact', id, { name: titleOf(id), ...data });
const reminder = (id: string, data: FrontMatter) => rec('reminder', id, { text: `do ${id}`, ...data });
const interaction = (id: string, date: string, contacts: string[]) => rec('interaction', id, { date, contacts, channel: 'call' });
const deal = (id: string, data: FrontMatter) => rec('deal', id, { title: titleOf(id), ...data });

function titleOf(id: string): string {
  return id.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
}

function config(cadence: Partial<Config['cadence']> = {}): Config {
  const c = defaultConfig();
  c.cadence = { tags: { vip: '30d' }, stages: { customer: '90d' }, ...cadence };
  return c;
}

function dataset(records: CrmRecord[], cfg: Config = config()): Dataset {
  const of = (type: RecordType) => records.filter((r) => r.type === type);
  return {
    root: '/crm',
    config: cfg,
    contacts: of('contact'),
    companies: of('company'),
    deals: of('deal'),
    interactions: of('interaction'),
    reminders: of('reminder'),
    problems: [],
  };
}

function digestOf(records: CrmRecord[], opts: Partial<DigestOptions> = {}, cfg?: Config): Digest {
  const ds = dataset(records, cfg);
  const ctx = { today: TODAY };
  return computeDigest(ds, buildDerived(ds, ctx), ctx, { within: 7, ...opts });
}

type Sections = Partial<Record<'overdue' | 'dueToday' | 'upcoming' | 'keepInTouch' | 'dealsPastClose', string[]>>;

/** The ids in each non-empty section, in order: what most cases need to check. */
function idsBySection(d: Digest): Sections {
  const out: Sections = {};
  for (const key of ['overdue', 'dueToday', 'upcoming', 'keepInTouch', 'dealsPastClose'] as const) {
    if (d[key].length) out[key] = d[key].map((i) => i.id);
  }
  return out;
}

describe('computeDigest: reminders', () => {
  const ada = contact('ada');
  const cases: Array<[string, CrmRecord[], Partial<DigestOptions>, Sections]> = [
    ['overdue', [ada, reminder('r1', { due: '2026-11-20', contact: 'ada' })], {}, { overdue: ['r1'] }],
    ['due today', [ada, reminder('r1', { due: TODAY, contact: 'ada' })], {}, { dueToday: ['r1'] }],
    ['due today with a time', [ada, reminder('r1', { due: `${TODAY}T09:30`, contact: 'ada' })], {}, { dueToday: ['r1'] }],
    ['last day of the window', [ada, reminder('r1', { due: '2026-11-30', contact: 'ada' })], {}, { upcoming: ['r1'] }],
    ['outside the window', [ada, reminder('r1', { due: '2026-12-01', contact: 'ada' })], {}, {}],
    ['a window of 0 days shows only today', [ada, reminder('r1', { due: '2026-11-24' }), reminder('r2', { due: TODAY })], { within: 0 }, { dueToday: ['r2'] }],
    ['a wider window', [ada, reminder('r1', { due: '2026-12-20', contact: 'ada' })], { within: 30 }, { upcoming: ['r1'] }],
    ['done excluded', [ada, reminder('r1', { due: '2026-11-20', status: 'done', done: '2026-11-21' })], {}, {}],
    ['cancelled excluded', [ada, reminder('r1', { due: '2026-11-20', status: 'cancelled' })], {}, {}],
    ['status OPEN counts as open', [ada, reminder('r1', { due: '2026-11-20', status: 'OPEN' })], {}, { overdue: ['r1'] }],
    ['no due date is skipped', [ada, reminder('r1', { contact: 'ada' }), reminder('r2', { due: 'soon' })], {}, {}],
    ['reminder about a contact that does not exist still shows', [reminder('r1', { due: '2026-11-20', contact: 'ghost' })], {}, { overdue: ['r1'] }],
  ];
  it.each(cases)('%s', (_name, records, opts, expected) => {
    expect(idsBySection(digestOf(records, opts))).toEqual(expected);
  });

  it('fills the item: date, days late, text, contact details, repeat', () => {
    const d = digestOf([
      contact('ada', { emails: ['Ada@Example.com', 'ada@home.org'], phones: ['+44 20 7946 0000'], channel: 'email', owner: 'sam' }),
      reminder('r1', { due: '2026-11-20', contact: '[[ada]]', text: 'Send proposal', repeat: '1m' }),
    ]);
    expect(d.overdue[0]).toEqual({
      kind: 'reminder',
      id: 'r1',
      path: 'reminders/r1.md',
      date: '2026-11-20',
      daysLate: 3,
      text: 'Send proposal',
      owner: 'sam',
      contact: { id: 'ada', name: 'Ada', channel: 'email', email: 'ada@example.com', phone: '+44 20 7946 0000' },
      repeat: '1m',
    });
  });

  it('upcoming items have negative days late', () => {
    expect(digestOf([reminder('r1', { due: '2026-11-25' })]).upcoming[0].daysLate).toBe(-2);
  });

  it('a deal reminder borrows the deal contact so it can be acted on', () => {
    const d = digestOf([
      contact('bob', { emails: ['bob@acme.test'] }),
      deal('acme-renewal', { contacts: ['bob'], value: 12000, stage: 'proposal', owner: 'kim' }),
      reminder('r1', { due: TODAY, deal: 'acme-renewal' }),
    ]);
    expect(d.dueToday[0]).toMatchObject({
      owner: 'kim',
      contact: { id: 'bob', email: 'bob@acme.test' },
      deal: { id: 'acme-renewal', title: 'Acme Renewal', value: 12000, currency: 'EUR' },
    });
  });

  it('sorts most late first, then by date, then by name', () => {
    const d = digestOf([
      contact('zoe'),
      contact('amy'),
      reminder('r-zoe', { due: '2026-11-20', contact: 'zoe' }),
      reminder('r-amy', { due: '2026-11-20', contact: 'amy' }),
      reminder('r-old', { due: '2026-10-01', contact: 'zoe' }),
      reminder('r-soon', { due: '2026-11-26', contact: 'amy' }),
      reminder('r-sooner', { due: '2026-11-24', contact: 'zoe' }),
    ]);
    expect(idsBySection(d)).toEqual({ overdue: ['r-old', 'r-amy', 'r-zoe'], upcoming: ['r-sooner', 'r-soon'] });
  });

  it.each([-1, 1.5, Number.NaN])('rejects a window of %s days', (within) => {
    expect(() => digestOf([], { within })).toThrow(UsageError);
  });
});

describe('computeDigest: keep in touch', () => {
  const cases: Array<[string, CrmRecord[], Config | undefined, Sections]> = [
    ['cadence on the contact', [contact('ada', { cadence: '30d' }), interaction('i1', '2026-10-01', ['ada'])], undefined, { keepInTouch: ['ada'] }],
    ['cadence from a tag', [contact('ada', { tags: ['vip'] }), interaction('i1', '2026-10-01', ['ada'])], undefined, { keepInTouch: ['ada'] }],
    ['cadence from the stage', [contact('ada', { stage: 'customer' }), interaction('i1', '2026-08-01', ['ada'])], undefined, { keepInTouch: ['ada'] }],
    ['stage cadence not yet run out', [contact('ada', { stage: 'customer' }), interaction('i1', '2026-10-01', ['ada'])], undefined, {}],
    ['default cadence', [contact('ada'), interaction('i1', '2026-10-01', ['ada'])], config({ default: '30d' }), { keepInTouch: ['ada'] }],
    ['no cadence at all', [contact('ada', { stage: 'lead' }), interaction('i1', '2020-01-01', ['ada'])], undefined, {}],
    ['cadence runs out today: not yet due', [contact('ada', { cadence: '30d' }), interaction('i1', '2026-10-24', ['ada'])], undefined, {}],
    ['cadence ran out yesterday: due', [contact('ada', { cadence: '30d' }), interaction('i1', '2026-10-23', ['ada'])], undefined, { keepInTouch: ['ada'] }],
    ['a new interaction restarts the clock', [contact('ada', { cadence: '30d' }), interaction('i1', '2026-01-01', ['ada']), interaction('i2', '2026-11-10', ['ada'])], undefined, {}],
    ['an interaction dated in the future does not count', [contact('ada', { cadence: '30d' }), interaction('i1', '2026-01-01', ['ada']), interaction('i2', '2026-12-01', ['ada'])], undefined, { keepInTouch: ['ada'] }],
    ['never contacted counts from created', [contact('ada', { cadence: '30d', created: '2026-09-01' })], undefined, { keepInTouch: ['ada'] }],
    ['never contacted, recently created', [contact('ada', { cadence: '30d', created: '2026-11-01' })], undefined, {}],
    ['never contacted and no created date is skipped', [contact('ada', { cadence: '30d' })], undefined, {}],
    ['churned excluded', [contact('ada', { stage: 'churned', tags: ['vip'] }), interaction('i1', '2026-01-01', ['ada'])], config({ default: '30d' }), {}],
    ['cadence: none opts out', [contact('ada', { cadence: 'none', tags: ['vip'] }), interaction('i1', '2026-01-01', ['ada'])], undefined, {}],
    [
      'an open reminder due by the end of the window replaces the keep-in-touch line',
      [contact('ada', { cadence: '30d' }), interaction('i1', '2026-01-01', ['ada']), reminder('r1', { due: '2026-11-30', contact: 'ada' })],
      undefined,
      { upcoming: ['r1'] },
    ],
    [
      'an overdue reminder also replaces it',
      [contact('ada', { cadence: '30d' }), interaction('i1', '2026-01-01', ['ada']), reminder('r1', { due: '2026-11-01', contact: 'ada' })],
      undefined,
      { overdue: ['r1'] },
    ],
    [
      'a reminder beyond the window does not',
      [contact('ada', { cadence: '30d' }), interaction('i1', '2026-01-01', ['ada']), reminder('r1', { due: '2027-01-01', contact: 'ada' })],
      undefined,
      { keepInTouch: ['ada'] },
    ],
    [
      'a done reminder does not',
      [contact('ada', { cadence: '30d' }), interaction('i1', '2026-01-01', ['ada']), reminder('r1', { due: '2026-11-25', contact: 'ada', status: 'done' })],
      undefined,
      { keepInTouch: ['ada'] },
    ],
  ];
  it.each(cases)('%s', (_name, records, cfg, expected) => {
    expect(idsBySection(digestOf(records, {}, cfg))).toEqual(expected);
  });

  it('dates the item on the day the cadence ran out and says where the cadence came from', () => {
    const d = digestOf([contact('ada', { stage: 'customer', channel: 'call', phones: ['555-0100'] }), interaction('i1', '2026-08-18', ['ada'])]);
    expect(d.keepInTouch[0]).toMatchObject({
      kind: 'keep-in-touch',
      path: 'contacts/ada.md',
      date: '2026-11-16',
      daysLate: 7,
      contact: { id: 'ada', name: 'Ada', channel: 'call', phone: '555-0100' },
      cadence: { interval: '90d', source: 'stage', rule: 'customer', lastContact: '2026-08-18' },
    });
  });

  it('a never-contacted item has no last contact', () => {
    const d = digestOf([contact('ada', { cadence: '30d', created: '2026-09-01' })]);
    expect(d.keepInTouch[0]).toMatchObject({ date: '2026-10-01', daysLate: 53 });
    expect(d.keepInTouch[0].cadence).toEqual({ interval: '30d', source: 'contact' });
  });
});

describe('computeDigest: deals past expected close', () => {
  const cases: Array<[string, FrontMatter, string[]]> = [
    ['open deal past close', { stage: 'proposal', expected_close: '2026-11-01' }, ['d1']],
    ['closes today: not yet', { stage: 'proposal', expected_close: TODAY }, []],
    ['closes later', { stage: 'proposal', expected_close: '2026-12-31' }, []],
    ['won', { stage: 'won', expected_close: '2026-11-01' }, []],
    ['lost', { stage: 'lost', expected_close: '2026-11-01' }, []],
    ['no expected close', { stage: 'proposal' }, []],
  ];
  it.each(cases)('%s', (_name, data, expected) => {
    expect(digestOf([deal('d1', data)]).dealsPastClose.map((i) => i.id)).toEqual(expected);
  });

  it('carries the deal, its first contact and its owner', () => {
    const d = digestOf([
      contact('bob', { emails: ['bob@acme.test'] }),
      deal('acme-renewal', { stage: 'negotiation', expected_close: '2026-11-03', value: 5000, currency: 'usd', contacts: ['bob'], owner: 'kim' }),
    ]);
    expect(d.dealsPastClose[0]).toMatchObject({
      kind: 'deal-close',
      date: '2026-11-03',
      daysLate: 20,
      owner: 'kim',
      deal: { id: 'acme-renewal', title: 'Acme Renewal', value: 5000, currency: 'USD' },
      contact: { id: 'bob', email: 'bob@acme.test' },
    });
  });
});

describe('computeDigest: filters', () => {
  const records = [
    contact('ada', { owner: 'sam', cadence: '30d', tags: ['vip'] }),
    contact('bob', { owner: 'kim', cadence: '30d' }),
    contact('cy', { owner: 'sam', cadence: '30d' }),
    interaction('i1', '2026-01-01', ['ada', 'bob', 'cy']),
    reminder('r-own', { due: '2026-11-20', contact: 'bob', owner: 'sam' }),
    reminder('r-inherit', { due: '2026-11-21', contact: 'ada' }),
    reminder('r-kim', { due: '2026-11-22', contact: 'ada', owner: 'kim' }),
    reminder('r-nobody', { due: '2026-11-22' }),
    deal('d-sam', { stage: 'lead', expected_close: '2026-11-01', owner: 'sam' }),
    deal('d-bob', { stage: 'lead', expected_close: '2026-11-01', contacts: ['bob'] }),
  ];
  const cases: Array<[string, Partial<DigestOptions>, Sections]> = [
    ['everyone', {}, { overdue: ['r-own', 'r-inherit', 'r-kim', 'r-nobody'], keepInTouch: ['cy'], dealsPastClose: ['d-bob', 'd-sam'] }],
    ['owner sam: own, inherited from the contact, deal owner, and what nobody owns', { owner: 'sam' }, { overdue: ['r-own', 'r-inherit', 'r-nobody'], keepInTouch: ['cy'], dealsPastClose: ['d-sam'] }],
    ['owner sam, strict: without what nobody owns', { owner: 'sam', strictOwner: true }, { overdue: ['r-own', 'r-inherit'], keepInTouch: ['cy'], dealsPastClose: ['d-sam'] }],
    ['owner kim: the reminder owner wins over the contact owner; deal owner from its contact', { owner: 'kim' }, { overdue: ['r-kim', 'r-nobody'], dealsPastClose: ['d-bob'] }],
    ['an owner nobody has: only what nobody owns', { owner: 'pat' }, { overdue: ['r-nobody'] }],
    ['an owner nobody has, strict', { owner: 'pat', strictOwner: true }, {}],
    ['contact filter', { contactFilter: (c) => c.data.tags !== undefined }, { overdue: ['r-inherit', 'r-kim'] }],
    ['contact filter reaches deals through their contacts', { contactFilter: (c) => c.id === 'bob' }, { overdue: ['r-own'], dealsPastClose: ['d-bob'] }],
  ];
  it.each(cases)('%s', (_name, opts, expected) => {
    expect(idsBySection(digestOf(records, opts))).toEqual(expected);
  });
});

describe('computeDigest: unowned items under an owner filter', () => {
  it('are marked unowned (and only they)', () => {
    const d = digestOf([reminder('r-nobody', { due: '2026-11-22' }), reminder('r-sam', { due: '2026-11-22', owner: 'sam' })], { owner: 'sam' });
    expect(d.overdue.map((i) => [i.id, i.unowned === true])).toEqual([['r-nobody', true], ['r-sam', false]]);
    expect(digestOf([reminder('r-nobody', { due: '2026-11-22' })]).overdue[0].unowned).toBeUndefined();
  });
});

describe('digestIsEmpty', () => {
  it('is true only when every section is empty', () => {
    expect(digestIsEmpty(digestOf([contact('ada')]))).toBe(true);
    expect(digestIsEmpty(digestOf([deal('d1', { stage: 'lead', expected_close: '2026-01-01' })]))).toBe(false);
  });
});

describe('new leads (assigned: written by tb assign)', () => {
  // Today is 2026-11-23; the window is 7 days back from today for leads already touched.
  const leads = [
    contact('untouched-old', { owner: 'sam', assigned: '2026-10-01' }),
    contact('touched-before', { owner: 'sam', assigned: '2026-10-01' }),
    contact('touched-after-recent', { owner: 'sam', assigned: '2026-11-20' }),
    contact('touched-after-old', { owner: 'sam', assigned: '2026-11-01' }),
    contact('touched-same-day', { owner: 'sam', assigned: '2026-11-10' }),
    contact('churned', { owner: 'sam', assigned: '2026-11-22', stage: 'churned' }),
    contact('future', { owner: 'sam', assigned: '2026-11-30' }),
    contact('no-owner', { assigned: '2026-11-22' }),
    contact('kims', { owner: 'kim', assigned: '2026-11-22' }),
    interaction('i1', '2026-09-15', ['touched-before']),
    interaction('i2', '2026-11-21', ['touched-after-recent']),
    interaction('i3', '2026-11-05', ['touched-after-old']),
    interaction('i4', '2026-11-10', ['touched-same-day']),
  ];
  const digestFor = (opts: Partial<DigestOptions>) => {
    const ds = dataset(leads);
    return computeDigest(ds, buildDerived(ds, { today: TODAY }), { today: TODAY }, { within: 7, ...opts });
  };

  it.each([
    [{}, ['kims', 'touched-after-recent', 'touched-before', 'untouched-old']],
    [{ owner: 'sam' }, ['touched-after-recent', 'touched-before', 'untouched-old']],
    // A wider window also brings back leads touched since (assigned 2026-11-01, 22 days ago).
    [{ owner: 'sam', within: 30 }, ['touched-after-old', 'touched-after-recent', 'touched-same-day', 'touched-before', 'untouched-old']],
  ])('%j → %j', (opts, ids) => {
    const d = digestFor(opts);
    // No scores (scoring not configured): most recently assigned first, then id.
    expect(d.newLeads.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(digestIsEmpty(d)).toBe(false);
  });

  it('items carry the assigned date, the days since and the owner', () => {
    const item = digestFor({ owner: 'sam' }).newLeads.find((i) => i.id === 'untouched-old')!;
    expect(item).toMatchObject({ kind: 'new-lead', date: '2026-10-01', daysLate: 53, owner: 'sam', text: 'new lead Untouched Old' });
    expect(item).not.toHaveProperty('score');
  });

  it('sorts the most recently assigned first without scores', () => {
    expect(digestFor({ owner: 'sam' }).newLeads.map((i) => i.id)).toEqual(['touched-after-recent', 'touched-before', 'untouched-old']);
  });
});
