/** Saved segments (`@name`) in queries: expansion with cycle detection, and error positions. Pure. */
import { QueryError } from '../../errors.js';
import { didYouMean } from '../suggest.js';
import type { Config } from '../types.js';
import { parseQuery, type QueryNode } from './parse.js';
import { joinQueryWords } from './tokenize.js';

/** Where a node came from, so errors point into the right text (the query or a segment's). */
export interface Source {
  query: string;
  segment?: string;
  /** Segments being expanded, outermost first, to detect cycles. */
  stack: readonly string[];
}

export function errorAt(src: Source, message: string, column: number, hint?: string): QueryError {
  const where = src.segment ? `in segment @${src.segment}: ` : '';
  return new QueryError(`${where}${message} at column ${column}`, { column, query: src.query, hint });
}

export function typeError(src: Source, message: string, column: number, hint?: string): QueryError {
  const where = src.segment ? `in segment @${src.segment}: ` : '';
  return new QueryError(`${where}${message} (column ${column})`, { column, query: src.query, hint });
}

export function expandSegment(config: Config, node: Extract<QueryNode, { kind: 'segment' }>, src: Source): { node: QueryNode; src: Source } {
  const segments = config.segments ?? {};
  const name = Object.hasOwn(segments, node.name)
    ? node.name
    : Object.keys(segments).find((s) => s.toLowerCase() === node.name.toLowerCase());
  if (name === undefined) {
    const names = Object.keys(segments).map((s) => `@${s}`);
    const hint = didYouMean(`@${node.name}`, names) ?? (names.length ? `saved segments: ${names.join(', ')}` : 'save one with tb segment save');
    throw errorAt(src, `unknown segment '@${node.name}'`, node.column, hint);
  }
  if (src.stack.includes(name)) {
    throw errorAt(src, `segment cycle: ${[...src.stack, name].map((s) => `@${s}`).join(' → ')}`, node.column);
  }
  const query = String(segments[name]);
  const inner: Source = { query, segment: name, stack: [...src.stack, name] };
  try {
    return { node: parseQuery(query), src: inner };
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    throw new QueryError(`in segment @${name}: ${err.message}`, { column: err.column, query: err.query, hint: err.hint });
  }
}

function needsBodies(node: QueryNode, src: Source, config: Config): boolean {
  switch (node.kind) {
    case 'text':
      return true;
    case 'and':
    case 'or':
      return node.children.some((c) => needsBodies(c, src, config));
    case 'not':
      return needsBodies(node.child, src, config);
    case 'segment': {
      const expanded = expandSegment(config, node, src);
      return needsBodies(expanded.node, expanded.src, config);
    }
    default:
      return false;
  }
}

/** True when the query (segments expanded) has a bare word, so record bodies must be loaded. */
export function queryNeedsBodies(text: string | string[], config: Config): boolean {
  const query = Array.isArray(text) ? joinQueryWords(text) : text;
  return needsBodies(parseQuery(query), { query, stack: [] }, config);
}
