/**
 * References in query values (`company:acme`, `contacts:ada`, `deal.company:"Acme GmbH"`,
 * `owner:Mara`) resolve the way command arguments do (core/resolve.ts: id, email, name, unique
 * prefix), so a query and `tb add --company acme` agree on what "acme" means. A reference that
 * names nothing is an error with did-you-mean, never a silent "no matches". Pure.
 */
import { AmbiguousError, NotFoundError } from '../../errors.js';
import { resolveRef } from '../resolve.js';
import { normalizeRef } from '../fields.js';
import { DATASET_KEY, type Config, type Dataset, type RecordType } from '../types.js';
import { refIds } from './catalog.js';

/** What a reference value stands for: the id to compare with, or why it names nothing. */
export type ReferenceAnswer = { id: string } | { error: string; hint?: string };

/**
 * The id `value` names among records of `target`. A value that some `holder` record still carries
 * under `field` (a reference to a record that is gone) is kept as typed, so dangling links stay
 * findable.
 */
export function resolveReferenceValue(ds: Dataset, target: RecordType, value: string, holder: { type: RecordType; field: string }): ReferenceAnswer {
  try {
    return { id: resolveRef(ds[DATASET_KEY[target]] ?? [], value, target).id };
  } catch (err) {
    if (err instanceof AmbiguousError) return { error: err.message, hint: `${err.hint ?? ''}; name one by its id` };
    if (!(err instanceof NotFoundError)) throw err;
    const lower = (normalizeRef(value) ?? value).toLowerCase();
    const carried = (ds[DATASET_KEY[holder.type]] ?? []).some((r) => refIds(r.data[holder.field]).some((id) => id.toLowerCase() === lower));
    if (carried) return { id: lower };
    return { error: err.message, hint: err.hint };
  }
}

/**
 * `owner:Mara` or `owner:ma` for the owner `mara` configured as "Mara Schmidt": an owner's id, name,
 * email or a unique prefix of id or name stands for the id, as `--owner` does (core/owners.ts). Other values
 * are returned unchanged (unknown ones are reported by the configured-value check).
 */
export function resolveOwnerValue(config: Config, value: string): string {
  const lower = value.toLowerCase();
  const owners = Object.entries(config.owners ?? {});
  const exact = owners.find(([id, o]) => id.toLowerCase() === lower || o.name?.toLowerCase() === lower || o.email?.toLowerCase() === lower);
  if (exact) return exact[0];
  if (lower === 'me' || lower.includes('*') || lower === '') return value;
  const prefixed = owners.filter(([id, o]) => id.toLowerCase().startsWith(lower) || (o.name ?? '').toLowerCase().startsWith(lower));
  return prefixed.length === 1 ? prefixed[0][0] : value;
}
