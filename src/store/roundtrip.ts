/**
 * Round-trip edits of one file's front matter. The yaml package's Document API locates each key's
 * exact source range; only the touched key's text is replaced, so comments, unknown keys, key
 * order, quoting elsewhere and the Markdown body stay byte-identical.
 */
import yaml from 'js-yaml';
import { Document, isCollection, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Node, Pair } from 'yaml';
import { DataError } from '../errors.js';
import { parseRecordText, parseYaml } from './frontmatter.js';

export type FrontMatterEdit = { key: string; value: unknown } | { key: string; remove: true };

interface Split {
  head: string;
  fm: string;
  tail: string;
}

function splitFile(text: string, path: string): Split {
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = bom ? text.slice(1) : text;
  // The same fences the reader accepts (`---`, `---yaml`, `---YAML` …): never a second opinion.
  const open = /^---[ \t]*(?:ya?ml)?[ \t]*(\r?\n)/i.exec(body);
  if (!open) return { head: `${bom}---\n`, fm: '', tail: `---\n${body}` };
  const rest = body.slice(open[0].length);
  const close = /^(---|\.\.\.)[ \t]*(\r?\n|$)/m.exec(rest);
  if (!close) throw new DataError('front matter is not closed with ---', { path, line: 1 });
  return { head: bom + open[0], fm: rest.slice(0, close.index), tail: rest.slice(close.index) };
}

/**
 * The yaml writer and the js-yaml reader disagree on a few plain scalars (`0b11`, `+0x1` read back
 * as numbers): double-quote every string the reader would not read back as that same string.
 */
export function quoteAmbiguousStrings(doc: Document): void {
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== 'string' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return;
      let back: unknown;
      try {
        back = yaml.load(node.value, { schema: yaml.CORE_SCHEMA });
      } catch {
        return;
      }
      if (typeof back !== 'string' && back !== undefined) node.type = 'QUOTE_DOUBLE';
    },
  });
}

/** Renders `value` as YAML in the style of the node it replaces (flow stays flow). */
function renderPair(keyText: string, value: unknown, flow: boolean, doubleQuote = false): string {
  const doc = new Document({ k: value }, { version: '1.2' });
  if (isMap(doc.contents)) {
    const v = (doc.contents.items[0] as Pair).value;
    if (flow && isCollection(v)) v.flow = true;
    if (doubleQuote && isScalar(v) && typeof v.value === 'string') v.type = 'QUOTE_DOUBLE';
  }
  quoteAmbiguousStrings(doc);
  const rendered = doc.toString({ lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
  return keyText + rendered.slice(1);
}

function nodeRange(n: unknown): [number, number, number] | undefined {
  return (n as Node | null)?.range ?? undefined;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
}

function applyEdit(fm: string, edit: FrontMatterEdit, path: string): string {
  const doc = parseDocument(fm, { version: '1.2', schema: 'core', keepSourceTokens: false });
  if (doc.errors.length) throw new DataError(`cannot edit: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`, { path, line: (doc.errors[0].linePos?.[0].line ?? 0) + 1 });
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) throw new DataError('cannot edit: front matter is not a mapping', { path, line: 2 });
  if (contents?.flow) throw new DataError('cannot edit front matter written as one {…} mapping; put one key per line first', { path, line: 2 });
  const pair = contents?.items.find((p) => isScalar(p.key) && String(p.key.value) === edit.key);
  if (!pair) {
    if ('remove' in edit) return fm;
    const prefix = fm === '' || fm.endsWith('\n') ? fm : `${fm}\n`;
    // New keys follow the style of new files: a list of plain values is written `[a, b]`.
    const scalarList = Array.isArray(edit.value) && edit.value.every((v) => v === null || typeof v !== 'object');
    return `${prefix}${renderPair(edit.key, edit.value, scalarList)}\n`;
  }
  const keyRange = nodeRange(pair.key)!;
  const valueRange = nodeRange(pair.value);
  const start = keyRange[0];
  // valueEnd excludes a trailing comment on the same line, which is kept.
  let end = valueRange ? valueRange[1] : keyRange[1];
  if (!valueRange) {
    // `key:` with no value: the colon follows the key.
    const colon = fm.indexOf(':', keyRange[1]);
    end = colon >= 0 ? colon + 1 : keyRange[1];
  }
  if ('remove' in edit) {
    const from = lineStart(fm, start);
    const to = lineEnd(fm, Math.max(start, (valueRange?.[2] ?? end) - 1));
    return fm.slice(0, from) + fm.slice(to);
  }
  const appended = appendToBlockSeq(fm, pair.value, edit.value);
  if (appended !== undefined) return appended;
  const keyText = fm.slice(keyRange[0], keyRange[1]);
  const flow = isCollection(pair.value) ? Boolean(pair.value.flow) : false;
  let rendered = renderPair(keyText, edit.value, flow);
  // A block collection's range ends after its last newline; keep that newline.
  if (end > 0 && fm[end - 1] === '\n' && !rendered.endsWith('\n')) rendered += '\n';
  return fm.slice(0, start) + rendered + fm.slice(end);
}

/**
 * A list that only grows at the end (a deal's `history`, `emails+=…`) in block style: the new items
 * are inserted after the last one, in the style of that item (`- { date: …, stage: … }` stays a
 * flow map, a block map stays a block map), so the existing entries, their comments and everything
 * around them stay byte-identical. Undefined when the edit is not such an append.
 */
function appendToBlockSeq(fm: string, node: unknown, value: unknown): string | undefined {
  if (!isSeq(node) || node.flow || !node.items.length || !Array.isArray(value)) return undefined;
  const old = node.toJSON() as unknown[];
  if (value.length <= old.length) return undefined;
  for (let i = 0; i < old.length; i++) if (JSON.stringify(old[i]) !== JSON.stringify(value[i])) return undefined;
  const last = node.items[node.items.length - 1];
  const lastRange = nodeRange(last);
  if (!lastRange) return undefined;
  const start = lineStart(fm, lastRange[0]);
  const prefix = fm.slice(start, lastRange[0]);
  if (!/^[ ]*-[ ]+$/.test(prefix)) return undefined;
  const indent = ' '.repeat(prefix.length);
  const flow = isCollection(last) && Boolean(last.flow);
  const padded = flow && /^[[{][ ]/.test(fm.slice(lastRange[0]));
  const lines = value.slice(old.length).map((item) => {
    const doc = new Document(item, { version: '1.2' });
    if (flow && isCollection(doc.contents)) doc.contents.flow = true;
    const text = doc.toString({ lineWidth: 0, flowCollectionPadding: padded }).replace(/\n$/, '');
    return prefix + text.split('\n').join(`\n${indent}`) + '\n';
  });
  let at = lineEnd(fm, Math.max(lastRange[0], lastRange[1] - 1));
  // Comment lines indented under the last item belong to it: keep them before the new items.
  while (at < fm.length) {
    const next = fm.slice(at, lineEnd(fm, at));
    if (!new RegExp(`^${indent}[ ]*#`).test(next)) break;
    at += next.length;
  }
  const before = fm.slice(0, at);
  return (before.endsWith('\n') || before === '' ? before : `${before}\n`) + lines.join('') + fm.slice(at);
}

/** Applies edits to the file text and returns the new text. Verifies the result parses. */
export function editFrontMatter(text: string, edits: FrontMatterEdit[], path: string): string {
  // Refuse to edit a file we cannot read ourselves: never guess at a broken file.
  parseRecordText(text, path);
  const split = splitFile(text, path);
  let fm = split.fm;
  for (const edit of edits) fm = applyEdit(fm, edit, path);
  // A file with CRLF line ends keeps them on the lines an edit adds.
  if (split.fm.includes('\r\n')) fm = fm.replace(/\r?\n/g, '\r\n');
  const result = split.head + fm + split.tail;
  verifyEdit(parseRecordText(text, path), parseRecordText(result, path), edits, path);
  return result;
}

/** Structural equality of parsed YAML values (key order does not matter). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The safety net under every splice: the edited keys read back as intended, every other key reads
 * back exactly as before, and the body is byte-identical. Anything else is refused, never written.
 */
function verifyEdit(before: { data: Record<string, unknown>; body: string }, after: { data: Record<string, unknown>; body: string }, edits: FrontMatterEdit[], path: string): void {
  const expected: Record<string, unknown> = { ...before.data };
  for (const edit of edits) {
    if ('remove' in edit) delete expected[edit.key];
    else expected[edit.key] = JSON.parse(JSON.stringify(edit.value)) as unknown;
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(after.data)]);
  for (const key of keys) {
    if (!same(expected[key], after.data[key])) throw new DataError(`refusing an edit that would change '${key}' unexpectedly; the file is unchanged`, { path });
  }
  if (before.body !== after.body) throw new DataError('refusing an edit that would change the body; the file is unchanged', { path });
}

/**
 * Sets (or with `value === undefined` removes) `parent.key` in a whole YAML file such as
 * touchbase.yaml, splicing only that entry's text so comments and layout elsewhere survive.
 * String values are double-quoted: they are usually queries, which read best quoted.
 */
export function editYamlEntry(text: string, path: string, parent: string, key: string, value: unknown): string {
  const result = spliceYamlEntry(text, path, parent, key, value);
  const before = (parseYaml(text, path) ?? {}) as Record<string, unknown>;
  const after = (parseYaml(result, path) ?? {}) as Record<string, unknown>;
  const expected: Record<string, unknown> = { ...before };
  const section = { ...((before[parent] as Record<string, unknown> | null) ?? {}) };
  if (value === undefined) delete section[key];
  else section[key] = value;
  expected[parent] = section;
  if (!Object.keys(section).length && !(parent in after)) delete expected[parent];
  if (!same(expected, after)) throw new DataError(`refusing an edit of ${parent}.${key} that would change other settings; the file is unchanged`, { path });
  return result;
}

/** A list or mapping spliced into an indented entry is written on one line (`{query: …, type: deals}`). */
function isNested(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function spliceYamlEntry(text: string, path: string, parent: string, key: string, value: unknown): string {
  const doc = parseDocument(text, { version: '1.2', schema: 'core' });
  if (doc.errors.length) throw new DataError(`cannot edit: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`, { path, line: (doc.errors[0].linePos?.[0].line ?? 0) + 1 });
  const root = doc.contents;
  if (root !== null && !isMap(root)) throw new DataError('cannot edit: the file is not a mapping', { path, line: 1 });
  const parentPair = root?.items.find((p) => isScalar(p.key) && String(p.key.value) === parent);
  const map = parentPair && isMap(parentPair.value) ? parentPair.value : undefined;
  const current: Record<string, unknown> = map ? (map.toJSON() as Record<string, unknown>) : {};
  if (!map || map.flow) {
    // No block mapping to splice into: rewrite the parent entry as a whole (it holds no comments).
    if (value === undefined && !(key in current)) return text;
    const next = { ...current };
    if (value === undefined) delete next[key];
    else next[key] = value;
    return applyEdit(text, Object.keys(next).length || !parentPair ? { key: parent, value: next } : { key: parent, remove: true }, path);
  }
  const child = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (child) {
    const keyRange = nodeRange(child.key)!;
    const valueRange = nodeRange(child.value);
    // Removing the last entry leaves `parent: {}` (as touchbase.yaml writes `fields: {}`), not a
    // bare `parent:` that reads as null instead of an empty mapping.
    if (value === undefined && map.items.length === 1) return applyEdit(text, { key: parent, value: {} }, path);
    if (value === undefined) {
      const from = lineStart(text, keyRange[0]);
      const to = lineEnd(text, Math.max(keyRange[0], (valueRange?.[2] ?? keyRange[1]) - 1));
      return text.slice(0, from) + text.slice(to);
    }
    const end = valueRange ? valueRange[1] : keyRange[1] + 1;
    let rendered = renderPair(text.slice(keyRange[0], keyRange[1]), value, isNested(value), true);
    // A block scalar's range ends after its newline; keep that newline.
    if (end > 0 && text[end - 1] === '\n') rendered += '\n';
    return text.slice(0, keyRange[0]) + rendered + text.slice(end);
  }
  if (value === undefined) return text;
  const first = nodeRange(map.items[0].key)!;
  const indent = ' '.repeat(first[0] - lineStart(text, first[0]));
  const last = map.items[map.items.length - 1];
  const lastEnd = nodeRange(last.value)?.[1] ?? nodeRange(last.key)![1];
  const insertAt = lineEnd(text, Math.max(0, lastEnd - 1));
  const prefix = insertAt > 0 && text[insertAt - 1] !== '\n' ? '\n' : '';
  return `${text.slice(0, insertAt)}${prefix}${indent}${renderPair(key, value, isNested(value), true)}\n${text.slice(insertAt)}`;
}
