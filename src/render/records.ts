/** How records look in output: the stable JSON shape. */
import type { CrmRecord } from '../core/types.js';

const RESERVED = new Set(['id', 'type', 'path', 'derived', 'body', 'front_matter']);

/**
 * The JSON shape of a record, shared by `list`, `show`, `export json` and write commands:
 * `{ id, type, path, ...front matter keys in file order, derived?: {...}, body?: "…" }`.
 * A front matter key named like one of those (a custom field `type`, say) goes into a
 * `front_matter` object instead, as src/interop/json.ts does, so nothing is lost or shadowed.
 */
export function recordJson(rec: CrmRecord, derived?: Record<string, unknown>, withBody = false): Record<string, unknown> {
  const out: Record<string, unknown> = { id: rec.id, type: rec.type, path: rec.path };
  const shadowed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec.data)) {
    if (RESERVED.has(k)) shadowed[k] = v;
    else out[k] = v;
  }
  if (Object.keys(shadowed).length) out.front_matter = shadowed;
  if (derived && Object.keys(derived).length) out.derived = derived;
  if (withBody && rec.body !== undefined) out.body = rec.body;
  return out;
}
