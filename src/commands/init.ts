import path from 'node:path';
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import { action } from './common.js';
import { initDirectory } from '../store/init.js';
import { findRoot } from '../store/root.js';
import { addOwner, enableAutocommit, firstCommit } from '../store/init.js';
import { gitUserEmail, gitUserName, setGitIdentity } from '../store/git.js';
import { ownerIdFor } from '../core/owners.js';
import { UsageError } from '../errors.js';
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
    .option('--name <name>', 'your name, written as the first owner (default: git config user.name; asked on a terminal)')
    .option('--email <email>', 'your email, written as the first owner (default: git config user.email; asked on a terminal)')
    .addHelpText('after', `
Examples:
  $ tb init                      make the current folder a touchbase directory
  $ tb init ~/crm --example      a new folder with sample data to explore
  $ tb init ~/crm --autocommit   commit every change automatically (recommended when alone)

You are the first owner from the start: your name and email (asked on a terminal, else taken from
git config user.name/user.email, or --name/--email) go under owners: in touchbase.yaml, so
--owner me, new records' owner, campaign senders and commits all name the same person.
With git, the files it creates are the first commit ('tb: init').
`)
    .action(
      action(getApp, async (app, dir: string, opts: InitOptions) => {
        const target = path.resolve(app.sys.cwd, dir);
        const outer = enclosingRoot(path.dirname(target));
        if (outer) app.warn(`creating a touchbase directory inside another one (${outer}); commands there will use the inner one`);
        const format = app.format(['text', 'json'], 'text');
        const me = opts.example ? undefined : await firstOwner(app, opts);
        const r = initDirectory(target, { example: opts.example === true, git: opts.git });
        if (me) addOwner(r.root, me.id, { name: me.name, email: me.email });
        // Commits and `me` agree: a repository made here gets the identity the user just gave.
        const identity = me && r.gitInitialised && (me.name !== me.gitName || me.email !== me.gitEmail) && setGitIdentity(r.root, { name: me.name, email: me.email })
          ? { name: me.name ?? null, email: me.email ?? null } : null;
        const autocommit = opts.git && (await wantsAutocommit(app, opts));
        if (autocommit) enableAutocommit(r.root);
        const commit = r.gitInitialised ? firstCommit(r.root, r.created) : undefined;
        if (commit && !commit.ok) app.warn(`the first commit failed: ${commit.error}; commit by hand: git add -A && git commit -m "tb: init"`);
        if (format === 'json') {
          app.out(JSON.stringify({ root: r.root, created: r.created, git_init: r.gitInitialised, first_commit: commit?.ok === true, autocommit, owner: me ? { id: me.id, name: me.name, email: me.email } : null, git_identity: identity }, null, 2));
          return;
        }
        app.say(`Created touchbase directory ${r.root}${r.gitInitialised ? ` (git repository initialised${commit?.ok ? ', first commit made' : ''})` : ''}`);
        if (me) app.say(`  you are owner '${me.id}' (${[me.name, me.email].filter(Boolean).join(' <')}${me.name && me.email ? '>' : ''}) in touchbase.yaml: --owner me means you`);
        if (identity) app.say(`  this repository's git identity is now ${personText(identity)} (git config user.name/user.email here), so its commits name you`);
        if (!me && !opts.example) app.say('  no name or email known (git config user.name/user.email): add yourself under owners: in touchbase.yaml so --owner me works');
        if (opts.git) app.say(autocommit ? '  git.autocommit is on: every tb change is its own commit' : '  git.autocommit is off: commit your records yourself (tb status says how many are not committed)');
        if (opts.example) app.say(`  with the sample data (${r.created.length} files); try: tb --dir ${dir} due --as-of 2026-11-23`);
        else app.say(`  next: tb --dir ${dir} add contact "Ada Lovelace" --email ada@example.com`);
      }),
    );
}

/** `Sam Lee <sam@example.com>`, or whichever of the two is known. */
function personText(p: { name: string | null; email: string | null }): string {
  return p.name && p.email ? `${p.name} <${p.email}>` : (p.name ?? p.email ?? '');
}

interface InitOptions {
  example?: boolean;
  name?: string;
  email?: string;
  git: boolean;
  autocommit?: boolean;
}

interface FirstOwner {
  id: string;
  name?: string;
  email?: string;
  gitName?: string;
  gitEmail?: string;
}

/** The user as the first owner: --name/--email, else asked on a terminal (git's values offered), else git's. */
async function firstOwner(app: App, opts: InitOptions): Promise<FirstOwner | undefined> {
  // Asked before anything is made, so a bad answer leaves nothing behind.
  const gitName = gitUserName(app.sys.cwd);
  const gitEmail = gitUserEmail(app.sys.cwd);
  let name = opts.name?.trim() || gitName;
  let email = opts.email?.trim() || gitEmail;
  if (app.interactive && (opts.name === undefined || opts.email === undefined)) {
    const { askText } = await import('../prompts/index.js');
    name = (await askText('Your name (the first owner in touchbase.yaml)', { default: name })).trim() || undefined;
    email = (await askText('Your email', { default: email })).trim() || undefined;
  }
  if (email !== undefined && !/^[^\s@<>]+@[^\s@<>]+$/.test(email)) throw new UsageError(`'${email}' is not an email address`, 'e.g. --email you@example.com');
  if (!name && !email) return undefined;
  return { id: ownerIdFor(name, email), name, email, gitName, gitEmail };
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
