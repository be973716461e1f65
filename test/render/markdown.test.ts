import { describe, expect, it } from 'vitest';
import { markdownToPlain, markdownToRoff, parseBlocks, plainInline, roffInline } from '../../src/render/markdown.js';

describe('parseBlocks', () => {
  it('reads headings, paragraphs, lists, code and tables', () => {
    const md = '# Title\n\nSome `code` and\nmore.\n\n- one\n  continued\n- two\n\n```sh\ntb due\n```\n\n| a | b |\n|---|---|\n| x \\| y | z |\n';
    expect(parseBlocks(md)).toEqual([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'paragraph', text: 'Some `code` and more.' },
      { kind: 'item', text: 'one continued', indent: 0 },
      { kind: 'item', text: 'two', indent: 0 },
      { kind: 'code', lines: ['tb due'] },
      { kind: 'table', rows: [['a', 'b'], ['x | y', 'z']] },
    ]);
  });
});

describe('inline text', () => {
  const cases: Array<[string, string, string]> = [
    ['`tb rm`', 'tb rm', '\\fBtb rm\\fR'],
    ['see [dates](dates.md)', 'see dates', 'see dates'],
    ['**bold** text', 'bold text', '\\fBbold\\fR text'],
    ['[site](https://example.com)', 'site (https://example.com)', 'site <https://example.com>'],
    ['a\\b -x', 'a\\b -x', 'a\\eb \\-x'],
  ];
  it.each(cases)('%s', (md, plain, roff) => {
    expect(plainInline(md)).toBe(plain);
    expect(roffInline(md)).toBe(roff);
  });
});

describe('markdownToPlain', () => {
  it('wraps paragraphs, indents code, aligns tables, underlines sections', () => {
    const text = markdownToPlain('# Dates\n\n## Forms\n\nword '.concat('word '.repeat(30), '\n\n```\n.x\n```\n\n| form | means |\n|---|---|\n| `today` | now |\n| `end of month` | last day |\n'), 40);
    const lines = text.split('\n');
    expect(lines[0]).toBe('DATES');
    expect(lines.slice(2, 4)).toEqual(['Forms', '-----']);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(text).toContain('\n    .x\n');
    expect(text).toContain('  today         now\n  end of month  last day\n');
  });
});

describe('markdownToRoff', () => {
  it('makes sections, protects lines starting with a dot, keeps code verbatim', () => {
    const roff = markdownToRoff('# Query language\n\n## Cookbook\n\n.hidden request\n\n```\ntb list -x\n```\n\n- item\n');
    expect(roff).toBe('.SH QUERY LANGUAGE\n.SS Cookbook\n.PP\n\\&.hidden request\n.PP\n.RS 4\n.nf\ntb list \\-x\n.fi\n.RE\n.IP \\(bu 2\nitem\n');
  });
});
