/**
 * Round-trip edits of one file's front matter. The yaml package's Document API locates each key's
 * exact source range; only the touched key's text is replaced, so comments, unknown keys, key
 * order, quoting elsewhere and the Markdown body stay byte-identical.
 */
import { Document, isCollection, isMap, isScalar, parseDocument } from 'yaml';
import type { Node, Pair } from 'yaml';
import { DataError } from '../errors.js';
import { parseRecordText } from './frontmatter.js';

export type FrontMatterEdit = { key: string; value: unknown } | { key: string; remove: true };

interface Split {
  head: string;
  fm: string;
  tail: string;
}

function splitFile(text: string, path: string): Split {
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = bom ? text.slice(1) : text;
  const open = /^---[ \t]*(?:ya?ml)?[ \t]*(\r?\n)/.exec(body);
  if (!open) return { head: `${bom}---\n`, fm: '', tail: `---\n${body}` };
  const rest = body.slice(open[0].length);
  const close = /^(---|\.\.\.)[ \t]*(\r?\n|$)/m.exec(rest);
  if (!close) throw new DataError('front matter is not closed with ---', { path, line: 1 });
  return { head: bom + open[0], fm: rest.slice(0, close.index), tail: rest.slice(close.index) };
}

/** Renders `value` as YAML in the style of the node it replaces (flow stays flow). */
function renderPair(keyText: string, value: unknown, flow: boolean, doubleQuote = false): string {
  const doc = new Document({ k: value }, { version: '1.2' });
  if (isMap(doc.contents)) {
    const v = (doc.contents.items[0] as Pair).value;
    if (flow && isCollection(v)) v.flow = true;
    if (doubleQuote && isScalar(v) && typeof v.value === 'string') v.type = 'QUOTE_DOUBLE';
  }
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
  const pair = contents?.items.find((p) => isScalar(p.key) && String(p.key.value) === edit.key);
  if (!pair) {
    if ('remove' in edit) return fm;
    const prefix = fm === '' || fm.endsWith('\n') ? fm : `${fm}\n`;
    return `${prefix}${renderPair(edit.key, edit.value, false)}\n`;
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
  const keyText = fm.slice(keyRange[0], keyRange[1]);
  const flow = isCollection(pair.value) ? Boolean(pair.value.flow) : false;
  let rendered = renderPair(keyText, edit.value, flow);
  // A block collection's range ends after its last newline; keep that newline.
  if (end > 0 && fm[end - 1] === '\n' && !rendered.endsWith('\n')) rendered += '\n';
  return fm.slice(0, start) + rendered + fm.slice(end);
}

/** Applies edits to the file text and returns the new text. Verifies the result parses. */
export function editFrontMatter(text: string, edits: FrontMatterEdit[], path: string): string {
  // Refuse to edit a file we cannot read ourselves: never guess at a broken file.
  parseRecordText(text, path);
  const split = splitFile(text, path);
  let fm = split.fm;
  for (const edit of edits) fm = applyEdit(fm, edit, path);
  const result = split.head + fm + split.tail;
  const check = parseRecordText(result, path).data;
  for (const edit of edits) {
    const got = check[edit.key];
    const want = 'remove' in edit ? undefined : edit.value;
    if (JSON.stringify(got) !== JSON.stringify(want === undefined ? undefined : JSON.parse(JSON.stringify(want)))) {
      throw new DataError(`internal error: edit of '${edit.key}' did not round-trip`, { path });
    }
  }
  return result;
}

/**
 * Sets (or with `value === undefined` removes) `parent.key` in a whole YAML file such as
 * touchbase.yaml, splicing only that entry's text so comments and layout elsewhere survive.
 * String values are double-quoted: they are usually queries, which read best quoted.
 */
export function editYamlEntry(text: string, path: string, parent: string, key: string, value: unknown): string {
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
    if (value === undefined) {
      const from = lineStart(text, keyRange[0]);
      const to = lineEnd(text, Math.max(keyRange[0], (valueRange?.[2] ?? keyRange[1]) - 1));
      return text.slice(0, from) + text.slice(to);
    }
    const end = valueRange ? valueRange[1] : keyRange[1] + 1;
    return text.slice(0, keyRange[0]) + renderPair(text.slice(keyRange[0], keyRange[1]), value, false, true) + text.slice(end);
  }
  if (value === undefined) return text;
  const first = nodeRange(map.items[0].key)!;
  const indent = ' '.repeat(first[0] - lineStart(text, first[0]));
  const last = map.items[map.items.length - 1];
  const lastEnd = nodeRange(last.value)?.[1] ?? nodeRange(last.key)![1];
  const insertAt = lineEnd(text, Math.max(0, lastEnd - 1));
  const prefix = insertAt > 0 && text[insertAt - 1] !== '\n' ? '\n' : '';
  return `${text.slice(0, insertAt)}${prefix}${indent}${renderPair(key, value, false, true)}\n${text.slice(insertAt)}`;
}
