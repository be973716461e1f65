/** Cheap existence checks that never scan the tree (writes must stay fast at scale). */
import fs from 'node:fs';
import path from 'node:path';
import { FOLDER_OF } from '../core/types.js';
import { NAMED_TYPES } from '../core/schema.js';
import type { RecordType } from '../core/types.js';

/**
 * Is `id` already used by a record found by name (contact, company, deal, campaign: the schema's
 * `byName` types, other than in `except`'s own folder)? Keeps `tb show <id>` unambiguous.
 */
export function recordExistsAnywhere(root: string, id: string, except?: RecordType): boolean {
  for (const t of NAMED_TYPES) {
    if (t === except) continue;
    if (fs.existsSync(path.join(root, FOLDER_OF[t], `${id}.md`))) return true;
  }
  return false;
}
