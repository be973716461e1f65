/**
 * Control characters in record values: ESC, NUL, BEL … and the invisible bidirectional overrides
 * (U+202E) that make a terminal clear its screen or show text reordered. `tb add` refuses them in
 * names, `tb import` drops them, `tb check` warns (docs/reliability.md).
 */
import type { FrontMatter } from './types.js';

// C0 but tab and newline, DEL, C1, bidi embeddings/overrides/isolates.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function hasControlChars(text: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text);
}

export function stripControlChars(text: string): string {
  return text.replace(CONTROL, '');
}

/** The keys (top level) whose values hold control characters anywhere inside. */
export function keysWithControlChars(data: FrontMatter): string[] {
  const bad = (v: unknown): boolean =>
    typeof v === 'string' ? hasControlChars(v) : Array.isArray(v) ? v.some(bad) : v !== null && typeof v === 'object' ? Object.entries(v).some(([k, x]) => hasControlChars(k) || bad(x)) : false;
  return Object.keys(data).filter((k) => hasControlChars(k) || bad(data[k]));
}

/** A value with control characters removed from every string in it. */
export function withoutControlChars<T>(value: T): T {
  if (typeof value === 'string') return stripControlChars(value) as T;
  if (Array.isArray(value)) return value.map(withoutControlChars) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, stripControlChars(k), { value: withoutControlChars(v), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return value;
}

/**
 * Git's conflict markers at a line start make a record file unreadable (tb refuses it as an
 * unresolved merge); a backslash before them keeps the text readable and the file a record.
 */
export function escapeConflictMarkers(text: string): string {
  return text.replace(/^(<{7}|>{7}|={7})/gm, '\\$1');
}
