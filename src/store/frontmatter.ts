/**
 * Reading front matter safely. YAML only, core schema (dates stay strings), never a JavaScript
 * engine; alias bombs, deep nesting, merge conflicts and binary files are refused with a line.
 */
import yaml from 'js-yaml';
import { DataError } from '../errors.js';
import type { FrontMatter } from '../core/types.js';

export interface ParsedFile {
  data: FrontMatter;
  body: string;
  /** Whether the file had a front matter block at all. */
  hasFrontMatter: boolean;
  /** The raw front matter text (between the fences). */
  frontMatterText: string;
}

const MAX_NODES = 20_000;
const MAX_DEPTH = 32;
// `=======` alone is also a Markdown setext heading underline, so only the outer markers count.
const CONFLICT_MARKER = /^(<{7}|>{7})(\s|$)/m;

/** Raised for any unreadable file; carries the 1-based line. */
export function fileError(path: string, line: number, message: string): DataError {
  return new DataError(message, { path, line });
}

/** A file over `max_file_size`: not even read. */
export function oversizeError(path: string, size: number, maxSize: number): DataError {
  return fileError(path, 0, `file is ${size} bytes, over the ${maxSize}-byte limit; not parsed`);
}

/** [line, message] of a file that could not be read or parsed. */
export function problemOf(err: unknown): [number, string] {
  if (err instanceof DataError) return [err.line ?? 0, err.message];
  return [0, `cannot read: ${(err as Error).message}`];
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes bytes as UTF-8, refusing binary and invalid encodings. */
export function decodeText(buf: Buffer, path: string): string {
  if (buf.includes(0)) throw fileError(path, 0, 'binary file (contains NUL bytes)');
  try {
    return UTF8.decode(buf);
  } catch {
    throw fileError(path, 0, 'not valid UTF-8 text');
  }
}

/**
 * Walks parsed YAML with a node budget: a billion-laughs document shares one object many times,
 * so walking it expands exponentially and trips the budget quickly.
 */
function assertBounded(value: unknown, path: string): void {
  let nodes = 0;
  const walk = (v: unknown, depth: number): void => {
    if (++nodes > MAX_NODES) throw fileError(path, 1, 'front matter too large or uses YAML aliases that expand too far');
    if (depth > MAX_DEPTH) throw fileError(path, 1, `front matter nested deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(value, 0);
}

/** Cheap pre-check so a pathological `[[[[[…` never reaches the recursive parser. */
function assertShallow(text: string, path: string, firstLine: number): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > MAX_DEPTH) throw fileError(path, firstLine + lineOfOffset(text, i) - 1, `front matter nested deeper than ${MAX_DEPTH} levels`);
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
}

/** Parses YAML text with the core schema. `firstLine` is the file line of the text's first line. */
export function parseYaml(text: string, path: string, firstLine = 1): unknown {
  assertShallow(text, path, firstLine);
  let data: unknown;
  try {
    data = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: path, json: false });
  } catch (err) {
    if (err instanceof yaml.YAMLException) {
      const line = firstLine + (err.mark?.line ?? 0);
      throw fileError(path, line, `invalid YAML: ${err.reason ?? err.message}`);
    }
    if (err instanceof RangeError) throw fileError(path, firstLine, 'front matter nested too deeply');
    throw fileError(path, firstLine, `invalid YAML: ${(err as Error).message}`);
  }
  assertBounded(data, path);
  return data;
}

// ---------------------------------------------------------------------------------------------
// The shape tb itself writes, without the YAML parser.

// A simple line is `key: value` with a plain key, `^([A-Za-z][A-Za-z0-9_-]*):(?: (.*))?$`, the
// value possibly empty: simpleKeyLength and LINE_BREAK check it without a match array per line.
const LINE_BREAK = /[\r\u2028\u2029]/;
/** Keys YAML resolves to another string (`True:` is the key "true"). */
const RESOLVED_KEY = /^(?:true|false|null)$/i;
/** A plain scalar that YAML's core schema can only read as this very string. */
// A comma is plain text in a block value (`summary: Lunch, then a call`); a flow list's items are
// split at commas before they get here.
const SAFE_WORD = /^[\p{L}_][\p{L}\p{M}\p{N} _.,@/+\-'()&]*$/u;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?$/;
const PLAIN_INT = /^-?(?:0|[1-9]\d{0,14})$/;
const PLAIN_FLOAT = /^-?(?:0|[1-9]\d{0,14})\.\d{1,15}$/;
const NOT_SIMPLE = Symbol('not simple');
/** Control and special characters YAML may refuse or treat as breaks: left to the YAML parser. */
const UNUSUAL_CHAR = /[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
const MAX_SIMPLE_ITEMS = 1000;

/** YAML's blanks are spaces (tabs never reach here); String.trim would also eat U+00A0 and friends. */
function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === ' ') a++;
  while (b > a && s[b - 1] === ' ') b--;
  return s.slice(a, b);
}

/** One scalar, or NOT_SIMPLE when only the YAML parser can say what it means. */
function simpleScalar(s: string): string | number | boolean | null | typeof NOT_SIMPLE {
  if (s === '' || s[0] === ' ' || s[s.length - 1] === ' ') return NOT_SIMPLE;
  const q = s[0];
  if (q === '"' || q === "'") {
    // Quoted, without escapes or inner quotes: the text between the quotes.
    const inner = s.slice(1, -1);
    return s.length >= 2 && s[s.length - 1] === q && !inner.includes(q) && !inner.includes('\\') && !UNUSUAL_CHAR.test(inner) ? inner : NOT_SIMPLE;
  }
  switch (s) {
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
    case 'null': case 'Null': case 'NULL': case '~': return null;
  }
  const c = s.charCodeAt(0);
  if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
    // Dates and numbers start so; a safe word never does.
    if (ISO_DATE_TIME.test(s)) return s;
    if (PLAIN_INT.test(s) || PLAIN_FLOAT.test(s)) {
      const n = Number(s);
      return Object.is(n, -0) ? NOT_SIMPLE : n; // YAML reads '-0' as 0 but '-0.0' as -0: not worth copying
    }
    return NOT_SIMPLE;
  }
  return isSafeWord(s) ? s : NOT_SIMPLE;
}

/** Bit per ASCII code: may appear in a safe word after its first character (SAFE_WORD). */
const SAFE_ASCII = new Uint8Array(128);
for (let k = 0; k < 128; k++) SAFE_ASCII[k] = /[A-Za-z0-9 _.,@/+\-'()&]/.test(String.fromCharCode(k)) ? 1 : 0;

/** SAFE_WORD without two spaces in a row; an ASCII-only word is checked without the regex (the bulk of a load). */
function isSafeWord(s: string): boolean {
  const first = s.charCodeAt(0);
  if (first >= 128) return SAFE_WORD.test(s) && !s.includes('  ');
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 95)) return false;
  for (let k = 1; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 128) return SAFE_WORD.test(s) && !s.includes('  ');
    if (SAFE_ASCII[c] === 0 || (c === 32 && s.charCodeAt(k - 1) === 32)) return false;
  }
  return true;
}

/** Length of the plain key a `key: value` line starts with, or 0 when it has none. */
function simpleKeyLength(line: string): number {
  const first = line.charCodeAt(0);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return 0;
  for (let k = 1; k < line.length; k++) {
    const c = line.charCodeAt(k);
    if (c === 58 /* : */) return k + 1 === line.length || line.charCodeAt(k + 1) === 32 ? k : 0;
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return 0;
  }
  return 0;
}

/** Keys YAML resolves to another string (RESOLVED_KEY), tested only when the length can match. */
function isResolvedKey(key: string): boolean {
  return (key.length === 4 || key.length === 5) && RESOLVED_KEY.test(key);
}

/** `[a, "b c", 3]` on one line; NOT_SIMPLE for anything nested, empty items or odd quoting. */
function simpleFlowList(s: string): unknown[] | typeof NOT_SIMPLE {
  const inner = trimSpaces(s.slice(1, -1));
  if (inner === '') return [];
  const items: unknown[] = [];
  let i = 0;
  while (i <= inner.length) {
    let end: number;
    const q = inner[i];
    if (q === '"' || q === "'") {
      const close = inner.indexOf(q, i + 1);
      if (close < 0) return NOT_SIMPLE;
      end = close + 1;
    } else {
      end = inner.indexOf(',', i);
      if (end < 0) end = inner.length;
    }
    const v = simpleScalar(trimSpaces(inner.slice(i, end)));
    if (v === NOT_SIMPLE || items.length >= MAX_SIMPLE_ITEMS) return NOT_SIMPLE;
    items.push(v);
    // After an item: the end, or a comma and the next item.
    let j = end;
    while (inner[j] === ' ') j++;
    if (j >= inner.length) return items;
    if (inner[j] !== ',') return NOT_SIMPLE;
    i = j + 1;
    while (inner[i] === ' ') i++;
    if (i >= inner.length) return NOT_SIMPLE; // a trailing comma: let YAML decide
  }
  return items;
}

/**
 * Front matter made only of `key: scalar` and `key: [flow, list]` lines — what tb writes, and the
 * bulk of any CRM — read without the YAML parser, about ten times faster (the largest cost of a
 * load without the index). Every value is one that YAML's core schema could only read the same
 * way; anything else (comments, nesting, quoting with escapes, numbers in odd notations, tabs,
 * duplicate keys …) returns undefined and the YAML parser reads the whole text.
 */
export function parseSimpleFrontMatter(text: string): FrontMatter | undefined {
  if (text.includes('\t')) return undefined;
  const out: FrontMatter = {};
  let nodes = 1; // as assertBounded counts them: the mapping, each value, each list item
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') continue;
    const keyLength = simpleKeyLength(line);
    if (keyLength === 0) return undefined;
    const key = line.slice(0, keyLength);
    if (isResolvedKey(key) || Object.prototype.hasOwnProperty.call(out, key)) return undefined;
    // Line breaks YAML knows beyond \n: leave those to YAML.
    const raw = line.slice(keyLength + 2);
    if (LINE_BREAK.test(raw)) return undefined;
    let value: unknown;
    if (raw === '') value = null;
    else if (raw[0] === '[' && raw[raw.length - 1] === ']') value = simpleFlowList(raw);
    else value = simpleScalar(raw);
    if (value === NOT_SIMPLE) return undefined;
    nodes += 1 + (Array.isArray(value) ? value.length : 0);
    if (nodes > MAX_NODES) return undefined; // the YAML path refuses it, with its message
    out[key] = value;
  }
  return out;
}

/** A file with git's conflict markers is refused at the first marker's line. */
export function refuseConflict(text: string, path: string): void {
  const conflict = CONFLICT_MARKER.exec(text);
  if (conflict) throw fileError(path, lineOfOffset(text, conflict.index), 'git merge conflict marker; resolve the conflict first');
}

/**
 * Splits a Markdown file into front matter and body and parses the front matter.
 * `---` alone opens YAML; `---yaml` too; any other language tag (`---js`) is refused, never run.
 */
export function parseRecordText(raw: string, path: string): ParsedFile {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  refuseConflict(text, path);
  // `----…` is a Markdown thematic break, not a fence (as gray-matter reads it).
  const open = /^---(?!-)([^\r\n]*)\r?\n/.exec(text);
  if (!open) {
    if (/^---(?!-)[^\r\n]*$/.test(text)) throw fileError(path, 1, 'front matter is not closed with ---');
    return { data: {}, body: text, hasFrontMatter: false, frontMatterText: '' };
  }
  const lang = open[1].trim().toLowerCase();
  if (lang !== '' && lang !== 'yaml' && lang !== 'yml') {
    throw fileError(path, 1, `front matter language '${open[1].trim()}' is not allowed; only YAML is read (nothing is executed)`);
  }
  const start = open[0].length;
  const close = /^(---|\.\.\.)[ \t]*(\r?\n|$)/m;
  close.lastIndex = 0;
  const rest = text.slice(start);
  const m = close.exec(rest);
  if (!m) throw fileError(path, 1, 'front matter is not closed with ---');
  const fm = rest.slice(0, m.index);
  const body = rest.slice(m.index + m[0].length);
  const parsed = fm.trim() === '' ? {} : (parseSimpleFrontMatter(fm) ?? parseYaml(fm, path, 2));
  if (parsed === null || parsed === undefined) return { data: {}, body, hasFrontMatter: true, frontMatterText: fm };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw fileError(path, 2, 'front matter must be a mapping of keys to values');
  }
  return { data: parsed as FrontMatter, body, hasFrontMatter: true, frontMatterText: fm };
}

/** The 1-based file line of a top-level key in front matter text, or 1 when not found. */
export function keyLine(frontMatterText: string, key: string): number {
  const lines = frontMatterText.split('\n');
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^["']?${escaped}["']?\\s*:`);
  const idx = lines.findIndex((l) => re.test(l));
  return idx >= 0 ? idx + 2 : 1;
}
