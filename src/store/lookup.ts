/** Cheap existence checks that never scan the tree (writes must stay fast at scale). */
import fs from 'node:fs';
import path from 'node:path';
import { FOLDER_OF } from '../core/types.js';
import type { RecordType } from '../core/types.js';

/** Is `id` already used by a contact, company or deal (other than in `except`'s own folder)? */
export function recordExistsAnywhere(root: string, id: string, except?: RecordType): boolean {
  for (const t of ['contact', 'company', 'deal'] as const) {
    if (t === except) continue;
    if (fs.existsSync(path.join(root, FOLDER_OF[t], `${id}.md`))) return true;
  }
  return false;
}
