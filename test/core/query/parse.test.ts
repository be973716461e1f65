import { describe, expect, it } from 'vitest';
import { QueryError } from '../../../src/errors.js';
import { formatQueryError, joinQueryWords, parseQuery, tokenize, type QueryNode } from '../../../src/core/query/index.js';

/** A compact rendering of the AST so precedence tests read like the query. */
function show(node: QueryNode): string {
  switch (node.kind) {
    case 'all':
      return '*';
    case 'and':
      return `(${node.children.map(show).join(' AND ')})`;
    case 'or':
      return `(${node.children.map(show).join(' OR ')})`;
    case 'not':
      return `NOT ${show(node.child)}`;
    case 'text':
      return JSON.stringify(node.text);
    case 'segment':
      return `@${node.name}`;
    case 'presence':
      return `${node.present ? 'has' : 'no'}(${node.field})`;
    case 'match':
      return `${node.field}:${node.alternatives
        .map((a) => (a.kind === 'value' ? a.value.text : `[${a.from?.text ?? ''}..${a.to?.text ?? ''}]`))
        .join('|')}`;
    case 'compare':
      return `${node.field}${node.op}${node.value.text}`;
  }
}

function errorOf(fn: () => unknown): QueryError {
  try {
    fn();
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error('expected a QueryError');
}

describe('tokenize', () => {
  it.each([
    ['tag:vip', ['field tag : "vip"']],
    ['value>=10000', ['field value >= "10000"']],
    ['created:>2026-01-01', ['field created > "2026-01-01"']],
    ['a OR b', ['word a', 'or OR', 'word b']],
    ['a | b || c', ['word a', 'or |', 'word b', 'or ||', 'word c']],
    ['a or b', ['word a', 'word or', 'word b']],
    ['-tag:x', ['not -', 'field tag : "x"']],
    ['NOT (a)', ['not NOT', 'lparen', 'word a', 'rparen']],
    ['@at-risk', ['segment at-risk']],
    ['"ada lovelace"', ['word "ada lovelace"']],
    ['name:"ada l*"', ['field name : "ada l*"']],
    ['stage:a,b', ['field stage : "a" , "b"']],
    ['value:5..50', ['field value : "5" .. "50"']],
    ['created:2026-01-01..', ['field created : "2026-01-01" ..']],
    ['value:..5000', ['field value : .. "5000"']],
    ['name:"a,b..c"', ['field name : "a,b..c"']],
    ['last_contact<-90d', ['field last_contact < "-90d"']],
    ['company.industry:fintech', ['field company.industry : "fintech"']],
    ['ada@example.com', ['word ada@example.com']],
    ['(tag:vip)', ['lparen', 'field tag : "vip"', 'rparen']],
    ['title:"say \\"hi\\""', ['field title : "say \\"hi\\""']],
  ])('%s', (query, expected) => {
    const rendered = tokenize(query).map((t) => {
      switch (t.kind) {
        case 'field':
          return `field ${t.field} ${t.op} ${t.value.map((p) => (p.kind === 'text' ? JSON.stringify(p.text) : p.kind === 'comma' ? ',' : '..')).join(' ')}`;
        case 'word':
          return `word ${t.quoted ? `"${t.text}"` : t.text}`;
        case 'segment':
          return `segment ${t.name}`;
        case 'or':
        case 'and':
        case 'not':
          return `${t.kind} ${t.text}`;
        default:
          return t.kind;
      }
    });
    expect(rendered).toEqual(expected);
  });

  it('records 1-based columns', () => {
    expect(tokenize('  tag:vip  (x)').map((t) => t.column)).toEqual([3, 12, 13, 14]);
  });
});

describe('parseQuery', () => {
  it.each([
    ['', '*'],
    ['   ', '*'],
    ['a b', '("a" AND "b")'],
    ['a OR b c', '("a" OR ("b" AND "c"))'],
    ['a b OR c', '(("a" AND "b") OR "c")'],
    ['-a b', '(NOT "a" AND "b")'],
    ['NOT a b', '(NOT "a" AND "b")'],
    ['NOT (a OR b)', 'NOT ("a" OR "b")'],
    ['NOT NOT a', '"a"'],
    ['--a', '"a"'],
    ['a AND b', '("a" AND "b")'],
    ['a OR (b OR c)', '("a" OR "b" OR "c")'],
    ['(a OR b) c', '(("a" OR "b") AND "c")'],
    ['a | b', '("a" OR "b")'],
    ['has:email no:owner', '(has(email) AND no(owner))'],
    ['stage:proposal,negotiation', 'stage:proposal|negotiation'],
    ['value:5000..50000', 'value:[5000..50000]'],
    ['created:2026-01-01..', 'created:[2026-01-01..]'],
    ['value:..5000', 'value:[..5000]'],
    ['value:..10,100..', 'value:[..10]|[100..]'],
    ['value>=10000 expected_close<2027-01-01', '(value>=10000 AND expected_close<2027-01-01)'],
    ['tag:vip OR @at-risk', '(tag:vip OR @at-risk)'],
    ['name:"ada l*" renewal', '(name:ada l* AND "renewal")'],
    ['"rock and roll"', '"rock and roll"'],
  ])('%s → %s', (query, expected) => {
    expect(show(parseQuery(query))).toBe(expected);
  });

  it.each([
    ['stage:won value=>5', "unknown operator '=>' at column 16"],
    ['a b (c', 'unclosed parenthesis at column 5'],
    ['((a)', 'unclosed parenthesis at column 1'],
    ['a "foo', 'unterminated quote at column 3'],
    ['name:"ada', 'unterminated quote at column 6'],
    ['stage:', "expected a value after 'stage:' at column 7"],
    ['stage: won', "expected a value after 'stage:' at column 7"],
    ['value>=', "expected a value after 'value>=' at column 8"],
    ['stage:a,', "expected a value after ',' at column 9"],
    ['stage:a,,b', "expected a value after ',' at column 9"],
    ['value:..', "expected a value on either side of '..' at column 7"],
    ['value:1..2..3', "unexpected '..' at column 11"],
    ['value>1,2', "unexpected ',' at column 8"],
    ['a)', "unexpected ')' at column 2"],
    ['()', 'empty parentheses at column 1'],
    ['a OR', "expected a term after 'OR' at column 5"],
    ['OR a', "expected a term before 'OR' at column 1"],
    ['a OR OR b', "expected a term after 'OR' at column 6"],
    ['NOT', "expected a term after 'NOT' at column 4"],
    ['a - b', "expected a term after '-' at column 4"],
    ['a AND', "expected a term after 'AND' at column 6"],
    ['@', "expected a segment name after '@' at column 2"],
    ['has:', "expected a field name after 'has:' at column 5"],
    ['has:a,b', "unexpected ',' at column 6"],
    ['""', 'empty quoted text at column 1'],
    ['a::b', "unknown operator '::' at column 2"],
  ])('%s fails with %s', (query, message) => {
    const err = errorOf(() => parseQuery(query));
    expect(err.message).toBe(message);
    expect(err.query).toBe(query);
    expect(err.column).toBe(Number(/column (\d+)$/.exec(message)![1]));
  });

  it('limits nesting instead of overflowing the stack', () => {
    const deep = '('.repeat(5000) + 'a' + ')'.repeat(5000);
    expect(errorOf(() => parseQuery(deep)).message).toMatch(/too many nested parentheses/);
    expect(show(parseQuery('-'.repeat(10001) + 'a'))).toBe('NOT "a"');
  });
});

describe('formatQueryError', () => {
  it('puts a caret under the column', () => {
    const err = errorOf(() => parseQuery('stage:won value=>5'));
    expect(formatQueryError(err)).toBe('stage:won value=>5\n               ^');
  });

  it('keeps the caret aligned past tabs and at the end of the query', () => {
    const err = errorOf(() => parseQuery('a\tOR'));
    expect(formatQueryError(err)).toBe('a OR\n    ^');
  });

  it('is empty without a query', () => {
    expect(formatQueryError(new QueryError('x'))).toBe('');
  });
});

describe('joinQueryWords', () => {
  it.each([
    [['tag:vip', 'OR', 'tag:x'], 'tag:vip OR tag:x'],
    [['ada lovelace'], '"ada lovelace"'],
    [['name:ada l*', 'stage:customer'], 'name:"ada l*" stage:customer'],
    [['tag:vip OR tag:x'], 'tag:vip OR tag:x'],
    [['(tag:vip', 'OR', 'no:tag)'], '(tag:vip OR no:tag)'],
    [['name:"ada l*"'], 'name:"ada l*"'],
    [['back\\slash word'], '"back\\\\slash word"'],
  ])('%j → %s', (words, expected) => {
    expect(joinQueryWords(words)).toBe(expected);
  });

  it('round-trips a quoted phrase through the parser', () => {
    expect(show(parseQuery(joinQueryWords(['back\\slash word'])))).toBe(JSON.stringify('back\\slash word'));
  });
});
