/**
 * The command table. Each command lives in its own module, imported only when that command runs,
 * so start-up stays fast; the table alone is enough for top-level help and "did you mean".
 */
import type { Command } from 'commander';
import type { App } from '../app.js';

export type GetApp = () => App;
export interface CommandModule {
  register(program: Command, getApp: GetApp): void;
}

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'init', summary: 'create a new touchbase directory', load: () => import('./init.js') },
  { name: 'add', summary: 'add a contact, company or deal', load: () => import('./add.js') },
  { name: 'log', summary: 'record a touchpoint (call, email, meeting …)', load: () => import('./log.js') },
  { name: 'show', summary: '360° view of a contact, company, deal or reminder', load: () => import('./show.js') },
  { name: 'list', summary: 'list records matching a query', load: () => import('./list.js') },
  { name: 'segment', summary: 'save, list and remove saved queries (@name)', load: () => import('./segment.js') },
  { name: 'set', summary: 'change fields from the command line: key=value +tag -tag', load: () => import('./set.js') },
  { name: 'edit', summary: 'edit a record in $EDITOR, then validate it', load: () => import('./edit.js') },
  { name: 'check', summary: 'validate the whole directory; exit 1 on any error', load: () => import('./check.js') },
  { name: 'report', summary: 'KPIs: win rate, deal size, sales cycle, conversion, activity, churn', load: () => import('./report.js') },
  { name: 'sync', summary: 'share commits with the team: git pull --rebase, then push', load: () => import('./sync.js') },
  { name: 'history', summary: "a record's audit trail from git: who changed what, when", load: () => import('./history.js') },
  { name: 'whoami', summary: 'who "me" is, and why', load: () => import('./whoami.js') },
  { name: 'completion', summary: 'print a shell completion script (bash, zsh, fish)', load: () => import('./completion.js') },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
