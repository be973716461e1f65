/** Files named on the command line that are not records: import input and export output. */
import fs from 'node:fs';
import path from 'node:path';
import { DataError, NotFoundError } from '../errors.js';
import { writeFileAtomic } from './write.js';

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

/** Writes an export atomically (temp file + rename), so a reader never sees half a file. */
export function writeOutputFile(cwd: string, file: string, content: string): string {
  const abs = path.resolve(cwd, file);
  writeFileAtomic(abs, content);
  return abs;
}
