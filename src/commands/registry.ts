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
  /** Other names the command answers to (`tb delete` is `tb rm`). */
  aliases?: string[];
  load: () => Promise<CommandModule>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'init', summary: 'create a new touchbase directory', load: () => import('./init.js') },
  { name: 'add', summary: 'add a contact, company or deal', load: () => import('./add.js') },
  { name: 'log', summary: 'record a touchpoint (call, email, meeting …)', load: () => import('./log.js') },
  { name: 'show', summary: '360° view of a contact, company, deal or reminder', load: () => import('./show.js') },
  { name: 'list', summary: 'list records matching a query', load: () => import('./list.js') },
  { name: 'set', summary: 'change fields from the command line: key=value +tag -tag', load: () => import('./set.js') },
  { name: 'edit', summary: 'edit a record in $EDITOR, then validate it', load: () => import('./edit.js') },
  { name: 'rm', aliases: ['delete'], summary: 'remove a record; refuses while others name it unless --force or --cascade', load: () => import('./rm.js') },
  { name: 'segment', summary: 'save, list and remove saved queries (@name)', load: () => import('./segment.js') },
  { name: 'deal', summary: 'move a deal through the pipeline: move, won, lost, reopen', load: () => import('./deal.js') },
  { name: 'pipeline', summary: 'open deals per stage, weighted forecast, deals that need attention', load: () => import('./pipeline.js') },
  { name: 'remind', summary: 'create a follow-up reminder about a contact or deal', load: () => import('./remind.js') },
  { name: 'done', summary: 'mark a reminder done (a repeating one schedules the next)', load: () => import('./done.js') },
  { name: 'snooze', summary: 'move an open reminder to a new due date', load: () => import('./snooze.js') },
  { name: 'cancel', summary: 'cancel an open reminder', load: () => import('./cancel.js') },
  { name: 'case', summary: 'service cases: open, reply, note, resolve, reopen, close (SLA deadlines)', load: () => import('./case.js') },
  { name: 'due', summary: 'what is due: reminders, keep-in-touch, deals past close (prints nothing when nothing is)', load: () => import('./due.js') },
  { name: 'campaign', summary: 'one message to a segment: new, list, preview, send, report', load: () => import('./campaign.js') },
  { name: 'report', summary: 'KPIs: win rate, deal size, sales cycle, conversion, activity, churn', load: () => import('./report.js') },
  { name: 'score', summary: "a contact's lead score rule by rule, or the top leads (--top)", load: () => import('./score.js') },
  { name: 'assign', summary: 'give leads an owner: territories, then round-robin or balanced', load: () => import('./assign.js') },
  { name: 'check', summary: 'validate the whole directory; exit 1 on any error', load: () => import('./check.js') },
  { name: 'import', summary: 'import contacts or records from CSV, vCard or JSON, touchpoints from mail and calendars (eml, mbox, maildir, ics), without duplicating', load: () => import('./import.js') },
  { name: 'vdir', summary: 'keep contacts in step with a vdir (vdirsyncer, khard): tb vdir sync <dir>', load: () => import('./vdir.js') },
  { name: 'export', summary: 'export records as CSV, vCard, JSON or iCalendar', load: () => import('./export.js') },
  { name: 'dedupe', summary: 'list likely duplicate contacts or companies', load: () => import('./dedupe.js') },
  { name: 'merge', summary: 'merge two contacts or companies, rewriting references', load: () => import('./merge.js') },
  { name: 'sync', summary: 'share commits with the team: git pull --rebase, then push', load: () => import('./sync.js') },
  { name: 'restore', summary: 'bring back a removed record from git history', load: () => import('./restore.js') },
  { name: 'history', summary: "a record's audit trail from git: who changed what, when", load: () => import('./history.js') },
  { name: 'status', summary: 'uncommitted records and autocommit, when the directory is in git', load: () => import('./status.js') },
  { name: 'whoami', summary: 'who "me" is, and why', load: () => import('./whoami.js') },
  { name: 'completion', summary: 'print a shell completion script (bash, zsh, fish)', load: () => import('./completion.js') },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
