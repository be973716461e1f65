/**
 * The mechanical part of `tb check --fix`: text-level repairs of one record file that keep every
 * other byte (comments, key order, quoting, the body).
 */
import { linkTarget } from '../core/validate.js';
import { REFERENCE_KEYS } from '../core/schema.js';
import { parseRecordText } from './frontmatter.js';
import { editFrontMatter, type FrontMatterEdit } from './roundtrip.js';

export interface FixResult {
  text: string;
  changes: string[];
}

/** Every key a reference is stored under, on any type (core/schema.ts). */
const LINK_KEYS = Object.keys(REFERENCE_KEYS);

/** The edit that turns `[[links]]` under `key` into plain ids, if any are there. */
function linkEdit(key: string, value: unknown): { edit: FrontMatterEdit; change: string } | undefined {
  const whole = linkTarget(value);
  if (whole !== undefined) {
    // `contacts: [[ada]]` is a one-element list of contacts; `company: [[acme]]` is one id.
    const next = key === 'contacts' || key === 'contact' ? (Array.isArray(value) ? [whole] : whole) : whole;
    return { edit: { key, value: next }, change: `${key}: [[${whole}]] → ${whole}` };
  }
  if (!Array.isArray(value)) return undefined;
  const items: unknown[] = value;
  const targets = items.map((item) => linkTarget(item));
  if (targets.every((t) => t === undefined)) return undefined;
  const next = items.map((item, i) => targets[i] ?? item);
  const changed = targets.filter((t): t is string => t !== undefined).map((t) => `[[${t}]] → ${t}`);
  return { edit: { key, value: next }, change: `${key}: ${changed.join(', ')}` };
}

/** The file's line range [first, last] (0-based, inclusive) from the opening to the closing fence. */
function frontMatterLines(lines: string[]): [number, number] | undefined {
  if (!/^\ufeff?---/.test(lines[0] ?? '')) return undefined;
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)[ \t]*\r?$/.test(l));
  return close > 0 ? [0, close] : undefined;
}

function sameData(a: string, b: string): boolean {
  try {
    return JSON.stringify(parseRecordText(a, '').data) === JSON.stringify(parseRecordText(b, '').data);
  } catch {
    return false;
  }
}

/**
 * Trims trailing blanks on front matter lines. Inside a block scalar (`|`) trailing blanks are
 * part of the value, so a trim that would change the parsed data is left alone.
 */
function trimTrailingBlanks(text: string, changes: string[]): string {
  const lines = text.split('\n');
  const range = frontMatterLines(lines);
  if (!range) return text;
  const candidates: number[] = [];
  for (let i = range[0]; i <= range[1]; i++) if (/[ \t]+\r?$/.test(lines[i])) candidates.push(i);
  if (!candidates.length) return text;
  const trim = (line: string) => line.replace(/[ \t]+(\r?)$/, '$1');
  const all = lines.map((l, i) => (candidates.includes(i) ? trim(l) : l)).join('\n');
  let accepted = candidates;
  let result = all;
  if (!sameData(text, all)) {
    accepted = [];
    let current = lines.slice();
    for (const i of candidates) {
      const next = current.slice();
      next[i] = trim(next[i]);
      if (sameData(text, next.join('\n'))) {
        current = next;
        accepted.push(i);
      }
    }
    result = current.join('\n');
  }
  for (const i of accepted) changes.push(`line ${i + 1}: removed trailing whitespace`);
  return result;
}

/**
 * The mechanical part of `tb check --fix` for one file: `[[links]]` in reference fields become
 * plain ids and trailing blanks on front matter lines go. Nothing else changes: comments, key
 * order, quoting and the body stay byte-identical. Throws DataError for a file that does not parse.
 */
export function fixRecordText(text: string, path = ''): FixResult {
  const changes: string[] = [];
  const parsed = parseRecordText(text, path);
  if (!parsed.hasFrontMatter) return { text, changes };
  let result = trimTrailingBlanks(text, changes);
  const edits: FrontMatterEdit[] = [];
  for (const key of LINK_KEYS) {
    if (!(key in parsed.data)) continue;
    const found = linkEdit(key, parsed.data[key]);
    if (found) {
      edits.push(found.edit);
      changes.push(found.change);
    }
  }
  if (edits.length) result = editFrontMatter(result, edits, path);
  return { text: result, changes };
}
