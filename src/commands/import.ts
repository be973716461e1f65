import type { Command } from 'commander';
import { skipRemovedContacts } from '../core/import-removed.js';
import { removedContacts } from '../store/removed.js';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action, collect, parseRecordType } from './common.js';
import { DataError, UsageError } from '../errors.js';
import type { CrmRecord, FrontMatter, RecordType } from '../core/types.js';
import type { Edit } from '../core/changes.js';
import { DATASET_KEY, RECORD_TYPES } from '../core/types.js';
import { NAMED_TYPES } from '../core/schema.js';
import { planContactImport, planJsonImport, planRecordsImport } from '../core/importer.js';
import type { ImportContext, ImportPlan } from '../core/importer.js';
import { normalizeTag } from '../interop/types.js';
import type { ContactDraft, ImportIssue } from '../interop/types.js';
import type { RecordRow } from '../core/import-shapes.js';
import type { CsvReading } from '../interop/csv.js';
import { createRecord, flushToDisk, updateRecord } from '../store/write.js';
import { recordExistsAnywhere } from '../store/lookup.js';
import { readInputBytes } from '../store/io.js';
import { progressBar } from '../render/progress.js';

interface ImportOptions {
  encoding?: string;
  map?: string[];
  delimiter?: string;
  type?: string;
  tag?: string;
  dryRun?: boolean;
  includeRemoved?: boolean;
  // Mail and calendar capture (import-mail.ts).
  since?: string;
  me?: string[];
  createContacts?: boolean;
  includeBulk?: boolean;
  rescan?: boolean;
}

/** The formats `tb import` reads (also what shell completion offers). */
export const FORMATS = ['csv', 'vcard', 'json', 'eml', 'mbox', 'maildir', 'ics'] as const;
type Format = (typeof FORMATS)[number];

export function register(program: Command, getApp: GetApp): void {
  program
    .command('import')
    .description('import contacts (or other records) from CSV, vCard or a touchbase JSON export, touchpoints from mail (eml, mbox, Maildir) and meetings from calendars (ics); re-runs never duplicate')
    .argument('<format>', 'csv, vcard (also vcf), json, eml, mbox, maildir or ics')
    .argument('<file...>', 'the file to read (eml: one or more files, a folder of .eml files, or - for stdin; maildir: the folder)')
    .option('--map <col=field>', 'csv: read column col as field (repeatable); field "-" ignores the column', collect)
    .option('--delimiter <char>', 'csv: the column delimiter: comma, semicolon, tab or pipe (default: the header row decides)')
    .option('--type <type>', 'csv: what the rows are: contacts (default), companies, deals or interactions')
    .option('--encoding <name>', 'the file\'s encoding when it is not UTF-8 or UTF-16 (e.g. windows-1252, latin1, macintosh)')
    .option('--tag <tag>', 'add this tag to every record the import creates or changes')
    .option('-n, --dry-run', 'write nothing; print the same report')
    .option('--include-removed', 'also re-create contacts removed earlier (by default skipped and reported; see tb restore)')
    .option('--since <date>', 'mail/ics: nothing dated before this day (2026-01-01, -3m)')
    .option('--me <address>', 'mail/ics: this address is me too (repeatable; owners\' emails and git user.email always are)', collect)
    .option('--create-contacts', 'mail/ics: make unknown correspondents contacts (stage: first lifecycle stage, source: email)')
    .option('--include-bulk', 'mail: log mailing-list, bulk and automated mail too (skipped and counted by default)')
    .option('--rescan', 'maildir, eml DIR: read every message again, not only those new since the last run on this machine')
    .addHelpText('after', `
A row is the same person as a contact (existing, or from an earlier row) when they share an
email, a profile URL (LinkedIn, GitHub …) or the id of tb's own export. Sharing only a name or
a phone is enough only when nothing conflicts (another email, profile URL, company, name or
birthday); otherwise the row is imported as its own contact and reported as a possible duplicate
(see tb dedupe). A match only gains what it lacks: nothing is overwritten. Every update is
listed per row. Problems are reported on stderr as file:line: message.

Reads Google, Outlook, Thunderbird, LinkedIn and Apple exports; UTF-8, UTF-16 (detected) and,
with --encoding, 8-bit code pages. CSV: comma, semicolon or tab, decided by the header row;
numbers and dates in European shapes (4.800,50 and 23.11.2026) are recognised per file and the
choice is reported. See docs/import-export.md.

Examples:
  $ tb import csv google-contacts.csv --tag imported-2026-11
  $ tb import csv Connections.csv                 LinkedIn, preamble and all
  $ tb import csv outlook.csv --encoding windows-1252
  $ tb import csv people.csv --map "Mobile Number=phone" --map Notes=- --dry-run
  $ tb import csv Kontakte.csv --encoding windows-1252   Excel "CSV (semicolon)", German
  $ tb import csv export.tsv --delimiter tab
  $ tb import csv deals.csv --type deals --json   shows the delimiter, decimal separator, date order
  $ tb import csv deals.csv --type deals
  $ tb import vcard iphone.vcf
  $ tb import json backup.json          the lossless round trip of tb export json
  $ tb import eml - < message.eml        one message from stdin (a mail client's pipe)
  $ tb import mbox ~/Mail/sent.mbox --since 2026-01-01 --dry-run
  $ tb import maildir ~/Maildir/INBOX --create-contacts
  $ tb import maildir ~/Maildir/Lists --include-bulk   log mailing-list mail too
  $ tb import maildir ~/Maildir/INBOX    again: reads only what is new since the last run
  $ tb import eml ~/mail/saved/          a folder of .eml files, incrementally too
  $ tb import ics calendar.ics           past meetings with contacts, recurring ones expanded
  $ tb import ics ~/.calendars/work      a calendar folder (vdirsyncer, khal): what changed since last time

Mail: a message from me (owners' emails, git user.email, --me) is logged 'out' to the contacts
among its recipients; any other 'in' from the contacts among From, Reply-To, To and Cc. Messages
already logged (same Message-ID) are skipped. Mailing-list, bulk and automated mail (List-Id,
Precedence, Auto-Submitted, no-reply senders) and the addresses and folders in touchbase.yaml's
mail: section are skipped and counted. See docs/mail.md.
Calendar folder: a logged meeting whose event moved gets its new date; cancelled or deleted, it
is marked status: cancelled; moved to a day still to come, status: postponed until it happens.
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

async function importCommand(app: App, formatWord: string, files: string[], opts: ImportOptions): Promise<void> {
  const format = parseFormat(formatWord);
  const mailOnly = [opts.since !== undefined && '--since', opts.me?.length && '--me', opts.createContacts && '--create-contacts', opts.includeBulk && '--include-bulk', opts.rescan && '--rescan'].filter(Boolean);
  if (format === 'eml' || format === 'mbox' || format === 'maildir' || format === 'ics') {
    if (opts.map?.length || opts.type || opts.tag !== undefined) throw new UsageError('--map, --type and --tag apply to csv, vcard and json imports');
    if (opts.delimiter !== undefined) throw new UsageError('--delimiter applies to csv imports only');
    const { importMail } = await import('./import-mail.js');
    return importMail(app, format, files, opts);
  }
  if (mailOnly.length) throw new UsageError(`${mailOnly.join(', ')} applies to eml, mbox, maildir and ics imports only`);
  if (files.length !== 1) throw new UsageError(`tb import ${format} takes one file, got ${files.length}`);
  const file = files[0];
  if (opts.map?.length && format !== 'csv') throw new UsageError('--map applies to csv imports only');
  if (opts.delimiter !== undefined && format !== 'csv') throw new UsageError('--delimiter applies to csv imports only');
  if (opts.type && format !== 'csv') throw new UsageError('--type applies to csv imports only', 'vCard files hold contacts; a JSON export names each record\'s type');
  const type: RecordType = opts.type ? parseRecordType(opts.type, ['contact', 'company', 'deal', 'interaction']) : 'contact';
  const tag = opts.tag === undefined ? undefined : normalizeTag(opts.tag);
  if (tag === '') throw new UsageError('--tag cannot be empty');
  const outFormat = app.format(['text', 'json'], 'text');
  const bytes = readInputBytes(app.sys.cwd, file);
  const { decodeInput, decoderFor } = await import('../interop/decode.js');
  if (opts.encoding) decoderFor(opts.encoding);
  // vCard values are decoded one by one (their CHARSET= decides); everything else as a whole.
  const decoded = format === 'vcard' ? undefined : decodeInput(bytes, opts.encoding);
  const text = decoded?.text ?? '';
  for (const w of decoded?.warnings ?? []) app.warn(`${file}: ${w}`);

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
    // Ids of the types found by name (those not loaded for a CSV sheet are checked when written).
    takenIds: new Set(NAMED_TYPES.flatMap((t) => ds[DATASET_KEY[t]]).map((r) => r.id)),
  };

  let plan: ImportPlan;
  let parseIssues: ImportIssue[];
  let read: number;
  let reading: CsvReading | undefined;
  if (format === 'json') {
    const { parseJsonExport } = await json();
    const parsed = parseJsonExport(text);
    const existing = new Map<string, CrmRecord>();
    for (const t of RECORD_TYPES) for (const r of ds[DATASET_KEY[t]]) existing.set(`${t}/${r.id}`, r);
    plan = planJsonImport(parsed.items, ctx, existing);
    parseIssues = parsed.issues;
    read = parsed.items.length;
  } else if (format === 'vcard') {
    const parsed = (await vcard()).parseVcardBytes(bytes, opts.encoding);
    plan = planContactImport(parsed.items, ctx);
    parseIssues = parsed.issues;
    read = parsed.items.length;
  } else {
    const { parseContactsCsv, parseRecordsCsv, parseDelimiter } = await csv();
    const csvOpts = { map: parseMap(opts.map ?? []), delimiter: opts.delimiter === undefined ? undefined : parseDelimiter(opts.delimiter) };
    const parsed = type === 'contact' ? parseContactsCsv(text, csvOpts) : parseRecordsCsv(text, type, csvOpts);
    plan = type === 'contact' ? planContactImport(parsed.items as ContactDraft[], ctx) : planRecordsImport(type, parsed.items as RecordRow[], ctx);
    parseIssues = parsed.issues;
    read = parsed.items.length;
    reading = parsed.reading;
  }

  // Contacts removed earlier (git history) are not silently re-created (docs/removing.md).
  if (!opts.includeRemoved) plan = skipRemoved(app, plan, file);
  const issues = [...parseIssues, ...plan.issues].sort((a, b) => a.line - b.line);
  for (const i of issues) app.sys.writeErr(`${file}:${i.line}: ${i.message}\n`);

  const written = opts.dryRun ? [] : apply(app, plan, file);
  const noun = (n: number) => (format === 'json' ? (n === 1 ? 'record' : 'records') : type === 'company' ? (n === 1 ? 'company' : 'companies') : n === 1 ? type : `${type}s`);
  if (outFormat === 'json') {
    app.out(JSON.stringify({
      file, dry_run: opts.dryRun === true, encoding: decoded?.encoding ?? (opts.encoding ?? 'auto'), ...(reading ? { csv: reading } : {}),
      created: plan.counts.created, updated: plan.counts.updated, skipped: plan.counts.skipped,
      possible_duplicates: plan.counts.duplicates, companies_created: plan.companiesCreated,
      records: opts.dryRun ? plan.steps.map((s) => ({ op: s.op, type: s.type, id: s.id, ...(s.op === 'update' ? { path: s.path, fields: s.edits.map((e) => e.key) } : {}) })) : written,
      rows: plan.rows,
      issues,
    }, null, 2));
  } else {
    const c = plan.counts;
    const companies = plan.companiesCreated ? `; ${plan.companiesCreated} ${plan.companiesCreated === 1 ? 'company' : 'companies'} created` : '';
    const dups = c.duplicates ? ` (${c.duplicates} possible ${c.duplicates === 1 ? 'duplicate' : 'duplicates'})` : '';
    const how = reading ? describeReading(reading) : undefined;
    if (how) app.say(`${file}: ${how}`);
    app.say(`${file}: ${c.created} ${noun(c.created)} created${dups}, ${c.updated} updated, ${c.skipped} skipped${companies}${issues.length ? ` (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'} reported)` : ''}`);
    if (plan.rows.length) {
      // Contacts: every row that changed a contact, with its line and how it was matched.
      for (const r of plan.rows) {
        if (r.action !== 'updated') continue;
        const into = r.merged_into_line ? `${r.id} (created from line ${r.merged_into_line})` : r.id;
        app.say(`  ${file}:${r.line}: updated ${into} by ${r.matched_by}: ${r.fields?.join(', ')}`);
      }
    } else {
      for (const s of plan.steps) if (s.op === 'update') app.say(`  updated ${s.type} ${s.id}: ${s.edits.map((e) => e.key).join(', ')}`);
    }
    if (opts.dryRun) app.say('Dry run: nothing was written.');
  }
  if (read === 0 && issues.length > 0) throw new DataError(`nothing could be imported from ${file}`);
}

/** How a CSV file was read when it differs from comma, decimal point, month first: one line before the summary. */
function describeReading(r: CsvReading): string | undefined {
  const parts: string[] = [];
  if (r.delimiter !== 'comma') parts.push(`read as ${r.delimiter}-separated`);
  if (r.decimal_separator === ',') parts.push(`numbers with a decimal comma (4.800,50)${r.decimal_from === 'assumed' ? ', assumed' : ''}`);
  if (r.date_order === 'DMY') parts.push(`dates day first (23.11.2026)${r.date_order_from === 'assumed' ? ', assumed' : ''}`);
  return parts.length ? parts.join('; ') : undefined;
}

/** The plan without contacts removed earlier; each skipped one is reported on stderr. */
function skipRemoved(app: App, plan: ImportPlan, file: string): ImportPlan {
  if (!plan.steps.some((s) => s.op === 'create' && s.type === 'contact')) return plan;
  const { plan: kept, skipped } = skipRemovedContacts(plan, removedContacts(app.root));
  for (const s of skipped) app.warn(`${file}: skipped ${s.id}: contact ${s.removed.id} (same ${s.by.split(' ')[0]}) was removed in ${s.removed.commit}; tb restore ${s.removed.id} brings it back, --include-removed imports it anew`);
  return kept;
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
  const total = plan.steps.length;
  const progress = total >= 200 && app.sys.stderrIsTTY === true && !app.quiet;
  const every = Math.max(1, Math.floor(total / 100));
  plan.steps.forEach((step, n) => {
    if (progress && n % every === 0) app.sys.writeErr(`\r${progressBar(n, total)} importing ${file}`);
    if (step.op === 'create') {
      const data = { ...step.data };
      if (typeof data.company === 'string' && renamed.has(data.company)) data.company = renamed.get(data.company);
      const rec = createRecord(
        app.root,
        // Bulk: one flushToDisk at the end instead of an fsync per file (docs/import-export.md).
        { type: step.type, baseId: step.id, data, body: step.body, subdir: step.subdir, randomSuffix: step.randomSuffix, durable: false, beforeCreate: (rel) => app.willWrite(rel) },
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
  flushToDisk(app.root, out.filter((w) => w.op === 'create').map((w) => w.path));
  if (progress) app.sys.writeErr(`\r${progressBar(total, total)} imported ${file}\n`);
  return out;
}
