import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, collect, parseRecordType } from './common.js';
import { DataError, UsageError } from '../errors.js';
import type { CrmRecord, FrontMatter, RecordType } from '../core/types.js';
import type { Edit } from '../core/changes.js';
import { DATASET_KEY, RECORD_TYPES } from '../core/types.js';
import { planContactImport, planJsonImport, planRecordsImport } from '../core/importer.js';
import type { ImportContext, ImportPlan } from '../core/importer.js';
import { normalizeTag } from '../interop/types.js';
import type { ImportIssue } from '../interop/types.js';
import { createRecord, updateRecord } from '../store/write.js';
import { recordExistsAnywhere } from '../store/lookup.js';
import { readInputFile } from '../store/io.js';

interface ImportOptions {
  map?: string[];
  type?: string;
  tag?: string;
  dryRun?: boolean;
}

const FORMATS = ['csv', 'vcard', 'json'] as const;
type Format = (typeof FORMATS)[number];

export function register(program: Command, getApp: GetApp): void {
  program
    .command('import')
    .description('import contacts (or other records) from CSV, vCard or a touchbase JSON export; re-runs never duplicate')
    .argument('<format>', 'csv, vcard (also vcf) or json')
    .argument('<file>', 'the file to read')
    .option('--map <col=field>', 'csv: read column col as field (repeatable); field "-" ignores the column', collect)
    .option('--type <type>', 'csv: what the rows are: contacts (default), companies, deals or interactions')
    .option('--tag <tag>', 'add this tag to every record the import creates or changes')
    .option('-n, --dry-run', 'write nothing; print the same report')
    .addHelpText('after', `
Contacts match existing ones by email, then phone (digits), then exact name. A match only gains
what it lacks: empty fields are filled, lists gain missing values, nothing is overwritten.
Companies are linked by name (or id) and created when missing. Problems are reported on stderr
as file:line: message; those rows are skipped and the rest is imported.

Examples:
  $ tb import csv google-contacts.csv --tag imported-2026-11
  $ tb import csv people.csv --map "Mobile Number=phone" --map Notes=- --dry-run
  $ tb import csv deals.csv --type deals
  $ tb import vcard iphone.vcf
  $ tb import json backup.json          the lossless round trip of tb export json
`)
    .action(action(getApp, importCommand));
}

function parseFormat(word: string): Format {
  const f = word.toLowerCase() === 'vcf' ? 'vcard' : word.toLowerCase();
  if ((FORMATS as readonly string[]).includes(f)) return f as Format;
  throw new UsageError(`unknown import format '${word}'`, `use one of: ${FORMATS.join(', ')}`);
}

function parseMap(pairs: string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.lastIndexOf('=');
    if (i <= 0) throw new UsageError(`--map expects column=field, got '${pair}'`);
    map[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return map;
}

async function importCommand(app: App, formatWord: string, file: string, opts: ImportOptions): Promise<void> {
  const format = parseFormat(formatWord);
  if (opts.map?.length && format !== 'csv') throw new UsageError('--map applies to csv imports only');
  if (opts.type && format !== 'csv') throw new UsageError('--type applies to csv imports only', 'vCard files hold contacts; a JSON export names each record\'s type');
  const type: RecordType = opts.type ? parseRecordType(opts.type, ['contact', 'company', 'deal', 'interaction']) : 'contact';
  const tag = opts.tag === undefined ? undefined : normalizeTag(opts.tag);
  if (tag === '') throw new UsageError('--tag cannot be empty');
  const outFormat = app.format(['text', 'json'], 'text');
  const text = readInputFile(app.sys.cwd, file);

  const { csv, vcard, json } = {
    csv: () => import('../interop/csv.js'),
    vcard: () => import('../interop/vcard.js'),
    json: () => import('../interop/json.js'),
  };
  const types: RecordType[] = format === 'json' ? [...RECORD_TYPES] : ['contact', 'company', 'deal', ...(type === 'interaction' ? ['interaction' as const] : [])];
  const ds = await app.load({ types });
  const ctx: ImportContext = {
    today: app.today,
    owner: app.defaultOwner(),
    tag,
    config: ds.config,
    contacts: ds.contacts,
    companies: ds.companies,
    deals: ds.deals,
    interactions: ds.interactions,
    takenIds: new Set([...ds.contacts, ...ds.companies, ...ds.deals].map((r) => r.id)),
  };

  let plan: ImportPlan;
  let parseIssues: ImportIssue[];
  let read: number;
  if (format === 'json') {
    const { parseJsonExport } = await json();
    const parsed = parseJsonExport(text);
    const existing = new Map<string, CrmRecord>();
    for (const t of RECORD_TYPES) for (const r of ds[DATASET_KEY[t]]) existing.set(`${t}/${r.id}`, r);
    plan = planJsonImport(parsed.items, ctx, existing);
    parseIssues = parsed.issues;
    read = parsed.items.length;
  } else if (format === 'vcard') {
    const parsed = (await vcard()).parseVcards(text);
    plan = planContactImport(parsed.items, ctx);
    parseIssues = parsed.issues;
    read = parsed.items.length;
  } else if (type === 'contact') {
    const parsed = (await csv()).parseContactsCsv(text, { map: parseMap(opts.map ?? []) });
    plan = planContactImport(parsed.items, ctx);
    parseIssues = parsed.issues;
    read = parsed.items.length;
  } else {
    const parsed = (await csv()).parseRecordsCsv(text, type, { map: parseMap(opts.map ?? []) });
    plan = planRecordsImport(type, parsed.items, ctx);
    parseIssues = parsed.issues;
    read = parsed.items.length;
  }

  const issues = [...parseIssues, ...plan.issues].sort((a, b) => a.line - b.line);
  for (const i of issues) app.sys.writeErr(`${file}:${i.line}: ${i.message}\n`);

  const written = opts.dryRun ? [] : apply(app, plan, file);
  const noun = (n: number) => (format === 'json' ? (n === 1 ? 'record' : 'records') : type === 'company' ? (n === 1 ? 'company' : 'companies') : n === 1 ? type : `${type}s`);
  if (outFormat === 'json') {
    app.out(JSON.stringify({
      file, dry_run: opts.dryRun === true, ...plan.counts, companies_created: plan.companiesCreated,
      records: opts.dryRun ? plan.steps.map((s) => ({ op: s.op, type: s.type, id: s.id, ...(s.op === 'update' ? { path: s.path, fields: s.edits.map((e) => e.key) } : {}) })) : written,
      issues,
    }, null, 2));
  } else {
    const c = plan.counts;
    const companies = plan.companiesCreated ? `; ${plan.companiesCreated} ${plan.companiesCreated === 1 ? 'company' : 'companies'} created` : '';
    app.say(`${file}: ${c.created} ${noun(c.created)} created, ${c.updated} updated, ${c.skipped} skipped${companies}${issues.length ? ` (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'} reported)` : ''}`);
    for (const s of plan.steps) if (s.op === 'update') app.say(`  updated ${s.type} ${s.id}: ${s.edits.map((e) => e.key).join(', ')}`);
    if (opts.dryRun) app.say('Dry run: nothing was written.');
  }
  if (read === 0 && issues.length > 0) throw new DataError(`nothing could be imported from ${file}`);
}

/** Import's edits against the file as it is now: a list value also keeps entries added meanwhile. */
function keepListsFromDisk(edits: Edit[], onDisk: FrontMatter): Edit[] {
  return edits.map((e) => {
    if (!('value' in e) || !Array.isArray(e.value) || !Array.isArray(onDisk[e.key])) return e;
    const planned = e.value as unknown[];
    const extra = (onDisk[e.key] as unknown[]).filter((v) => !planned.some((p) => JSON.stringify(p) === JSON.stringify(v)));
    return extra.length ? { key: e.key, value: [...planned, ...extra] } : e;
  });
}

interface Written {
  op: 'create' | 'update';
  type: RecordType;
  id: string;
  path: string;
  fields?: string[];
}

/** Writes the plan: creates first (companies before the contacts that link them), then updates. */
function apply(app: App, plan: ImportPlan, file: string): Written[] {
  const out: Written[] = [];
  // createRecord may pick another id if a file appeared meanwhile; references follow it.
  const renamed = new Map<string, string>();
  const progress = plan.steps.length >= 200 && app.sys.stderrIsTTY === true && !app.quiet;
  plan.steps.forEach((step, n) => {
    if (progress && n % 100 === 0) app.sys.writeErr(`\rimporting ${n}/${plan.steps.length}…`);
    if (step.op === 'create') {
      const data = { ...step.data };
      if (typeof data.company === 'string' && renamed.has(data.company)) data.company = renamed.get(data.company);
      const rec = createRecord(
        app.root,
        { type: step.type, baseId: step.id, data, body: step.body, subdir: step.subdir, randomSuffix: step.randomSuffix },
        step.type === 'interaction' || step.type === 'reminder' ? undefined : (id) => recordExistsAnywhere(app.root, id, step.type),
      );
      if (rec.id !== step.id && !step.randomSuffix) renamed.set(step.id, rec.id);
      app.wrote(rec.path, `import: ${file}`);
      out.push({ op: 'create', type: step.type, id: rec.id, path: rec.path });
    } else {
      // Planned again under the file's lock: list values keep what was added since the plan was made.
      updateRecord(app.root, step.path, (onDisk) => keepListsFromDisk(step.edits, onDisk));
      app.wrote(step.path, `import: ${file}`);
      out.push({ op: 'update', type: step.type, id: step.id, path: step.path, fields: step.edits.map((e) => e.key) });
    }
  });
  if (progress) app.sys.writeErr(`\rimported ${plan.steps.length}/${plan.steps.length}   \n`);
  return out;
}
