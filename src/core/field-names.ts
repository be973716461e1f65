/**
 * Field names that look like a mistake: a singular of a list field (`email` for `emails`) or a
 * typo of a field of the record type (`emial`). `tb set` refuses them and `tb check` warns, so a
 * stray key never hides a value from `show` (see docs/files.md). Pure.
 */
import { FIELD_ORDER } from './records.js';
import { LIST_SINGULARS } from './schema.js';
import type { RecordType } from './types.js';
import { suggest } from './suggest.js';


/**
 * The field of `type` that `key` most likely means, or undefined when `key` is a field of the type,
 * a declared custom field, or not close to any field (a new custom field).
 */
export function nearMissField(type: RecordType, key: string, customFields: readonly string[] = []): string | undefined {
  const fields: readonly string[] = FIELD_ORDER[type];
  if (fields.includes(key) || customFields.includes(key)) return undefined;
  const plural = LIST_SINGULARS[key.toLowerCase()];
  if (plural && fields.includes(plural)) return plural;
  if (fields.includes(key.toLowerCase())) return key.toLowerCase();
  // Short keys match too much by prefix ("ow" → owner): only edit distance counts for them.
  const close = suggest(key, fields, 1).filter((f) => key.length >= 4 || !f.startsWith(key.toLowerCase()));
  return close[0];
}
