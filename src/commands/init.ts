import path from 'node:path';
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import { action } from './common.js';
import { initDirectory } from '../store/init.js';
import { findRoot } from '../store/root.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('init')
    .description('create a new touchbase directory: touchbase.yaml, record folders, .gitignore, git init')
    .argument('[dir]', 'where to create it', '.')
    .option('--example', 'fill it with the sample consultancy data')
    .option('--no-git', 'do not run git init')
    .addHelpText('after', `
Examples:
  $ tb init                      make the current folder a touchbase directory
  $ tb init ~/crm --example      a new folder with sample data to explore
`)
    .action(
      action(getApp, (app, dir: string, opts: { example?: boolean; git: boolean }) => {
        const target = path.resolve(app.sys.cwd, dir);
        const outer = enclosingRoot(path.dirname(target));
        if (outer) app.warn(`creating a touchbase directory inside another one (${outer}); commands there will use the inner one`);
        const r = initDirectory(target, { example: opts.example === true, git: opts.git });
        if (app.format(['text', 'json'], 'text') === 'json') {
          app.out(JSON.stringify({ root: r.root, created: r.created, git_init: r.gitInitialised }, null, 2));
          return;
        }
        app.say(`Created touchbase directory ${r.root}${r.gitInitialised ? ' (git repository initialised)' : ''}`);
        if (opts.example) app.say(`  with the sample data (${r.created.length} files); try: tb --dir ${dir} due --as-of 2026-11-23`);
        else app.say(`  next: tb --dir ${dir} add contact "Ada Lovelace" --email ada@example.com`);
      }),
    );
}

/** The touchbase directory `dir` is inside of, if any. */
function enclosingRoot(dir: string): string | undefined {
  try {
    return findRoot(dir);
  } catch {
    return undefined;
  }
}
