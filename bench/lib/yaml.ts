/**
 * Hand-formatting of front matter. Generating 100k files through a YAML library is far too slow,
 * so values are written directly; the rules below keep every value a string under the YAML 1.2
 * core schema unless it is meant to be a number.
 */

export type Scalar = string | number | boolean;
export type FlowMap = Readonly<Record<string, Scalar>>;
export type Value = Scalar | readonly Scalar[] | readonly FlowMap[] | undefined;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;
/** Words the core schema reads as booleans or null. */
const KEYWORDS = /^(true|false|null|~)$/i;
/** Starts with a letter (any script) and has nothing YAML would treat as syntax. */
const PLAIN_BLOCK = /^[\p{L}][^\n"]*$/u;
const FLOW_INDICATORS = /[[\]{},]/;
/** Intervals such as `30d` or `1m` stay strings under the core schema, so they need no quotes. */
const DURATION = /^\d+[dwmy]$/;

/** A scalar as YAML: plain when that is safe, else a JSON (= YAML double-quoted) string. */
export function scalar(value: Scalar, inFlow = false): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (ISO_DATE.test(value) || DURATION.test(value)) return value;
  const plain =
    PLAIN_BLOCK.test(value) &&
    !KEYWORDS.test(value) &&
    !value.includes(': ') &&
    !value.includes(' #') &&
    !value.endsWith(':') &&
    value === value.trim() &&
    !(inFlow && FLOW_INDICATORS.test(value));
  return plain ? value : JSON.stringify(value);
}

function isFlowMapList(value: readonly Scalar[] | readonly FlowMap[]): value is readonly FlowMap[] {
  return value.length > 0 && typeof value[0] === 'object';
}

function flowMap(map: FlowMap): string {
  return `{ ${Object.entries(map).map(([k, v]) => `${k}: ${scalar(v, true)}`).join(', ')} }`;
}

/** One `key: value` entry; lists of scalars go inline, lists of maps one per line. */
export function entry(key: string, value: Exclude<Value, undefined>): string {
  if (!Array.isArray(value)) return `${key}: ${scalar(value as Scalar)}\n`;
  const list = value as readonly Scalar[] | readonly FlowMap[];
  if (isFlowMapList(list)) return `${key}:\n${list.map((m) => `  - ${flowMap(m)}\n`).join('')}`;
  return `${key}: [${(list as readonly Scalar[]).map((v) => scalar(v, true)).join(', ')}]\n`;
}

/** A whole record file: front matter from ordered entries (undefined ones skipped) and a body. */
export function recordText(entries: ReadonlyArray<readonly [string, Value]>, body = ''): string {
  let out = '---\n';
  for (const [key, value] of entries) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out += entry(key, value);
  }
  out += '---\n';
  if (body) out += `\n${body.endsWith('\n') ? body : `${body}\n`}`;
  return out;
}
