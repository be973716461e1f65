/**
 * Planning a CSV sheet of companies, deals or interactions (`tb import csv --type …`). One importer
 * per record type in SHEET_IMPORTERS, typed over every RecordType so a new type must say whether
 * it can be imported from a sheet. Contacts have their own planner (./contacts.ts).
 */
import type { FrontMatter, RecordType } from '../types.js';
import { interactionBaseId, interactionSubdir, ordered } from '../records.js';
import { asList, asRefList, asString } from '../fields.js';
import { isIsoDate } from '../dates.js';
import { resolveRef } from '../resolve.js';
import { UNSTORABLE_FIELDS } from '../schema.js';
import type { RecordRow } from '../import-shapes.js';
import { isEmpty, nameKey, unique } from './match.js';
import { addTag, Planner } from './plan.js';
import type { ImportContext, ImportPlan, Working } from './plan.js';

/** One sheet import in progress: the plan and the helpers every row type shares. */
interface Sheet {
  p: Planner;
  ctx: ImportContext;
  /** Contact references (`[[id]]`, names, emails) to ids; an unknown one is reported and dropped. */
  resolveContacts(refs: string[], line: number): string[];
  /** A company name or reference to its id, creating the company when there is none. */
  companyRef(value: unknown): string | undefined;
}

type SheetImporter = (sheet: Sheet, rows: RecordRow[]) => void;

/** Which record types a CSV sheet can bring, and how; undefined: not importable from a sheet. */
const SHEET_IMPORTERS: Record<RecordType, SheetImporter | undefined> = {
  contact: undefined, // planContactImport (./contacts.ts)
  company: importCompanies,
  deal: importDeals,
  interaction: importInteractions,
  reminder: undefined,
  case: undefined,
  campaign: undefined,
};

export function planRecordsImport(type: RecordType, rows: RecordRow[], ctx: ImportContext): ImportPlan {
  const importer = SHEET_IMPORTERS[type];
  if (!importer) throw new Error(`importing ${type} from CSV is not supported`);
  const p = new Planner(ctx);
  const resolveContacts = (refs: string[], line: number): string[] => {
    const ids: string[] = [];
    for (const ref of refs) {
      try {
        ids.push(resolveRef(ctx.contacts, ref, 'contact').id);
      } catch (err) {
        p.issue(line, `${(err as Error).message}; reference dropped`);
      }
    }
    return unique(ids);
  };
  const companyRef = (value: unknown): string | undefined => (asString(value) ? p.companyId(String(value)) : undefined);
  importer({ p, ctx, resolveContacts, companyRef }, rows);
  return p.finish();
}

function skip(p: Planner, line: number, message: string): void {
  p.issue(line, message);
  p.counts.skipped++;
}

/** A matched record gains what it lacks: counted as updated, or skipped when nothing was new. */
function fillCounted(p: Planner, hit: Working, data: FrontMatter): void {
  if (p.fill(hit, data).length) p.counts.updated++;
  else p.counts.skipped++;
}

/** Companies match by exact name, then by domain. */
function importCompanies({ p, ctx }: Sheet, rows: RecordRow[]): void {
  const known: Working[] = ctx.companies.map((c) => ({ type: 'company', id: c.id, path: c.path, data: c.data, changed: new Set() }));
  for (const row of rows) {
    const name = asString(row.fields.name);
    if (!name) {
      skip(p, row.line, 'row has no name; skipped');
      continue;
    }
    const domain = asString(row.fields.domain)?.toLowerCase();
    const hit = known.find((c) => nameKey(asString(c.data.name) ?? '') === nameKey(name))
      ?? (domain ? known.find((c) => asString(c.data.domain)?.toLowerCase() === domain) : undefined);
    const data = recordFields('company', row.fields);
    if (hit) {
      fillCounted(p, hit, data);
      continue;
    }
    addTag(data, ctx.tag);
    const w = p.create('company', p.newId(name, 'company'), ordered('company', { ...data, owner: data.owner ?? ctx.owner, created: data.created ?? ctx.today }));
    known.push(w);
    p.counts.created++;
  }
}

/** Deals match by exact title; a stage must be one of the pipeline's. */
function importDeals(sheet: Sheet, rows: RecordRow[]): void {
  const { p, ctx } = sheet;
  const known: Working[] = (ctx.deals ?? []).map((d) => ({ type: 'deal', id: d.id, path: d.path, data: d.data, changed: new Set() }));
  const stages = ctx.config.pipeline.map((s) => s.id);
  for (const row of rows) {
    const title = asString(row.fields.title);
    const stage = asString(row.fields.stage)?.toLowerCase();
    if (!title) {
      skip(p, row.line, 'row has no title; skipped');
      continue;
    }
    if (stage && !stages.includes(stage)) {
      skip(p, row.line, `unknown pipeline stage '${stage}' (use one of: ${stages.join(', ')}); skipped`);
      continue;
    }
    const fields = recordFields('deal', row.fields);
    fields.contacts = sheet.resolveContacts(asList(row.fields.contacts), row.line);
    const hit = known.find((d) => nameKey(asString(d.data.title) ?? '') === nameKey(title));
    if (hit) {
      if (isEmpty(hit.data.company)) fields.company = sheet.companyRef(row.fields.company);
      else delete fields.company;
      fillCounted(p, hit, fields);
      continue;
    }
    fields.company = sheet.companyRef(row.fields.company);
    const created = asString(fields.created) ?? ctx.today;
    const s = stage ?? stages[0];
    addTag(fields, ctx.tag);
    const data = ordered('deal', { ...fields, stage: s, owner: fields.owner ?? ctx.owner, created, history: fields.history ?? [{ date: created, stage: s }] });
    known.push(p.create('deal', p.newId(title, 'deal'), data));
    p.counts.created++;
  }
}

/** Interactions are the same when date (to the minute), contacts and summary agree. */
function importInteractions(sheet: Sheet, rows: RecordRow[]): void {
  const { p, ctx } = sheet;
  const seen = new Set((ctx.interactions ?? []).map((i) => interactionKey(asString(i.data.date), asRefList(i.data.contacts), asString(i.data.summary))));
  for (const row of rows) {
    const date = asString(row.fields.date);
    if (!date || !isIsoDate(date)) {
      skip(p, row.line, date ? `date '${date}' is not YYYY-MM-DD; skipped` : 'row has no date; skipped');
      continue;
    }
    const ids = sheet.resolveContacts(asList(row.fields.contacts), row.line);
    if (ids.length === 0) {
      skip(p, row.line, 'row names no known contact; skipped');
      continue;
    }
    const key = interactionKey(date, ids, asString(row.fields.summary));
    if (seen.has(key)) {
      p.counts.skipped++;
      continue;
    }
    seen.add(key);
    const { body, ...rest } = recordFields('interaction', row.fields);
    const channel = asString(rest.channel)?.toLowerCase() ?? 'note';
    addTag(rest, ctx.tag);
    const data = ordered('interaction', { ...rest, date, contacts: ids, channel, owner: rest.owner ?? ctx.owner });
    const text = asString(body);
    p.create('interaction', interactionBaseId(date, ids[0], channel), data, {
      body: text ? `\n${text.replace(/\r\n/g, '\n').trim()}\n` : undefined, subdir: interactionSubdir(date), randomSuffix: true,
    });
    p.counts.created++;
  }
}

function interactionKey(date: string | undefined, contacts: string[], summary: string | undefined): string {
  return JSON.stringify([date?.slice(0, 16), [...contacts].sort(), (summary ?? '').trim().toLowerCase()]);
}

/** Row fields minus keys that are never stored (ids, paths, derived values). */
function recordFields(type: RecordType, fields: Record<string, unknown>): FrontMatter {
  const out: FrontMatter = {};
  const derived = UNSTORABLE_FIELDS[type];
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'id' || k === 'type' || k === 'path' || derived.has(k)) continue;
    out[k] = v;
  }
  return out;
}
