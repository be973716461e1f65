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
