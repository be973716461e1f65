/**
 * `tb campaign new|list|preview|send|report` (docs/campaigns.md): one message to a segment, sent
 * through the user's own mail transport, recorded so timelines and reports see it. This file only
 * registers the verbs; each lives in its own campaign-<verb>.ts, the logic in core/ and store/.
 */
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { DEFAULT_SENDMAIL } from '../store/mail-transport.js';
import type { NewCampaignOptions } from './campaign-new.js';
import type { SendOptions } from './campaign-send.js';

export type { NewCampaignOptions } from './campaign-new.js';

export function register(program: Command, getApp: GetApp): void {
  const cmd = program
    .command('campaign')
    .description('one message to a segment: new, list, preview, send, report')
    .addHelpText('after', `
Examples:
  $ tb campaign new "Winter update" --segment "stage:customer" --subject "News from {{owner.name}}" --body-file winter.md
  $ tb campaign preview winter-update --limit 2
  $ tb campaign send winter-update --out outbox/ --dry-run
  $ tb campaign send winter-update --sendmail                  pipes each message to sendmail -t -i
  $ tb campaign send winter-update --sendmail "msmtp -a work -t" --new-only
  $ tb campaign report --window 14d --format md

See docs/campaigns.md.
`);
  registerCampaignNew(cmd, getApp);
  registerCampaignList(cmd, getApp);
  registerCampaignPreview(cmd, getApp);
  registerCampaignSend(cmd, getApp);
  registerCampaignReport(cmd, getApp);
}

function registerCampaignNew(cmd: Command, getApp: GetApp): void {
  cmd
    .command('new')
    .description('create a campaign (a draft): the body file is the Markdown message template')
    .argument('<name>', 'the campaign name; its id is made from it')
    .option('--segment <query>', 'who gets it: a query over contacts or @segment (required)')
    .option('--subject <text>', 'the subject line; placeholders allowed (required)')
    .option('--body-file <file>', 'the Markdown template for the message body')
    .option('--body <text>', 'the template given inline instead of --body-file')
    .option('--owner <owner>', 'the sender (default: me, when me is a configured owner)')
    .option('--from <address>', 'From: address, e.g. "Sam Lee <sam@example.com>" (default: the owner\'s email)')
    .option('--channel <channel>', 'channel recorded on each interaction', 'email')
    .addHelpText('after', `
Placeholders: {{first_name}}, {{name}}, {{company}}, {{owner.name}}, any contact field ({{title}}),
with a default: {{first_name|there}}.

Examples:
  $ tb campaign new "Winter update" --segment "stage:customer -tag:churned" --subject "Hello {{first_name|there}}" --body-file winter.md
  $ tb campaign new "Event follow-up" --segment @met-at-expo --subject "Good to meet you" --body "Hi {{first_name}}, …"
`)
    .action(action(getApp, async (app: App, name: string, opts: NewCampaignOptions) => (await import('./campaign-new.js')).newCampaign(app, name, opts)));
}

function registerCampaignList(cmd: Command, getApp: GetApp): void {
  cmd
    .command('list')
    .description('list campaigns with their status')
    .addHelpText('after', '\nFormats: --format table (default) | json | csv | md.\n\nExample:\n  $ tb campaign list --json\n')
    .action(action(getApp, async (app: App) => (await import('./campaign-list.js')).listCampaigns(app)));
}

function registerCampaignPreview(cmd: Command, getApp: GetApp): void {
  cmd
    .command('preview')
    .description('who would get it, who is left out and why, and the first rendered messages')
    .argument('<campaign>', 'campaign id, prefix or name')
    .option('--limit <n>', 'messages to show rendered', '1')
    .addHelpText('after', '\nFormats: --format text (default) | json.\n\nExamples:\n  $ tb campaign preview winter-update\n  $ tb campaign preview winter --limit 3 --json\n')
    .action(action(getApp, async (app: App, ref: string, opts: { limit?: string }) => (await import('./campaign-preview.js')).previewCampaign(app, ref, opts)));
}

function registerCampaignSend(cmd: Command, getApp: GetApp): void {
  cmd
    .command('send')
    .description('send through exactly one of --out, --mbox or --sendmail; each recipient is recorded as an interaction')
    .argument('<campaign>', 'campaign id, prefix or name')
    .option('--out <dir>', 'write one RFC 5322 .eml file per recipient into DIR')
    .option('--mbox <file>', 'append every message to an mbox FILE')
    .option('--sendmail [command]', `pipe each message to COMMAND (default: ${DEFAULT_SENDMAIL})`)
    .option('--dry-run', 'render and check everything, show who would get it; send and write nothing')
    .option('--new-only', 'for a campaign already sent: send only to contacts who joined the segment since')
    .option('--retry-unknown', 'send again to recipients whose delivery is unknown (tb stopped while sendmail had their message); check your sent folder first')
    .addHelpText('after', `
A campaign is sent once, by one tb at a time. Each recipient is claimed in .touchbase/sends/ before
the message is handed over and recorded right after: if the transport fails or tb is stopped
(TERM/INT are forwarded to sendmail and awaited), running the same command again continues with
the rest. A message whose fate cannot be known (sendmail had it when tb died) is reported as
unknown and not sent again unless --retry-unknown. Output paths never go through a symbolic link.

Examples:
  $ tb campaign send winter-update --out outbox/
  $ tb campaign send winter-update --mbox winter.mbox --dry-run
  $ tb campaign send winter-update --sendmail
  $ tb campaign send winter-update --sendmail "msmtp -t" --new-only
  $ tb campaign send winter-update --sendmail --new-only --retry-unknown   after checking the sent folder
  $ tb campaign send winter-update --out outbox/ --json
`)
    .action(action(getApp, async (app: App, ref: string, opts: SendOptions) => (await import('./campaign-send.js')).sendCampaign(app, ref, opts)));
}

function registerCampaignReport(cmd: Command, getApp: GetApp): void {
  cmd
    .command('report')
    .description('what campaigns earned: recipients, replies, meetings, deals and won value within a window')
    .argument('[campaign]', 'one campaign (default: all that were sent)')
    .option('--window <duration>', 'how long after the send counts, e.g. 14d, 4w', '14d')
    .addHelpText('after', '\nFormats: --format table (default) | json | csv | md.\n\nExamples:\n  $ tb campaign report\n  $ tb campaign report winter-update --window 30d --json\n')
    .action(action(getApp, async (app: App, ref: string | undefined, opts: { window?: string }) => (await import('./campaign-report.js')).reportCampaigns(app, ref, opts)));
}
