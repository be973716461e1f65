import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, recordTypeWord } from './common.js';
import { NotFoundError, UsageError } from '../errors.js';
import { CONFIG_FILE } from '../core/config.js';
import { didYouMean } from '../core/suggest.js';
import { compileQuery, joinQueryWords, parseQuery } from '../core/query/index.js';
import { buildDerived } from '../core/derived.js';
import { setConfigEntry } from '../store/config-file.js';
import { renderTable } from '../render/table.js';
import type { RecordType } from '../core/types.js';
import { FOLDER_OF } from '../core/types.js';
import { warnQueryWords } from './query-words.js';

const NAME_RE = /^[a-z0-9]+([-_][a-z0-9]+)*$/;

export function register(program: Command, getApp: GetApp): void {
  const seg = program
    .command('segment')
    .description('manage saved queries (segments), usable as @name in any query')
    .addHelpText('after', `
Examples:
  $ tb segment save at-risk 'stage:customer (last_contact<-90d OR no:last_contact)'
  $ tb segment list
  $ tb list contacts @at-risk
  $ tb segment rm at-risk
`);
  seg
    .command('save')
    .description('save (or replace) a named query in touchbase.yaml')
    .argument('<name>', 'segment name: lowercase letters, digits, - and _')
    .argument('<query...>', 'the query')
    .option('--type <type>', 'the record type the segment selects (remembered; default contacts)', 'contacts')
    .addHelpText('after', `
Examples:
  $ tb segment save vip-fintech tag:vip company.industry:fintech
  $ tb segment save hot-deals 'stage:proposal,negotiation value>=10000' --type deals
`)
    .action(action(getApp, saveSegment));
  seg
    .command('list')
    .alias('ls')
    .description('list saved segments')
    .addHelpText('after', '\nExamples:\n  $ tb segment list\n  $ tb segment list --json\n')
    .action(action(getApp, listSegments));
  seg
    .command('rm')
    .alias('remove')
    .description('delete a saved segment')
    .argument('<name>', 'segment name')
    .addHelpText('after', '\nExamples:\n  $ tb segment rm at-risk\n')
    .action(action(getApp, removeSegment));
}

async function saveSegment(app: App, name: string, words: string[], opts: { type: string }): Promise<void> {
  if (!NAME_RE.test(name)) throw new UsageError(`invalid segment name '${name}'`, 'use lowercase letters, digits, - and _ (e.g. at-risk)');
  const query = joinQueryWords(words);
  parseQuery(query);
  warnQueryWords(app, query);
  const type: RecordType | undefined = recordTypeWord(opts.type);
  if (!type) throw new UsageError(`unknown record type '${opts.type}'`);
  // Compile against the data so unknown fields and segment cycles are caught before saving.
  const ds = await app.load({ types: [type, 'company'] });
  const config = { ...ds.config, segments: { ...ds.config.segments, [name]: query }, segment_types: { ...ds.config.segment_types, [name]: type } };
  compileQuery(`@${name}`, { dataset: { ...ds, config }, ctx: app.ctx(), derived: buildDerived(ds, app.ctx()), type });
  // Contacts (the default type) keep the short form; other types are remembered with the query.
  const { existed } = setConfigEntry(app.root, 'segments', name, type === 'contact' ? query : { query, type: FOLDER_OF[type] });
  app.wrote(CONFIG_FILE, `segment: save @${name}`);
  app.say(`${existed ? 'Replaced' : 'Saved'} segment @${name} (${FOLDER_OF[type]}): ${query}`);
}

async function listSegments(app: App): Promise<void> {
  const { segments, segment_types: types } = app.config();
  const format = app.format(['table', 'json', 'md', 'csv'], 'table');
  const typeOf = (name: string) => FOLDER_OF[types[name] ?? 'contact'];
  if (format === 'json') return app.out(JSON.stringify(Object.entries(segments).map(([name, query]) => ({ name, type: typeOf(name), query })), null, 2));
  const rows = Object.entries(segments).map(([name, query]) => [`@${name}`, typeOf(name), query]);
  if (!rows.length) {
    if (!app.quiet) app.sys.writeErr("no saved segments; save one with: tb segment save NAME 'QUERY'\n");
    return;
  }
  if (format === 'csv') {
    // The shared CSV writer quotes queries that hold commas and quotes (`stage:lead,proposal`).
    const { toCsv } = await import('../interop/csv.js');
    // The name without its @: a cell starting with @ would be defused as a formula (docs/reliability.md).
    return app.raw(toCsv(rows.map(([segment, type, query]) => ({ segment: segment.slice(1), type, query })), ['segment', 'type', 'query']));
  }
  if (format === 'md') {
    return app.out(['| segment | type | query |', '| --- | --- | --- |', ...rows.map((r) => `| ${r[0]} | ${r[1]} | ${r[2].replace(/\|/g, '\\|')} |`)].join('\n'));
  }
  app.out(renderTable(['segment', 'type', 'query'], rows, { width: app.columns }));
}

function removeSegment(app: App, name: string): void {
  const segments = app.config().segments;
  const key = name.replace(/^@/, '');
  if (!(key in segments)) throw new NotFoundError(`no segment named '${key}'`, didYouMean(key, Object.keys(segments)));
  setConfigEntry(app.root, 'segments', key, undefined);
  app.wrote(CONFIG_FILE, `segment: remove @${key}`);
  app.say(`Removed segment @${key}`);
  const users = Object.entries(segments).filter(([n, q]) => n !== key && new RegExp(`(^|[\\s(])-?@${key}(?![A-Za-z0-9_-])`).test(q)).map(([n]) => `@${n}`);
  if (users.length) app.warn(`${users.join(', ')} still use${users.length === 1 ? 's' : ''} @${key} and will fail until you change ${users.length === 1 ? 'it' : 'them'}`);
}
