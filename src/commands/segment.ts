import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, recordTypeWord } from './common.js';
import { NotFoundError, UsageError } from '../errors.js';
import { CONFIG_FILE } from '../core/config.js';
import { didYouMean } from '../core/suggest.js';
import { compileQuery, joinQueryWords, parseQuery } from '../core/query/index.js';
import { buildDerived } from '../core/derived.js';
import { editYamlEntry } from '../store/roundtrip.js';
import { writeDirFile } from '../store/write.js';
import { withRecordLock } from '../store/lock.js';
import { parseYaml } from '../store/frontmatter.js';
import { renderTable } from '../render/table.js';
import type { RecordType } from '../core/types.js';

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
    .option('--type <type>', 'check the query against this record type', 'contacts')
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

/** Whether touchbase.yaml's text has segment `name` (as it is on disk now, not as first read). */
function hasSegment(text: string, name: string): boolean {
  const raw = parseYaml(text, CONFIG_FILE, 1) as { segments?: Record<string, unknown> } | null;
  return typeof raw?.segments === 'object' && raw.segments !== null && Object.hasOwn(raw.segments, name);
}

/**
 * Read-modify-write of touchbase.yaml under its lock, from the file as it is then: ten parallel
 * `segment save` keep all ten. Never through a link (writeDirFile). Returns `probe()` as it was
 * just before the write (whether the segment existed).
 */
function editConfig<T>(app: App, edit: (before: string) => string, probe: (before: string) => T): T {
  return withRecordLock(app.root, CONFIG_FILE, () => {
    const before = fs.readFileSync(path.join(app.root, CONFIG_FILE), 'utf8');
    const seen = probe(before);
    writeDirFile(app.root, CONFIG_FILE, edit(before));
    return seen;
  });
}

async function saveSegment(app: App, name: string, words: string[], opts: { type: string }): Promise<void> {
  if (!NAME_RE.test(name)) throw new UsageError(`invalid segment name '${name}'`, 'use lowercase letters, digits, - and _ (e.g. at-risk)');
  const query = joinQueryWords(words);
  parseQuery(query);
  const type: RecordType | undefined = recordTypeWord(opts.type);
  if (!type) throw new UsageError(`unknown record type '${opts.type}'`);
  // Compile against the data so unknown fields and segment cycles are caught before saving.
  const ds = await app.load({ types: [type, 'company'] });
  const config = { ...ds.config, segments: { ...ds.config.segments, [name]: query } };
  compileQuery(`@${name}`, { dataset: { ...ds, config }, ctx: app.ctx(), derived: buildDerived(ds, app.ctx()), type });
  const replaced = editConfig(app, (before) => editYamlEntry(before, CONFIG_FILE, 'segments', name, query), (before) => hasSegment(before, name));
  app.wrote(CONFIG_FILE, `segment: save @${name}`);
  app.say(`${replaced ? 'Replaced' : 'Saved'} segment @${name}: ${query}`);
}

function listSegments(app: App): void {
  const segments = app.config().segments;
  const format = app.format(['table', 'json', 'md', 'csv'], 'table');
  if (format === 'json') return app.out(JSON.stringify(Object.entries(segments).map(([name, query]) => ({ name, query })), null, 2));
  const rows = Object.entries(segments).map(([name, query]) => [`@${name}`, query]);
  if (!rows.length) {
    if (!app.quiet) app.sys.writeErr("no saved segments; save one with: tb segment save NAME 'QUERY'\n");
    return;
  }
  if (format === 'md' || format === 'csv') {
    return app.out(format === 'md' ? ['| segment | query |', '| --- | --- |', ...rows.map((r) => `| ${r[0]} | ${r[1].replace(/\|/g, '\\|')} |`)].join('\n') : rows.map((r) => r.join(',')).join('\n'));
  }
  app.out(renderTable(['segment', 'query'], rows, { width: app.columns }));
}

function removeSegment(app: App, name: string): void {
  const segments = app.config().segments;
  const key = name.replace(/^@/, '');
  if (!(key in segments)) throw new NotFoundError(`no segment named '${key}'`, didYouMean(key, Object.keys(segments)));
  editConfig(app, (before) => editYamlEntry(before, CONFIG_FILE, 'segments', key, undefined), () => true);
  app.wrote(CONFIG_FILE, `segment: remove @${key}`);
  app.say(`Removed segment @${key}`);
  const users = Object.entries(segments).filter(([n, q]) => n !== key && new RegExp(`(^|[\\s(])-?@${key}(?![A-Za-z0-9_-])`).test(q)).map(([n]) => `@${n}`);
  if (users.length) app.warn(`${users.join(', ')} still use${users.length === 1 ? 's' : ''} @${key} and will fail until you change ${users.length === 1 ? 'it' : 'them'}`);
}
