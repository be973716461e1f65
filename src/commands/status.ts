import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { describeUncommitted, parseUncommitted } from '../core/uncommitted.js';
import { commitCount, crmStatus, currentBranch } from '../store/git.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('status')
    .description('git and the CRM: autocommit on or off, how many record files are not committed')
    .option('-v, --verbose', 'list the uncommitted files')
    .addHelpText('after', `
Counts record files (and touchbase.yaml) that are new, changed or removed since the last commit.
Details: tb help teams-and-git.

Examples:
  $ tb status
  $ tb status --verbose
  $ tb status --json
`)
    .action(action(getApp, statusCommand));
}

function statusCommand(app: App, opts: { verbose?: boolean }): void {
  const format = app.format(['text', 'json'], 'text');
  const autocommit = app.config().git.autocommit;
  const st = crmStatus(app.root);
  const files = st ? parseUncommitted(st.porcelainZ, st.prefix) : [];
  const commits = st ? commitCount(app.root) : 0;
  if (format === 'json') {
    app.out(JSON.stringify({ root: app.root, git: st !== undefined, branch: st ? currentBranch(app.root) ?? null : null, commits, autocommit, uncommitted: files }, null, 2));
    return;
  }
  if (!st) {
    app.out(`${app.root}: not a git repository — nothing is versioned`);
    app.out('  start: git init && git add -A && git commit -m "touchbase records"');
    return;
  }
  app.out(`${app.root}: git${currentBranch(app.root) ? ` branch ${currentBranch(app.root)}` : ''}, ${commits ? `${commits} commit${commits === 1 ? '' : 's'}` : 'no commits yet'}; autocommit ${autocommit ? 'on' : 'off'}`);
  if (!files.length) {
    app.out('everything is committed');
    return;
  }
  app.out(`not committed: ${describeUncommitted(files)}`);
  if (opts.verbose) for (const f of files) app.out(`  ${f.kind.padEnd(7)}  ${f.path}`);
  app.out(`  commit them: git add -A && git commit -m "…"${autocommit ? '' : '   (or set git.autocommit: true in touchbase.yaml)'}`);
}
