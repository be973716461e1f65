/** The segmentation query language (DESIGN §5): parse, compile to a predicate, read fields. */
import type { QueryError } from '../../errors.js';

export type { QueryNode, MatchAlternative, ValueLiteral, CompareOp } from './parse.js';
export { parseQuery } from './parse.js';
export { tokenize, joinQueryWords, type Token } from './tokenize.js';
export { compileQuery, queryNeedsBodies, fieldValue, knownFields, globMatch, type QueryEnv, type Predicate } from './evaluate.js';

/**
 * The query with a caret under the failing column, e.g.
 *
 *     stage:won value=>5
 *                    ^
 *
 * Returns '' when the error carries no query. Whitespace is shown as spaces so the caret lines up.
 */
export function formatQueryError(err: QueryError): string {
  if (err.query === undefined) return '';
  const line = err.query.replace(/\s/g, ' ');
  if (err.column === undefined) return line;
  const column = Math.min(Math.max(err.column, 1), line.length + 1);
  return `${line}\n${' '.repeat(column - 1)}^`;
}
