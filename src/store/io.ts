/** Files named on the command line that are not records: import input and export output. */
import fs from 'node:fs';
import path from 'node:path';
import { DataError, NotFoundError } from '../errors.js';
import { writeFileAtomic } from './write.js';
import { assertNoLinkAnywhere, guardOutputPath } from './output-path.js';

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
 * Where a generated file (`export -o`) may go: the one output guard (store/output-path.ts): no
 * link at any component, never inside a record folder, `.touchbase/` or `.git/`, never over
 * touchbase.yaml, and never over an existing file that is not an earlier one of its kind.
 */
export function outputTarget(root: string, cwd: string, file: string, guard: OutputGuard): string {
  return guardOutputPath(root, cwd, file, { option: '-o', what: guard.what, example: guard.example, kind: 'file', accepts: guard.replaces });
}

/** Writes an export atomically (temp file + rename), so a reader never sees half a file. */
export function writeOutputFile(abs: string, content: string): string {
  // Again right before the write: a link planted since the check is not followed either.
  assertNoLinkAnywhere(abs, abs, 'writing');
  try {
    writeFileAtomic(abs, content);
  } catch (err) {
    throw new DataError(`cannot write ${abs}: ${(err as Error).message}`);
  }
  return abs;
}
