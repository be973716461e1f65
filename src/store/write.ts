/**
 * Writing record files: new ones created exclusively, edits applied under the file's lock, every
 * write atomic (atomic.ts), so a reader never sees half a file and two processes never clobber
 * each other.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Document, isScalar, visit } from 'yaml';
import { DataError, TbError } from '../errors.js';
import { FOLDER_OF } from '../core/types.js';
import type { CrmRecord, FrontMatter, RecordType } from '../core/types.js';
import { isValidSlug, randomSuffix } from '../core/slug.js';
import { createFileExclusive, sweepDeadTemps, writeFileAtomic } from './atomic.js';
import { editFrontMatter, quoteAmbiguousStrings } from './roundtrip.js';
import type { FrontMatterEdit } from './roundtrip.js';
import { maxFileSize, readRecordText } from './load.js';
import { pidGone, withRecordLock } from './lock.js';
import { decodeText, parseRecordText, problemOf } from './frontmatter.js';
import { assertNoLinkOnPath } from './safety.js';
import { assertNoGitOperation } from './git-guard.js';

export { createFileExclusive, writeFileAtomic } from './atomic.js';

/** YAML for new files: lists of plain values in flow style (`tags: [vip, partner]`), the rest block style. */
function yamlOf(data: FrontMatter): string {
  const doc = new Document(data, { version: '1.2' });
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i))) node.flow = true;
    },
  });
  quoteAmbiguousStrings(doc);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** The text of a new record file. Keys keep the order given. */
export function serializeRecord(data: FrontMatter, body = ''): string {
  const clean: FrontMatter = {};
  // defineProperty: a key named `__proto__` stays a key (an assignment would set the prototype).
  for (const [k, v] of Object.entries(data)) if (v !== undefined) Object.defineProperty(clean, k, { value: v, enumerable: true, writable: true, configurable: true });
  const yamlText = Object.keys(clean).length ? yamlOf(clean) : '';
  const text = `---\n${yamlText}---\n${body ? (body.startsWith('\n') ? body : `\n${body}`) : ''}`;
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Refuses any path that would leave its folder. */
export function recordPath(root: string, type: RecordType, subdir: string, id: string, checkedFolders?: ReadonlySet<string>): { abs: string; rel: string } {
  if (!isValidSlug(id)) throw new DataError(`invalid record id '${id}'`);
  if (subdir && !/^[0-9]{4}\/[0-9]{2}$/.test(subdir)) throw new DataError(`invalid folder '${subdir}'`);
  const rel = [FOLDER_OF[type], subdir, `${id}.md`].filter(Boolean).join('/');
  const folder = path.resolve(root, FOLDER_OF[type]);
  const abs = path.resolve(root, rel);
  if (!abs.startsWith(folder + path.sep)) throw new DataError(`refusing to write outside ${FOLDER_OF[type]}/: ${rel}`);
  if (!checkedFolders?.has(path.dirname(abs))) assertNoLinkOnPath(root, rel);
  return { abs, rel };
}

export interface NewRecord {
  type: RecordType;
  /** Slug the id is made from; `-2`, `-3` … (or a random suffix) is added on collision. */
  baseId: string;
  data: FrontMatter;
  body?: string;
  /** Interactions are filed by year and month: `2026/11`. */
  subdir?: string;
  /** Always append a random suffix (interactions, reminders), retrying on collision. */
  randomSuffix?: boolean;
  /**
   * false: skip the per-file fsync. Only for bulk writes whose caller settles durability itself
   * (tb import calls flushToDisk once at the end, before reporting success; campaign sends).
   */
  durable?: boolean;
  /** Told each path just before the file is created there (autocommit's journal). */
  beforeCreate?: (rel: string) => void;
  /**
   * Folders (absolute) one bulk run has already checked (made, no link on the way) and created a
   * file in: not checked again for each of its thousands of files (a Maildir import). Only for new
   * files (the hard link that creates one never follows a link at the name); filled in here.
   */
  checkedFolders?: Set<string>;
}

/**
 * Creates a record file exclusively; picks the next free id. Never overwrites, and ids already
 * used in other folders are avoided through `takenElsewhere`.
 */
export function createRecord(root: string, rec: NewRecord, takenElsewhere: (id: string) => boolean = () => false): CrmRecord {
  const content = serializeRecord(rec.data, rec.body);
  const shown = `${FOLDER_OF[rec.type]}/${rec.subdir ? `${rec.subdir}/` : ''}${rec.baseId}.md`;
  refuseOversize(root, shown, content);
  const data = assertReadable(shown, content);
  const checked = rec.checkedFolders;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const id = rec.randomSuffix
      ? `${rec.baseId}-${randomSuffix()}`
      : attempt === 0 ? rec.baseId : `${rec.baseId}-${attempt + 1}`;
    if (takenElsewhere(id)) continue;
    const { abs, rel } = recordPath(root, rec.type, rec.subdir ?? '', id, checked);
    const folder = path.dirname(abs);
    // Write-ahead: the path is known (to autocommit's journal) before the file exists, so a run
    // killed right after the write still has it committed by the next run.
    rec.beforeCreate?.(rel);
    const created = naming(rel, () => createFileExclusive(abs, content, { durable: rec.durable ?? true, folderExists: checked?.has(folder) }), root);
    checked?.add(folder);
    if (created) return { type: rec.type, id, path: rel, data, body: rec.body };
  }
  throw new TbError(`could not find a free file name for '${rec.baseId}'`, 1);
}

/**
 * Makes files written with `durable: false` durable: one `sync -f` of the file system holding
 * `root` (syncfs), else an fsync per file when that command is missing.
 */
export function flushToDisk(root: string, rels: string[]): void {
  if (rels.length === 0) return;
  const r = spawnSync('sync', ['-f', root], { stdio: 'ignore' });
  if (r.status === 0) return;
  for (const rel of rels) {
    const fd = fs.openSync(path.join(root, rel), 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Creates the record with exactly `rec.baseId` as its id, or finds it already there (created by an
 * earlier run that crashed later, or by a teammate's identical step): the create step of an
 * operation that must be safe to repeat. `created` tells which.
 */
export function createRecordOnce(root: string, rec: NewRecord): { record: CrmRecord; created: boolean } {
  const content = serializeRecord(rec.data, rec.body);
  const { abs, rel } = recordPath(root, rec.type, rec.subdir ?? '', rec.baseId);
  refuseOversize(root, rel, content);
  assertReadable(rel, content);
  const created = naming(rel, () => createFileExclusive(abs, content), root);
  const text = created ? content : readRecordText(root, rel);
  const parsed = parseRecordText(text, rel);
  return { record: { type: rec.type, id: rec.baseId, path: rel, data: parsed.data, body: parsed.body }, created };
}

/**
 * Edits worked out from the record as it is on disk when the write happens (under its lock), for
 * changes relative to what is there: `+tag`, a stage history entry.
 */
export type PlanEdits = (data: FrontMatter) => FrontMatterEdit[];

/**
 * Applies front matter edits to an existing record atomically; returns the new text.
 * `appendBody` is added at the end of the Markdown body in the same write (tb merge).
 */
export function updateRecord(root: string, rel: string, edits: FrontMatterEdit[] | PlanEdits, appendBody?: string, approve?: (after: string, before: string) => void): string {
  assertNoLinkOnPath(root, rel);
  // Read, edit and write under the file's lock: another tb editing it at once edits our result.
  return withRecordLock(root, rel, () => {
    const before = readRecordText(root, rel);
    const planned = typeof edits === 'function' ? edits(parseRecordText(before, rel).data) : edits;
    let after = editFrontMatter(before, planned, rel);
    // Appended once: a re-run after a crash (tb merge) finds it there and adds nothing.
    if (appendBody && !before.includes(appendBody.trim())) after = `${after.replace(/\n*$/, '\n')}${appendBody}`;
    // The caller may veto the new text (validation) before anything reaches the disk.
    approve?.(after, before);
    if (after !== before) writeRecordText(root, rel, after);
    return after;
  });
}

/**
 * Writes a record file's whole new text, refusing what tb would not read back (oversize, NUL,
 * conflict markers, broken front matter) and naming the record when the disk refuses.
 */
function writeRecordText(root: string, rel: string, text: string): void {
  refuseOversize(root, rel, text);
  assertReadable(rel, text);
  naming(rel, () => writeFileAtomic(path.join(root, rel), text), root);
}

/** Nothing is written that the reader would refuse: the text is read back as the reader would. */
export function assertReadable(rel: string, text: string): FrontMatter {
  try {
    return parseRecordText(decodeText(Buffer.from(text, 'utf8'), rel), rel).data;
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    const [, message] = problemOf(err);
    throw new DataError(`${rel} would not be readable (${message}); nothing written`, { path: rel }, 'remove NUL bytes and lines starting with <<<<<<<, ======= or >>>>>>> from the text');
  }
}

/** Folders this process has swept of dead writers' temp files already (once per folder is enough). */
const swept = new Set<string>();

/** After a write in `rel`'s folder, temp files left there by killed writers are removed (once per run). */
function sweepFolderOf(root: string, rel: string): void {
  const dir = path.dirname(path.join(root, rel));
  if (swept.has(dir)) return;
  swept.add(dir);
  sweepDeadTemps(dir, pidGone);
}

/** Runs a file system write of `rel`; a failure (disk full, read-only) becomes a one-line error naming it. */
function naming<T>(rel: string, write: () => T, root?: string): T {
  if (root !== undefined) assertNoGitOperation(root);
  try {
    const result = write();
    if (root !== undefined) sweepFolderOf(root, rel);
    return result;
  } catch (err) {
    if (err instanceof TbError) throw err;
    const e = err as NodeJS.ErrnoException;
    const why = { ENOSPC: 'no space left on device', EROFS: 'read-only file system', EACCES: 'permission denied', EPERM: 'operation not permitted', EDQUOT: 'disk quota exceeded' }[e.code ?? ''] ?? e.message;
    throw new DataError(`cannot write ${rel}: ${why}; nothing changed`, { path: rel });
  }
}

/** Writes a non-record file of the directory (touchbase.yaml) atomically, never through a link, naming it on failure. */
export function writeDirFile(root: string, rel: string, text: string): void {
  assertNoLinkOnPath(root, rel);
  naming(rel, () => writeFileAtomic(path.join(root, rel), text), root);
}

/**
 * Replaces a record's whole text (tb edit, check --fix) under its lock, only if the file still
 * holds `before` (else DataError: someone changed it meanwhile) and only within max_file_size.
 */
export function replaceRecordText(root: string, rel: string, before: string, after: string): void {
  assertNoLinkOnPath(root, rel);
  withRecordLock(root, rel, () => {
    if (readRecordText(root, rel) !== before) throw new DataError(`${rel} changed on disk meanwhile; nothing saved`);
    writeRecordText(root, rel, after);
  });
}

/** Refuses (DataError) a record text over max_file_size, before anything is written. */
export function assertRecordSize(root: string, rel: string, text: string): void {
  refuseOversize(root, rel, text);
}

/** A record file tb itself would refuse to read is never written. */
function refuseOversize(root: string, rel: string, text: string): void {
  const size = Buffer.byteLength(text);
  const limit = maxFileSize(root);
  if (size > limit) throw new DataError(`${rel} would be ${size} bytes, over the ${limit}-byte limit (max_file_size in touchbase.yaml); nothing written`);
}

/** Deletes a record file (tb merge), refusing any path outside the record folders. */
export function deleteRecord(root: string, rel: string): void {
  const abs = path.resolve(root, rel);
  const inside = Object.values(FOLDER_OF).some((f) => abs.startsWith(path.resolve(root, f) + path.sep));
  if (!inside || !abs.endsWith('.md')) throw new DataError(`refusing to delete ${rel}`);
  assertNoLinkOnPath(root, rel);
  assertNoGitOperation(root);
  naming(rel, () => fs.rmSync(abs));
}
