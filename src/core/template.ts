/**
 * Campaign message templates: `{{field}}`, `{{owner.name}}`, `{{first_name|there}}`. Pure.
 *
 * Our own small renderer rather than Mustache/Handlebars (docs/campaigns.md, "Templates"): the
 * `{{name|default}}` fallback is not Mustache syntax, and the only thing a template may do is look a
 * value up. There are no sections, partials, helpers or expressions, so a template can never run
 * code, loop or read anything but the recipient's fields; and we need to know, before anything is
 * sent, exactly which placeholders a recipient cannot fill.
 */

/** A parsed template: literal text and placeholders, in order. */
export type TemplatePart = { text: string } | { key: string; fallback?: string; raw: string };

export interface TemplateError {
  /** 1-based line and column of the offending `{{`. */
  line: number;
  column: number;
  message: string;
}

/** Keys are dotted paths of letters, digits, `_` and `-`: `first_name`, `owner.name`, `company.domain`. */
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Parses a template; malformed placeholders are errors with their position, never left as text silently. */
export function parseTemplate(text: string): { parts: TemplatePart[]; errors: TemplateError[] } {
  const parts: TemplatePart[] = [];
  const errors: TemplateError[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) break;
    if (open > at) parts.push({ text: text.slice(at, open) });
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
      errors.push({ ...position(text, open), message: "'{{' without a closing '}}'" });
      parts.push({ text: '{{' });
      at = open + 2;
      continue;
    }
    const raw = text.slice(open, close + 2);
    const inner = text.slice(open + 2, close);
    const bar = inner.indexOf('|');
    const key = (bar < 0 ? inner : inner.slice(0, bar)).trim();
    const fallback = bar < 0 ? undefined : inner.slice(bar + 1).trim();
    if (!KEY.test(key)) {
      errors.push({ ...position(text, open), message: `'${raw}' is not a placeholder: use {{field}} or {{field|default}}` });
      parts.push({ text: raw });
    } else parts.push(fallback === undefined ? { key, raw } : { key, fallback, raw });
    at = close + 2;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return { parts, errors };
}

/** Looks a placeholder key up for one recipient; undefined or '' means "cannot fill". */
export type Lookup = (key: string) => string | undefined;

export interface Rendered {
  text: string;
  /** Keys that had neither a value nor a default. */
  missing: string[];
}

/**
 * Fills the placeholders. `escape` is applied to substituted values only (HTML output escapes
 * them so a name like `<b>` stays text), never to the template's own text.
 */
export function renderTemplate(parts: readonly TemplatePart[], lookup: Lookup, escape: (s: string) => string = (s) => s): Rendered {
  let out = '';
  const missing: string[] = [];
  for (const p of parts) {
    if ('text' in p) {
      out += p.text;
      continue;
    }
    const value = lookup(p.key);
    if (value !== undefined && value !== '') out += escape(value);
    else if (p.fallback !== undefined) out += escape(p.fallback);
    else {
      if (!missing.includes(p.key)) missing.push(p.key);
      out += p.raw;
    }
  }
  return { text: out, missing };
}

/** The placeholder keys a template uses (for `tb campaign preview`). */
export function templateKeys(parts: readonly TemplatePart[]): string[] {
  return [...new Set(parts.flatMap((p) => ('key' in p ? [p.key] : [])))];
}
