import { describe, expect, it } from 'vitest';
import { findDuplicates, mergeFields, planMerge, rewriteRef, scorePair } from '../../src/core/dedupe.js';
import type { CrmRecord, FrontMatter, RecordType } from '../../src/core/types.js';
import { FOLDER_OF } from '../../src/core/types.js';

const rec = (type: RecordType, id: string, data: FrontMatter, body?: string): CrmRecord => ({ type, id, path: `${FOLDER_OF[type]}/${id}.md`, data, body });
const person = (id: string, data: FrontMatter) => rec('contact', id, data);

describe('scorePair', () => {
  it.each([
    ['same email', { name: 'A B', emails: ['x@y.z'] }, { name: 'C D', emails: ['X@y.z'] }, 100, ['same email x@y.z']],
    ['same phone digits', { name: 'A B', phones: ['+49 30 2198 4410'] }, { name: 'C D', phones: ['030 21984410'] }, 90, ['same phone number']],
    ['folded accents', { name: 'José Müller' }, { name: 'jose muller' }, 85, ['same name ignoring case and accents']],
    ['token set', { name: 'Müller José' }, { name: 'José Müller' }, 80, ['same name, words in another order']],
    ['one edit', { name: 'Jon Smith' }, { name: 'John Smith' }, 70, ['names one letter apart']],
    ['two edits, long names', { name: 'Catherine Smith' }, { name: 'Katharine Smith' }, 60, ['names two letters apart']],
    ['unrelated', { name: 'Ada Lovelace' }, { name: 'Grace Hopper' }, 0, []],
    ['signals add up', { name: 'José Müller', emails: ['j@x.org'] }, { name: 'Jose Muller', emails: ['j@x.org'] }, 100, ['same email j@x.org', 'same name ignoring case and accents']],
    ['email + phone', { name: 'A', emails: ['j@x.org'], phones: ['5550100123'] }, { name: 'B', emails: ['j@x.org'], phones: ['555 010 0123'] }, 100, ['same email j@x.org', 'same phone number']],
    ['short names are not fuzzy-matched', { name: 'Ann' }, { name: 'Ana' }, 0, []],
  ])('%s', (_label, a, b, score, reasons) => {
    expect(scorePair(person('a', a), person('b', b))).toEqual({ score, reasons });
  });

  it('companies: same domain', () => {
    expect(scorePair(rec('company', 'a', { name: 'Acme', domain: 'acme.com' }), rec('company', 'b', { name: 'ACME Inc', domain: 'https://www.acme.com/' })).score).toBe(90);
  });
});

describe('findDuplicates', () => {
  it('finds pairs through blocking keys, best first, a before b by id', () => {
    const list = [
      person('zoe', { name: 'Zoë Ångström', emails: ['zoe@a.se'] }),
      person('ada', { name: 'Ada Lovelace' }),
      person('zoe-2', { name: 'Zoe Angstrom' }),
      person('lovelace-ada', { name: 'Lovelace Ada', emails: ['ZOE@a.se'] }),
    ];
    const pairs = findDuplicates(list).map((p) => [p.a.id, p.b.id, p.score]);
    expect(pairs).toEqual([['lovelace-ada', 'zoe', 100], ['zoe', 'zoe-2', 85], ['ada', 'lovelace-ada', 80]]);
  });

  it('respects the minimum score', () => {
    expect(findDuplicates([person('a', { name: 'Jon Smith' }), person('b', { name: 'John Smith' })], 75)).toEqual([]);
  });
});

describe('merge', () => {
  it("keeps keep's values, fills empty ones, unions lists", () => {
    const { fields, edits } = mergeFields(
      { name: 'José Müller', emails: ['j@x.org'], title: 'CFO', tags: ['vip'] },
      { name: 'Jose Muller', emails: ['J@x.org', 'j2@x.org'], title: 'Finance', tags: ['golf', 'VIP'], birthday: '--04-17' },
    );
    expect(edits).toEqual([
      { key: 'emails', value: ['j@x.org', 'j2@x.org'] },
      { key: 'tags', value: ['vip', 'golf'] },
      { key: 'birthday', value: '--04-17' },
    ]);
    expect(fields.map((f) => `${f.kind}:${f.key}`)).toEqual(['kept:name', 'extended:emails', 'kept:title', 'extended:tags', 'added:birthday']);
  });

  it('rewrites references in lists and scalars, dropping duplicates, accepting [[links]]', () => {
    expect(rewriteRef(['a', '[[b]]', 'c'], 'b', 'a')).toEqual(['a', 'c']);
    expect(rewriteRef(['[[b]]', 'c'], 'b', 'a')).toEqual(['a', 'c']);
    expect(rewriteRef('[[b]]', 'b', 'a')).toBe('a');
    expect(rewriteRef('c', 'b', 'a')).toBe('c');
  });

  it('plans a contact merge: every interaction, deal and reminder naming drop, by path', () => {
    const keep = person('jose', { name: 'José' });
    const drop = rec('contact', 'jose-2', { name: 'Jose' }, '\nMet at a meetup.\n');
    const referrers = [
      rec('interaction', 'i1', { contacts: ['jose-2', 'ada'] }),
      rec('interaction', 'i2', { contacts: ['ada'] }),
      rec('deal', 'd1', { contacts: ['jose', 'jose-2'] }),
      rec('reminder', 'r1', { contact: '[[jose-2]]' }),
    ];
    const plan = planMerge(keep, drop, referrers);
    expect(plan.references.map((r) => [r.record.id, r.key, r.after])).toEqual([
      ['d1', 'contacts', ['jose']],
      ['i1', 'contacts', ['jose', 'ada']],
      ['r1', 'contact', 'jose'],
    ]);
    expect(plan.bodyAppend).toBe('\n## Merged from Jose (jose-2)\n\nMet at a meetup.\n');
  });

  it("plans a company merge: contacts' and deals' company", () => {
    const plan = planMerge(rec('company', 'acme', { name: 'Acme' }), rec('company', 'acme-gmbh', { name: 'Acme GmbH' }), [
      person('ada', { company: 'acme-gmbh' }), rec('deal', 'd', { company: 'acme-gmbh' }), person('bob', { company: 'other' }),
    ]);
    expect(plan.references.map((r) => [r.record.id, r.after])).toEqual([['ada', 'acme'], ['d', 'acme']]);
    expect(plan.bodyAppend).toBe('');
  });
});

describe('households', () => {
  const c = (id: string, data: Record<string, unknown>) => ({ type: 'contact' as const, id, path: `contacts/${id}.md`, data });
  it('a couple sharing a landline is a household, apart from a real duplicate', async () => {
    const { findDuplicates } = await import('../../src/core/dedupe.js');
    const records = [
      c('greta-brandt', { name: 'Greta Brandt', phones: ['+49 30 1234567'] }),
      c('hans-brandt', { name: 'Hans Brandt', phones: ['030 1234567'] }),
      c('ada-lovelace', { name: 'Ada Lovelace' }),
      c('ada-lovelace-2', { name: 'ada lovelace' }),
      c('jon-weber', { name: 'Jon Weber', addresses: [{ street: 'Hauptstr. 1', postcode: '10115', city: 'Berlin' }] }),
      c('john-weber', { name: 'John Weber', addresses: [{ street: 'Hauptstr. 1', postcode: '10115' }] }),
      c('mia-stone', { name: 'Mia Stone', addresses: [{ street: 'Elm Road 5', city: 'Leeds' }] }),
      c('tom-stone', { name: 'Tom Stone', addresses: [{ street: 'elm road 5', city: 'Leeds' }] }),
    ];
    const pairs = findDuplicates(records);
    const of = (a: string, b: string) => pairs.find((p) => p.a.id === a && p.b.id === b);
    expect(of('greta-brandt', 'hans-brandt')?.household).toBe(true);
    expect(of('mia-stone', 'tom-stone')?.household).toBe(true);
    expect(of('mia-stone', 'tom-stone')?.reasons).toContain('same postal address');
    expect(of('ada-lovelace', 'ada-lovelace-2')?.household).toBeUndefined();
    expect(of('john-weber', 'jon-weber')?.household).toBeUndefined();
  });
});

describe('planMerge follows every reference the schema declares', () => {
  it('rewrites a key stored under an alias (`contact:` for `contacts:`) and a case, skipping other keys', () => {
    const keep = rec('contact', 'ada', { name: 'Ada' });
    const drop = rec('contact', 'ada-2', { name: 'Ada' });
    const referrers = [
      rec('interaction', '2026-11-20-ada-2-call-aaaa', { date: '2026-11-20', contact: 'ada-2' }),
      rec('deal', 'big-deal', { title: 'Big', contact: ['ada-2'] }),
      rec('case', '2026-11-20-ada-2-help-bbbb', { subject: 'Help', contact: 'ada-2', company: 'ada-2' }),
    ];
    const plan = planMerge(keep, drop, referrers);
    expect(plan.references.map((r) => [r.record.id, r.key, r.after])).toEqual([
      ['2026-11-20-ada-2-help-bbbb', 'contact', 'ada'],
      ['big-deal', 'contact', ['ada']],
      ['2026-11-20-ada-2-call-aaaa', 'contact', 'ada'],
    ]);
  });
});
