import { describe, expect, it } from 'vitest';
import { problemJson, problemLine, problemSummary, sortProblems } from '../../src/render/problems.js';
import type { Problem } from '../../src/core/types.js';

const p = (path: string, line: number, severity: Problem['severity'] = 'error', message = 'm'): Problem => ({ path, line, severity, message });

describe('tb check output', () => {
  it('sorts by path, then line (whole-file first), keeping order on ties', () => {
    const sorted = sortProblems([p('b.md', 3), p('a.md', 10), p('a.md', 2, 'error', 'first'), p('a.md', 0), p('a.md', 2, 'warning', 'second')]);
    expect(sorted.map((x) => `${x.path}:${x.line}:${x.message}`)).toEqual(['a.md:0:m', 'a.md:2:first', 'a.md:2:second', 'a.md:10:m', 'b.md:3:m']);
  });

  it.each([
    [p('contacts/ada.md', 4, 'error', 'bad'), 'contacts/ada.md:4: error: bad'],
    [p('contacts/ada.md', 0, 'warning', 'odd'), 'contacts/ada.md: warning: odd'],
  ])('prints %o as a compiler line', (problem, text) => expect(problemLine(problem)).toBe(text));

  it.each([
    [[], 1, 'no problems in 1 file'],
    [[p('a', 1)], 2, '1 error, 0 warnings in 2 files'],
    [[p('a', 1), p('a', 2), p('b', 0, 'warning')], 412, '2 errors, 1 warning in 412 files'],
  ])('summarises %j over %i files', (problems, files, text) => expect(problemSummary(problems as Problem[], files)).toBe(text));

  it('JSON has four keys in order and null for the whole file', () => {
    expect(problemJson({ ...p('a.md', 0), key: 'name' })).toEqual({ path: 'a.md', line: null, severity: 'error', message: 'm' });
    expect(Object.keys(problemJson(p('a.md', 3)))).toEqual(['path', 'line', 'severity', 'message']);
  });
});
