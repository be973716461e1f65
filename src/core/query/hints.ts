/**
 * Query mistakes that would otherwise answer "no matches" in silence (see docs/query.md,
 * "Mistakes caught"): values of configured fields that match nothing, dates written the wrong
 * way, and lowercase and/or/not. Pure.
 */
import type { Dataset, RecordType } from '../types.js';
import { DATASET_KEY } from '../types.js';
import { asList } from '../fields.js';
import { suggest } from '../suggest.js';
import { tokenize } from './tokenize.js';

/** The values a constrained field may have, from the config; undefined for any other field. */
export function configuredValues(type: RecordType, field: string, ds: Dataset): string[] | undefined {
  const c = ds.config;
  if (field === 'stage' && type === 'deal') return c.pipeline.map((s) => s.id);
  if (field === 'stage' && type === 'contact') return c.lifecycle;
  if (field === 'channel' && (type === 'interaction' || type === 'contact')) return c.channels;
  if (field === 'owner') return [...Object.keys(c.owners), 'me'];
  if (field === 'status' && type === 'reminder') return ['open', 'done', 'cancelled'];
  return undefined;
}

/**
 * An error message and hint when `value` of a configured field (stage, lifecycle, channel, owner,
 * reminder status) is neither configured nor on any record: `stage:propsal` would match nothing.
 */
export function unknownConfiguredValue(type: RecordType, field: string, value: string, ds: Dataset): { message: string; hint: string } | undefined {
  const configured = configuredValues(type, field, ds);
  if (!configured || value.includes('*')) return undefined;
  const lower = value.toLowerCase();
  if (configured.some((v) => v.toLowerCase() === lower)) return undefined;
  const onRecords = new Set<string>();
  for (const rec of ds[DATASET_KEY[type]] ?? []) for (const v of asList(rec.data[field])) onRecords.add(v);
  if ([...onRecords].some((v) => v.toLowerCase() === lower)) return undefined;
  const known = [...new Set([...configured.filter((v) => v !== 'me'), ...onRecords])];
  // With nothing configured and nothing recorded there is nothing to compare against.
  if (!known.length) return undefined;
  const close = suggest(value, known);
  const what = field === 'stage' && type === 'contact' ? 'lifecycle stage' : field === 'stage' ? 'pipeline stage' : field;
  return {
    message: `no ${type} has ${what} '${value}' and touchbase.yaml does not list it`,
    hint: `${close.length ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}? ` : ''}known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`,
  };
}

/** A hint for a value that was meant as a date but is not one a query reads. */
export function dateHint(text: string): string | undefined {
  const interval = /^(\d+)\s*([dwmy])$/i.exec(text.trim());
  if (interval) {
    const t = `${interval[1]}${interval[2].toLowerCase()}`;
    return `did you mean '-${t}' (${t} ago) or '+${t}' (in ${t})? relative dates in queries need a sign`;
  }
  const dmy = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text.trim());
  if (dmy) {
    const [a, b, year] = [Number(dmy[1]), Number(dmy[2]), dmy[3]];
    const pad = (n: number) => String(n).padStart(2, '0');
    // 23/11/2026 can only be day/month; 11/23/2026 only month/day; 05/06/2026 is ambiguous.
    const forms = [a <= 12 && b <= 31 && a !== b ? `${year}-${pad(a)}-${pad(b)}` : undefined, b <= 12 && a <= 31 ? `${year}-${pad(b)}-${pad(a)}` : undefined].filter((f): f is string => f !== undefined);
    const unique = [...new Set(forms)];
    return `dates in queries are YYYY-MM-DD${unique.length ? `: did you mean ${unique.map((f) => `'${f}'`).join(' or ')}?` : ''}`;
  }
  return undefined;
}

/** Unquoted lowercase `and`, `or`, `not`: searched as words, not operators. Warnings to print. */
export function lowercaseOperatorWarnings(query: string): string[] {
  let tokens;
  try {
    tokens = tokenize(query);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'word' || t.quoted) continue;
    const upper = t.text.toUpperCase();
    if ((upper === 'AND' || upper === 'OR' || upper === 'NOT') && t.text !== upper) {
      out.push(`'${t.text}' (column ${t.column}) is searched as a word; the operator is ${upper} in capitals (write "${t.text}" in quotes to search the word without this warning)`);
    }
  }
  return out;
}
