/** Finding the CRM root, like git finds `.git`. */
import fs from 'node:fs';
import path from 'node:path';
import { NoRootError } from '../errors.js';
import { CONFIG_FILE } from '../core/config.js';

/**
 * `explicit` (from --dir or TOUCHBASE_DIR) must itself be a root; otherwise walk up from `cwd`.
 */
export function findRoot(cwd: string, explicit?: string): string {
  if (explicit) {
    const dir = path.resolve(cwd, explicit);
    if (!fs.existsSync(dir)) throw new NoRootError(`${dir} does not exist`);
    if (!fs.existsSync(path.join(dir, CONFIG_FILE))) {
      throw new NoRootError(`no ${CONFIG_FILE} in ${dir}`);
    }
    return dir;
  }
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, CONFIG_FILE))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new NoRootError(`not inside a touchbase directory (no ${CONFIG_FILE} here or above ${cwd})`);
    dir = parent;
  }
}
