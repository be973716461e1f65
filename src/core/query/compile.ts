/**
 * Compiler of the query language: validates fields and values, expands @segments, resolves
 * references and turns the AST into a predicate over CrmRecords. Pure: "today" comes from ctx.today.
 *
 * Semantics where the design is silent:
 * - `field:v` is case-insensitive equality (membership for lists), with `*` wildcards, any-of
 *   alternatives (`a,b`) and inclusive ranges (`a..b`, `a..`, `..b`) that need numbers or dates.
 * - `=` and `!=` take the value literally (no lists, ranges or wildcards); they compare numbers
 *   numerically and dates as dates, and fall back to case-insensitive text equality otherwise.
 *   `> >= < <=` need a number or a date, else the query is an error.
 * - Every comparison, range and `!=` is false when the field is missing (`no:field` finds those);
 *   `-field:v` (negation) is true for them.
 * - A date value with a time compares by its date part; a number never compares with a date.
 * - `owner:me` with no known "me" matches nothing.
 * - Bare words and quoted phrases are case- and accent-insensitive substrings of
 *   name/title/summary/text, the emails and the body (when loaded); `*` inside them is a wildcard.
 * - Field names are case-insensitive; unknown ones are errors with a did-you-mean hint.
 */
import { dateHint, notABoolean, unknownConfiguredValue } from './hints.js';
import { isIsoDate, tryParseWhen } from '../dates.js';
import { DATE_VALUED, SEARCHED_FIELDS } from '../schema.js';
import { asString, emailsOf, normalizeRef } from '../fields.js';
import { didYouMean } from '../suggest.js';
import { foldText } from '../text.js';
import type { CrmRecord } from '../types.js';
import { parseQuery, type CompareOp, type MatchAlternative, type QueryNode, type ValueLiteral } from './parse.js';
import { joinQueryWords } from './tokenize.js';
import { Catalog, own, type Accessor, type Predicate, type QueryEnv, type Scalar } from './catalog.js';
import { BOOLEANS, DATE_LIKE, NUMBER, ORDER_TESTS, compareScalar, equalsScalar, globMatch, isPresent, scalarsOf, type Operand, type Ordered } from './values.js';
import { errorAt, expandSegment, typeError, type Source } from './segments.js';
import { resolveOwnerValue, resolveReferenceValue } from './references.js';

class Compiler {
  /** Full-text haystacks, lowercased once per record even when a query has several words. */
  private readonly haystacks = new WeakMap<CrmRecord, string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly env: QueryEnv,
  ) {}

  compile(node: QueryNode, src: Source): Predicate {
    switch (node.kind) {
      case 'all':
        return () => true;
      case 'and': {
        const parts = node.children.map((c) => this.compile(c, src));
        return (rec) => parts.every((p) => p(rec));
      }
      case 'or': {
        const parts = node.children.map((c) => this.compile(c, src));
        return (rec) => parts.some((p) => p(rec));
      }
      case 'not': {
        const inner = this.compile(node.child, src);
        return (rec) => !inner(rec);
      }
      case 'segment': {
        const expanded = expandSegment(this.env.dataset.config, node, src);
        return this.compile(expanded.node, expanded.src);
      }
      case 'text':
        return this.fullText(node.text);
      case 'presence': {
        const read = this.field(node.field, node.column, src).read;
        return node.present ? (rec) => isPresent(read(rec)) : (rec) => !isPresent(read(rec));
      }
      case 'match':
        return this.match(node, src);
      case 'compare':
        return this.compare(node, src);
    }
  }

  /** Resolves and validates a field name; unknown names are errors, never full text. */
  private field(name: string, column: number, src: Source): { read: Accessor; last: string; path: string[] } {
    const type = this.env.type;
    const path = this.catalog.resolve(type, name, true);
    if (!path) throw errorAt(src, `unknown field '${name}'`, column, didYouMean(name, this.catalog.allFields(type)));
    return { read: this.catalog.accessor(type, path), last: path[path.length - 1], path };
  }

  /**
   * A value as the id it names when the field is a reference (`company:acme` → `acme-gmbh`) or an
   * owner (`owner:Mara` → `mara`); see references.ts. Wildcards are kept as typed.
   */
  private referenced(path: readonly string[], lit: ValueLiteral, src: Source): ValueLiteral {
    const text = normalizeRef(lit.text) ?? lit.text;
    if (text.includes('*') || text.trim() === '') return lit;
    const last = path[path.length - 1];
    if (last === 'owner') return { ...lit, text: resolveOwnerValue(this.env.dataset.config, text) };
    const target = this.catalog.targetOf(this.env.type, path);
    if (!target) return lit;
    const holder = { type: this.catalog.holderOf(this.env.type, path), field: last };
    const answer = resolveReferenceValue(this.env.dataset, target, text, holder);
    if ('error' in answer) throw errorAt(src, answer.error, lit.column, answer.hint);
    return { ...lit, text: answer.id };
  }

  private fullText(text: string): Predicate {
    const lower = foldText(text);
    const pattern = lower.includes('*') ? `*${lower}*`.replace(/\*+/g, '*') : undefined;
    return (rec) => {
      const hay = this.haystack(rec);
      return pattern ? globMatch(hay, pattern) : hay.includes(lower);
    };
  }

  private haystack(rec: CrmRecord): string {
    let hay = this.haystacks.get(rec);
    if (hay === undefined) {
      const parts = SEARCHED_FIELDS.map((f) => asString(own(rec.data, f)) ?? '');
      hay = foldText([...parts, ...emailsOf(rec), rec.body ?? ''].join('\n'));
      this.haystacks.set(rec, hay);
    }
    return hay;
  }

  private match(node: Extract<QueryNode, { kind: 'match' }>, src: Source): Predicate {
    const { read, last, path } = this.field(node.field, node.column, src);
    const alternatives = node.alternatives.map((alt) => (alt.kind === 'range' ? alt : { ...alt, value: this.referenced(path, alt.value, src) }));
    for (const alt of alternatives) if (alt.kind !== 'range') this.configured(node.field, last, alt.value, src);
    const tests = alternatives.map((alt) => this.alternative(alt, last, src));
    return (rec) => scalarsOf(read(rec)).some((v) => tests.some((t) => t(v)));
  }

  private alternative(alt: MatchAlternative, field: string, src: Source): (v: Scalar) => boolean {
    if (alt.kind === 'range') {
      const from = alt.from && this.ordered(alt.from, src);
      const to = alt.to && this.ordered(alt.to, src);
      if (from) this.dateBound(field, from, alt.from!, src, ':');
      if (to) this.dateBound(field, to, alt.to!, src, ':');
      if (from && to && (from.num === undefined) !== (to.num === undefined)) {
        throw typeError(src, `range '${alt.from!.text}..${alt.to!.text}' mixes a number and a date`, alt.column);
      }
      return (v) => {
        const low = from ? compareScalar(v, from) : 0;
        const high = to ? compareScalar(v, to) : 0;
        return low !== undefined && high !== undefined && low >= 0 && high <= 0;
      };
    }
    const operand = this.operand(alt.value, field, src);
    if (alt.value.text.includes('*') && !operand.never) {
      const pattern = operand.lower.replace(/\*+/g, '*');
      return (v) => globMatch(String(v).toLowerCase(), pattern);
    }
    return (v) => equalsScalar(v, operand);
  }

  private compare(node: Extract<QueryNode, { kind: 'compare' }>, src: Source): Predicate {
    const { read, last, path } = this.field(node.field, node.column, src);
    const op: CompareOp = node.op;
    if (op === '=' || op === '!=') {
      const value = this.referenced(path, node.value, src);
      this.configured(node.field, last, value, src);
      const operand = this.operand(value, last, src);
      if (op === '=') return (rec) => scalarsOf(read(rec)).some((v) => equalsScalar(v, operand));
      return (rec) => {
        const values = scalarsOf(read(rec));
        return values.length > 0 && !operand.never && !values.some((v) => equalsScalar(v, operand));
      };
    }
    const bound = this.ordered(node.value, src);
    this.dateBound(last, bound, node.value, src, op);
    const test = ORDER_TESTS[op];
    return (rec) =>
      scalarsOf(read(rec)).some((v) => {
        const sign = compareScalar(v, bound);
        return sign !== undefined && test(sign);
      });
  }

  private operand(lit: ValueLiteral, field: string, src: Source): Operand {
    let text = normalizeRef(lit.text) ?? lit.text;
    if (field === 'owner' && text.toLowerCase() === 'me') {
      if (!this.env.ctx.me) return { lower: 'me', never: true };
      text = this.env.ctx.me;
    }
    const lower = text.toLowerCase();
    const num = NUMBER.test(text) ? Number(text) : undefined;
    const date = num === undefined ? this.date(text, lit.column, src) : undefined;
    // `last_contact:90d`, `created:23/11/2026` would compare a date with text: say how to write it.
    if (date === undefined && num === undefined && DATE_VALUED.has(field)) {
      const hint = dateHint(text);
      if (hint) throw typeError(src, `'${lit.text}' is not a date`, lit.column, hint);
    }
    const bool = Object.hasOwn(BOOLEANS, lower) ? BOOLEANS[lower] : undefined;
    return { lower, num, date, bool };
  }

  /** `stage:propsal`, `breached:maybe`: a value that nothing can have is an error with did-you-mean. */
  private configured(name: string, field: string, lit: ValueLiteral, src: Source): void {
    if (name.includes('.')) return;
    const value = normalizeRef(lit.text) ?? lit.text;
    const problem = unknownConfiguredValue(this.env.type, field, value, this.env.dataset) ?? notABoolean(this.env.type, field, value, Object.keys(BOOLEANS));
    if (problem) throw errorAt(src, problem.message, lit.column, problem.hint);
  }

  /**
   * A number against a field that holds dates (`created>2026`) would never match: an error, as a
   * malformed date is, rather than a silent "no matches".
   */
  private dateBound(field: string, bound: Ordered, lit: ValueLiteral, src: Source, op: string): void {
    if (bound.num === undefined || !DATE_VALUED.has(field)) return;
    const example = /^\d{4}$/.test(lit.text) ? `${lit.text}-01-01` : '2026-01-01';
    throw typeError(src, `'${lit.text}' is not a date; ${field} holds dates: use YYYY-MM-DD, e.g. ${field}${op}${example}${op === ':' ? '..' : ''}`, lit.column);
  }

  /** A value that must be a number or a date (comparisons and ranges). */
  private ordered(lit: ValueLiteral, src: Source): Ordered {
    const text = lit.text.trim();
    if (NUMBER.test(text)) return { num: Number(text) };
    const date = this.date(text, lit.column, src);
    if (date === undefined) throw typeError(src, `'${lit.text}' is not a number or date`, lit.column, dateHint(text));
    return { date };
  }

  /** ISO dates, `today`, `-90d`, `+2w`, `next friday` …; a malformed ISO date is an error. */
  private date(text: string, column: number, src: Source): string | undefined {
    if (DATE_LIKE.test(text) && !isIsoDate(text.toUpperCase())) {
      throw typeError(src, `'${text}' is not a valid date, use YYYY-MM-DD`, column);
    }
    let date: string | undefined;
    try {
      date = tryParseWhen(text, this.env.ctx.today);
    } catch {
      // Absurd offsets (`+99999999y`) overflow the calendar: not a date.
      return undefined;
    }
    return date !== undefined && isIsoDate(date) ? date : undefined;
  }
}

/**
 * Compiles a query for records of `env.type`: parses it, expands @segments, validates every field
 * and returns a predicate. Array input is joined like command-line words.
 */
export function compileQuery(text: string | string[], env: QueryEnv): Predicate {
  const query = Array.isArray(text) ? joinQueryWords(text) : text;
  const ast = parseQuery(query);
  return new Compiler(new Catalog(env), env).compile(ast, { query, stack: [] });
}
