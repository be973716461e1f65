/** Wiring shared by command modules: the action wrapper and small argument helpers. */
import type { App } from '../app.js';
import type { GetApp } from './registry.js';
import { DataError, TbError, UsageError } from '../errors.js';
import { CONFIG_FILE } from '../core/config.js';
import { isInsideWorkTree } from '../store/git.js';
import { commitWritten, dropJournal, hasLeftovers } from '../store/autocommit.js';
import { unfinishedOperation } from '../store/git-guard.js';
import { didYouMean } from '../core/suggest.js';
import type { CrmRecord, Dataset, Problem, RecordType } from '../core/types.js';
import { validateRecord } from '../core/validate.js';
import { FOLDER_OF, RECORD_TYPES, TYPE_WORDS } from '../core/schema.js';

/**
 * Wraps a command action: builds the App, runs the action, then autocommits what it wrote when
 * `git.autocommit` is on.
 */
export function action<A extends unknown[]>(getApp: GetApp, fn: (app: App, ...args: A) => Promise<void> | void) {
  return async (...args: A): Promise<void> => {
    const app = getApp();
    try {
      await fn(app, ...args);
    } catch (err) {
      // Say what was already written before the failure, so nothing changes on disk unannounced.
      if (app.written.length) app.warn(`written before the error (not committed${autocommitOn(app) ? '; the next tb command commits them' : ''}): ${shortList(app.written)}`);
      throw err;
    }
    finishWrites(app);
  };
}

function autocommitOn(app: App): boolean {
  try {
    return app.config().git.autocommit === true;
  } catch {
    return false;
  }
}

function shortList(paths: readonly string[], max = 10): string {
  return paths.length <= max ? paths.join(', ') : `${paths.slice(0, max).join(', ')} and ${paths.length - max} more`;
}

/**
 * With git.autocommit: commits what the command wrote, and what an interrupted earlier run left
 * (store/autocommit.ts), one tb at a time. A commit that fails is an error (exit 1): the files are
 * written, and the next command commits them.
 */
export function finishWrites(app: App): void {
  if (!autocommitOn(app)) return;
  // A command that wrote nothing still commits what a killed run left (a re-run with nothing new
  // to write), unless a git operation is stopped: a read never refuses.
  if (!app.written.length && (!hasLeftovers(app.root) || unfinishedOperation(app.root) || !isInsideWorkTree(app.root))) return;
  if (!isInsideWorkTree(app.root)) {
    dropJournal(app.root);
    app.warn('git.autocommit is on but the directory is not inside a git work tree; nothing committed');
    return;
  }
  // The message names the files only while it stays a readable line.
  const r = commitWritten(app.root, app.written, app.commitMessage ?? `tb: update ${shortList(app.written, 5)}`);
  if (!r.ok) {
    const n = app.written.length;
    throw new TbError(`autocommit failed: ${(r.stderr || r.stdout).trim().split('\n')[0] || `git exited with ${r.status}`}`, 1, `${n} file${n === 1 ? ' is' : 's are'} written but not committed; the next tb command with autocommit commits ${n === 1 ? 'it' : 'them'}, or commit yourself (git add, git commit)`);
  }
  if (r.leftovers) app.warn(`also committed ${r.leftovers} file${r.leftovers === 1 ? '' : 's'} an interrupted earlier run had written`);
}

/** Repeatable option collector for commander. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Every type's folder, in schema order, for the help of a type argument, the first with a note:
 * `contacts (default), companies, deals, … or campaigns`.
 */
export function typeFolderList(firstNote: string): string {
  const folders = RECORD_TYPES.map((t, i) => (i === 0 ? `${FOLDER_OF[t]} (${firstNote})` : FOLDER_OF[t]));
  return `${folders.slice(0, -1).join(', ')} or ${folders[folders.length - 1]}`;
}

export function recordTypeWord(word: string): RecordType | undefined {
  const lower = word.toLowerCase();
  return Object.hasOwn(TYPE_WORDS, lower) ? TYPE_WORDS[lower] : undefined;
}

/** Parses a record type argument, restricted to `allowed`, with "did you mean". */
export function parseRecordType(word: string, allowed: readonly RecordType[]): RecordType {
  const t = recordTypeWord(word);
  if (t && allowed.includes(t)) return t;
  throw new UsageError(`unknown record type '${word}'`, didYouMean(word, allowed) ?? `use one of: ${allowed.join(', ')}`);
}

/**
 * For commands that need the pipeline (`tb pipeline`, `tb deal`): a broken `pipeline:` in
 * touchbase.yaml (duplicate stage ids, probabilities outside 0..1, not exactly one won and one lost
 * stage) stops the command with the file and line; other config problems are warnings.
 */
export function checkPipelineConfig(app: App, problems: readonly Problem[]): void {
  const inConfig = problems.filter((p) => p.path === CONFIG_FILE);
  const broken = inConfig.filter((p) => p.key === 'pipeline' && p.severity === 'error');
  if (broken.length) {
    const [first, ...rest] = broken;
    const hint = rest.length
      ? `also ${rest.map((p) => `${CONFIG_FILE}:${p.line}: ${p.message}`).join('; ')}`
      : "each stage needs a unique id and a probability from 0 to 1; exactly one stage has 'closed: won' and one 'closed: lost'";
    throw new DataError(first.message, { path: CONFIG_FILE, line: first.line || undefined }, hint);
  }
  for (const p of inConfig) app.warn(`${CONFIG_FILE}${p.line ? `:${p.line}` : ''}: ${p.message}`);
}

/**
 * Refuses to write a record that `tb check` would reject, naming the first problem. With `previous`
 * (an edit), only problems the edit introduces count: a hand-made mistake elsewhere in the file
 * does not block fixing something else.
 */
export function assertWritable(ds: Dataset, rec: CrmRecord, previous?: CrmRecord): void {
  const had = new Set(previous ? validateRecord(ds, previous).map((p) => `${p.key ?? ''}\u0000${p.message}`) : []);
  const problems = validateRecord(ds, rec).filter((p) => !had.has(`${p.key ?? ''}\u0000${p.message}`));
  if (!problems.length) return;
  const p = problems[0];
  const more = problems.length > 1 ? `; ${problems.length - 1} more: ${problems.slice(1).map((x) => x.message).join('; ')}` : '';
  throw new DataError(`refusing to save ${rec.path}: ${p.message}${more}`, undefined, 'nothing was written');
}
