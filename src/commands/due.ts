import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { UsageError } from '../errors.js';
import { addDuration, daysBetween, parseDuration } from '../core/dates.js';
import { buildDerived } from '../core/derived.js';
import { computeDigest, digestIsEmpty } from '../core/due.js';
import type { DigestOptions } from '../core/due.js';
import { ownersOnRecords, resolveOwnerOption } from '../core/owners.js';
import { compileQuery, queryNeedsBodies } from '../core/query/index.js';
import { digestToIcsItems, digestToJson, renderDigestMarkdown, renderDigestText } from '../render/digest.js';
import { warnQueryWords } from './query-words.js';
import { checkDigestMailOptions, digestTransport, sendDigestMail } from './due-mail.js';
import type { DigestMailOptions } from './due-mail.js';
import type { Address } from '../core/campaign-prepare.js';
import type { Config } from '../core/types.js';
import type { Digest } from '../core/due.js';
import { DEFAULT_SENDMAIL } from '../store/mail-transport.js';
import type { Transport } from '../store/mail-transport.js';

/** `tb due --exit-code` exits with this when something is due (0 when nothing is). */
export const DUE_EXIT_CODE = 3;

interface DueOptions extends DigestMailOptions {
  within: string;
  owner?: string;
  strictOwner?: boolean;
  exitCode?: boolean;
}

export function register(program: Command, getApp: GetApp): void {
  program
    .command('due')
    .description('the digest: overdue and upcoming reminders, contacts past their cadence, deals past expected close, cases near or past their SLA')
    .argument('[query...]', 'only items about contacts matching this query (tag:vip company:acme …)')
    .option('--within <duration>', 'look ahead this far for upcoming reminders: 0d (today only), 7d, 2w, 1m', '7d')
    .option('--owner <who>', "only items owned by 'me', an owner's id, name or email, or 'all' (default all); items nobody owns are kept, marked unowned")
    .option('--strict-owner', 'with --owner: leave out the items nobody owns')
    .option('--exit-code', `exit ${DUE_EXIT_CODE} when something is due, 0 when nothing is (for scripts)`)
    .option('--mail-to <address>', 'mail the digest (plain text and HTML) to ADDRESS instead of printing it; nothing is sent when nothing is due')
    .option('--sendmail [command]', `with --mail-to: pipe it to COMMAND (the default, ${DEFAULT_SENDMAIL})`)
    .option('--mbox <file>', 'with --mail-to: append it to an mbox FILE instead')
    .option('--out <dir>', 'with --mail-to: write it as an .eml file into DIR instead')
    .option('--mail-from <address>', "with --mail-to: the From: address (default: me's email in touchbase.yaml, else ADDRESS)")
    .addHelpText('after', `
Formats: --format text (default; colour only on a terminal) | md (for mail) | json | ics.
When nothing is due, text and md print nothing at all and exit 0, so cron mails nothing;
json still prints the object with empty lists and ics an empty calendar, so parsers and
calendar subscriptions keep working. With --exit-code the status is ${DUE_EXIT_CODE} when anything is due.

With --owner, items that nobody owns (records made before owners: was set up) are listed too,
marked "unowned" (JSON: "unowned": true), so a personal cron digest drops nothing; --strict-owner
leaves them out.

Sections: Overdue, Cases past their SLA, Today, Coming up (reminders due within --within), Keep in touch (contacts
whose last touchpoint is older than their cadence), Deals past expected close, Cases (active
cases whose SLA is breached or whose next deadline falls within --within; docs/cases.md), New
leads (leads tb assign gave their owner, not touched since, or assigned within --within;
docs/scoring.md).

Examples:
  $ tb due
  $ tb due --owner me --within 14d
  $ tb due tag:vip company:acme
  $ tb due --format md | mail -s "touchbase: due today" me@example.com
  $ tb due --format ics --within 30d > ~/public/touchbase.ics
  $ tb due --exit-code >/dev/null || echo "something is due"
  $ tb due --owner me --mail-to sam@example.com                 through sendmail -t -i
  $ tb due --mail-to sam@example.com --sendmail "msmtp -a work -t"
  $ tb due --mail-to sam@example.com --mbox ~/Mail/digest.mbox
`)
    .action(action(getApp, dueCommand));
}

/** `7d`, `2w`, `1m` (or a bare number of days) → days from today. */
export function windowDays(text: string, today: string): number {
  const t = text.trim();
  const dur = /^\d+$/.test(t) ? parseDuration(`${t}d`) : parseDuration(t);
  if (!dur) throw new UsageError(`--within '${text}' is not a duration`, 'use e.g. 0d (today only), 7d, 2w, 1m');
  return daysBetween(today, addDuration(today, dur));
}

async function dueCommand(app: App, words: string[], opts: DueOptions): Promise<void> {
  const format = app.format(['text', 'md', 'json', 'ics'], 'text');
  // Checked before anything is read: a wrong address or output path is a usage error up front.
  const mailTo = checkDigestMailOptions(app, opts);
  const makeTransport = mailTo ? digestTransport(app, opts) : undefined;
  const today = app.today;
  const within = windowDays(opts.within, today);
  const config = app.config();
  // Interactions only feed derived fields (last contact, deal activity): their summary is enough.
  // The query filters contacts, so only their bodies are wanted for full text.
  const ds = await app.load({ types: ['contact', 'company', 'deal', 'interaction', 'reminder', 'case'], bodies: queryNeedsBodies(words, config) ? ['contact'] : false, interactionSummary: app.today });
  const ctx = app.ctx();
  const derived = buildDerived(ds, ctx);
  const digestOpts: DigestOptions = { within };
  const owner = resolveOwnerOption(opts.owner, ds.config, ctx.me, ownersOnRecords([ds.contacts, ds.companies, ds.deals, ds.reminders]));
  if (owner.warning) app.warn(owner.warning);
  if (owner.id !== undefined) digestOpts.owner = owner.id;
  if (opts.strictOwner) digestOpts.strictOwner = true;
  warnQueryWords(app, words);
  if (words.length) digestOpts.contactFilter = compileQuery(words, { dataset: ds, ctx, derived, type: 'contact' });
  const digest = computeDigest(ds, derived, ctx, digestOpts);
  const empty = digestIsEmpty(digest);
  const renderOpts = { color: app.color, currency: ds.config.currency };
  if (mailTo && makeTransport) {
    if (!empty) await mailDigest(app, ds.config, digest, mailTo, opts, makeTransport);
    if (opts.exitCode && !empty) app.setExitCode(DUE_EXIT_CODE);
    return;
  }
  switch (format) {
    case 'json':
      app.out(JSON.stringify(digestToJson(digest), null, 2));
      break;
    case 'ics': {
      // Imported only here: the interop modules stay out of the other formats' start-up.
      const { toIcs } = await import('../interop/ics.js');
      app.raw(toIcs(digestToIcsItems(digest, renderOpts), { stamp: today, calName: `${ds.config.name ?? 'touchbase'}: due` }));
      break;
    }
    case 'md':
      app.raw(renderDigestMarkdown(digest, renderOpts));
      break;
    default:
      app.raw(renderDigestText(digest, renderOpts));
  }
  if (opts.exitCode && !empty) app.setExitCode(DUE_EXIT_CODE);
}


/** The digest as one message: plain text and the Markdown rendered to HTML (docs/cron-and-digest.md). */
async function mailDigest(app: App, config: Config, digest: Digest, to: Address, opts: DueOptions, makeTransport: () => Transport): Promise<void> {
  const plain = { color: false, currency: config.currency };
  const text = renderDigestText(digest, plain);
  const items = text.split('\n').filter((l) => l.startsWith('  ')).length;
  const subject = `${config.name ?? 'touchbase'}: due ${digest.today} (${items} item${items === 1 ? '' : 's'})`;
  await sendDigestMail(app, config, { to, subject, text, markdown: renderDigestMarkdown(digest, plain), items }, opts, makeTransport);
}
