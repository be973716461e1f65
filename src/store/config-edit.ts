/** Round-trip edits of touchbase.yaml made by commands (not by the user's editor). */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../core/config.js';
import { writeFileAtomic } from './atomic.js';
import { withRecordLock } from './lock.js';
import { editYamlEntry } from './roundtrip.js';

/**
 * Sets `parent.key` in touchbase.yaml (value undefined removes it), keeping comments and layout
 * elsewhere; read, edit and write under the file's lock so two tb runs never lose an edit.
 * Returns false when the file already held that value (nothing written).
 */
export function editConfigUnderLock(root: string, parent: string, key: string, value: unknown): boolean {
  const file = path.join(root, CONFIG_FILE);
  return withRecordLock(root, CONFIG_FILE, () => {
    const before = fs.readFileSync(file, 'utf8');
    const after = editYamlEntry(before, CONFIG_FILE, parent, key, value);
    if (after === before) return false;
    writeFileAtomic(file, after);
    return true;
  });
}
