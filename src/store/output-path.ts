/**
 * The one guard for every path tb writes because the user named it (docs/reliability.md, "Files
 * tb writes on request"): `campaign send --out/--mbox`, `export -o`, `report --html`, `due --mbox/--out`.
 *
 * - No symbolic link is followed at any component: each one, from `/` down, is lstat'ed. A committed
 *   `outbox -> contacts` or a dangling `sent.mbox -> companies/x.md` is refused, not resolved.
 * - Nothing inside the record folders, `.touchbase/` or `.git`, nor over touchbase.yaml.
 * - Files are then created with O_NOFOLLOW / O_EXCL (helpers below), so a link planted between the
 *   check and the write is still not followed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../core/config.js';
import { FOLDER_OF } from '../core/types.js';
import { DataError, UsageError } from '../errors.js';
import { INDEX_DIR } from './index-dir.js';

export interface OutputPolicy {
  /** The option as typed, for messages: `--mbox`, `-o`. */
  option: string;
  /** What is written: "the mbox", "the report". */
  what: string;
  /** A name to suggest. */
  example: string;
  kind: 'file' | 'folder';
  /** For files: whether an existing file with this start may be replaced or appended to. */
  accepts?: (head: string) => boolean;
}

/** Names directly under the CRM root that no output may be, or be inside of. */
function forbiddenTops(): string[] {
  return [...Object.values(FOLDER_OF), INDEX_DIR, '.git'];
}

function lstatOrUndefined(abs: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(abs);
  } catch {
    return undefined;
  }
}

/**
 * Refuses (UsageError) when a component of `abs` (absolute) is a symbolic link, or a component
 * before the last is not a folder. Missing components are fine: they are made as real folders.
 */
export function assertNoLinkAnywhere(abs: string, shown: string, option: string): void {
  const parts = abs.split(path.sep).filter(Boolean);
  let cur = path.parse(abs).root;
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]);
    const st = lstatOrUndefined(cur);
    if (!st) return;
    if (st.isSymbolicLink()) {
      throw new UsageError(`refusing ${option} ${shown}: ${cur} is a symbolic link (tb never writes through links)`, 'give a path without links, or replace the link with a real folder or file');
    }
    if (i < parts.length - 1 && !st.isDirectory()) throw new UsageError(`refusing ${option} ${shown}: ${cur} is not a folder`);
  }
}

function realRootOf(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return root;
  }
}

/** Refuses output inside the CRM's own folders, over touchbase.yaml, or as the CRM directory itself. */
function assertOutsideRecords(root: string, abs: string, policy: OutputPolicy): void {
  const rel = path.relative(realRootOf(root), abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return;
  const suggest = `choose another name, e.g. ${policy.option} ${policy.example}`;
  if (rel === '') throw new UsageError(`refusing to overwrite the CRM directory with ${policy.what}`, suggest);
  const top = rel.split(path.sep)[0];
  if (rel === top && (forbiddenTops().includes(top) || top === CONFIG_FILE)) throw new UsageError(`refusing to overwrite ${rel} with ${policy.what}`, suggest);
  if (forbiddenTops().includes(top)) {
    const where = (Object.values(FOLDER_OF) as string[]).includes(top) ? `the record folder ${top}/` : `${top}/`;
    throw new UsageError(`refusing to write ${policy.what} inside ${where} (${rel})`, 'write it next to touchbase.yaml or outside the CRM directory');
  }
}

/** The first bytes of a regular file (never through a link). */
function headOf(abs: string): string {
  const fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const buf = Buffer.alloc(64);
    return buf.subarray(0, fs.readSync(fd, buf, 0, 64, 0)).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Where `given` (relative to `cwd`) may be written, as an absolute path without links; throws a
 * UsageError naming the option and the reason otherwise. Checked before anything is read or sent.
 */
export function guardOutputPath(root: string, cwd: string, given: string, policy: OutputPolicy): string {
  if (!given.trim()) throw new UsageError(`${policy.option} needs a ${policy.kind === 'folder' ? 'folder' : 'file'} name, e.g. ${policy.option} ${policy.example}`);
  const abs = path.resolve(cwd, given);
  assertNoLinkAnywhere(abs, given, policy.option);
  assertOutsideRecords(root, abs, policy);
  const st = lstatOrUndefined(abs);
  if (!st) return abs;
  if (policy.kind === 'folder') {
    if (!st.isDirectory()) throw new UsageError(`refusing ${policy.option} ${given}: it exists and is not a folder`);
    return abs;
  }
  if (!st.isFile()) throw new UsageError(`refusing ${policy.option} ${given}: it exists and is not a regular file`, `choose a file name, e.g. ${policy.example}`);
  const head = headOf(abs);
  if (head !== '' && policy.accepts && !policy.accepts(head)) {
    throw new UsageError(`refusing to overwrite ${given}: it exists and is not ${policy.what.replace(/^the /, 'an earlier ')}`, 'choose a new file name, or delete the file first');
  }
  return abs;
}

/** Makes `abs` and its missing parents as real folders, one at a time (never through a link). */
export function makeOutputFolder(abs: string, shown: string, option: string): void {
  assertNoLinkAnywhere(abs, shown, option);
  const parts = abs.split(path.sep).filter(Boolean);
  let cur = path.parse(abs).root;
  for (const part of parts) {
    cur = path.join(cur, part);
    try {
      fs.mkdirSync(cur);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataError(`cannot make ${cur}: ${(err as Error).message}`);
      if (!fs.lstatSync(cur).isDirectory()) throw new UsageError(`refusing ${option} ${shown}: ${cur} is not a folder (or is a link)`);
    }
  }
}

/** Opens `abs` for appending, creating it; a link there (planted since the check) fails with ELOOP. */
export function openForAppend(abs: string): number {
  const { O_WRONLY, O_APPEND, O_CREAT, O_NOFOLLOW } = fs.constants;
  try {
    return fs.openSync(abs, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new UsageError(`refusing to write ${abs}: it is a symbolic link`);
    throw new DataError(`cannot write ${abs}: ${(err as Error).message}`);
  }
}
