import { LIST_COLUMNS, LIST_SORT, TYPES_LOADED, TYPE_WORDS } from '../core/schema.js';
import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, recordTypeWord, typeFolderList } from './common.js';
import { UsageError } from '../errors.js';
import type { Config, CrmRecord, RecordType } from '../core/types.js';
import { scoringOf } from '../core/scoring.js';
import { dealCurrency } from '../core/pipeline.js';
import { DATASET_KEY, FOLDER_OF } from '../core/types.js';
import { buildDerived } from '../core/derived.js';
import { compileQuery, fieldValue, knownFields, queryNeedsBodies } from '../core/query/index.js';
import type { QueryEnv } from '../core/query/index.js';
import { sortRecords, parseSortSpec } from '../core/sort.js';
import { didYouMean } from '../core/suggest.js';
import { normalizeRef } from '../core/fields.js';
import { recordJson } from '../render/records.js';
import { renderCsvTable, renderMarkdownTable, renderTable } from '../render/table.js';
import { makeStyle } from '../render/style.js';
import { warnQueryWords } from './query-words.js';
import { emptyResultHints } from '../core/query/hints.js';
import { joinQueryWords } from '../core/query/tokenize.js';
import { terminalSafe } from '../render/safe-text.js';

/** Which record types a query over `type` needs loaded (derived fields follow references): the schema's `loads`. */
export function typesNeeded(type: RecordType): RecordType[] {
  return [...TYPES_LOADED[type]];
}

export interface ListOptions {
  sort?: string;
  limit?: string;
  fields?: string;
  ids?: boolean;
  count?: boolean;
}

export function register(program: Command, getApp: GetApp): void {
  program
    .command('list')
    .alias('ls')
    .description('list records matching a query (see tb help query)')
    .argument('[type]', typeFolderList('default'))
    .argument('[query...]', 'the query: tag:vip stage:customer last_contact<-90d OR …')
    .option('--sort <fields>', 'sort by fields, comma-separated; -field for descending (e.g. -value,title)')
    .option('--limit <n>', 'show at most n records')
    .option('--fields <list>', 'columns to show, comma-separated (any field, derived field or company.name)')
    .option('--ids', 'print only ids, one per line')
    .option('--count', 'print only the number of matches')
    .addHelpText('after', `
Formats: --format table (default) | json | csv | md.

Examples:
  $ tb list                                    every contact
  $ tb list contacts tag:vip company.industry:fintech
  $ tb list contacts 'stage:customer (last_contact<-90d OR no:last_contact)'
  $ tb list deals 'stage:proposal,negotiation value>=10000' --sort -value
  $ tb list interactions 'channel:email direction:in date>=-7d'
  $ tb list cases status:open priority:high breached:true --sort resolve_due
  $ tb list contacts @at-risk --fields name,emails,last_contact --format csv
`)
    .action(action(getApp, listCommand));
}

async function listCommand(app: App, typeArg: string | undefined, query: string[], opts: ListOptions): Promise<void> {
  let type: RecordType = 'contact';
  let words = query;
  if (typeArg !== undefined) {
    const t = recordTypeWord(typeArg);
    if (t) type = t;
    else if (/[:<>=@()"-]/.test(typeArg) || /^NOT(\s|$)/.test(typeArg)) words = [typeArg, ...query];
    else {
      // Every type word of the schema, singular and plural (campaigns too): `campains` → campaigns.
      const hint = didYouMean(typeArg, Object.keys(TYPE_WORDS));
      if (hint) throw new UsageError(`unknown record type '${typeArg}'`, hint);
      words = [typeArg, ...query];
    }
  }
  await listRecords(app, type, words, opts, typeArg !== undefined && recordTypeWord(typeArg) !== undefined);
}

/** Lists records of one type matching a query (also `tb case list`). */
export async function listRecords(app: App, type: RecordType, words: string[], opts: ListOptions, typeGiven = true): Promise<void> {
  const format = app.format(['table', 'json', 'csv', 'md'], 'table');
  const config = app.config();
  // A saved segment brings its own record type unless the type was given (docs/query.md).
  type = segmentType(config, words, typeGiven ? type : undefined) ?? type;
  const bodies = queryNeedsBodies(words, config);
  // A query over another type reaches interactions only through derived fields (last_contact …),
  // so their summary is enough. Full text searches the listed records' own bodies only.
  const ds = await app.load({ types: typesNeeded(type), bodies: bodies ? [type] : false, interactionSummary: type === 'interaction' ? undefined : app.today });
  const ctx = app.ctx();
  const derived = buildDerived(ds, ctx);
  const env: QueryEnv = { dataset: ds, ctx, derived, type };
  warnQueryWords(app, words);
  const matches = compileQuery(words, env);
  const limit = opts.limit === undefined ? undefined : Number(opts.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new UsageError(`--limit must be a whole number, got '${opts.limit}'`);
  const sortSpec = parseSortSpec(opts.sort ?? LIST_SORT[type]);
  const valid = new Set(knownFields(type, env));
  for (const s of sortSpec) checkField(s.field, valid, `--sort for ${DATASET_KEY[type]}`);
  let rows: CrmRecord[] = ds[DATASET_KEY[type]].filter(matches);
  rows = sortRecords(rows, sortSpec, (r, f) => fieldValue(r, f, env));
  if (limit !== undefined) rows = rows.slice(0, limit);

  if (opts.count) return app.out(String(rows.length));
  if (opts.ids) {
    if (rows.length) app.out(rows.map((r) => r.id).join('\n'));
    return;
  }
  if (format === 'json') {
    app.out(JSON.stringify(rows.map((r) => recordJson(r, derived.fieldsOf(r), bodies)), null, 2));
    return;
  }
  const columns = opts.fields ? opts.fields.split(',').map((f) => f.trim()).filter(Boolean) : defaultColumns(type, ds.config);
  for (const c of columns) checkField(c, valid, `--fields for ${DATASET_KEY[type]}`);
  // A deal's currency is its own or the configured default: never an empty cell.
  const read = (r: CrmRecord, c: string) => (type === 'deal' && c === 'currency' ? dealCurrency(r, ds.config) : fieldValue(r, c, env));
  const cells = rows.map((r) => columns.map((c) => cellValue(read(r, c))));
  if (format === 'csv') return app.raw(renderCsvTable(columns, cells));
  if (format === 'md') return app.out(renderMarkdownTable(columns, cells));
  if (!rows.length) {
    if (!app.quiet) app.sys.writeErr('no matches\n');
    if (!app.quiet) for (const hint of emptyResultHints(joinQueryWords(words), type, ds)) app.sys.writeErr(`tb: hint: ${terminalSafe(hint)}\n`);
    return;
  }
  const style = makeStyle(app.color);
  const shown = type === 'deal' ? moneyColumns(columns, cells, rows, ds.config) : { columns, cells };
  app.out(renderTable(shown.columns, shown.cells, { width: app.columns, head: (h) => style.bold(h) }));
}

type Cell = ReturnType<typeof cellValue>;

/**
 * For people, not parsers: a deal's value with its currency (`38,500 EUR`, the configured default
 * when the deal names none), and the currency column left out when the value already says it.
 */
function moneyColumns(columns: string[], cells: Cell[][], rows: readonly CrmRecord[], config: Config): { columns: string[]; cells: Cell[][] } {
  const at = columns.indexOf('value');
  if (at < 0) return { columns, cells };
  const money = cells.map((row, i) => row.map((cell, k) => (k === at && typeof cell === 'number' ? `${cell.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${dealCurrency(rows[i], config)}` : cell)));
  const drop = columns.indexOf('currency');
  if (drop < 0) return { columns, cells: money };
  return { columns: columns.filter((_, k) => k !== drop), cells: money.map((row) => row.filter((_, k) => k !== drop)) };
}

/** The default columns, with the lead score when `scoring:` is configured (docs/scoring.md). */
function defaultColumns(type: RecordType, config: Config): string[] {
  const scored = (type === 'contact' || type === 'company') && scoringOf(config) !== undefined;
  return scored ? [...LIST_COLUMNS[type], 'score'] : [...LIST_COLUMNS[type]];
}

/** A field of `--sort` or `--fields` that the type does not have: a usage error listing the ones it has. */
function checkField(field: string, valid: Set<string>, where: string): void {
  if (field === 'id' || field === 'type' || field === 'path' || field.includes('.')) return;
  if (valid.has(field)) return;
  const known = [...valid].sort();
  const close = didYouMean(field, valid);
  throw new UsageError(`unknown field '${field}' in ${where}`, `${close ? `${close} ` : ''}fields: ${known.join(', ')}`);
}

function cellValue(v: unknown): string | number | boolean | string[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : (normalizeRef(x) ?? String(x))));
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  // A reference written Obsidian-style shows as the id it points to.
  return normalizeRef(v) ?? String(v);
}

/**
 * The record type of the saved segments the query names (`tb list @big-open` lists deals when
 * @big-open was saved for deals). A segment for another type than the one asked for is an error.
 */
function segmentType(config: Config, words: readonly string[], asked: RecordType | undefined): RecordType | undefined {
  for (const word of words) {
    for (const m of word.matchAll(/(?:^|[\s(])-?@([A-Za-z0-9_-]+)/g)) {
      const saved = config.segment_types[m[1]] ?? (m[1] in config.segments ? 'contact' : undefined);
      if (!saved) continue;
      if (asked && asked !== saved) throw new UsageError(`segment @${m[1]} was saved for ${FOLDER_OF[saved]}, not ${FOLDER_OF[asked]}`, `tb list ${FOLDER_OF[saved]} @${m[1]}`);
      return saved;
    }
  }
  return undefined;
}
