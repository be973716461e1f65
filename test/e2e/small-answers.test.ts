/** The small answers of #29: each one wrong without a sign before. */
import { describe, expect, it } from 'vitest';
import { AS_OF, EXAMPLE, tb } from './helpers.js';

const ex = (args: string[]) => tb(['--dir', EXAMPLE, '--as-of', AS_OF, ...args]);

describe('small answers', () => {
  it('tb list campains suggests campaigns (every type word, plurals included)', async () => {
    const r = await ex(['list', 'campains']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hint: did you mean 'campaigns'/);
  });

  it("'last_contact>last month' says what to write instead", async () => {
    const r = await ex(['list', 'contacts', 'last_contact>last month']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean '-1m' (1m ago)?");
    expect(r.stderr).toContain('YYYY-MM-DD');
    const fixed = await ex(['list', 'contacts', 'last_contact>-1m', '--count']);
    expect(fixed.code).toBe(0);
  });
});
