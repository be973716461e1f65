/** Resolving what a user typed (id, unique id prefix, email, or name) to one record. Pure. */
import { AmbiguousError, DataError, NotFoundError } from '../errors.js';
import type { CrmRecord, Problem } from './types.js';
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
      throw new AmbiguousError(`'${rawRef}' matches ${hits.length} ${what}s`, hits.slice(0, 10).map(describe));
    }
  }
  const close = suggest(lower, records.map((r) => r.id));
  throw new NotFoundError(`no ${what} matches '${rawRef}'`, close.length ? `did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : undefined);
}

/**
 * Resolves a reference that may name any kind of record. Contacts, companies and deals are
 * searched by every rule; interactions and reminders (whose ids are long) by id and id prefix.
 */
export function resolveAny(
  ds: { contacts: CrmRecord[]; companies: CrmRecord[]; deals: CrmRecord[]; interactions: CrmRecord[]; reminders: CrmRecord[]; problems?: Problem[] },
  ref: string,
): CrmRecord {
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

function resolveLoaded(ds: { contacts: CrmRecord[]; companies: CrmRecord[]; deals: CrmRecord[]; interactions: CrmRecord[]; reminders: CrmRecord[] }, ref: string): CrmRecord {
  const id = (normalizeRef(ref) ?? '').toLowerCase();
  const all = [...ds.contacts, ...ds.companies, ...ds.deals, ...ds.reminders, ...ds.interactions];
  const exact = all.filter((r) => r.id === id);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) throw new AmbiguousError(`'${ref}' is the id of ${exact.length} records`, exact.map((r) => r.path));
  try {
    return resolveRef([...ds.contacts, ...ds.companies, ...ds.deals], ref, 'record');
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    const prefixed = [...ds.reminders, ...ds.interactions].filter((r) => id.length >= 3 && r.id.startsWith(id));
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
