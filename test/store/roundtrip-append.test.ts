/** Round-trip edits: a list that only grows at the end keeps its existing entries byte-identical. */
import { describe, expect, it } from 'vitest';
import { editFrontMatter } from '../../src/store/roundtrip.js';
import { itemLine } from '../../src/store/load.js';

const h = (date: string, stage: string) => ({ date, stage });

describe('editFrontMatter: appending to a block list', () => {
  it('appends flow maps after the last flow-map entry, keeping comments on and after it', () => {
    const text = '---\nhistory:\n  - { date: 2026-01-02, stage: lead }  # fair\n  - {date: 2026-01-05, stage: proposal}\n  # a note\n# top\nowner: sam\n---\nBody\n';
    const out = editFrontMatter(text, [{ key: 'history', value: [h('2026-01-02', 'lead'), h('2026-01-05', 'proposal'), h('2026-02-01', 'won')] }], 'deals/x.md');
    expect(out).toBe('---\nhistory:\n  - { date: 2026-01-02, stage: lead }  # fair\n  - {date: 2026-01-05, stage: proposal}\n  - {date: 2026-02-01, stage: won}\n  # a note\n# top\nowner: sam\n---\nBody\n');
  });

  it('pads a new flow map like the last entry', () => {
    const out = editFrontMatter('---\nhistory:\n  - { date: 2026-01-02, stage: lead }\n---\n', [{ key: 'history', value: [h('2026-01-02', 'lead'), h('2026-01-03', 'won')] }], 'x.md');
    expect(out).toBe('---\nhistory:\n  - { date: 2026-01-02, stage: lead }\n  - { date: 2026-01-03, stage: won }\n---\n');
  });

  it('appends block maps after a block-map entry, indented the same way', () => {
    const out = editFrontMatter('---\nhistory:\n- date: 2026-01-02\n  stage: lead\ntitle: X\n---\n', [{ key: 'history', value: [h('2026-01-02', 'lead'), h('2026-01-03', 'won')] }], 'x.md');
    expect(out).toBe('---\nhistory:\n- date: 2026-01-02\n  stage: lead\n- date: 2026-01-03\n  stage: won\ntitle: X\n---\n');
  });

  it('appends scalars to a block list, and as the last key without a trailing newline problem', () => {
    expect(editFrontMatter('---\nemails:\n  - a@x.org\n---\n', [{ key: 'emails', value: ['a@x.org', 'b@x.org'] }], 'x.md')).toBe('---\nemails:\n  - a@x.org\n  - b@x.org\n---\n');
  });

  it('rewrites the list when it is not a pure append (changed entry, removal, flow list)', () => {
    expect(editFrontMatter('---\ntags:\n  - a\n  - b\n---\n', [{ key: 'tags', value: ['a', 'c', 'd'] }], 'x.md')).toBe('---\ntags:\n  - a\n  - c\n  - d\n---\n');
    expect(editFrontMatter('---\ntags:\n  - a\n  - b\n---\n', [{ key: 'tags', value: ['a'] }], 'x.md')).toBe('---\ntags:\n  - a\n---\n');
    expect(editFrontMatter('---\ntags: [a, b]\n---\n', [{ key: 'tags', value: ['a', 'b', 'c'] }], 'x.md')).toBe('---\ntags: [a, b, c]\n---\n');
  });
});

describe('itemLine', () => {
  const text = 'currency: EUR\npipeline:   # stages\n  - { id: lead }\n\n  # comment\n  - id: won\n    closed: won\n  - { id: lost }\nlifecycle: [a]\n';
  it.each([
    [0, 3],
    [1, 6],
    [2, 8],
    [3, undefined],
  ])('entry %i of pipeline is on line %s', (item, line) => {
    expect(itemLine(text, 'pipeline', item)).toBe(line);
  });

  it('is undefined for a flow list or a missing key', () => {
    expect(itemLine('pipeline: [lead, won]\n', 'pipeline', 0)).toBeUndefined();
    expect(itemLine('currency: EUR\n', 'pipeline', 0)).toBeUndefined();
  });
});
