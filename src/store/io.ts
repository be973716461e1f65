/** Files named on the command line that are not records: import input and export output. */
import fs from 'node:fs';
import path from 'node:path';
import { DataError, NotFoundError, UsageError } from '../errors.js';
import { FOLDER_OF } from '../core/types.js';
import { CONFIG_FILE } from '../core/config.js';
import { fileHead, realTarget, writeFileAtomic } from './write.js';
import { INDEX_DIR } from './index-dir.js';

/** Reads a file given relative to `cwd` as UTF-8 text. */
export function readInputFile(cwd: string, file: string): string {
  return readInputBytes(cwd, file).toString('utf8');
}

/** Reads a file given relative to `cwd` as bytes (imports decide the encoding themselves). */
export function readInputBytes(cwd: string, file: string): Buffer {
  const abs = path.resolve(cwd, file);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new NotFoundError(`no such file: ${file}`);
  }
  if (st.isDirectory()) throw new DataError(`${file} is a directory, not a file`);
  return fs.readFileSync(abs);
}

export interface OutputGuard {
  /** What is written, for messages: "the export", "the report". */
  what: string;
  /** Whether an existing file with this start may be replaced (an earlier export of the kind). */
  replaces: (head: string) => boolean;
  /** A file name to suggest. */
  example: string;
}

/**
 * Where a generated file (`export -o`, `report --html`) may go: relative to the working directory,
 * links resolved. Never inside a record folder, `.touchbase/` or `.git/`, never over touchbase.yaml,
 * and never over an existing file that is not an earlier one of its kind (docs/reliability.md).
 */
export function outputTarget(root: string, cwd: string, file: string, guard: OutputGuard): string {
  if (!file.trim()) throw new UsageError('-o needs a file name', `e.g. -o ${guard.example}`);
  const abs = realTarget(path.resolve(cwd, file));
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    /* the root is there: it was found */
  }
  const rel = path.relative(realRoot, abs);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  if (inside) {
    const top = rel.split(path.sep)[0];
    const forbidden = [...Object.values(FOLDER_OF), INDEX_DIR, '.git'];
    if (forbidden.includes(top) && rel !== top) {
      throw new UsageError(`refusing to write ${guard.what} inside ${top}/ (${rel})`, 'write it next to touchbase.yaml or outside the CRM directory');
    }
    if (forbidden.includes(top) || rel === CONFIG_FILE) throw new UsageError(`refusing to overwrite ${rel} with ${guard.what}`, `choose another file name, e.g. ${guard.example}`);
  } else if (rel === '') throw new UsageError(`refusing to overwrite the CRM directory with ${guard.what}`, `choose a file name, e.g. ${guard.example}`);
  const head = fileHead(abs);
  if (head !== undefined && head !== '' && !guard.replaces(head)) {
    throw new UsageError(`refusing to overwrite ${file}: it exists and is not ${guard.what.replace(/^the /, 'an earlier ')}`, 'choose a new file name, or delete the file first');
  }
  if (head === '' && fs.statSync(abs).isDirectory()) throw new UsageError(`${file} is a directory`, `choose a file name, e.g. ${guard.example}`);
  return abs;
}

/** Writes an export atomically (temp file + rename), so a reader never sees half a file. */
export function writeOutputFile(abs: string, content: string): string {
  try {
    writeFileAtomic(abs, content);
  } catch (err) {
    throw new DataError(`cannot write ${abs}: ${(err as Error).message}`);
  }
  return abs;
}
