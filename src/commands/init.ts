import path from 'node:path';
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import { action } from './common.js';
import { initDirectory } from '../store/init.js';
import { findRoot } from '../store/root.js';
import { enableAutocommit, firstCommit } from '../store/init.js';
import type { App } from '../app.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('init')
    .description('create a new touchbase directory: touchbase.yaml, record folders, .gitignore, git init')
    .argument('[dir]', 'where to create it', '.')
    .option('--example', 'fill it with the sample consultancy data')
    .option('--no-git', 'do not run git init')
    .option('--autocommit', 'turn on git.autocommit: every tb write is its own commit (asked on a terminal)')
    .option('--no-autocommit', 'leave git.autocommit off without asking')
    .addHelpText('after', `
Examples:
  $ tb init                      make the current folder a touchbase directory
  $ tb init ~/crm --example      a new folder with sample data to explore
  $ tb init ~/crm --autocommit   commit every change automatically (recommended when alone)

With git, the files it creates are the first commit ('tb: init').
`)
    .action(
      action(getApp, async (app, dir: string, opts: InitOptions) => {
        const target = path.resolve(app.sys.cwd, dir);
        const outer = enclosingRoot(path.dirname(target));
        if (outer) app.warn(`creating a touchbase directory inside another one (${outer}); commands there will use the inner one`);
        const format = app.format(['text', 'json'], 'text');
        const r = initDirectory(target, { example: opts.example === true, git: opts.git });
        const autocommit = opts.git && (await wantsAutocommit(app, opts));
        if (autocommit) enableAutocommit(r.root);
        const commit = r.gitInitialised ? firstCommit(r.root, r.created) : undefined;
        if (commit && !commit.ok) app.warn(`the first commit failed: ${commit.error}; commit by hand: git add -A && git commit -m "tb: init"`);
        if (format === 'json') {
          app.out(JSON.stringify({ root: r.root, created: r.created, git_init: r.gitInitialised, first_commit: commit?.ok === true, autocommit }, null, 2));
          return;
        }
        app.say(`Created touchbase directory ${r.root}${r.gitInitialised ? ` (git repository initialised${commit?.ok ? ', first commit made' : ''})` : ''}`);
        if (opts.git) app.say(autocommit ? '  git.autocommit is on: every tb change is its own commit' : '  git.autocommit is off: commit your records yourself (tb status says how many are not committed)');
        if (opts.example) app.say(`  with the sample data (${r.created.length} files); try: tb --dir ${dir} due --as-of 2026-11-23`);
        else app.say(`  next: tb --dir ${dir} add contact "Ada Lovelace" --email ada@example.com`);
      }),
    );
}

interface InitOptions {
  example?: boolean;
  git: boolean;
  autocommit?: boolean;
}

/** The flag decides; without one, a terminal is asked (yes by default) and anything else says no. */
async function wantsAutocommit(app: App, opts: InitOptions): Promise<boolean> {
  if (opts.autocommit !== undefined) return opts.autocommit;
  if (!app.interactive) return false;
  const { askConfirm } = await import('../prompts/index.js');
  return askConfirm('Commit every change automatically (git.autocommit; recommended when you work alone)?', true);
}

/** The touchbase directory `dir` is inside of, if any. */
function enclosingRoot(dir: string): string | undefined {
  try {
    return findRoot(dir);
  } catch {
    return undefined;
  }
}
