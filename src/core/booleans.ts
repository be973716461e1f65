/**
 * Boolean fields (`kind: 'boolean'` in core/schema.ts: a contact's do_not_contact, unsubscribed).
 * YAML and spreadsheets spell them many ways; every spelling below is read as the boolean it means
 * and written back as true/false by set, add and import. Anything else is an error (tb check, set,
 * import), never silently false: a `do_not_contact: 1` that read as false would be mailed. Pure.
 */
import type { FrontMatter } from './types.js';
import { SCHEMA, type FieldDeclaration } from './schema.js';

const TRUE = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off']);

/** The spellings accepted, for messages. */
export const BOOLEAN_SPELLINGS = 'true/false (also yes/no, y/n, 1/0, on/off)';

/** The boolean a value means, or undefined when it is no boolean spelling (or absent). */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  return TRUE.has(word) ? true : FALSE.has(word) ? false : undefined;
}

/** The boolean fields of each record type, from the schema. */
export const BOOLEAN_FIELDS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  SCHEMA.map((t) => [t.type, (t.fields as readonly FieldDeclaration[]).filter((f) => f.kind === 'boolean').map((f) => f.name)]),
);

/** Whether `key` is a boolean field of `type`. */
export function isBooleanField(type: string, key: string): boolean {
  return BOOLEAN_FIELDS[type]?.includes(key) ?? false;
}

/** `data` with every boolean field spelled another way written as true/false; other values kept (and refused later). */
export function normalizeBooleans(type: string, data: FrontMatter): FrontMatter {
  const keys = BOOLEAN_FIELDS[type] ?? [];
  if (!keys.some((k) => Object.hasOwn(data, k))) return data;
  const out: FrontMatter = { ...data };
  for (const k of keys) {
    if (!Object.hasOwn(out, k)) continue;
    const b = parseBoolean(out[k]);
    if (b !== undefined) out[k] = b;
  }
  return out;
}
