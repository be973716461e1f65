import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { resolveAny } from '../core/resolve.js';
import { buildDerived } from '../core/derived.js';
import { relatedTo } from '../core/related.js';
import { withBody } from '../store/load.js';
import { recordJson } from '../render/records.js';
import { renderShow } from '../render/show.js';
import { makeStyle } from '../render/style.js';
import type { CrmRecord } from '../core/types.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('show')
    .description('360° view of a record: fields, company, deals, open reminders, timeline, notes')
    .argument('<ref>', 'id, unique id prefix, email or name')
    .option('--all', 'show the whole timeline, not just the latest 20 touchpoints')
    .addHelpText('after', `
Examples:
  $ tb show ada                  by id prefix
  $ tb show "Ada Lovelace"       by name
  $ tb show ada@example.com      by email
  $ tb show acme-renewal --json  the record, derived fields and related records as JSON
  $ tb show 2026-11-20-ada       a case with its SLA and thread (docs/cases.md)
`)
    .action(action(getApp, showCommand));
}

async function showCommand(app: App, ref: string, opts: { all?: boolean }): Promise<void> {
  const format = app.format(['text', 'json'], 'text');
  const ds = await app.load();
  const rec = withBody(app.root, resolveAny(ds, ref));
  const ctx = app.ctx();
  const derived = buildDerived(ds, ctx);
  const rel = relatedTo(ds, rec, ctx.today);
  if (format === 'json') {
    const brief = (r: CrmRecord) => recordJson(r, derived.fieldsOf(r));
    app.out(
      JSON.stringify(
        {
          ...recordJson(rec, derived.fieldsOf(rec), true),
          // The score's breakdown per rule (docs/scoring.md), when scoring is configured.
          ...(rec.type === 'contact' && derived.scoreDetail(rec.id) ? { score_breakdown: derived.scoreDetail(rec.id)!.rules } : {}),
          related: {
            company: rel.company ? brief(rel.company) : null,
            contacts: rel.contacts.map(brief),
            deals: rel.deals.map(brief),
            reminders: rel.reminders.map(brief),
            interactions: (opts.all ? rel.interactions : rel.interactions.slice(0, 20)).map(brief),
            cases: rel.cases.map(brief),
          },
        },
        null,
        2,
      ),
    );
    return;
  }
  app.out(renderShow(rec, rel, derived, { style: makeStyle(app.color), today: ctx.today, config: ds.config, limit: opts.all ? Infinity : 20 }));
}
