/**
 * A record removed by another tb between "it exists" and "read it" (tb rm --cascade racing tb log,
 * seen once on CI): the reader answers as if it had never been there, or says it was deleted
 * meanwhile — never a raw ENOENT. The removal is played at the exact moment, so no timing is involved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readRecordsById, readRecordText } from '../../src/store/load.js';
import { NotFoundError } from '../../src/errors.js';
import { loadRecordsDirect } from '../../src/store/record-files.js';
import { normalizeConfig } from '../../src/core/config.js';

function crmWithAda(): { root: string; abs: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-vanish-'));
  fs.mkdirSync(path.join(root, 'contacts'));
  const abs = path.join(root, 'contacts', 'ada.md');
  fs.writeFileSync(abs, '---\nname: Ada\n---\n');
  return { root, abs };
}

/** Deletes `abs` just before the next statSync / readFileSync of it. */
function removeOnNextTouch(abs: string): void {
  for (const fn of ['statSync', 'readFileSync'] as const) {
    const original = fs[fn] as (...args: unknown[]) => unknown;
    vi.spyOn(fs, fn).mockImplementation(((...args: unknown[]) => {
      if (args[0] === abs) fs.rmSync(abs, { force: true });
      return original(...args);
    }) as never);
  }
}

afterEach(() => vi.restoreAllMocks());

describe('a record that vanishes while being read', () => {
  it('readRecordsById answers undefined (the caller falls back to its full load and "no contact matches")', () => {
    const { root, abs } = crmWithAda();
    expect(readRecordsById(root, 'contact', ['ada'], 1e6)?.map((r) => r.id)).toEqual(['ada']);
    removeOnNextTouch(abs);
    expect(readRecordsById(root, 'contact', ['ada'], 1e6)).toBeUndefined();
  });

  it('readRecordText says the record was deleted meanwhile', () => {
    const { root, abs } = crmWithAda();
    removeOnNextTouch(abs);
    let caught: unknown;
    try {
      readRecordText(root, 'contacts/ada.md');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(NotFoundError);
    expect(String((caught as Error).message)).toMatch(/contacts\/ada\.md was deleted meanwhile/);
  });
});

describe('a record that vanishes during a full load', () => {
  it('loadRecordsDirect leaves it out without a problem (gone, not broken)', () => {
    const { root, abs } = crmWithAda();
    fs.writeFileSync(path.join(root, 'contacts', 'bob.md'), '---\nname: Bob\n---\n');
    removeOnNextTouch(abs);
    const problems: unknown[] = [];
    const records = loadRecordsDirect(root, 'contact', normalizeConfig({}), false, problems as never);
    expect(records.map((r) => r.id)).toEqual(['bob']);
    expect(problems).toEqual([]);
  });
});
