import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { DataError, GitError } from '../errors.js';
import { resolveAny } from '../core/resolve.js';
import { LOG_FORMAT, parseHistory } from '../core/sync.js';
import { fileLog, hasCommits, isInsideWorkTree } from '../store/git.js';
import { findRemoved, removedRecords } from '../store/removed.js';
import { NotFoundError } from '../errors.js';
import type { Dataset, RecordType } from '../core/types.js';
import { renderTable } from '../render/table.js';
import { makeStyle } from '../render/style.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('history')
    .description("a record's audit trail from git: every commit that changed its file, who and when")
    .argument('<ref>', 'id, unique id prefix, email or name')
    .option('-p, --patch', 'show what each commit changed (the diff)')
    .addHelpText('after', `
Follows renames (git log --follow). Only committed changes appear: turn on git.autocommit in
touchbase.yaml so every tb write is its own commit.

Examples:
  $ tb history acme-renewal
  $ tb history ada --patch
  $ tb history acme-renewal --json
`)
    .action(action(getApp, historyCommand));
}

async function historyCommand(app: App, ref: string, opts: { patch?: boolean }): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const ds = await app.load();
  const rec = resolveOrRemoved(app, ds, ref);
  if (!isInsideWorkTree(app.root)) throw new GitError('no history: the directory is not inside a git repository', 'git init, then commit your records (or turn on git.autocommit)');
  if (!hasCommits(app.root)) throw new DataError(`no history yet: nothing has been committed in this repository, so ${rec.path} has no history`, undefined, 'commit your records (git add -A && git commit -m "records") or turn on git.autocommit; tb status shows what is not committed');
  const r = fileLog(app.root, rec.path, LOG_FORMAT, Boolean(opts.patch));
  if (!r.ok) throw new GitError(`git log failed: ${r.stderr.trim().split('\n')[0]}`);
  const entries = parseHistory(r.stdout, ds.config.owners, Boolean(opts.patch));
  if (rec.removedIn) app.warn(`${rec.id} was removed in ${rec.removedIn.slice(0, 7)}; tb restore ${rec.id} brings it back`);
  if (!entries.length) throw new DataError(`no history: ${rec.path} is not committed yet`, undefined, 'commit it (git add, git commit) or turn on git.autocommit');
  if (format === 'json') {
    app.out(JSON.stringify({ id: rec.id, type: rec.type, path: rec.path, removed: rec.removedIn !== undefined, commits: entries }, null, 2));
    return;
  }
  const style = makeStyle(app.color);
  const who = (e: (typeof entries)[number]) => e.owner ?? e.author;
  if (!opts.patch) {
    app.out(
      renderTable(
        ['date', 'who', 'commit', 'change'],
        entries.map((e) => [e.date.slice(0, 10), who(e), e.commit.slice(0, 7), e.path && e.path !== rec.path ? `${e.subject} (as ${e.path})` : e.subject]),
        { width: app.columns, head: (s) => style.bold(s) },
      ),
    );
    return;
  }
  const blocks = entries.map((e) => `${style.bold(`${e.date.slice(0, 10)} ${who(e)} <${e.email}> ${e.commit.slice(0, 7)}`)}\n${e.subject}\n\n${e.patch ?? ''}`);
  app.out(blocks.join('\n'));
}

/** The record `ref` names now, or else a removed one it names (id or its start, found in git's history). */
function resolveOrRemoved(app: App, ds: Dataset, ref: string): { id: string; type: RecordType; path: string; removedIn?: string } {
  try {
    return resolveAny(ds, ref);
  } catch (err) {
    if (!(err instanceof NotFoundError) || !isInsideWorkTree(app.root)) throw err;
    const gone = findRemoved(removedRecords(app.root), ref);
    if (!gone) throw err;
    return { id: gone.id, type: gone.type, path: gone.path, removedIn: gone.commit };
  }
}
