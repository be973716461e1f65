import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, checkPipelineConfig } from './common.js';
import type { CrmRecord } from '../core/types.js';
import { UsageError } from '../errors.js';
import { didYouMean } from '../core/suggest.js';
import { parseWhen } from '../core/dates.js';
import { resolveRefOrExplain } from '../core/resolve.js';
import { asString } from '../core/fields.js';
import { dealHistory } from '../core/derived.js';
import { closedStageId, moveDeal, reopenTarget } from '../core/pipeline.js';
import { updateRecord } from '../store/write.js';
import { parseRecordText } from '../store/frontmatter.js';
import { recordJson } from '../render/records.js';

interface MoveOptions {
  date?: string;
  reason?: string;
}

const DATE_HELP = 'when the change happened: 2026-11-20, yesterday, -3d (default today, or --as-of)';

export function register(program: Command, getApp: GetApp): void {
  const deal = program
    .command('deal')
    .description('move a deal through the pipeline; every change is appended to its history')
    .usage('move|won|lost|reopen <deal> [stage] [options]')
    .argument('[subcommand]', 'move, won, lost or reopen')
    .allowExcessArguments()
    .addHelpText('after', `
Each change appends {date, stage} to the deal's history, sets 'closed' on won/lost and clears it
on reopen. Only those keys change in the file; comments and the body stay as they are.

Examples:
  $ tb deal move acme-renewal proposal
  $ tb deal won acme-renewal --date yesterday
  $ tb deal lost acme-renewal --reason "went with a bigger firm"
  $ tb deal reopen acme-renewal
`)
    .action((sub: string | undefined) => {
      const subs = ['move', 'won', 'lost', 'reopen'];
      if (sub === undefined) throw new UsageError('missing subcommand', `use one of: ${subs.join(', ')} (tb deal --help)`);
      throw new UsageError(`unknown subcommand 'deal ${sub}'`, didYouMean(sub, subs) ?? `use one of: ${subs.join(', ')}`);
    });
  registerDealMove(deal, getApp);
  registerDealWon(deal, getApp);
  registerDealLost(deal, getApp);
  registerDealReopen(deal, getApp);
}

function registerDealMove(deal: Command, getApp: GetApp): void {
  deal
    .command('move')
    .description('move a deal to a pipeline stage')
    .argument('<deal>', 'id, unique id prefix or title')
    .argument('<stage>', 'a stage id from the pipeline in touchbase.yaml')
    .option('-d, --date <when>', DATE_HELP)
    .addHelpText('after', `
Examples:
  $ tb deal move acme-renewal negotiation
  $ tb deal move "Acme renewal" proposal --date 2026-11-20
`)
    .action(action(getApp, (app: App, ref: string, stage: string, opts: MoveOptions) => change(app, ref, () => stage, opts)));
}

function registerDealWon(deal: Command, getApp: GetApp): void {
  deal
    .command('won')
    .description('mark a deal won (the stage with closed: won)')
    .argument('<deal>', 'id, unique id prefix or title')
    .option('-d, --date <when>', DATE_HELP)
    .addHelpText('after', `
Examples:
  $ tb deal won acme-renewal
  $ tb deal won acme-renewal --date 2026-11-20
`)
    .action(action(getApp, (app: App, ref: string, opts: MoveOptions) => change(app, ref, () => closedStageId(app.config(), 'won'), opts)));
}

function registerDealLost(deal: Command, getApp: GetApp): void {
  deal
    .command('lost')
    .description('mark a deal lost (the stage with closed: lost), optionally with a reason')
    .argument('<deal>', 'id, unique id prefix or title')
    .option('-r, --reason <text>', 'why it was lost (saved as lost_reason)')
    .option('-d, --date <when>', DATE_HELP)
    .addHelpText('after', `
Examples:
  $ tb deal lost acme-renewal --reason "budget frozen"
`)
    .action(action(getApp, (app: App, ref: string, opts: MoveOptions) => change(app, ref, () => closedStageId(app.config(), 'lost'), opts)));
}

function registerDealReopen(deal: Command, getApp: GetApp): void {
  deal
    .command('reopen')
    .description('reopen a won or lost deal: back to its last open stage, or the one given')
    .argument('<deal>', 'id, unique id prefix or title')
    .argument('[stage]', 'the open stage to go back to (default: the last open stage in its history)')
    .option('-d, --date <when>', DATE_HELP)
    .addHelpText('after', `
Removes 'closed' and 'lost_reason'.

Examples:
  $ tb deal reopen acme-renewal
  $ tb deal reopen acme-renewal qualified
`)
    .action(
      action(getApp, (app: App, ref: string, stage: string | undefined, opts: MoveOptions) =>
        change(app, ref, (d) => reopenTarget(d, app.config(), stage), opts, (d) => `deal '${d.id}' is not closed (stage '${asString(d.data.stage) ?? ''}'); nothing to reopen`),
      ),
    );
}

/**
 * The one path for every stage change: resolve the deal, plan with moveDeal, apply the edits as a
 * round-trip edit of the file. `target` returning undefined means "nothing to do" (`idle` says why).
 */
async function change(app: App, ref: string, target: (deal: CrmRecord) => string | undefined, opts: MoveOptions, idle?: (deal: CrmRecord) => string): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const ds = await app.load({ types: ['deal'] });
  checkPipelineConfig(app, ds.problems);
  const deal = resolveRefOrExplain(ds.deals, ref, 'deal', ds.problems);
  const date = opts.date === undefined ? app.today : parseWhen(opts.date, app.today, '--date');
  const stage = target(deal);
  const plan = stage === undefined ? undefined : moveDeal(deal, stage, date, ds.config, { reason: opts.reason });

  if (!plan || plan.noop) {
    if (format === 'json') app.out(JSON.stringify(recordJson(deal), null, 2));
    else app.say(plan?.message ?? idle?.(deal) ?? `deal '${deal.id}' unchanged`);
    return;
  }
  const last = dealHistory(deal).at(-1);
  if (last && date < last.date) app.warn(`${date} is before the deal's last stage change (${last.date}, ${last.stage})`);

  // Planned again from the file as it is when written: a stage change made meanwhile stays in the history.
  let from = asString(deal.data.stage);
  const text = updateRecord(app.root, deal.path, (data) => {
    from = asString(data.stage); // the stage it really leaves, not the one this process first read
    return moveDeal({ ...deal, data }, stage!, date, ds.config, { reason: opts.reason }).edits;
  });
  const after: CrmRecord = { ...deal, data: parseRecordText(text, deal.path).data };
  const to = String(after.data.stage);
  app.wrote(deal.path, `deal: ${deal.id} → ${to}`);
  if (format === 'json') {
    app.out(JSON.stringify(recordJson(after), null, 2));
    return;
  }
  const reason = opts.reason && to === closedStageId(ds.config, 'lost') ? ` (reason: ${opts.reason})` : '';
  app.say(`Moved deal ${deal.id}${from ? ` from ${from}` : ''} to ${to} on ${date}${reason} (${deal.path})`);
}
