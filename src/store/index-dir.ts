/** Where the derived index lives; kept apart so the launcher's prefetch can ask without loading the store. */
import fs from 'node:fs';
import path from 'node:path';

export const INDEX_DIR = '.touchbase';

/** Whether the folder has no index yet (a first load reads every file). */
export function hasNoIndex(root: string): boolean {
  return !fs.existsSync(path.join(root, INDEX_DIR));
}
