import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { editFrontMatter } from '../../src/store/roundtrip.js';
import { createFileExclusive, createRecord, serializeRecord, writeFileAtomic } from '../../src/store/write.js';
import { parseRecordText } from '../../src/store/frontmatter.js';
import { DataError } from '../../src/errors.js';

const FILE = [
  '---',
  'name: Ada Lovelace   # the first programmer',
  '# a comment line',
  'emails: [ada@example.com]',
  'tags:',
  '  - vip',
  '  - math',
  'custom_field: "keep me"',
  'empty:',
  'stage: lead',
  '---',
  '# Notes',
  '',
  'Body here.   ',
  '',
].join('\n');

describe('editFrontMatter', () => {
  it.each([
    ['a scalar', [{ key: 'stage', value: 'customer' }], FILE.replace('stage: lead', 'stage: customer')],
    ['a flow list keeps flow style', [{ key: 'emails', value: ['a@b.c', 'd@e.f'] }], FILE.replace('emails: [ada@example.com]', 'emails: [a@b.c, d@e.f]')],
    ['a block list keeps block style', [{ key: 'tags', value: ['vip'] }], FILE.replace('  - vip\n  - math\n', '  - vip\n')],
    ['an empty value', [{ key: 'empty', value: 'x' }], FILE.replace('empty:\n', 'empty: x\n')],
    ['a value with a trailing comment keeps the comment', [{ key: 'name', value: 'Ada King' }], FILE.replace('name: Ada Lovelace   #', 'name: Ada King   #')],
    ['removal', [{ key: 'tags', remove: true as const }], FILE.replace('tags:\n  - vip\n  - math\n', '')],
    ['a new key goes last', [{ key: 'owner', value: 'sam' }], FILE.replace('stage: lead\n', 'stage: lead\nowner: sam\n')],
  ])('%s', (_, edits, expected) => {
    expect(editFrontMatter(FILE, edits, 'x.md')).toBe(expected);
  });

  it('quotes values that need it and they read back the same', () => {
    const out = editFrontMatter(FILE, [{ key: 'name', value: 'Ada: "the" # one' }, { key: 'stage', value: '123' }], 'x.md');
    const data = parseRecordText(out, 'x.md').data;
    expect(data.name).toBe('Ada: "the" # one');
    expect(data.stage).toBe('123');
  });

  it('keeps CRLF bodies and a BOM untouched', () => {
    const crlf = '\ufeff---\r\nname: A\r\nstage: lead\r\n---\r\nBody\r\n';
    const out = editFrontMatter(crlf, [{ key: 'stage', value: 'customer' }], 'x.md');
    expect(out.startsWith('\ufeff---\r\n')).toBe(true);
    expect(out.endsWith('---\r\nBody\r\n')).toBe(true);
    expect(parseRecordText(out, 'x.md').data.stage).toBe('customer');
  });

  it('refuses to edit a broken file', () => {
    expect(() => editFrontMatter('---\nname: [x\n---\n', [{ key: 'a', value: 1 }], 'x.md')).toThrow(DataError);
  });

  it('adds front matter to a file that has none', () => {
    const out = editFrontMatter('Just notes\n', [{ key: 'name', value: 'X' }], 'x.md');
    expect(out).toBe('---\nname: X\n---\nJust notes\n');
  });
});

describe('writes', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tb-write-'));

  it('serializeRecord writes flow lists for scalars and block lists for maps', () => {
    expect(serializeRecord({ name: 'A', tags: ['x', 'y'], history: [{ date: '2026-01-01', stage: 'lead' }], none: undefined }, 'Body\n')).toBe(
      '---\nname: A\ntags: [x, y]\nhistory:\n  - date: 2026-01-01\n    stage: lead\n---\n\nBody\n',
    );
  });

  it('createFileExclusive never overwrites and leaves no temp file', () => {
    const dir = tmp();
    const f = path.join(dir, 'a.md');
    expect(createFileExclusive(f, 'one')).toBe(true);
    expect(createFileExclusive(f, 'two')).toBe(false);
    expect(fs.readFileSync(f, 'utf8')).toBe('one');
    expect(fs.readdirSync(dir)).toEqual(['a.md']);
  });

  it('writeFileAtomic replaces the content and leaves no temp file', () => {
    const dir = tmp();
    const f = path.join(dir, 'a.md');
    fs.writeFileSync(f, 'old');
    writeFileAtomic(f, 'new');
    expect(fs.readFileSync(f, 'utf8')).toBe('new');
    expect(fs.readdirSync(dir)).toEqual(['a.md']);
  });

  it('createRecord picks the next free id and refuses ids taken elsewhere', () => {
    const dir = tmp();
    const a = createRecord(dir, { type: 'contact', baseId: 'ada', data: { name: 'Ada' } });
    const b = createRecord(dir, { type: 'contact', baseId: 'ada', data: { name: 'Ada' } });
    const c = createRecord(dir, { type: 'contact', baseId: 'ada', data: { name: 'Ada' } }, (id) => id === 'ada-3');
    expect([a.id, b.id, c.id]).toEqual(['ada', 'ada-2', 'ada-4']);
  });

  it('createRecord refuses an id that is not a slug', () => {
    expect(() => createRecord(tmp(), { type: 'contact', baseId: '../x', data: { name: 'X' } })).toThrow(DataError);
  });
});

describe('edits that could lose data are refused, never written', () => {
  it('a ---YAML fence is the same front matter for reader and editor', () => {
    const text = '---YAML\nname: Zed Upper\nemails: [z@x.org]\n---\nBody\n';
    const out = editFrontMatter(text, [{ key: 'title', value: 'CTO' }], 'x.md');
    expect(out).toBe('---YAML\nname: Zed Upper\nemails: [z@x.org]\ntitle: CTO\n---\nBody\n');
  });

  it('a one-line {…} front matter is refused rather than wiped', () => {
    expect(() => editFrontMatter('---\n{name: Flo, stage: lead}\n---\nBody\n', [{ key: 'stage', remove: true }], 'x.md')).toThrow(DataError);
  });
});

import { editYamlEntry } from '../../src/store/roundtrip.js';

describe('editYamlEntry', () => {
  const config = ['name: X', 'segments:', '  hot: >-', '    stage:proposal', '    value>=1', '  cold: "stage:lead"  # keep', 'git: { autocommit: false }', ''].join('\n');
  it('replaces a block scalar entry and keeps the next line intact', () => {
    const out = editYamlEntry(config, 'touchbase.yaml', 'segments', 'hot', 'stage:won');
    expect(out).toBe(['name: X', 'segments:', '  hot: "stage:won"', '  cold: "stage:lead"  # keep', 'git: { autocommit: false }', ''].join('\n'));
  });
  it('adds after the last entry, removes, and creates the section when missing', () => {
    expect(editYamlEntry(config, 't.yaml', 'segments', 'new', 'tag:vip')).toContain('  cold: "stage:lead"  # keep\n  new: "tag:vip"\ngit:');
    expect(editYamlEntry(config, 't.yaml', 'segments', 'cold', undefined)).not.toContain('cold');
    expect(editYamlEntry('name: X\n', 't.yaml', 'segments', 'a', 'tag:vip')).toBe('name: X\nsegments:\n  a: tag:vip\n');
  });
});

describe('strings that look like numbers stay strings', () => {
  it.each(['0b11', '+0x1', '-0b1', '0o17', '123', 'true', 'null', '1e3', '.inf'])('%s', (name) => {
    const text = serializeRecord({ name });
    expect(parseRecordText(text, 'x.md').data.name).toBe(name);
    const edited = editFrontMatter(text, [{ key: 'title', value: name }], 'x.md');
    expect(parseRecordText(edited, 'x.md').data.title).toBe(name);
  });
});

describe('style of added lines', () => {
  it('CRLF files get CRLF lines; new scalar lists are flow style', () => {
    const out = editFrontMatter('---\r\nname: A\r\n---\r\nBody\r\n', [{ key: 'tags', value: ['t'] }, { key: 'history', value: [{ date: '2026-01-01', stage: 'lead' }] }], 'x.md');
    expect(out).toBe('---\r\nname: A\r\ntags: [t]\r\nhistory:\r\n  - date: 2026-01-01\r\n    stage: lead\r\n---\r\nBody\r\n');
  });
});
