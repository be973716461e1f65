import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeRef } from '../../src/core/fields.js';

/** The definition, without the fast path for plain ids. */
function reference(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = String(value).trim();
  const m = /^\[\[([^\]|#]+)(?:[|#][^\]]*)?\]\]$/.exec(s);
  return (m ? m[1] : s).trim() || undefined;
}

describe('normalizeRef', () => {
  it('reads ids and [[links]]', () => {
    expect(normalizeRef('ada')).toBe('ada');
    expect(normalizeRef(' ada ')).toBe('ada');
    expect(normalizeRef('[[ada|Ada L.]]')).toBe('ada');
    expect(normalizeRef('\u00a0ada')).toBe('ada');
    expect(normalizeRef('')).toBeUndefined();
    expect(normalizeRef(42)).toBe('42');
  });

  it('equals its definition for any value (property)', () => {
    const piece = fc.constantFrom('a', 'ada', '[', ']', '[[', ']]', '|', '#', ' ', '\u00a0', '\t', 'é', '-', '1');
    const text = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(fc.property(fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)), (v) => {
      expect(normalizeRef(v)).toBe(reference(v));
    }), { numRuns: 2000 });
  });
});
