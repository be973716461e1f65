/**
 * The JSON interchange format `tb export json` writes and `tb import json` reads, the same record
 * shape as `tb list --json` (src/render/records.ts): one array of objects
 * `{ "id", "type", "path"?, ...front matter..., "derived"?: {...}, "body"?: "..." }`.
 *
 * Front matter keys that would collide with those top-level names (`id`, `type`, `path`,
 * `derived`, `body`, `front_matter`) are written inside a `"front_matter"` object instead, and
 * merged back on import, so a custom field called `type` survives the round trip. `path` and
 * `derived` are ignored on import: the path follows from type and id, derived fields are recomputed.
 */
import { RECORD_TYPES, type RecordType } from '../core/types.js';
import { isValidSlug } from '../core/slug.js';
import { DataError } from '../errors.js';
import type { ImportIssue, ParseResult } from './types.js';
import type { JsonRecord } from '../core/import-shapes.js';

export type { JsonRecord } from '../core/import-shapes.js';

export interface JsonExportRecord extends JsonRecord {
  /** Root-relative file path; informative only, ignored on import. */
  path?: string;
  derived?: Record<string, unknown>;
}

const RESERVED_KEYS = new Set(['id', 'type', 'path', 'derived', 'body', 'front_matter']);
const SHADOW_KEY = 'front_matter';

/** Pretty-printed (2 spaces) with a trailing newline; key order: id, type, front matter, derived, body. */
export function toJsonExport(records: JsonExportRecord[]): string {
  return JSON.stringify(records.map(exportObject), null, 2) + '\n';
}

function exportObject(rec: JsonExportRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { id: rec.id, type: rec.type };
  if (rec.path !== undefined) out.path = rec.path;
  const shadowed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rec.data)) {
    if (RESERVED_KEYS.has(key)) setOwn(shadowed, key, value);
    else setOwn(out, key, value);
  }
  if (Object.keys(shadowed).length > 0) out[SHADOW_KEY] = shadowed;
  if (rec.derived !== undefined) out.derived = rec.derived;
  if (rec.body !== undefined) out.body = rec.body;
  return out;
}

/**
 * Reads an export. Text that is not a JSON array throws a DataError (nothing can be imported);
 * an element without a valid id or type, or repeating an earlier one, is reported on the line it
 * starts and skipped. `derived` is ignored: it is recomputed, never stored.
 */
export function parseJsonExport(text: string): ParseResult<JsonRecord> {
  const value = parseJson(text.replace(/^\uFEFF/, ''));
  if (!Array.isArray(value)) throw new DataError('a touchbase JSON export is an array of records', { line: 1 });
  const lines = elementLines(text);
  const issues: ImportIssue[] = [];
  const items: JsonRecord[] = [];
  const seen = new Set<string>();
  value.forEach((element: unknown, index) => {
    const line = lines[index] ?? 1;
    const result = importObject(element);
    if (typeof result === 'string') {
      issues.push({ line, message: `${result}; skipped` });
    } else if (seen.has(`${result.type}/${result.id}`)) {
      issues.push({ line, message: `${result.type} '${result.id}' appears twice; the later one is skipped` });
    } else {
      seen.add(`${result.type}/${result.id}`);
      items.push({ ...result, line });
    }
  });
  return { items, issues };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : undefined;
    throw new DataError(`not valid JSON: ${message}`, { line });
  }
}

/** The record, or why it cannot be imported. */
function importObject(element: unknown): JsonRecord | string {
  if (!isPlainObject(element)) return 'element is not an object';
  const { id, type, body } = element;
  if (typeof type !== 'string' || !RECORD_TYPES.includes(type as RecordType)) {
    return `unknown record type ${JSON.stringify(type)} (expected ${RECORD_TYPES.join(', ')})`;
  }
  if (typeof id !== 'string' || !isValidSlug(id)) return `invalid id ${JSON.stringify(id)}`;
  if (body !== undefined && typeof body !== 'string') return `body of ${type} '${id}' is not a string`;
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(element)) {
    if (!RESERVED_KEYS.has(key)) setOwn(data, key, value);
  }
  const shadowed = element[SHADOW_KEY];
  if (isPlainObject(shadowed)) for (const [key, value] of Object.entries(shadowed)) setOwn(data, key, value);
  return body === undefined ? { type, id, data } : { type, id, data, body };
}

/**
 * Sets an own property, also for a key named `__proto__` (a plain `obj[key] = v` would change the
 * object's prototype instead and the key would vanish from the export).
 */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1-based line where each element of the top-level array starts (scanning strings and nesting). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectingElement && !/\s/.test(ch) && ch !== ']') {
      lines.push(line);
      expectingElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectingElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectingElement = true;
  }
  return lines;
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}
