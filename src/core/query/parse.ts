/**
 * Recursive-descent parser of the query language. Syntax only: fields are not validated and
 * segments are not expanded here (that needs the dataset and config, see evaluate.ts).
 *
 *   query   := orExpr? EOF
 *   orExpr  := andExpr (OR andExpr)*               OR is `OR`, `|` or `||`
 *   andExpr := unary (AND? unary)*                 juxtaposition is AND
 *   unary   := (NOT | '-')* primary                NOT binds tightest
 *   primary := '(' orExpr ')' | term
 */
import { queryError, tokenize, type CompareOp, type Token, type ValuePiece } from './tokenize.js';

export type { CompareOp } from './tokenize.js';

/** A literal value as typed, with the column of its first character. */
export interface ValueLiteral {
  text: string;
  column: number;
}

/** One alternative of `field:a,b,c..d`: a value (maybe with `*`) or an inclusive range, open at either end. */
export type MatchAlternative =
  | { kind: 'value'; value: ValueLiteral }
  | { kind: 'range'; from?: ValueLiteral; to?: ValueLiteral; column: number };

export type QueryNode =
  | { kind: 'all' }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  /** A bare word or quoted phrase: full-text search. */
  | { kind: 'text'; text: string; column: number }
  | { kind: 'segment'; name: string; column: number }
  /** `has:field` (present) or `no:field` (absent). */
  | { kind: 'presence'; field: string; present: boolean; column: number }
  /** `field:value[,value…]`: equality, membership, wildcard or range. */
  | { kind: 'match'; field: string; alternatives: MatchAlternative[]; column: number }
  /** `field OP value` with OP one of = != > >= < <=. */
  | { kind: 'compare'; field: string; op: CompareOp; value: ValueLiteral; column: number };

type FieldToken = Extract<Token, { kind: 'field' }>;

/** Deep nesting is never a real query; the limit keeps recursion far from the stack's end. */
const MAX_DEPTH = 100;

export function parseQuery(text: string): QueryNode {
  return new Parser(text, tokenize(text)).parse();
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly query: string,
    private readonly tokens: Token[],
  ) {}

  parse(): QueryNode {
    if (this.tokens.length === 0) return { kind: 'all' };
    const node = this.parseOr();
    const extra = this.peek();
    if (extra) throw this.error(extra.kind === 'rparen' ? "unexpected ')'" : `unexpected '${describe(extra)}'`, extra.column);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private error(message: string, column: number, hint?: string) {
    return queryError(this.query, message, column, hint);
  }

  /** The column where the next term was expected: the next token, or just past the end. */
  private nextColumn(): number {
    return this.peek()?.column ?? this.query.length + 1;
  }

  private expectTermAfter(what: string): void {
    if (!startsTerm(this.peek())) throw this.error(`expected a term after '${what}'`, this.nextColumn());
  }

  private parseOr(): QueryNode {
    const children = [this.parseAnd()];
    for (let t = this.peek(); t?.kind === 'or'; t = this.peek()) {
      this.next();
      this.expectTermAfter(t.text);
      children.push(this.parseAnd());
    }
    return children.length === 1 ? children[0] : { kind: 'or', children: flatten('or', children) };
  }

  private parseAnd(): QueryNode {
    const children = [this.parseUnary()];
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'and') {
        this.next();
        this.expectTermAfter(t.text);
      } else if (!startsTerm(t)) break;
      children.push(this.parseUnary());
    }
    return children.length === 1 ? children[0] : { kind: 'and', children: flatten('and', children) };
  }

  private parseUnary(): QueryNode {
    // Iterative, so `- - - - a` cannot grow the stack; an even number of negations cancels out.
    let negations = 0;
    for (let t = this.peek(); t?.kind === 'not'; t = this.peek()) {
      this.next();
      this.expectTermAfter(t.text);
      negations++;
    }
    const node = this.parsePrimary();
    return negations % 2 === 1 ? { kind: 'not', child: node } : node;
  }

  private parsePrimary(): QueryNode {
    const t = this.peek();
    if (!t) throw this.error('expected a term', this.query.length + 1);
    switch (t.kind) {
      case 'lparen':
        return this.parseGroup();
      case 'word':
        this.next();
        if (!t.text.trim()) throw this.error('empty quoted text', t.column);
        return { kind: 'text', text: t.text, column: t.column };
      case 'segment':
        this.next();
        return { kind: 'segment', name: t.name, column: t.column };
      case 'field':
        this.next();
        return this.fieldNode(t);
      case 'rparen':
        throw this.error("unexpected ')'", t.column);
      default:
        throw this.error(`expected a term before '${describe(t)}'`, t.column);
    }
  }

  private parseGroup(): QueryNode {
    const open = this.next();
    if (++this.depth > MAX_DEPTH) throw this.error('too many nested parentheses', open.column);
    if (this.peek()?.kind === 'rparen') throw this.error('empty parentheses', open.column);
    if (!this.peek()) throw this.error('unclosed parenthesis', open.column);
    const node = this.parseOr();
    if (this.peek()?.kind !== 'rparen') throw this.error('unclosed parenthesis', open.column);
    this.next();
    this.depth--;
    return node;
  }

  private fieldNode(t: FieldToken): QueryNode {
    const lower = t.field.toLowerCase();
    if (t.op === ':' && (lower === 'has' || lower === 'no')) return this.presenceNode(t, lower === 'has');
    if (t.op === ':') return { kind: 'match', field: t.field, alternatives: this.alternatives(t), column: t.column };
    const [first] = t.value;
    for (const piece of t.value) {
      if (piece.kind !== 'text') {
        throw this.error(`unexpected '${piece.kind === 'comma' ? ',' : '..'}'`, piece.column, `lists and ranges need ':', e.g. ${t.field}:a,b or ${t.field}:1..5`);
      }
    }
    if (!first || first.kind !== 'text' || !first.text) throw this.error(`expected a value after '${t.field}${t.opText}'`, t.valueColumn);
    return { kind: 'compare', field: t.field, op: t.op, value: { text: first.text, column: first.column }, column: t.column };
  }

  private presenceNode(t: FieldToken, present: boolean): QueryNode {
    const [first, ...rest] = t.value;
    if (!first || first.kind !== 'text' || !first.text) throw this.error(`expected a field name after '${t.field}${t.opText}'`, t.valueColumn);
    if (rest.length) throw this.error(`unexpected '${rest[0].kind === 'comma' ? ',' : '..'}'`, rest[0].column, `${t.field}: takes one field`);
    return { kind: 'presence', field: first.text, present, column: first.column };
  }

  /** Splits `a,b..c,..d` at commas into values and ranges. */
  private alternatives(t: FieldToken): MatchAlternative[] {
    const groups: ValuePiece[][] = [[]];
    const starts = [t.valueColumn];
    const after = [`${t.field}${t.opText}`];
    for (const piece of t.value) {
      if (piece.kind === 'comma') {
        groups.push([]);
        starts.push(piece.column + 1);
        after.push(',');
      } else groups[groups.length - 1].push(piece);
    }
    return groups.map((group, i) => this.alternative(group, starts[i], after[i]));
  }

  private alternative(group: ValuePiece[], column: number, after: string): MatchAlternative {
    const text = (p: ValuePiece | undefined): ValueLiteral | undefined =>
      p?.kind === 'text' && p.text ? { text: p.text, column: p.column } : undefined;
    const shape = group.map((p) => (p.kind === 'range' ? '..' : 'v')).join(' ');
    switch (shape) {
      case 'v': {
        const value = text(group[0]);
        if (value) return { kind: 'value', value };
        break;
      }
      case 'v ..':
      case '.. v':
      case 'v .. v': {
        const range = group.find((p) => p.kind === 'range')!;
        const index = group.indexOf(range);
        const from = text(group[index - 1]);
        const to = text(group[index + 1]);
        if (from || to) return { kind: 'range', from, to, column: range.column };
        break;
      }
      case '..':
        throw this.error("expected a value on either side of '..'", group[0].column);
      default:
        if (group.length) {
          const second = group.filter((p) => p.kind === 'range')[1];
          throw this.error("unexpected '..'", second?.column ?? column);
        }
    }
    throw this.error(`expected a value after '${after}'`, column);
  }
}

function startsTerm(t: Token | undefined): boolean {
  return t !== undefined && (t.kind === 'lparen' || t.kind === 'not' || t.kind === 'segment' || t.kind === 'word' || t.kind === 'field');
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'or':
    case 'and':
    case 'not':
      return t.text;
    case 'lparen':
      return '(';
    case 'rparen':
      return ')';
    default:
      return 'term';
  }
}

/** `a OR (b OR c)` is stored as one OR of three; same for AND. */
function flatten(kind: 'and' | 'or', children: QueryNode[]): QueryNode[] {
  return children.flatMap((c) => (c.kind === kind ? c.children : [c]));
}
