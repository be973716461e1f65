import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { resolveAny } from '../core/resolve.js';
import { buildDerived } from '../core/derived.js';
import { relatedTo } from '../core/related.js';
import { readInteractionsAt, withBody } from '../store/load.js';
import { exactIdKey, resolvedWithoutPrefixes, timelineKeys } from '../core/interaction-refs.js';
import { recordJson } from '../render/records.js';
import { renderShow } from '../render/show.js';
import { makeStyle } from '../render/style.js';
import type { CrmRecord, Dataset } from '../core/types.js';

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
  const { ds, found } = (await fromTimelineIndex(app, ref)) ?? (await loadEverything(app, ref));
  const rec = withBody(app.root, found);
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

interface ShowData {
  ds: Dataset;
  found: CrmRecord;
}

/**
 * The record and only the interactions its timeline can hold, through the index of interactions
 * by contact (docs/index-cache.md): derived fields come from the interaction summary, as for `due`.
 * Undefined when the index cannot answer (the ref is an id prefix, which any interaction may
 * match, or a shard could not be read): then everything is loaded.
 */
async function fromTimelineIndex(app: App, ref: string): Promise<ShowData | undefined> {
  const ds = await app.load({ interactionSummary: app.today });
  const refs = ds.interactionRefs;
  const exact = refs?.paths([exactIdKey(ref)]);
  if (!refs || !exact) return undefined;
  const withExact = { ...ds, interactions: readInteractionsAt(app.root, exact, ds.config) };
  if (!resolvedWithoutPrefixes(withExact, ref)) return undefined;
  const found = resolveAny(withExact, ref);
  const paths = refs.paths(timelineKeys(found, ds.contacts));
  if (!paths) return undefined;
  return { ds: { ...ds, interactions: readInteractionsAt(app.root, paths, ds.config) }, found };
}

async function loadEverything(app: App, ref: string): Promise<ShowData> {
  const ds = await app.load();
  return { ds, found: resolveAny(ds, ref) };
}
