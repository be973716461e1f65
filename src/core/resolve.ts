/** Resolving what a user typed (id, unique id prefix, email, or name) to one record. Pure. */
import { AmbiguousError, DataError, NotFoundError } from '../errors.js';
import type { CrmRecord, Problem, RecordLists } from './types.js';
import { DATASET_KEY, NAMED_TYPES, RECORD_TYPES, type RecordType } from './schema.js';
import { displayName, emailsOf, normalizeRef } from './fields.js';
import { slugify } from './slug.js';
import { foldText } from './text.js';
import { suggest } from './suggest.js';

function fold(text: string): string {
  return foldText(text).trim();
}

function describe(rec: CrmRecord): string {
  const name = displayName(rec);
  return name === rec.id ? rec.id : `${rec.id} (${name})`;
}

/**
 * Finds the one record `ref` means among `records`. Exact id wins, then email, then exact name,
 * then a unique id prefix, then a unique name prefix. Several matches at the first step that matches
 * anything is an AmbiguousError listing them.
 */
export function resolveRef(records: readonly CrmRecord[], rawRef: string, what = 'record'): CrmRecord {
  const ref = normalizeRef(rawRef) ?? '';
  const lower = ref.toLowerCase();
  const folded = fold(ref);
  const steps: Array<(r: CrmRecord) => boolean> = [
    (r) => r.id === lower,
    (r) => lower.includes('@') && emailsOf(r).includes(lower),
    (r) => fold(displayName(r)) === folded,
    (r) => ref.length > 0 && r.id.startsWith(lower),
    (r) => ref.length > 0 && (fold(displayName(r)).startsWith(folded) || (slugify(ref) !== '' && r.id.startsWith(slugify(ref)))),
  ];
  for (const step of steps) {
    const hits = records.filter(step);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) {
      throw new AmbiguousError(`'${rawRef}' matches ${hits.length} ${plural(what)}`, hits.slice(0, 10).map(describe));
    }
  }
  throw new NotFoundError(`no ${what} matches '${rawRef}'`, notFoundHint(records, ref));
}

/** `company` → `companies`, `contact or deal` → `contacts or deals` (every noun of the list). */
function plural(what: string): string {
  return what.split(/(, | or )/).map((part, i) => (i % 2 ? part : `${part.replace(/([^aeiou])y$/, '$1ie')}s`)).join('');
}

/** The records resolveAny searches: any of a dataset's lists (missing ones are empty). */
export type AnyRecords = Partial<RecordLists> & { problems?: Problem[] };

/**
 * Resolves a reference that may name any kind of record, of every type of the schema. Types
 * declared `byName` (contacts, companies, deals, campaigns) are searched by every rule; the others
 * (interactions, reminders, cases, whose ids are long) by id and id prefix.
 */
export function resolveAny(ds: AnyRecords, ref: string): CrmRecord {
  try {
    return resolveLoaded(ds, ref);
  } catch (err) {
    if (err instanceof NotFoundError) explainUnreadable(ds.problems ?? [], ref);
    throw err;
  }
}

/** When the record the user means is a file that could not be read, say that instead of "not found". */
function explainUnreadable(problems: readonly Problem[], ref: string): void {
  const id = (normalizeRef(ref) ?? '').toLowerCase();
  const hit = problems.find((p) => {
    const stem = p.path.slice(p.path.lastIndexOf('/') + 1).replace(/\.md$/, '');
    return p.path.endsWith('.md') && (stem === id || (id.length >= 3 && stem.startsWith(id)));
  });
  if (hit) throw new DataError(`cannot use '${ref}': ${hit.message}`, { path: hit.path, line: hit.line || undefined }, 'fix the file (tb check lists every problem), then try again');
}

function resolveLoaded(ds: AnyRecords, ref: string): CrmRecord {
  const id = (normalizeRef(ref) ?? '').toLowerCase();
  const of = (types: readonly RecordType[]) => types.flatMap((t) => ds[DATASET_KEY[t]] ?? []);
  const all = of(RECORD_TYPES);
  const exact = all.filter((r) => r.id === id);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) throw new AmbiguousError(`'${ref}' is the id of ${exact.length} records`, exact.map((r) => r.path));
  try {
    return resolveRef(of(NAMED_TYPES), ref, 'record');
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    const prefixed = of(RECORD_TYPES.filter((t) => !NAMED_TYPES.includes(t))).filter((r) => id.length >= 3 && r.id.startsWith(id));
    if (prefixed.length === 1) return prefixed[0];
    if (prefixed.length > 1) throw new AmbiguousError(`'${ref}' matches ${prefixed.length} records`, prefixed.slice(0, 10).map((r) => r.id));
    throw err;
  }
}

/** resolveRef that, when nothing matches, names an unreadable file the user probably meant. */
export function resolveRefOrExplain(records: readonly CrmRecord[], ref: string, what: string, problems: readonly Problem[]): CrmRecord {
  try {
    return resolveRef(records, ref, what);
  } catch (err) {
    if (err instanceof NotFoundError) explainUnreadable(problems, ref);
    throw err;
  }
}

/**
 * For a reference that matched nothing: records with a later word of the name starting with it
 * (`torres` → Ana Torres; refs match from the start of a name), else ids that are close to it.
 */
function notFoundHint(records: readonly CrmRecord[], ref: string): string | undefined {
  const folded = fold(ref);
  if (folded.length >= 2) {
    const byWord = records.filter((r) => fold(displayName(r)).split(/[\s-]+/).slice(1).some((w) => w.startsWith(folded)));
    if (byWord.length) {
      const shown = byWord.slice(0, 5).map((r) => `'${r.id}' (${displayName(r)})`);
      return `did you mean ${shown.join(' or ')}${byWord.length > 5 ? ` or ${byWord.length - 5} more` : ''}? a reference matches an id, an email or the start of a name`;
    }
  }
  const close = suggest(ref.toLowerCase(), records.map((r) => r.id));
  // `acne` is far from `acme-gmbh` as a whole but one letter from its first word: compare heads too.
  const byHead = close.length ? [] : records.filter((r) => suggest(ref.toLowerCase(), [r.id.split('-')[0]]).length > 0).map((r) => r.id);
  const shown = [...close, ...byHead].slice(0, 3);
  return shown.length ? `did you mean ${shown.map((c) => `'${c}'`).join(' or ')}?` : undefined;
}
