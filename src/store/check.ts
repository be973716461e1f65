/**
 * File-level helpers for `tb check`: turning a problem's key into a line, finding files a crashed
 * write left behind, and applying the mechanical fixes. Only this layer touches files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE } from '../core/config.js';
import { FOLDER_OF, RECORD_TYPES } from '../core/types.js';
import type { Problem } from '../core/types.js';
import { DataError } from '../errors.js';
import { decodeText, keyLine, parseRecordText } from './frontmatter.js';
import { replaceRecordText } from './write.js';
import { readEntries } from './record-files.js';
import { sweepDeadTemps, TEMP_FILE } from './atomic.js';
import { pidGone } from './lock.js';
import { git, isInsideWorkTree } from './git.js';
import { INDEX_DIR } from './index-dir.js';
import { ignoresIndexDir } from './init.js';
import { isLinkAtRoot } from './safety.js';

/**
 * Fills in the line of every problem that names a key but no line, reading only the files that
 * have such problems (each once). A key not found (a missing field) points at line 1, the opening
 * fence. A file that cannot be read any more keeps line 0.
 */
export function resolveProblemLines(root: string, problems: readonly Problem[]): Problem[] {
  const texts = new Map<string, string | undefined>();
  const frontMatterOf = (rel: string): string | undefined => {
    if (!texts.has(rel)) {
      let fm: string | undefined;
      try {
        const text = decodeText(fs.readFileSync(path.join(root, rel)), rel);
        fm = rel === CONFIG_FILE ? text : parseRecordText(text, rel).frontMatterText;
      } catch {
        fm = undefined;
      }
      texts.set(rel, fm);
    }
    return texts.get(rel);
  };
  return problems.map((p) => {
    if (p.line || p.key === undefined) return p;
    const fm = frontMatterOf(p.path);
    if (fm === undefined) return p;
    // keyLine counts from a fence on line 1; touchbase.yaml is all YAML and has none.
    const line = p.path === CONFIG_FILE ? Math.max(1, keyLine(fm, p.key) - 1) : keyLine(fm, p.key);
    return { ...p, line };
  });
}

export { TEMP_FILE } from './atomic.js';

/**
 * Temp files left by a write that was interrupted between creating the temp file and renaming it,
 * in the record folders (recursively) and next to touchbase.yaml. Hidden folders are not entered.
 */
export function strayTempFiles(root: string): string[] {
  const out: string[] = [];
  const scan = (absDir: string, relDir: string, recurse: boolean): void => {
    for (const e of readEntries(absDir)) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isFile() && TEMP_FILE.test(e.name)) out.push(rel);
      else if (recurse && e.isDirectory() && !e.name.startsWith('.')) scan(path.join(absDir, e.name), rel, true);
    }
  };
  scan(root, '', false);
  for (const type of RECORD_TYPES) scan(path.join(root, FOLDER_OF[type]), FOLDER_OF[type], true);
  return out.sort();
}

/**
 * Files in record folders that look meant as records but are never read: `.MD`, `.markdown`.
 * Anything else (attachments, images, notes in other formats) is left alone silently.
 */
export function misnamedRecordFiles(root: string): string[] {
  const out: string[] = [];
  const scan = (absDir: string, relDir: string): void => {
    for (const e of readEntries(absDir)) {
      if (e.name.startsWith('.')) continue;
      const rel = `${relDir}/${e.name}`;
      if (e.isDirectory()) scan(path.join(absDir, e.name), rel);
      else if (e.isFile() && !e.name.endsWith('.md') && /\.(md|markdown)$/i.test(e.name)) out.push(rel);
    }
  };
  for (const type of RECORD_TYPES) scan(path.join(root, FOLDER_OF[type]), FOLDER_OF[type]);
  return out.sort();
}

/**
 * Applies `tb check --fix` to one record file: reads it, runs the pure fix, and replaces the file
 * atomically when something changed. Returns the changes made (none for a file that does not
 * parse: it is reported by the check, never rewritten).
 */
export function fixFile(root: string, rel: string, fix: (text: string, rel: string) => { text: string; changes: string[] }): string[] {
  let before: string;
  try {
    before = decodeText(fs.readFileSync(path.join(root, rel)), rel);
    const result = fix(before, rel);
    if (!result.changes.length || result.text === before) return [];
    replaceRecordText(root, rel, before, result.text);
    return result.changes;
  } catch (err) {
    if (err instanceof DataError) return [];
    throw err;
  }
}

/**
 * `.touchbase` (the index and locks) in git: tracked (someone ran `git add -f`, or committed a link
 * of that name) is an error, since a teammate's copy would be read as this directory's index; a
 * .gitignore that ignores only the folder form (`.touchbase/`) is a warning.
 */
export function indexInGitProblems(root: string): Problem[] {
  if (!isInsideWorkTree(root)) return [];
  const out: Problem[] = [];
  const tracked = git(root, ['ls-files', '-z', '--', INDEX_DIR]).stdout.split('\0').filter(Boolean);
  if (tracked.length) {
    out.push({ path: INDEX_DIR, line: 0, severity: 'error', message: `tracked in git (${tracked.length} ${tracked.length === 1 ? 'entry' : 'entries'}); the index must never be shared: git rm -r --cached ${INDEX_DIR} and commit` });
  }
  let ignore = '';
  try {
    ignore = fs.readFileSync(path.join(root, '.gitignore'), 'utf8');
  } catch {
    /* none */
  }
  if (!ignoresIndexDir(ignore) && !isLinkAtRoot(root, '.gitignore')) {
    out.push({ path: '.gitignore', line: 0, severity: 'warning', message: `does not ignore ${INDEX_DIR} in every form; add a line '${INDEX_DIR}' (without a trailing slash, which would miss a link)` });
  }
  return out;
}

/** `tb check --fix`: removes the temp files of writers that no longer run, in the record folders and the root. */
export function removeDeadTempFiles(root: string): string[] {
  const dirs = new Set(strayTempFiles(root).map((rel) => path.dirname(rel)));
  return [...dirs].flatMap((d) => sweepDeadTemps(path.join(root, d), pidGone).map((name) => (d === '.' ? name : `${d}/${name}`)));
}
