/**
 * Hostile-input and fuzz tests of the front matter reader. The contract: parseRecordText returns
 * or throws a DataError, and never runs anything a file says (how quickly: `npm run bench`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { fileURLToPath } from 'node:url';
import { parseRecordText, parseSimpleFrontMatter } from '../../src/store/frontmatter.js';
import type { ParsedFile } from '../../src/store/frontmatter.js';
import { DataError } from '../../src/errors.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const VALID = [
  '---',
  'name: José Müller',
  'emails: [jose@example.com, "j.m@example.org"]',
  'company: "[[acme]]"',
  'tags:',
  '  - vip',
  '  - partner',
  'value: 12000.50',
  'created: 2026-11-20',
  'notes: |',
  '  line one',
  '  line two',
  'history:',
  '  - { date: 2026-01-02, stage: lead }',
  '# a comment',
  '---',
  '# Body',
  '',
  'Met at a conference. ✨',
  '',
].join('\n');

type Outcome = { ok: true; parsed: ParsedFile } | { ok: false; error: unknown };

function attempt(text: string): Outcome {
  try {
    return { ok: true, parsed: parseRecordText(text, 'contacts/x.md') };
  } catch (error) {
    return { ok: false, error };
  }
}

function expectDataError(text: string): DataError {
  const outcome = attempt(text);
  if (outcome.ok) throw new Error(`expected a DataError, parsed ${JSON.stringify(outcome.parsed.data).slice(0, 80)}`);
  expect(outcome.error).toBeInstanceOf(DataError);
  return outcome.error as DataError;
}

/** The invariant every input must keep: a result with a mapping, or a DataError with a path. */
function assertContract(text: string): void {
  const result = attempt(text);
  if (result.ok) {
    const { data, body } = result.parsed;
    expect(typeof data === 'object' && data !== null && !Array.isArray(data)).toBe(true);
    expect(typeof body).toBe('string');
  } else {
    expect(result.error).toBeInstanceOf(DataError);
    expect((result.error as DataError).path).toBe('contacts/x.md');
  }
}

// ---------------------------------------------------------------------------------------------
// Fuzz

const HOSTILE_SNIPPETS = [
  '---', '---\n', '\n---\n', '...\n', '---js\n', '\t', '\t\t- ', '\r\n', '\r', '\ufeff', '\u2028', '\u0085', '\0',
  '9'.repeat(400), '1e999', '-0x1F', '.inf', '0o17', '&a ', '*a', '&a [*a, *a]', '<<: *a', '!!js/function ',
  '!!binary ', '? ', ': ', '- ', '[', ']', '{', '}', '"', "'", '|', '>-', '#', '%YAML 1.1\n', '<<<<<<< HEAD\n',
  '=======', 'ÿ', '𝒳', '👩‍👩‍👧', 'é', '\u202e', '__proto__: {a: 1}\n', 'constructor: x\n',
];

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'line'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...HOSTILE_SNIPPETS), fc.string({ unit: 'binary', maxLength: 8 })),
  }),
  fc.record({ kind: fc.constant('line' as const), at: fc.nat(), text: fc.constantFrom('---', '--- ', '---yaml', '...', '\t', '    - x', '') }),
);

function mutate(text: string, m: Mutation): string {
  const at = text.length ? m.at % (text.length + 1) : 0;
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'duplicate':
      return text.slice(0, at + m.length) + text.slice(at);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'line': {
      const lines = text.split('\n');
      lines.splice(m.at % (lines.length + 1), 0, m.text);
      return lines.join('\n');
    }
  }
}

describe('parseRecordText under fuzzing', () => {
  it('the valid sample parses (so mutations start from a good file)', () => {
    const parsed = parseRecordText(VALID, 'contacts/x.md');
    expect(parsed.data.name).toBe('José Müller');
    expect(parsed.data.created).toBe('2026-11-20');
  });

  it('random strings: returns or throws DataError, fast', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => assertContract(s)),
      { numRuns: 500 },
    );
  });

  it('random strings inside a front matter fence: returns or throws DataError, fast', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => assertContract(`---\n${s}\n---\nbody\n`)),
      { numRuns: 500 },
    );
  });

  it('mutations of a valid record: returns or throws DataError', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
        assertContract(mutations.reduce(mutate, VALID));
      }),
      { numRuns: 1000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Explicit hostile cases

describe('parseRecordText refuses hostile input', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-fm-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.each(['js', 'javascript', ' js ', 'coffee', 'JS'])('---%s front matter is refused and never run', (lang) => {
    const marker = path.join(tmp, `executed-${lang.trim()}`);
    const code = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'pwned'); module.exports = { name: 'x' }`;
    const err = expectDataError(`---${lang}\n${code}\n---\nbody\n`);
    expect(err.line).toBe(1);
    expect(err.message).toMatch(/not allowed; only YAML is read/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each([
    ['!!js/function', '---\nname: !!js/function "function () { return 1 }"\n---\n'],
    ['!!js/undefined', '---\nname: !<tag:yaml.org,2002:js/undefined> ""\n---\n'],
    ['!!js/regexp', '---\nname: !!js/regexp /x/\n---\n'],
  ])('JavaScript YAML tag %s is refused', (_tag, text) => {
    expect(expectDataError(text).message).toMatch(/unknown tag/);
  });

  // How fast these refusals are is measured by `npm run bench` (bench/lib/parser.ts), not here.
  it('billion-laughs alias bomb is refused', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghij';
    for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
    const result = attempt(`---\n${lines.join('\n')}\n---\n`);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBeInstanceOf(DataError);
  });

  it('a self-referencing alias is refused', () => {
    expectDataError('---\na: &a [ *a ]\n---\n');
  });

  it('10,000 nested [ are refused at their line', () => {
    const result = attempt(`---\nname: x\nlist: ${'['.repeat(10_000)}\n---\n`);
    expect(!result.ok && result.error).toBeInstanceOf(DataError);
    expect(!result.ok && (result.error as DataError).line).toBe(3);
  });

  it('10,000 nested block sequences are refused', () => {
    const result = attempt(`---\na:\n  ${'- '.repeat(10_000)}x\n---\n`);
    expect(!result.ok && result.error).toBeInstanceOf(DataError);
  });

  it('a 1 MB single line parses', () => {
    const long = 'x'.repeat(1_000_000);
    expect(parseRecordText(`---\nname: ${long}\n---\nbody`, 'contacts/x.md').data.name).toBe(long);
  });

  it('a 1 MB single line without front matter is all body', () => {
    const long = 'y'.repeat(1_000_000);
    expect(parseRecordText(long, 'contacts/x.md')).toMatchObject({ data: {}, body: long, hasFrontMatter: false });
  });

  it.each([
    ['in front matter', '---\nname: A\n<<<<<<< HEAD\nx: 1\n=======\nx: 2\n>>>>>>> theirs\n---\n', 3],
    ['in the body', '---\nname: A\n---\nintro\n\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> branch\n', 6],
    ['after a BOM with CRLF', '\ufeff---\r\nname: A\r\n---\r\n<<<<<<< ours\r\n=======\r\n>>>>>>> theirs\r\n', 4],
  ])('a merge conflict %s is refused at the exact line', (_where, text, line) => {
    const err = expectDataError(text);
    expect(err.message).toMatch(/merge conflict/);
    expect(err.line).toBe(line);
  });

  it('a duplicate key is refused at the duplicate line', () => {
    const err = expectDataError('---\nname: A\ntags: [x]\nname: B\n---\n');
    expect(err.message).toMatch(/duplicated mapping key/);
    expect(err.line).toBe(4);
  });

  it('a file with a BOM and CRLF line ends parses', () => {
    const parsed = parseRecordText('\ufeff---\r\nname: Ada\r\ntags:\r\n  - vip\r\ncreated: 2026-11-20\r\n---\r\nBody\r\n', 'contacts/x.md');
    expect(parsed.data).toEqual({ name: 'Ada', tags: ['vip'], created: '2026-11-20' });
    expect(parsed.body).toBe('Body\r\n');
    expect(parsed.hasFrontMatter).toBe(true);
  });

  it.each([
    ['with content', '---\nname: A\ntags: [x]\n'],
    ['alone', '---'],
    ['with only a newline', '---\n'],
  ])('--- unclosed (%s) is refused at line 1', (_what, text) => {
    const err = expectDataError(text);
    expect(err.message).toBe('front matter is not closed with ---');
    expect(err.line).toBe(1);
  });

  it('tabs as indentation are refused at their line', () => {
    const err = expectDataError('---\nname: A\nnested:\n\tb: 1\n---\n');
    expect(err.message).toMatch(/tab/);
    expect(err.line).toBe(4);
  });

  it('an empty file parses to no data', () => {
    expect(parseRecordText('', 'contacts/x.md')).toEqual({ data: {}, body: '', hasFrontMatter: false, frontMatterText: '' });
  });

  it('empty front matter parses to no data', () => {
    expect(parseRecordText('---\n---\nbody', 'contacts/x.md')).toMatchObject({ data: {}, body: 'body', hasFrontMatter: true });
  });

  it.each([
    ['a list', '---\n- a\n- b\n---\n'],
    ['a scalar', '---\nhello\n---\n'],
    ['a number', '---\n42\n---\n'],
  ])('front matter that is %s is refused', (_what, text) => {
    const err = expectDataError(text);
    expect(err.message).toBe('front matter must be a mapping of keys to values');
    expect(err.line).toBe(2);
  });

  it('__proto__ keys do not pollute prototypes', () => {
    const parsed = parseRecordText('---\n__proto__: { polluted: 1 }\nname: x\n---\n', 'contacts/x.md');
    expect(parsed.data.name).toBe('x');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('dates and huge numbers stay what they were written as (core schema)', () => {
    const parsed = parseRecordText('---\nd: 2026-11-20\nt: 2026-11-20T10:00:00Z\nbig: 123456789012345678901234567890\n---\n', 'contacts/x.md');
    expect(parsed.data.d).toBe('2026-11-20');
    expect(parsed.data.t).toBe('2026-11-20T10:00:00Z');
    expect(typeof parsed.data.big).toBe('number');
  });
});

// ---------------------------------------------------------------------------------------------
// Ordinary Markdown the reader must not mistake for something hostile

describe('parseRecordText accepts ordinary Markdown', () => {
  it('a setext heading underlined with exactly seven = in the body is not a conflict', () => {
    const parsed = parseRecordText('---\nname: Ada\n---\nSummary\n=======\n\nMet at a conference.\n', 'contacts/x.md');
    expect(parsed.data.name).toBe('Ada');
    expect(parsed.body).toContain('Summary\n=======');
  });

  it('a body starting with a longer thematic break is not front matter', () => {
    const text = '----------\nJust notes, no front matter.\n----------\n';
    expect(parseRecordText(text, 'contacts/x.md')).toMatchObject({ data: {}, body: text, hasFrontMatter: false });
  });
});

describe('parseSimpleFrontMatter reads what it accepts exactly as YAML does', () => {
  const yamlRead = (text: string): unknown => {
    try {
      return jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
    } catch {
      return 'YAML error';
    }
  };
  const expectSameAsYaml = (text: string) => {
    const simple = parseSimpleFrontMatter(text);
    if (simple !== undefined) expect([text, simple]).toEqual([text, yamlRead(text) ?? {}]);
    return simple;
  };

  it('reads the lines tb writes, and leaves everything else to YAML', () => {
    const written = 'name: Ada Dąbrowski\nemails: [ada@example.com, "a.b@example.org"]\nphones: ["+34 54 7945 816"]\ncompany: acme\ntags: [vip, churn-risk]\nvalue: 12000\nprobability: 0.35\ncreated: 2026-01-24\ndate: 2026-11-20T14:30\nempty:\nflag: true\nnothing: null\nnone: []\nsummary: Lunch, then a call\n';
    expect(expectSameAsYaml(written)).toMatchObject({ summary: 'Lunch, then a call', name: 'Ada Dąbrowski', value: 12000, probability: 0.35, flag: true, nothing: null, empty: null, none: [] });
    for (const other of [
      'a: 1 # comment', '# comment\na: 1', 'a:\n  - x', 'a:\n- x', 'a: { b: 1 }', 'a: [[x]]', "a: 'it''s'", 'a: "tab\\t"', 'a: |\n  x',
      'a: &x 1\nb: *x', 'a: !!str 1', 'a: 007', 'a: 0x1F', 'a: 1e3', 'a: .inf', 'a: -0', 'a: 1\na: 2', 'a: x  y', 'a: x ', 'a:  x',
      'a: [x,]', 'a: [x,,y]', 'a: @x', 'a: "x" y', 'a: https://example.com', '__proto__: x', 'a b: 1', '"a": 1', 'a: 10000000000000000', 'a: \u0085x',
      'True: x', 'true: 1\nTrue: 2', 'NULL: x',
    ]) {
      expect(parseSimpleFrontMatter(other), other).toBeUndefined();
    }
  });

  it('keeps the node budget: a huge simple front matter is refused as before', () => {
    const many = Array.from({ length: 25_000 }, (_, i) => `k${i}: v`).join('\n');
    expect(parseSimpleFrontMatter(many)).toBeUndefined();
    expect(() => parseRecordText(`---\n${many}\n---\n`, 'x.md')).toThrow(/too large/);
    const lists = Array.from({ length: 30 }, (_, i) => `k${i}: [${Array.from({ length: 900 }, () => 'x').join(', ')}]`).join('\n');
    expect(() => parseRecordText(`---\n${lists}\n---\n`, 'x.md')).toThrow(/too large/);
  });

  it('every file of the bundled example reads the same either way', () => {
    const root = path.join(REPO, 'examples/consultancy');
    let simple = 0;
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.md')) {
          const text = fs.readFileSync(p, 'utf8');
          const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
          if (expectSameAsYaml(fm) !== undefined) simple++;
        }
      }
    };
    walk(root);
    expect(simple).toBeGreaterThan(300); // the fast path is the common one
  });

  it('agrees with YAML on generated lines (property)', () => {
    const token = fc.constantFrom(
      'x', 'Ada', 'Dąbrowski', 'O\'Brien', 'R&D', '-', '+', '.', ':', '#', ' ', '  ', ',', '[', ']', '{', '}', '"', "'", '\\', '0', '1', '07', '-0', '0.5', '1e3',
      'true', 'False', 'NULL', '~', 'yes', 'on', '2026-11-20', 'T14:30', '@', '&', '*', '!', '|', '>', '%', '?', 'é', '🎉', '\u00a0', '\u0085', '\t', '\r',
    );
    const value = fc.array(token, { maxLength: 6 }).map((t) => t.join(''));
    const list = fc.array(value, { maxLength: 4 }).map((items) => `[${items.join(', ')}]`);
    const key = fc.constantFrom('name', 'tags', 'a', 'value', 'x-y', 'b_c', 'name');
    const line = fc.tuple(key, fc.oneof(value, list)).map(([k, v]) => `${k}: ${v}`);
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => void expectSameAsYaml(lines.join('\n'))), { numRuns: 3000 });
  });
});
