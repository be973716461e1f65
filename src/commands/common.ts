/** Wiring shared by command modules: the action wrapper and small argument helpers. */
import type { App } from '../app.js';
import type { GetApp } from './registry.js';
import { UsageError } from '../errors.js';
import { autocommitFiles, isInsideWorkTree } from '../store/git.js';
import { didYouMean } from '../core/suggest.js';
import type { RecordType } from '../core/types.js';

/**
 * Wraps a command action: builds the App, runs the action, then autocommits what it wrote when
 * `git.autocommit` is on.
 */
export function action<A extends unknown[]>(getApp: GetApp, fn: (app: App, ...args: A) => Promise<void> | void) {
  return async (...args: A): Promise<void> => {
    const app = getApp();
    await fn(app, ...args);
    finishWrites(app);
  };
}

export function finishWrites(app: App): void {
  if (!app.written.length) return;
  const config = app.config();
  if (!config.git.autocommit) return;
  if (!isInsideWorkTree(app.root)) {
    app.warn('git.autocommit is on but the directory is not inside a git work tree; nothing committed');
    return;
  }
  const r = autocommitFiles(app.root, app.written, app.commitMessage ?? `tb: update ${app.written.join(', ')}`);
  if (!r.ok) app.warn(`autocommit failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
}

/** Repeatable option collector for commander. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const TYPE_WORDS: Record<string, RecordType> = {
  contact: 'contact', contacts: 'contact', person: 'contact', people: 'contact',
  company: 'company', companies: 'company', org: 'company', orgs: 'company',
  deal: 'deal', deals: 'deal',
  interaction: 'interaction', interactions: 'interaction', log: 'interaction',
  reminder: 'reminder', reminders: 'reminder', task: 'reminder', tasks: 'reminder',
};

export function recordTypeWord(word: string): RecordType | undefined {
  return TYPE_WORDS[word.toLowerCase()];
}

/** Parses a record type argument, restricted to `allowed`, with "did you mean". */
export function parseRecordType(word: string, allowed: readonly RecordType[]): RecordType {
  const t = recordTypeWord(word);
  if (t && allowed.includes(t)) return t;
  throw new UsageError(`unknown record type '${word}'`, didYouMean(word, allowed) ?? `use one of: ${allowed.join(', ')}`);
}
