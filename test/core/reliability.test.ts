/** Pure pieces of issue #19 (docs/reliability.md): fixed next-occurrence names, control characters, dates in imports, conflict messages. */
import { describe, expect, it } from 'vitest';
import { stableSuffix } from '../../src/core/slug.js';
import { nextOccurrenceId, planDone } from '../../src/core/reminders.js';
import { hasControlChars, keysWithControlChars, withoutControlChars } from '../../src/core/control-chars.js';
import { firstDateProblem } from '../../src/core/validate.js';
import { conflictKind, conflictMessage } from '../../src/core/sync.js';
import type { CrmRecord } from '../../src/core/types.js';

const reminder = (id: string, data: CrmRecord['data']): CrmRecord => ({ type: 'reminder', id, path: `reminders/${id}.md`, data });

describe('next occurrence names', () => {
  it('are the same for the same reminder and due date, different otherwise', () => {
    expect(stableSuffix('a>2027-01-01')).toBe(stableSuffix('a>2027-01-01'));
    expect(stableSuffix('a>2027-01-01')).toMatch(/^[a-z0-9]{4}$/);
    const ids = new Set(['a>2027-01-01', 'b>2027-01-01', 'a>2027-02-01', 'a>2027-01-02'].map((s) => stableSuffix(s)));
    expect(ids.size).toBe(4);
  });

  it('planDone names the next occurrence from the series and its due date, in every clone alike', () => {
    const r = reminder('2026-12-01-jose-muller-report-ngqh', { due: '2026-12-01', text: 'Report', contact: 'jose-muller', status: 'open', repeat: '1m' });
    const a = planDone(r, '2026-12-02').next!;
    const b = planDone(r, '2026-12-05').next!;
    expect(a.id).toBe(b.id); // repeat from due: the completion day does not matter
    expect(a.id).toBe(nextOccurrenceId(r.id, '2027-01-01', 'jose-muller', 'Report'));
    expect(a.id).toMatch(/^2027-01-01-jose-muller-report-[a-z0-9]{4}$/);
  });
});

describe('control characters', () => {
  it.each([
    ['plain', false],
    ['tab\tand\nnewline', false],
    ['esc \u001b[2J', true],
    ['nul \u0000', true],
    ['bell \u0007', true],
    ['c1 \u009b', true],
    ['rlo \u202egnp.exe', true],
    ['isolate \u2066x\u2069', true],
    ['Zoë Ångström 李', false],
  ])('%j has control characters: %s', (text, expected) => {
    expect(hasControlChars(text)).toBe(expected);
  });

  it('are found in nested values and dropped from them', () => {
    const data = { name: 'Eve\u001b[2J', tags: ['ok', 'b\u0000ad'], meta: { note: 'fine' }, n: 3 };
    expect(keysWithControlChars(data)).toEqual(['name', 'tags']);
    expect(withoutControlChars(data)).toEqual({ name: 'Eve[2J', tags: ['ok', 'bad'], meta: { note: 'fine' }, n: 3 });
  });
});

describe('dates of imported records', () => {
  it.each([
    ['interaction', { date: '../../x' }, /'date' must be a date/],
    ['interaction', { date: '2026-11-20T10:00' }, undefined],
    ['reminder', { due: '0026-01-01' }, /year before 1000/],
    ['deal', { expected_close: '2026-02-30' }, /not a real date/],
    ['contact', { name: 'x' }, undefined],
  ] as const)('%s %j', (type, data, expected) => {
    const problem = firstDateProblem(type, data);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});

describe('sync conflict messages', () => {
  it.each([
    ['UU', 'content'],
    ['AA', 'content'],
    ['DU', 'deleted-upstream'],
    ['UD', 'deleted-here'],
  ] as const)('%s is a %s conflict', (code, kind) => {
    expect(conflictKind(code)).toBe(kind);
  });

  it('a modify/delete conflict is not told to remove markers', () => {
    const m = conflictMessage('origin/main', ['contacts/lena.md'], { 'contacts/lena.md': 'deleted-upstream' });
    expect(m).toContain('contacts/lena.md   (deleted in origin/main, changed by you)');
    expect(m).toContain('keep it (git add <file>) or delete it (git rm <file>)');
    expect(m).not.toContain('conflict markers,');
    const both = conflictMessage('origin/main', ['a.md', 'b.md'], { 'b.md': 'deleted-here' });
    expect(both).toContain('remove the conflict markers');
    expect(both).toContain('b.md   (deleted by you, changed in origin/main)');
  });
});
