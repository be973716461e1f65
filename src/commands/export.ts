import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, recordTypeWord, typeFolderList } from './common.js';
import { UsageError } from '../errors.js';
import type { CrmRecord, RecordType } from '../core/types.js';
import { DATASET_KEY, RECORD_TYPES } from '../core/types.js';
import { buildDerived } from '../core/derived.js';
import { compileQuery } from '../core/query/index.js';
import { csvRows, icsItems, vcardOf } from '../interop/records.js';
import { typesNeeded } from './list.js';
import { outputTarget, writeOutputFile } from '../store/io.js';
import type { OutputGuard } from '../store/io.js';
import { warnQueryWords } from './query-words.js';

/** What an earlier export of each format starts with: only such a file is replaced by `-o`. */
function exportGuard(format: Format): OutputGuard {
  const starts: Record<Format, RegExp> = {
    json: /^\s*[[{]/,
    vcard: /^\s*BEGIN:VCARD/i,
    ics: /^\s*BEGIN:VCALENDAR/i,
    // CSV has no signature: anything but a record or settings file (front matter, YAML keys).
    csv: /^(?!\s*---)(?![A-Za-z_][\w-]*:\s)/,
  };
  return { what: `the ${format} export`, replaces: (head) => starts[format].test(head.replace(/^\uFEFF/, '')), example: `export.${format === 'vcard' ? 'vcf' : format}` };
}

interface ExportOptions {
  output?: string;
  bom?: boolean;
}

/** The formats `tb export` writes (also what shell completion offers). */
export const FORMATS = ['csv', 'vcard', 'json', 'ics'] as const;
type Format = (typeof FORMATS)[number];

export function register(program: Command, getApp: GetApp): void {
  program
    .command('export')
    .description('export records as CSV, vCard 4.0, JSON (with derived fields) or iCalendar')
    .argument('<format>', 'csv, vcard (also vcf), json or ics')
    .argument('[type]', typeFolderList('default for csv and vcard'))
    .argument('[query...]', 'only records matching this query (see "Query language")')
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--bom', 'csv: start with a UTF-8 byte order mark, so Excel reads accents right')
    .addHelpText('after', `
json without a type exports every record (front matter, derived fields, body): tb import json
reads it back losslessly. ics holds open reminders (to-dos) and the expected close dates of
open deals (all-day events).

Examples:
  $ tb export csv contacts tag:vip -o vip.csv --bom
  $ tb export vcard contacts company:paylane > paylane.vcf
  $ tb export json -o backup.json
  $ tb export json deals stage:proposal
  $ tb export ics -o ~/calendars/crm.ics
`)
    .action(action(getApp, exportCommand));
}

function parseFormat(word: string): Format {
  const f = word.toLowerCase() === 'vcf' ? 'vcard' : word.toLowerCase();
  if ((FORMATS as readonly string[]).includes(f)) return f as Format;
  throw new UsageError(`unknown export format '${word}'`, `use one of: ${FORMATS.join(', ')}`);
}

async function exportCommand(app: App, formatWord: string, typeArg: string | undefined, query: string[], opts: ExportOptions): Promise<void> {
  const format = parseFormat(formatWord);
  // Checked before anything is read: `-o touchbase.yaml` or `-o contacts/x.md` is refused up front.
  const target = opts.output === undefined ? undefined : outputTarget(app.root, app.sys.cwd, opts.output, exportGuard(format));
  if (opts.bom && format !== 'csv') throw new UsageError('--bom applies to csv exports only');
  let type = typeArg === undefined ? undefined : recordTypeWord(typeArg);
  const words = typeArg !== undefined && !type ? [typeArg, ...query] : query;
  if (words.length && !type && format !== 'csv' && format !== 'vcard') {
    throw new UsageError(`tb export ${format}: name a record type before the query`, `e.g. tb export ${format} ${format === 'ics' ? 'reminders' : 'contacts'} ${words.join(' ')}`);
  }
  if (format === 'vcard' && type && type !== 'contact') throw new UsageError('vCard export holds contacts only');
  if (format === 'ics' && type && type !== 'reminder' && type !== 'deal') throw new UsageError('ics export holds reminders and deals only');
  if ((format === 'csv' || format === 'vcard') && !type) type = 'contact';

  const exportTypes: RecordType[] = type ? [type] : format === 'ics' ? ['reminder', 'deal'] : [...RECORD_TYPES];
  const load = new Set<RecordType>(exportTypes.flatMap(typesNeeded));
  const ds = await app.load({ types: [...load], bodies: true });
  const ctx = app.ctx();
  const derived = buildDerived(ds, ctx);
  if (words.length) warnQueryWords(app, words);
  const selected = (t: RecordType): CrmRecord[] => {
    const all = ds[DATASET_KEY[t]];
    if (!words.length) return all;
    const matches = compileQuery(words, { dataset: ds, ctx, derived, type: t });
    return all.filter(matches);
  };

  let text: string;
  let count = 0;
  if (format === 'json') {
    const { toJsonExport } = await import('../interop/json.js');
    const records = exportTypes.flatMap(selected);
    count = records.length;
    text = toJsonExport(records.map((r) => {
      const d = derived.fieldsOf(r);
      return { type: r.type, id: r.id, path: r.path, data: r.data, derived: Object.keys(d).length ? d : undefined, body: r.body };
    }));
  } else if (format === 'csv') {
    const { toCsv } = await import('../interop/csv.js');
    const records = selected(type!);
    count = records.length;
    const { columns, rows } = csvRows(type!, records, ds);
    text = toCsv(rows, columns, { bom: opts.bom });
  } else if (format === 'vcard') {
    const { toVcards } = await import('../interop/vcard.js');
    const records = selected('contact');
    count = records.length;
    text = toVcards(records.map((r) => vcardOf(r, ds)));
  } else {
    const { toIcs } = await import('../interop/ics.js');
    const items = icsItems(ds, derived, exportTypes.includes('reminder') ? selected('reminder') : [], exportTypes.includes('deal') ? selected('deal') : []);
    count = items.length;
    text = toIcs(items, { stamp: app.today, calName: ds.config.name ?? 'touchbase' });
  }

  if (target) {
    writeOutputFile(target, text);
    app.say(`Exported ${count} ${count === 1 ? 'item' : 'items'} to ${opts.output}`);
  } else {
    app.raw(text);
  }
}
