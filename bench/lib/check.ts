/**
 * Consistency check for generated and sample data: every file parses as the store would parse
 * it, ids are slugs, dates are real dates, and every reference points at an existing record.
 * Deliberately independent of `tb check` so the data can be trusted while that is being built.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { parseRecordText } from '../../src/store/frontmatter.js';
import { asList, asRefList, asString, normalizeRef } from '../../src/core/fields.js';
import { isIsoDate } from '../../src/core/dates.js';
import { SLUG_RE } from '../../src/core/slug.js';
import { FOLDER_OF, RECORD_TYPES, type FrontMatter, type RecordType } from '../../src/core/types.js';

export interface LoadedRecord {
  type: RecordType;
  id: string;
  rel: string;
  data: FrontMatter;
  body: string;
}

function walk(dir: string, rel: string, out: string[]): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}/${e.name}`, out);
    else out.push(`${rel}/${e.name}`);
  }
}

/** All files of one record folder, root-relative and sorted. */
export function recordFiles(root: string, type: RecordType): string[] {
  const out: string[] = [];
  walk(path.join(root, FOLDER_OF[type]), FOLDER_OF[type], out);
  return out.sort();
}

/** Parses every record file; a parse failure throws the store's DataError. */
export function loadRecords(root: string): LoadedRecord[] {
  const records: LoadedRecord[] = [];
  for (const type of RECORD_TYPES) {
    for (const rel of recordFiles(root, type)) {
      const parsed = parseRecordText(fs.readFileSync(path.join(root, rel), 'utf8'), rel);
      const base = rel.slice(rel.lastIndexOf('/') + 1).replace(/\.md$/, '');
      records.push({ type, id: base, rel, data: parsed.data, body: parsed.body });
    }
  }
  return records;
}

const DATE_KEYS = ['created', 'birthday', 'expected_close', 'closed', 'date', 'due', 'done'];
const REF_KEYS: ReadonlyArray<readonly [string, RecordType]> = [
  ['company', 'company'], ['contacts', 'contact'], ['contact', 'contact'], ['deal', 'deal'],
];

/** Problems as readable one-liners; an empty list means the directory is consistent. */
export function checkDirectory(root: string): string[] {
  const problems: string[] = [];
  const config = yaml.load(fs.readFileSync(path.join(root, 'touchbase.yaml'), 'utf8'), { schema: yaml.CORE_SCHEMA }) as FrontMatter;
  const owners = new Set(Object.keys((config.owners ?? {}) as object));
  const stages = new Set(((config.pipeline ?? []) as Array<{ id: string }>).map((s) => s.id));
  const records = loadRecords(root);
  const ids = new Map<RecordType, Set<string>>(RECORD_TYPES.map((t) => [t, new Set<string>()]));
  for (const r of records) ids.get(r.type)!.add(r.id);

  for (const r of records) {
    const where = r.rel;
    if (!r.rel.endsWith('.md') || !SLUG_RE.test(r.id)) problems.push(`${where}: id is not a slug`);
    for (const key of DATE_KEYS) {
      const v = r.data[key];
      if (v !== undefined && !isIsoDate(v)) problems.push(`${where}: ${key} '${String(v)}' is not a YYYY-MM-DD date`);
    }
    for (const [key, type] of REF_KEYS) {
      if (r.type === 'interaction' && key === 'contact') continue;
      for (const ref of asRefList(r.data[key])) {
        if (!ids.get(type)!.has(ref)) problems.push(`${where}: ${key} '${ref}' does not exist`);
      }
    }
    const owner = asString(r.data.owner);
    if (owner && !owners.has(owner)) problems.push(`${where}: owner '${owner}' is not in touchbase.yaml`);
    problems.push(...checkByType(r, stages));
  }
  return problems;
}

function checkByType(r: LoadedRecord, stages: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const where = r.rel;
  const d = r.data;
  switch (r.type) {
    case 'contact':
    case 'company':
      if (!asString(d.name)) problems.push(`${where}: no name`);
      break;
    case 'deal': {
      if (!asString(d.title)) problems.push(`${where}: no title`);
      const stage = asString(d.stage) ?? '';
      if (!stages.has(stage)) problems.push(`${where}: stage '${stage}' is not in the pipeline`);
      const history = Array.isArray(d.history) ? (d.history as Array<Record<string, unknown>>) : [];
      const last = history[history.length - 1];
      if (!last || last.stage !== stage) problems.push(`${where}: history does not end in stage '${stage}'`);
      const dates = history.map((h) => String(h.date));
      if (dates.some((date, i) => !isIsoDate(date) || (i > 0 && date < dates[i - 1]))) problems.push(`${where}: history dates are not in order`);
      if ((stage === 'won' || stage === 'lost') && !isIsoDate(d.closed)) problems.push(`${where}: closed deal without a closed date`);
      break;
    }
    case 'interaction': {
      const date = asString(d.date) ?? '';
      if (!r.rel.startsWith(`interactions/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-`)) problems.push(`${where}: filed under the wrong date`);
      if (asRefList(d.contacts).length === 0) problems.push(`${where}: no contacts`);
      if (!asString(d.summary)) problems.push(`${where}: no summary`);
      break;
    }
    case 'reminder': {
      const status = asString(d.status) ?? 'open';
      if (!['open', 'done', 'cancelled'].includes(status)) problems.push(`${where}: status '${status}'`);
      if (status === 'done' && !isIsoDate(d.done)) problems.push(`${where}: done without a done date`);
      if (!normalizeRef(d.contact) && !normalizeRef(d.deal)) problems.push(`${where}: neither contact nor deal`);
      if (!r.rel.startsWith(`reminders/${asString(d.due) ?? ''}-`)) problems.push(`${where}: file name does not start with the due date`);
      break;
    }
  }
  for (const tag of asList(d.tags)) if (tag !== tag.toLowerCase()) problems.push(`${where}: tag '${tag}' is not lowercase`);
  return problems;
}
