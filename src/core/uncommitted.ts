/**
 * Which record files are not committed yet, from `git status --porcelain=v1 -z` output (see
 * docs/teams-and-git.md, "Working alone"). Pure.
 */
import { FOLDER_OF } from './types.js';
import { CONFIG_FILE } from './config.js';

export type ChangeKind = 'new' | 'changed' | 'removed';

export interface Uncommitted {
  path: string;
  kind: ChangeKind;
}

const FOLDERS: readonly string[] = Object.values(FOLDER_OF);

/** True for a record file or touchbase.yaml (root-relative). */
function isCrmFile(rel: string): boolean {
  if (rel === CONFIG_FILE) return true;
  const slash = rel.indexOf('/');
  return slash > 0 && FOLDERS.includes(rel.slice(0, slash)) && rel.endsWith('.md');
}

/**
 * The CRM's uncommitted files. `prefix` is the CRM root's path inside the work tree ('' at its
 * top, else `crm/`): porcelain paths are relative to the top.
 */
export function parseUncommitted(porcelainZ: string, prefix: string): Uncommitted[] {
  const entries = porcelainZ.split('\0');
  const out: Uncommitted[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.length < 4) continue;
    const x = e[0];
    const y = e[1];
    const file = e.slice(3);
    // A rename or copy is followed by its source path: skip that entry.
    if (x === 'R' || x === 'C') i++;
    if (x === '!' || !file.startsWith(prefix)) continue;
    const rel = file.slice(prefix.length);
    if (!isCrmFile(rel)) continue;
    const kind: ChangeKind = x === '?' || x === 'A' || x === 'R' || x === 'C' ? 'new' : x === 'D' || y === 'D' ? 'removed' : 'changed';
    out.push({ path: rel, kind });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** "12 record files (3 new, 8 changed, 1 removed)". */
export function describeUncommitted(files: readonly Uncommitted[]): string {
  const n = (k: ChangeKind) => files.filter((f) => f.kind === k).length;
  const parts = (['new', 'changed', 'removed'] as const).filter((k) => n(k)).map((k) => `${n(k)} ${k}`);
  return `${files.length} file${files.length === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
