/** Turning command-line text into front matter values. Pure. */
import yaml from 'js-yaml';
import { UsageError } from '../errors.js';

/**
 * `9` → 9, `true` → true, `[a, b]` → ['a','b'], anything else stays a string. Dates stay strings
 * (core schema). Mappings are not accepted from the command line: they would be too easy to make
 * by accident (`note=a: b`).
 */
export function parseCliValue(text: string): unknown {
  if (text === '') return '';
  const trimmed = text.trim();
  try {
    const v = yaml.load(text, { schema: yaml.CORE_SCHEMA });
    if (v === null || v === undefined) return text;
    // Only `[a, b]` is a list; `- x` (YAML's other way to write one) is text, as typed.
    if (Array.isArray(v)) return trimmed.startsWith('[') ? v.map((x) => (x !== null && typeof x === 'object' ? String(x) : x)) : trimmed;
    if (typeof v === 'object') return text;
    if (typeof v === 'string') return text.trim();
    // Only a number written the way it reads ("9", "-2.5") becomes a number: "01234", "+4930…",
    // "0x10" and 20-digit ids stay text, as the user typed them.
    if (typeof v === 'number' && String(v) !== text.trim()) return text.trim();
    return v;
  } catch {
    return text;
  }
}

/** `key=value` pairs from --set. */
export function parseAssignment(text: string): { key: string; value: unknown } {
  const i = text.indexOf('=');
  if (i <= 0) throw new UsageError(`expected key=value, got '${text}'`);
  const key = text.slice(0, i).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) || ['__proto__', 'constructor', 'prototype'].includes(key)) throw new UsageError(`invalid field name '${key}'`);
  return { key, value: parseCliValue(text.slice(i + 1)) };
}

export function parseNumberOption(text: string, name: string): number {
  const n = Number(String(text).replace(/[_,]/g, ''));
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${name} must be a number, got '${text}'`);
  return n;
}
