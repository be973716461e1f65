import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { parseJsonExport, toJsonExport, type JsonExportRecord } from '../../src/interop/json.js';

const records: JsonExportRecord[] = [
  {
    type: 'contact',
    id: 'jose-muller',
    data: { name: 'José Müller', emails: ['jose@acme.de'], company: 'acme', tags: ['vip'], nps: 9 },
    body: 'Met at PyCon.\n',
    derived: { last_contact: '2026-11-20', interactions: 3 },
  },
  { type: 'company', id: 'acme', data: { name: 'Acme', type: 'partner', derived: 'mine' } },
];

describe('toJsonExport', () => {
  const out = toJsonExport(records);

  it('writes pretty JSON with a trailing newline', () => {
    expect(out.endsWith('}\n]\n')).toBe(true);
    expect(out).toContain('\n  {\n    "id": "jose-muller",\n');
  });

  it('orders keys: id, type, front matter in file order, derived, body', () => {
    const parsed = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(Object.keys(parsed[0])).toEqual(['id', 'type', 'name', 'emails', 'company', 'tags', 'nps', 'derived', 'body']);
  });

  it('moves front matter keys that collide with reserved names under front_matter', () => {
    const parsed = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(parsed[1]).toEqual({ id: 'acme', type: 'company', name: 'Acme', front_matter: { type: 'partner', derived: 'mine' } });
  });

  it('round-trips through parseJsonExport, dropping derived', () => {
    const { items, issues } = parseJsonExport(out);
    expect(issues).toEqual([]);
    expect(items.map(({ line: _line, ...rest }) => rest)).toEqual([
      { type: 'contact', id: 'jose-muller', data: records[0].data, body: 'Met at PyCon.\n' },
      { type: 'company', id: 'acme', data: { name: 'Acme', type: 'partner', derived: 'mine' } },
    ]);
    expect(items.every((i) => typeof i.line === 'number' && i.line > 1)).toBe(true);
  });
});

describe('parseJsonExport', () => {
  it('reports bad elements on the line they start and keeps the rest', () => {
    const text = [
      '[',
      '  { "id": "ada", "type": "contact", "name": "Ada" },',
      '  { "id": "../etc", "type": "contact" },',
      '  {',
      '    "id": "x", "type": "widget"',
      '  },',
      '  "just a string",',
      '  { "id": "ada", "type": "contact", "name": "Ada again" },',
      '  { "id": "ada", "type": "company", "name": "Ada Inc", "body": 42 },',
      '  { "id": "grace", "type": "contact", "note": "has } and \\" in it" }',
      ']',
    ].join('\n');
    const { items, issues } = parseJsonExport(text);
    expect(items.map((r) => `${r.type}/${r.id}`)).toEqual(['contact/ada', 'contact/grace']);
    expect(issues).toEqual([
      { line: 3, message: 'invalid id "../etc"; skipped' },
      { line: 4, message: 'unknown record type "widget" (expected contact, company, deal, interaction, reminder, case, campaign); skipped' },
      { line: 7, message: 'element is not an object; skipped' },
      { line: 8, message: "contact 'ada' appears twice; the later one is skipped" },
      { line: 9, message: "body of company 'ada' is not a string; skipped" },
    ]);
  });

  it.each([
    ['not JSON', '[{"id": "a",\n  oops}]', 2],
    ['not an array', '{"id": "a"}', 1],
  ])('throws a DataError with a line for %s', (_label, text, line) => {
    try {
      parseJsonExport(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DataError);
      expect((err as DataError).line).toBe(line);
    }
  });

  it('accepts an empty export and a BOM', () => {
    expect(parseJsonExport('\uFEFF[]\n')).toEqual({ items: [], issues: [] });
  });
});
