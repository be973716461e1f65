import { describe, expect, it } from 'vitest';
import { groupThreads, threadKey } from '../../src/core/threads.js';
import type { CrmRecord, FrontMatter } from '../../src/core/types.js';

const i = (id: string, data: FrontMatter): CrmRecord => ({ type: 'interaction', id, path: `interactions/2026/11/${id}.md`, data });

describe('groupThreads', () => {
  const root = i('root', { date: '2026-11-10', message_id: 'r@x' });
  const call = i('call', { date: '2026-11-15', channel: 'call' });
  const reply1 = i('reply1', { date: '2026-11-12', message_id: 'a@x', thread: 'r@x' });
  const reply2 = i('reply2', { date: '2026-11-18', message_id: 'b@x', thread: 'r@x' });
  const other = i('other', { date: '2026-11-16', message_id: 'o@x' });

  it('pulls a thread together at its newest message, newest first inside', () => {
    const got = groupThreads([reply2, other, call, reply1, root]);
    expect(got.map((e) => `${e.rec.id}:${e.depth}`)).toEqual(['reply2:0', 'reply1:1', 'root:1', 'other:0', 'call:0']);
  });

  it('leaves a timeline without threads as it is', () => {
    expect(groupThreads([other, call]).map((e) => e.rec.id)).toEqual(['other', 'call']);
    expect(groupThreads([])).toEqual([]);
  });

  it('keys a message by its thread, else its own id', () => {
    expect([reply1, root, call].map(threadKey)).toEqual(['r@x', 'r@x', undefined]);
  });
});
