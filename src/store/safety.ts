/**
 * What tb refuses to follow: record folders, `.touchbase/` and touchbase.yaml that are symbolic
 * links (a teammate can commit `companies -> ../../somewhere`), folders and files it cannot read.
 * Writes never go through a link; every command warns about such a tree once, and `tb check`
 * fails on it (docs/reliability.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../core/config.js';
import { FOLDER_OF, RECORD_TYPES } from '../core/types.js';
import type { Problem } from '../core/types.js';
import { DataError } from '../errors.js';
import { INDEX_DIR } from './index-dir.js';

function lstatOrUndefined(abs: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(abs);
  } catch {
    return undefined;
  }
}

/** Whether `name` (directly under the root) is a symbolic link. */
export function isLinkAtRoot(root: string, name: string): boolean {
  return lstatOrUndefined(path.join(root, name))?.isSymbolicLink() ?? false;
}

/**
 * Refuses (DataError) to write `rel` (root-relative) when any folder on its way from the root, or
 * the file itself, is a symbolic link: a write must land in the CRM directory, in a plain file.
 * Missing folders are fine (they are made as real folders).
 */
export function assertNoLinkOnPath(root: string, rel: string, what = rel): void {
  const parts = rel.split('/');
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]);
    const st = lstatOrUndefined(cur);
    if (!st) return;
    if (st.isSymbolicLink()) {
      const shown = parts.slice(0, i + 1).join('/');
      throw new DataError(`refusing to write ${what}: ${shown} is a symbolic link`, { path: rel }, 'tb never writes through links; replace the link with a real folder or file (see tb check)');
    }
    if (i < parts.length - 1 && !st.isDirectory()) throw new DataError(`refusing to write ${what}: ${parts.slice(0, i + 1).join('/')} is not a folder`, { path: rel });
  }
}

/**
 * Problems of the tree itself, found without reading any record: links where tb wants real
 * folders and files, and record folders it cannot list. Errors: `tb check` fails on them.
 */
export function treeProblems(root: string): Problem[] {
  const out: Problem[] = [];
  const linked = (name: string, message: string) => {
    if (isLinkAtRoot(root, name)) out.push({ path: name, line: 0, message, severity: 'error' });
  };
  linked(CONFIG_FILE, 'touchbase.yaml is a symbolic link; tb reads it but never writes through it');
  linked(INDEX_DIR, '.touchbase is a symbolic link; the index and locks are not used through it');
  for (const type of RECORD_TYPES) {
    const folder = FOLDER_OF[type];
    if (isLinkAtRoot(root, folder)) out.push({ path: folder, line: 0, message: 'record folder is a symbolic link; not read, never written', severity: 'error' });
  }
  return out;
}

/** A folder or file that exists but cannot be read (permissions): a problem, never silence. */
export function unreadableProblem(rel: string, err: unknown): Problem | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message;
  return { path: rel, line: 0, message: `cannot read: ${why}; its records are missing from every answer`, severity: 'error' };
}
