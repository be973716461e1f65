/**
 * Tokenizer of the segmentation query language (docs/architecture.md). Hand-written so every error can name
 * the exact 1-based column.
 *
 * Lexical decisions:
 * - Only uppercase `OR`, `AND` and `NOT` are operators; `|` (or `||`) is OR. Lowercase `or`, `and`,
 *   `not` are ordinary words (full text), as in GitHub search, so "rock and roll" still finds text.
 * - `-` directly before a term or `(` negates it; a `-` followed by a space is an error.
 * - A term is `field OP value` with no spaces around OP; OP is one of `:` `=` `!=` `>` `>=` `<` `<=`
 *   (GitHub-style `:>`, `:>=`, `:<`, `:<=` are accepted too). Anything else is a bare word.
 * - Values and words end at whitespace or a parenthesis. Double quotes group spaces and
 *   parentheses (`\"` and `\\` escape inside quotes). Outside quotes, `,` separates alternatives
 *   and `..` marks a range; inside quotes both are literal. `*` is a wildcard everywhere.
 */
import { QueryError } from '../../errors.js';

export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type FieldOp = ':' | CompareOp;

export type ValuePiece =
  | { kind: 'text'; text: string; column: number }
  | { kind: 'comma'; column: number }
  | { kind: 'range'; column: number };

export type Token =
  | { kind: 'lparen'; column: number }
  | { kind: 'rparen'; column: number }
  | { kind: 'or'; text: string; column: number }
  | { kind: 'and'; text: string; column: number }
  | { kind: 'not'; text: string; column: number }
  | { kind: 'segment'; name: string; column: number }
  | { kind: 'word'; text: string; quoted: boolean; column: number }
  | {
      kind: 'field';
      field: string;
      op: FieldOp;
      /** The operator as typed, e.g. `:>=`. */
      opText: string;
      value: ValuePiece[];
      column: number;
      valueColumn: number;
    };

const OPERATORS: Readonly<Record<string, FieldOp>> = {
  ':': ':',
  '=': '=',
  '!=': '!=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  ':>': '>',
  ':>=': '>=',
  ':<': '<',
  ':<=': '<=',
};

const OPERATOR_CHARS = ':=!<>';
/** A field name, possibly dotted (`company.industry`); must be followed by an operator. */
const FIELD_NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const KEYWORDS: Readonly<Record<string, 'or' | 'and' | 'not'>> = { OR: 'or', AND: 'and', NOT: 'not' };

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

function endsTerm(ch: string): boolean {
  return isSpace(ch) || ch === '(' || ch === ')';
}

export function queryError(query: string, message: string, column: number, hint?: string): QueryError {
  return new QueryError(`${message} at column ${column}`, { column, query, hint });
}

/** Reads a double-quoted string starting at `start` (the quote); returns its text and the index after it. */
function readQuoted(query: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  while (i < query.length) {
    const ch = query[i];
    if (ch === '\\' && (query[i + 1] === '"' || query[i + 1] === '\\')) {
      text += query[i + 1];
      i += 2;
      continue;
    }
    if (ch === '"') return { text, end: i + 1 };
    text += ch;
    i++;
  }
  throw queryError(query, 'unterminated quote', start + 1);
}

/** Reads a field's value: text with quotes, split into pieces at unquoted `,` and `..`. */
function readValue(query: string, start: number): { pieces: ValuePiece[]; end: number } {
  const pieces: ValuePiece[] = [];
  let text: { text: string; column: number } | undefined;
  const append = (s: string, column: number) => {
    if (text) text.text += s;
    else text = { text: s, column };
  };
  const flush = () => {
    if (text) pieces.push({ kind: 'text', ...text });
    text = undefined;
  };
  let i = start;
  while (i < query.length && !endsTerm(query[i])) {
    const ch = query[i];
    if (ch === '"') {
      const quoted = readQuoted(query, i);
      append(quoted.text, i + 1);
      i = quoted.end;
    } else if (ch === ',') {
      flush();
      pieces.push({ kind: 'comma', column: i + 1 });
      i++;
    } else if (ch === '.' && query[i + 1] === '.') {
      flush();
      pieces.push({ kind: 'range', column: i + 1 });
      i += 2;
    } else {
      append(ch, i + 1);
      i++;
    }
  }
  flush();
  return { pieces, end: i };
}

/** Reads a bare word up to whitespace or a parenthesis; quotes inside it group spaces. */
function readWord(query: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start;
  while (i < query.length && !endsTerm(query[i])) {
    if (query[i] === '"') {
      const quoted = readQuoted(query, i);
      text += quoted.text;
      i = quoted.end;
    } else {
      text += query[i++];
    }
  }
  return { text, end: i };
}

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i];
    const column = i + 1;
    if (isSpace(ch)) {
      i++;
    } else if (ch === '(') {
      tokens.push({ kind: 'lparen', column });
      i++;
    } else if (ch === ')') {
      tokens.push({ kind: 'rparen', column });
      i++;
    } else if (ch === '|') {
      const text = query[i + 1] === '|' ? '||' : '|';
      tokens.push({ kind: 'or', text, column });
      i += text.length;
    } else if (ch === '-') {
      const next = query[i + 1];
      if (next === undefined || isSpace(next) || next === ')') throw queryError(query, "expected a term after '-'", column + 1);
      tokens.push({ kind: 'not', text: '-', column });
      i++;
    } else if (ch === '@') {
      const { text, end } = readWord(query, i + 1);
      if (!text) throw queryError(query, "expected a segment name after '@'", column + 1);
      tokens.push({ kind: 'segment', name: text, column });
      i = end;
    } else if (ch === '"') {
      const { text, end } = readQuoted(query, i);
      tokens.push({ kind: 'word', text, quoted: true, column });
      i = end;
    } else {
      i = readTerm(query, i, tokens);
    }
  }
  return tokens;
}

/** A `field OP value` term, a keyword or a bare word starting at `start`; returns the index after it. */
function readTerm(query: string, start: number, tokens: Token[]): number {
  const column = start + 1;
  FIELD_NAME.lastIndex = start;
  const name = FIELD_NAME.exec(query);
  const opStart = name ? start + name[0].length : start;
  if (name && OPERATOR_CHARS.includes(query[opStart] ?? ' ')) {
    let opEnd = opStart;
    while (opEnd < query.length && OPERATOR_CHARS.includes(query[opEnd])) opEnd++;
    const opText = query.slice(opStart, opEnd);
    const op = OPERATORS[opText];
    if (!op) throw queryError(query, `unknown operator '${opText}'`, opStart + 1, 'operators are : = != > >= < <=');
    const { pieces, end } = readValue(query, opEnd);
    tokens.push({ kind: 'field', field: name[0], op, opText, value: pieces, column, valueColumn: opEnd + 1 });
    return end;
  }
  const { text, end } = readWord(query, start);
  const keyword = Object.hasOwn(KEYWORDS, text) ? KEYWORDS[text] : undefined;
  if (keyword) tokens.push({ kind: keyword, text, column });
  else tokens.push({ kind: 'word', text, quoted: false, column });
  return end;
}

/**
 * Joins command-line words into one query. The shell has already removed the user's quotes, so a
 * word with spaces that reads as a plain phrase (`"ada lovelace"`) or as a field with such a value
 * (`name:ada lovelace`) is quoted again; a word that is itself a query (`tag:vip OR tag:x`) is kept.
 */
export function joinQueryWords(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
  if (!/\s/.test(word) || word.includes('"')) return word;
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\')}"`;
  const field = /^([A-Za-z_][A-Za-z0-9_.-]*[:=!<>]+)(.*)$/s.exec(word);
  if (field && isPlainWords(field[2])) return field[1] + quote(field[2]);
  if (isPlainWords(word)) return quote(word);
  return word;
}

/** True when the text tokenizes into unquoted bare words only (no fields, operators or groups). */
function isPlainWords(text: string): boolean {
  try {
    return tokenize(text).every((t) => t.kind === 'word' && !t.quoted);
  } catch {
    return false;
  }
}
