/**
 * Query mistakes that would otherwise answer "no matches" in silence (see docs/query.md,
 * "Mistakes caught"): values of configured fields that match nothing, dates written the wrong
 * way, and lowercase and/or/not. Pure.
 */
import type { Dataset, RecordType } from '../types.js';
import { DATASET_KEY } from '../types.js';
import { asList } from '../fields.js';
import { suggest } from '../suggest.js';
import { declarationOf } from '../schema.js';
import { ENUM_LABEL, enumValues } from '../enums.js';
import { tokenize } from './tokenize.js';

/**
 * The values a constrained field may have, from the config or the schema's fixed list; undefined
 * for any other field. Every enum field of the schema (src/core/schema.ts) is one, plus a
 * contact's `channel` (free text, but usually one of the configured channels).
 */
export function configuredValues(type: RecordType, field: string, ds: Dataset): string[] | undefined {
  const c = ds.config;
  if (field === 'channel' && type === 'contact') return c.channels;
  const decl = declarationOf(type).fields.find((f) => f.name === field && f.kind === 'enum');
  if (!decl) return undefined;
  const values = [...enumValues(decl, c)];
  return decl.from === 'owners' ? [...values, 'me'] : values;
}

/** What a constrained field's values are called in messages, and whether touchbase.yaml lists them. */
function valueLabel(type: RecordType, field: string): { what: string; fromConfig: boolean } {
  if (field === 'channel' && type === 'contact') return { what: 'channel', fromConfig: true };
  const decl = declarationOf(type).fields.find((f) => f.name === field && f.kind === 'enum');
  if (!decl?.from) return { what: field, fromConfig: false };
  return { what: decl.from === 'pipeline' ? 'pipeline stage' : ENUM_LABEL[decl.from], fromConfig: true };
}

/**
 * An error message and hint when `value` of a configured field (every enum of the schema: stage,
 * lifecycle, channel, owner, case status/priority/category, reminder status, …) is neither
 * configured nor on any record: `stage:propsal` would match nothing.
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
  const { what, fromConfig } = valueLabel(type, field);
  return {
    message: fromConfig ? `no ${type} has ${what} '${value}' and touchbase.yaml does not list it` : `no ${type} has ${what} '${value}': it is one of ${configured.join(', ')}`,
    hint: `${close.length ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}? ` : ''}known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`,
  };
}

/**
 * `breached:maybe`: a value of a boolean derived field that is no boolean would match nothing. An
 * error message and hint, or undefined. `booleans` are the words a query reads as true or false.
 */
export function notABoolean(type: RecordType, field: string, value: string, booleans: readonly string[]): { message: string; hint: string } | undefined {
  if (value.includes('*') || booleans.includes(value.toLowerCase())) return undefined;
  const decl = declarationOf(type);
  const isBoolean = decl.derived.some((d) => d.name === field && d.kind === 'boolean') || decl.fields.some((f) => f.name === field && f.kind === 'boolean');
  if (!isBoolean) return undefined;
  const close = suggest(value, ['true', 'false']);
  return {
    message: `${field} is true or false, not '${value}'`,
    hint: `${close.length ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}? ` : ''}e.g. ${field}:true or ${field}:false`,
  };
}

/** A hint for a value that was meant as a date but is not one a query reads. */
export function dateHint(text: string): string | undefined {
  const phrase = lastPeriodHint(text);
  if (phrase) return phrase;
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

const UNIT_LETTER: Readonly<Record<string, string>> = { day: 'd', week: 'w', month: 'm', year: 'y' };

/**
 * `last month`, `past 2 weeks`, `previous year`: English for a relative date the query does not
 * read. Says what to write instead: the signed form (`-1m`, a month ago) or a date.
 */
function lastPeriodHint(text: string): string | undefined {
  const m = /^(?:last|past|previous|this)\s+(?:(\d+)\s+)?(day|week|month|year)s?$/i.exec(text.trim());
  if (!m) return undefined;
  const t = `${m[1] ?? '1'}${UNIT_LETTER[m[2].toLowerCase()]}`;
  return `did you mean '-${t}' (${t} ago)? e.g. last_contact>-${t} is "since ${t} ago" and last_contact<-${t} "longer ago"; or write a date, YYYY-MM-DD`;
}

/**
 * Why a query may have found nothing, for the "no matches" line: a `tag:` value no record of the
 * type carries (with the close ones), and a `name:`/`title:` value compared whole that some names
 * only contain (`name:acme` for "Acme GmbH"). Hints only: the query itself was valid.
 */
export function emptyResultHints(query: string, type: RecordType, ds: Dataset): string[] {
  let tokens;
  try {
    tokens = tokenize(query);
  } catch {
    return [];
  }
  const records = ds[DATASET_KEY[type]] ?? [];
  const out: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'field' || t.op !== ':' || t.value.length !== 1 || t.value[0].kind !== 'text') continue;
    const value = t.value[0].text;
    const field = t.field.toLowerCase();
    if (value.includes('*') || value === '') continue;
    if (field === 'tag' || field === 'tags') out.push(...unknownTagHint(value, type, records));
    if (field === 'name' || field === 'title') out.push(...partialNameHint(field, value, records));
  }
  return out;
}

function unknownTagHint(value: string, type: RecordType, records: readonly { data: Record<string, unknown> }[]): string[] {
  const tags = new Set(records.flatMap((r) => asList(r.data.tags)));
  if (tags.size === 0 || [...tags].some((t) => t.toLowerCase() === value.toLowerCase())) return [];
  const close = suggest(value, tags);
  return [`no ${type} has tag '${value}'${close.length ? `: did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : ''}`];
}

function partialNameHint(field: string, value: string, records: readonly { data: Record<string, unknown> }[]): string[] {
  const lower = value.toLowerCase();
  const containing = records.filter((r) => typeof r.data[field] === 'string' && (r.data[field] as string).toLowerCase().includes(lower));
  if (containing.length === 0) return [];
  return [`${field}:${value} compares the whole ${field}; ${containing.length} ${containing.length === 1 ? 'has' : 'have'} it in the ${field}: write ${field}:"*${value}*" (or the bare word ${value})`];
}
