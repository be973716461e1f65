import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { DataError, GitError, NotFoundError } from '../errors.js';
import { didYouMean } from '../core/suggest.js';
import { DATASET_KEY, RECORD_TYPES } from '../core/types.js';
import { isInsideWorkTree } from '../store/git.js';
import { findRemoved, lastTexts, removedRecords, restoreRecordFile } from '../store/removed.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('restore')
    .description('bring back a removed record from git history (the last commit that had it)')
    .argument('<id>', "the removed record's id (tb history <id> shows its trail)")
    .option('-n, --dry-run', 'say what would be restored, change nothing')
    .addHelpText('after', `
The file comes back at its old path with the text of the last commit that had it; with
git.autocommit on, the restore is one commit. Refused when a record with that id exists now.
Only what git committed can come back: a record removed before it was ever committed is gone.
Details: tb help removing.

Examples:
  $ tb rm ada --cascade && tb restore ada   ada back (her interactions: tb restore <id> each)
  $ tb restore acme --dry-run               which file, from which commit
  $ tb history ada                          the trail of a removed record, removal included
`)
    .action(action(getApp, restoreCommand));
}

async function restoreCommand(app: App, ref: string, opts: { dryRun?: boolean }): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const ds = await app.load();
  if (!isInsideWorkTree(app.root)) throw new GitError('nothing to restore from: the directory is not inside a git repository', 'a removed record comes back only from git history');
  const removed = removedRecords(app.root);
  const rec = findRemoved(removed, ref);
  const id = rec?.id ?? ref.trim().toLowerCase();
  const now = RECORD_TYPES.flatMap((t) => ds[DATASET_KEY[t]]).find((r) => r.id === id);
  if (now) throw new DataError(`${id} exists now (${now.path}); nothing restored`, undefined, `tb show ${id}; to go back to an older version of it, see tb history ${id} --patch`);
  if (!rec) throw new NotFoundError(`no removed record '${id}' in this branch's git history`, didYouMean(id, removed.map((r) => r.id)) ?? 'name the removed record by its id or the start of it (git log --diff-filter=D --name-only lists removals)');
  const text = lastTexts(app.root, [rec]).get(rec.path);
  if (text === undefined) throw new GitError(`git no longer has the text of ${rec.path} (commit ${rec.commit.slice(0, 7)}^)`);
  const from = `${rec.commit.slice(0, 7)}^ (removed ${rec.date.slice(0, 10)})`;
  if (!opts.dryRun) {
    restoreRecordFile(app.root, rec, text);
    app.wrote(rec.path, `restore: ${rec.type} ${rec.id}`);
  }
  if (format === 'json') {
    app.out(JSON.stringify({ dry_run: opts.dryRun === true, id: rec.id, type: rec.type, path: rec.path, from_commit: `${rec.commit}^`, removed_in: rec.commit, removed_at: rec.date }, null, 2));
    return;
  }
  app.say(`${opts.dryRun ? 'Would restore' : 'Restored'} ${rec.type} ${rec.id}: ${rec.path} from ${from}`);
  if (opts.dryRun) app.say('Dry run: nothing was written.');
}
