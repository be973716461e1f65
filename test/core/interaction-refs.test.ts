import { describe, expect, it } from 'vitest';
import { fileRefs, refKeys, REF_SHARDS, resolvedWithoutPrefixes, shardOf, timelineKeys, type RefShard } from '../../src/core/interaction-refs.js';
import type { CrmRecord } from '../../src/core/types.js';

const rec = (type: CrmRecord['type'], id: string, data: CrmRecord['data'] = {}, dir = 'interactions'): CrmRecord => ({ type, id, path: `${dir}/${id}.md`, data });

describe('interactions by contact', () => {
  it('files an interaction under each contact it names (list, single, wiki link), its deal, case and id', () => {
    const i = rec('interaction', '2026-11-20-x', { contacts: ['ada', '[[bob]]'], contact: 'ada', deal: '[[big-deal]]', case: 'c-1' });
    expect(refKeys(i).sort()).toEqual(['c:ada', 'c:bob', 'd:big-deal', 'i:2026-11-20-x', 'k:c-1']);
  });

  it('spreads keys over the shards the same way every time, and keeps paths sorted and unique', () => {
    expect(shardOf('c:ada')).toBe(shardOf('c:ada'));
    expect(new Set(Array.from({ length: 2000 }, (_, n) => shardOf(`c:contact-${n}`))).size).toBe(REF_SHARDS);
    const shards = new Map<number, RefShard>();
    fileRefs(shards, [rec('interaction', 'b', { contacts: ['ada'] }), rec('interaction', 'a', { contacts: ['ada'] })]);
    fileRefs(shards, [rec('interaction', 'a', { contacts: ['ada'] })]);
    expect(shards.get(shardOf('c:ada'))!['c:ada']).toEqual(['interactions/a.md', 'interactions/b.md']);
  });

  it('a company timeline is its contacts\', a deal\'s its own key, an interaction has none', () => {
    const contacts = [rec('contact', 'ada', { company: '[[acme]]' }, 'contacts'), rec('contact', 'bob', { company: 'other' }, 'contacts')];
    expect(timelineKeys(rec('company', 'acme', {}, 'companies'), contacts)).toEqual(['c:ada']);
    expect(timelineKeys(rec('deal', 'big', {}, 'deals'), contacts)).toEqual(['d:big']);
    expect(timelineKeys(rec('interaction', 'x'), contacts)).toEqual([]);
  });

  it('a ref is decided without every interaction by an exact id or a name, never by an id prefix', () => {
    const ds = { contacts: [rec('contact', 'ada-lovelace', { name: 'Ada Lovelace' }, 'contacts')], interactions: [] };
    expect(resolvedWithoutPrefixes(ds, 'ada-lovelace')).toBe(true);
    expect(resolvedWithoutPrefixes(ds, 'Ada Lovelace')).toBe(true);
    expect(resolvedWithoutPrefixes(ds, 'ada')).toBe(true); // a prefix of a named record's id: the named step decides
    expect(resolvedWithoutPrefixes(ds, '2026-11')).toBe(false);
  });
});
