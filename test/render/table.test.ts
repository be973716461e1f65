import { describe, expect, it } from 'vitest';
import { renderCsvTable, renderTable } from '../../src/render/table.js';

describe('renderTable', () => {
  const headers = ['id', 'due', 'text', 'contact', 'deal'];
  const rows = [['2026-11-24-jose-munoz-call-back-x1y2', '2026-11-24', 'Call back about the revised proposal and the pilot scope', 'jose-munoz-garcia', 'nordfracht-route-optimisation']];

  it('shrinks long text to fit, never an id or a referenced id', () => {
    const text = renderTable(headers, rows, { width: 120 });
    for (const id of rows[0].filter((_, i) => headers[i] !== 'text')) expect(text).toContain(id);
    expect(text).toContain('…');
    expect(Math.max(...text.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(120);
  });

  it('CSV keeps a list in one cell, joined with "; "', () => {
    expect(renderCsvTable(['id', 'tags'], [['ada', ['vip', 'partner']]])).toBe('id,tags\r\nada,vip; partner\r\n');
  });
});

describe('one CSV writer for --format csv and tb export csv', () => {
  it('quotes and defuses a cell the same way in both', async () => {
    const { toCsv } = await import('../../src/interop/csv.js');
    const cells = ['=SUM(A1)', ' padded ', 'a,b', 'say "hi"', 'two\nlines', '-5', ''];
    const table = renderCsvTable(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'], [cells]);
    const exported = toCsv([Object.fromEntries(cells.map((c, i) => [`c${i}`, c]))], ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(table).toBe(exported);
    expect(table.split('\r\n')[1]).toBe(`'=SUM(A1)," padded ","a,b","say ""hi""","two\nlines",-5,`);
  });
});
