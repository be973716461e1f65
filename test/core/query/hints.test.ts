import { describe, expect, it } from 'vitest';
import { dateHint, lowercaseOperatorWarnings, unknownConfiguredValue } from '../../../src/core/query/hints.js';
import { normalizeConfig } from '../../../src/core/config.js';
import type { CrmRecord, Dataset } from '../../../src/core/types.js';

function dataset(records: CrmRecord[] = []): Dataset {
  const { config } = normalizeConfig({ owners: { sam: { name: 'Sam' } }, lifecycle: ['lead', 'customer'], channels: ['email', 'call'] });
  const of = (t: string) => records.filter((r) => r.type === t);
  return { root: '/x', config, contacts: of('contact'), companies: [], deals: of('deal'), interactions: of('interaction'), reminders: of('reminder'), problems: [] };
}

describe('unknownConfiguredValue', () => {
  const ds = dataset([
    { type: 'deal', id: 'd', path: 'deals/d.md', data: { title: 'D', stage: 'pilot' } },
    { type: 'contact', id: 'c', path: 'contacts/c.md', data: { name: 'C', owner: 'ria' } },
  ]);
  const cases: Array<[string, 'contact' | 'deal' | 'interaction' | 'reminder', string, string, RegExp | undefined]> = [
    ['configured pipeline stage', 'deal', 'stage', 'proposal', undefined],
    ['case-insensitive', 'deal', 'stage', 'Proposal', undefined],
    ['typo of a pipeline stage', 'deal', 'stage', 'propsal', /did you mean 'proposal'/],
    ['a stage only a record has', 'deal', 'stage', 'pilot', undefined],
    ['lifecycle typo', 'contact', 'stage', 'custmer', /lifecycle stage 'custmer'.*/],
    ['channel typo', 'interaction', 'channel', 'emial', /did you mean 'email'/],
    ['owner me', 'contact', 'owner', 'me', undefined],
    ['owner on a record only', 'contact', 'owner', 'ria', undefined],
    ['unknown owner', 'contact', 'owner', 'bob', /known: sam, ria/],
    ['reminder status typo', 'reminder', 'status', 'opne', /did you mean 'open'/],
    ['wildcards are left alone', 'deal', 'stage', 'prop*', undefined],
    ['other fields are free', 'contact', 'title', 'anything', undefined],
  ];
  it.each(cases)('%s', (_, type, field, value, expected) => {
    const r = unknownConfiguredValue(type, field, value, ds);
    if (!expected) expect(r).toBeUndefined();
    else expect(`${r?.message} ${r?.hint}`).toMatch(expected);
  });
});

describe('dateHint', () => {
  const cases: Array<[string, string | undefined]> = [
    ['90d', "did you mean '-90d' (90d ago) or '+90d' (in 90d)? relative dates in queries need a sign"],
    ['2W', "did you mean '-2w' (2w ago) or '+2w' (in 2w)? relative dates in queries need a sign"],
    ['23/11/2026', "dates in queries are YYYY-MM-DD: did you mean '2026-11-23'?"],
    ['11/23/2026', "dates in queries are YYYY-MM-DD: did you mean '2026-11-23'?"],
    ['05.06.2026', "dates in queries are YYYY-MM-DD: did you mean '2026-05-06' or '2026-06-05'?"],
    ['vip', undefined],
  ];
  it.each(cases)('%s', (text, hint) => expect(dateHint(text)).toBe(hint));
});

describe('lowercaseOperatorWarnings', () => {
  const cases: Array<[string, number]> = [
    ['tag:vip or stage:lead', 1],
    ['tag:vip and not stage:lead', 2],
    ['tag:vip OR stage:lead', 0],
    ['"or" tag:vip', 0],
    ['name:or', 0],
    ['oregon', 0],
  ];
  it.each(cases)('%s', (q, n) => expect(lowercaseOperatorWarnings(q)).toHaveLength(n));
  it('names the uppercase form', () => {
    expect(lowercaseOperatorWarnings('tag:vip or stage:lead')[0]).toContain('the operator is OR in capitals');
  });
});
