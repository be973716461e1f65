import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeValue } from '../../src/render/safe-text.js';
import { defuseFormula, undoDefuse } from '../../src/core/csv-text.js';
import { renderTable } from '../../src/render/table.js';

describe('terminal-safe text', () => {
  it.each([
    ['plain', 'plain'],
    ['\u001b[2Jclear', '\\x1b[2Jclear'],
    ['nul\u0000', 'nul\\x00'],
    ['\u202egnp.exe', '\\u202egnp.exe'],
    ['c1\u009b', 'c1\\x9b'],
    ['keeps\ttab\nnewline', 'keeps\ttab\nnewline'],
  ])('%j → %j', (input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
  });

  it('nested values and tables are escaped too', () => {
    expect(terminalSafeValue({ a: ['\u0007'] })).toEqual({ a: ['\\x07'] });
    expect(renderTable(['name'], [['Evil\u001b]0;title\u0007']], { width: 80 })).not.toMatch(/[\u001b\u0007]/);
  });
});

describe('CSV formula cells', () => {
  it.each([
    ['=HYPERLINK("x")', "'=HYPERLINK(\"x\")"],
    ['+cmd|calc', "'+cmd|calc"],
    ['-2+3', "'-2+3"],
    ['@SUM(1)', "'@SUM(1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['-5', '-5'],
    ['+49', '+49'],
    ['+49 30 1234', "'+49 30 1234"],
    ['plain', 'plain'],
  ])('%j → %j, and back', (cell, out) => {
    expect(defuseFormula(cell)).toBe(out);
    expect(undoDefuse(defuseFormula(cell))).toBe(cell);
  });
});
