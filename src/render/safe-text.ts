/**
 * Text from files and imports shown on a terminal: control characters (ESC, NUL, BEL …, C1) and
 * the invisible bidirectional overrides (U+202E …) are shown escaped (`\x1b`, `\u202e`), so a
 * record cannot clear the screen, set the window title or reorder what is displayed
 * (docs/reliability.md). Newlines and tabs are kept where the caller keeps lines.
 */
import type { CrmRecord } from '../core/types.js';

// Control characters (C0 but tab and newline, DEL, C1) and bidi embeddings, overrides, isolates and marks.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every unsafe character shown escaped. */
export function terminalSafe(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/** A value (string, list, object) with every string in it made terminalSafe; keys too. */
export function terminalSafeValue<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map(terminalSafeValue) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, terminalSafe(k), { value: terminalSafeValue(v), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return value;
}

/** A record ready for terminal output: front matter and body made safe (paths and ids are slugs). */
export function terminalSafeRecord(rec: CrmRecord): CrmRecord {
  return { ...rec, data: terminalSafeValue(rec.data), body: rec.body === undefined ? undefined : terminalSafe(rec.body) };
}
