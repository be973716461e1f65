import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { sync } from '../store/sync.js';

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function register(program: Command, getApp: GetApp): void {
  program
    .command('sync')
    .description("share your commits with the team: fetch and rebase onto the remote (git pull --rebase), then push")
    .option('--no-push', 'only bring in the remote\'s commits')
    .addHelpText('after', `
Refuses to start while records have uncommitted changes (commit them, or set git.autocommit).
If your commits conflict with the remote's, sync stops in git's normal rebase-conflict state and
says which files to resolve; it never resolves a conflict by dropping either side.

Examples:
  $ tb sync
  $ tb sync --no-push
  $ tb sync --json
`)
    .action(action(getApp, syncCommand));
}

function syncCommand(app: App, opts: { push: boolean }): void {
  const format = app.format(['text', 'json'], 'text');
  const r = sync(app.root, { push: opts.push !== false });
  if (format === 'json') {
    app.out(JSON.stringify(r, null, 2));
    return;
  }
  const lines: string[] = [];
  if (r.pulled) lines.push(`Pulled ${plural(r.pulled, 'commit')} from ${r.upstream}.`);
  if (r.pushed) lines.push(`Pushed ${plural(r.pushed, 'commit')} to ${r.upstream}${r.setUpstream ? ` (now tracking ${r.upstream})` : ''}.`);
  else if (r.setUpstream) lines.push(`Now tracking ${r.upstream}.`);
  if (r.unpushed) lines.push(`${plural(r.unpushed, 'local commit')} not pushed (--no-push).`);
  if (!lines.length) lines.push(`Already up to date with ${r.upstream}.`);
  for (const l of lines) app.say(l);
}
