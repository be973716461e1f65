/** Where the derived index lives; kept apart so the launcher's prefetch can ask without loading the store. */
import fs from 'node:fs';
import path from 'node:path';

export const INDEX_DIR = '.touchbase';
/** Under INDEX_DIR: the locks of record files being edited (lock.ts). */
export const LOCKS_DIR = 'locks';

/** Whether the folder has no index yet (a first load reads every file): nothing but locks in it. */
export function hasNoIndex(root: string): boolean {
  try {
    return fs.readdirSync(path.join(root, INDEX_DIR)).every((name) => name === LOCKS_DIR || name === '.gitignore');
  } catch {
    return true;
  }
}

/** Makes the index folder (ignoring itself in git) and `sub` in it; false when it cannot. */
export function ensureIndexDir(root: string, sub = ''): boolean {
  const dir = path.join(root, INDEX_DIR);
  try {
    // Never through a link: it may be committed by a teammate and point anywhere (docs/reliability.md).
    if (fs.lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) return false;
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
    const ignore = path.join(dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# touchbase index: derived, never committed\n*\n');
    return true;
  } catch {
    return false;
  }
}
