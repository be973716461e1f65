import { describe, expect, test } from 'vitest';
import { cardFileName, mergeFields } from '../../src/core/vdir-sync.js';
import type { CardFields } from '../../src/core/vdir-sync.js';

const fields = (f: Partial<CardFields>): CardFields => ({ emails: [], phones: [], links: [], tags: [], ...f });

describe('mergeFields', () => {
  test('the side that changed since the base wins, per field', () => {
    const base = { name: 'Ada', title: 'Analyst', company: 'Acme', emails: ['a@x.example'], phones: [], links: [], tags: [], birthday: null };
    const m = mergeFields(fields({ name: 'Ada', title: 'Director', company: 'Acme', emails: ['a@x.example'] }), fields({ name: 'Ada L', title: 'Analyst', company: 'Acme', emails: ['a@x.example'] }), base);
    expect(m.fields.title).toBe('Director');
    expect(m.fields.name).toBe('Ada L');
    expect(m.pull).toEqual(['title']);
    expect(m.push).toEqual(['name']);
    expect(m.conflicts).toEqual([]);
  });

  test('both changed differently: a conflict, the base kept; --prefer settles it', () => {
    const base = { title: 'Analyst' };
    const m = mergeFields(fields({ title: 'Director' }), fields({ title: 'CTO' }), base);
    expect(m.conflicts).toEqual(['title']);
    expect(m.base.title).toBe('Analyst');
    expect(m.pull).toEqual([]);
    expect(m.push).toEqual([]);
    expect(mergeFields(fields({ title: 'Director' }), fields({ title: 'CTO' }), base, 'vdir').fields.title).toBe('Director');
    expect(mergeFields(fields({ title: 'Director' }), fields({ title: 'CTO' }), base, 'tb').fields.title).toBe('CTO');
  });

  test('lists merge item by item: additions on both sides kept, a removal on either side dropped', () => {
    const base = { emails: ['a@x.example', 'b@x.example', 'c@x.example'] };
    const card = fields({ emails: ['A@x.example', 'b@x.example', 'c@x.example', 'card@x.example'] });
    const tb = fields({ emails: ['a@x.example', 'c@x.example', 'tb@x.example'] });
    const m = mergeFields(card, tb, base);
    expect(m.fields.emails).toEqual(['a@x.example', 'c@x.example', 'tb@x.example', 'card@x.example']);
    expect(m.pull).toContain('emails');
    expect(m.push).toContain('emails');
  });

  test('phones compare by the one phone rule; a company by name whatever its case', () => {
    const m = mergeFields(fields({ phones: ['+49 30 1234567'], company: 'ACME GmbH' }), fields({ phones: ['030 1234567'], company: 'Acme GmbH' }), undefined);
    expect(m.push).toEqual([]);
    expect(m.pull).toEqual([]);
  });

  test('a first pairing (no base): empty takes the other side, lists unite, two values conflict', () => {
    const m = mergeFields(fields({ title: 'CTO', name: 'Ada', tags: ['x'] }), fields({ birthday: '1815-12-10', name: 'Ada King', tags: ['vip'] }), undefined);
    expect(m.pull).toEqual(['title', 'tags']);
    expect(m.push).toEqual(['birthday', 'tags']);
    expect(m.conflicts).toEqual(['name']);
    expect('name' in m.base).toBe(false);
  });
});

test('cardFileName keeps a UID to safe characters inside the folder', () => {
  expect(cardFileName('0e40-ab')).toBe('0e40-ab.vcf');
  expect(cardFileName('../../etc/passwd')).toBe('etc_passwd.vcf');
  expect(cardFileName('...')).toBe('card.vcf');
  expect(cardFileName('a/b\\c:d')).toBe('a_b_c_d.vcf');
});
