/**
 * Finding and reading record files one by one: the walk of a type's folder and the parse of one
 * file. The loader (load.ts) and the index (index-cache.ts) both build on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FOLDER_OF } from '../core/types.js';
import type { Config, CrmRecord, Problem, RecordType } from '../core/types.js';
import { decodeText, oversizeError, parseRecordText, problemOf } from './frontmatter.js';
import { isLinkAtRoot, unreadableProblem } from './safety.js';

export interface FileEntry {
  /** Root-relative path with forward slashes. */
  rel: string;
  abs: string;
}

/**
 * A folder's entries, or none when it cannot be read: walks never fail. A folder that exists but
 * cannot be listed (permissions) is a problem in `problems` when given, never silence.
 */
export function readEntries(absDir: string, problems?: Problem[], relDir?: string): fs.Dirent[] {
  try {
    return fs.readdirSync(absDir, { withFileTypes: true });
  } catch (err) {
    const p = problems && relDir !== undefined ? unreadableProblem(relDir, err) : undefined;
    if (p) problems!.push(p);
    return [];
  }
}

/** Hand-written recursive walk (Node's recursive readdir is several times slower at scale). */
export function listRecordFiles(root: string, type: RecordType, problems: Problem[]): FileEntry[] {
  const out: FileEntry[] = [];
  const realRoot = safeRealpath(root) ?? root;
  const walk = (absDir: string, relDir: string): void => {
    for (const e of readEntries(absDir, problems, relDir)) {
      if (e.name.startsWith('.')) continue;
      const abs = path.join(absDir, e.name);
      const rel = `${relDir}/${e.name}`;
      if (e.isDirectory()) walk(abs, rel);
      else if (e.isFile()) {
        if (e.name.endsWith('.md')) out.push({ rel, abs });
      } else if (e.isSymbolicLink()) {
        const target = safeRealpath(abs);
        if (!target || !(target === realRoot || target.startsWith(realRoot + path.sep))) {
          problems.push({ path: rel, line: 0, message: 'symbolic link pointing outside the directory; not followed', severity: 'error' });
          continue;
        }
        const st = fs.statSync(target);
        if (st.isDirectory()) walk(abs, rel);
        else if (st.isFile() && e.name.endsWith('.md')) out.push({ rel, abs });
      }
    }
  };
  // A linked record folder is never read (treeProblems reports it): it may point anywhere.
  if (!isLinkAtRoot(root, FOLDER_OF[type])) walk(path.join(root, FOLDER_OF[type]), FOLDER_OF[type]);
  out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return out;
}

function safeRealpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

export function idFromPath(rel: string): string {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  return base.endsWith('.md') ? base.slice(0, -3) : base;
}

function problemFromError(rel: string, err: unknown): Problem {
  const [line, message] = problemOf(err);
  return { path: rel, line, message, severity: 'error' };
}

/** Reads and parses one record file. Throws DataError with path and line when it cannot. */
export function parseRecordFile(abs: string, rel: string, type: RecordType, maxSize: number, withBody: boolean): CrmRecord {
  const st = fs.statSync(abs);
  if (st.size > maxSize) throw oversizeError(rel, st.size, maxSize);
  const text = decodeText(fs.readFileSync(abs), rel);
  const parsed = parseRecordText(text, rel);
  const record: CrmRecord = { type, id: idFromPath(rel), path: rel, data: parsed.data };
  if (withBody) record.body = parsed.body;
  return record;
}

/** Loads one record type without the index. */
export function loadRecordsDirect(root: string, type: RecordType, config: Config, withBody: boolean, problems: Problem[]): CrmRecord[] {
  const records: CrmRecord[] = [];
  for (const f of listRecordFiles(root, type, problems)) {
    try {
      records.push(parseRecordFile(f.abs, f.rel, type, config.max_file_size, withBody));
    } catch (err) {
      // Listed, then removed by another tb before it was read: gone, not broken.
      if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') continue;
      problems.push(problemFromError(f.rel, err));
    }
  }
  return records;
}
