/** The segmentation query language (see docs/architecture.md, "One read command"): parse, compile to a predicate, read fields. */
import type { QueryError } from '../../errors.js';

export type { QueryNode, MatchAlternative, ValueLiteral, CompareOp } from './parse.js';
export { parseQuery } from './parse.js';
import { parseQuery } from './parse.js';
export { tokenize, joinQueryWords, type Token } from './tokenize.js';
export { compileQuery } from './compile.js';
export { queryNeedsBodies } from './segments.js';
export { fieldValue, knownFields, type QueryEnv, type Predicate } from './catalog.js';
export { globMatch } from './values.js';

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

/**
 * Saved segments that cannot work: a syntax error, an @reference to no segment, or a cycle.
 * Fields are not checked here: a segment does not say which record type it is for.
 */
export function segmentProblems(segments: Readonly<Record<string, string>>): Array<{ name: string; message: string }> {
  const out: Array<{ name: string; message: string }> = [];
  const refs = new Map<string, string[]>();
  for (const [name, query] of Object.entries(segments)) {
    try {
      parseQuery(query);
    } catch (err) {
      out.push({ name, message: `segment @${name}: ${(err as Error).message}` });
      continue;
    }
    const used = [...query.matchAll(/(?:^|[\s(])-?@([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
    refs.set(name, used);
    for (const u of used) if (!(u in segments)) out.push({ name, message: `segment @${name} uses @${u}, which is not a saved segment` });
  }
  const inCycle = (start: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(refs.get(start) ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (n === start) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(refs.get(n) ?? []));
    }
    return false;
  };
  for (const name of refs.keys()) if (inCycle(name)) out.push({ name, message: `segment @${name} refers back to itself (a cycle)` });
  return out;
}
