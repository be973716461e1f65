/**
 * The checks that need the other records: references to records that do not exist, ids shared
 * by two records, emails shared by two contacts. For core/validate.ts.
 */
import { isAbsent, linkTarget, perType, REF_FIELDS, show, withHint, type Reporter } from './validate-fields.js';
import type { CrmRecord, Dataset, Problem, RecordType } from './types.js';
import { FOLDER_OF, RECORD_TYPES } from './types.js';
import { asList, asRefList } from './fields.js';


export type IdIndex = Readonly<Record<RecordType, ReadonlySet<string>>>;

/** The record type a root-relative path is filed under, from its first folder. */
function typeOfPath(rel: string): RecordType | undefined {
  const folder = rel.slice(0, rel.indexOf('/'));
  return RECORD_TYPES.find((t) => FOLDER_OF[t] === folder);
}

export function buildIdIndex(ds: Dataset, unreadable: readonly string[]): IdIndex {
  const index = perType((t) => new Set((ds[FOLDER_OF[t]] ?? []).map((r) => r.id)));
  for (const rel of unreadable) {
    const type = typeOfPath(rel);
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (type && base.endsWith('.md')) index[type].add(base.slice(0, -3));
  }
  return index;
}

export function checkReferences(rec: CrmRecord, ids: IdIndex, report: Reporter): void {
  for (const ref of REF_FIELDS[rec.type]) {
    const v = rec.data[ref.key];
    if (isAbsent(v)) continue;
    const link = linkTarget(v);
    const targets = link !== undefined ? [link] : asRefList(v);
    for (const id of targets) {
      if (!ids[ref.target].has(id)) report(withHint(`unknown ${ref.target} ${show(id)}`, id, ids[ref.target]), ref.key);
    }
  }
}

/** Records sharing an id make every reference to that id ambiguous, whatever their folders. */
export function duplicateIdProblems(records: CrmRecord[]): Problem[] {
  const byId = new Map<string, CrmRecord[]>();
  for (const r of records) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const problems: Problem[] = [];
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    for (const r of group) {
      const others = group.filter((o) => o !== r).map((o) => o.path);
      problems.push({ path: r.path, line: 0, severity: 'error', message: `duplicate id '${id}': also used by ${others.join(', ')}` });
    }
  }
  return problems;
}

/** Two contacts with the same email are most likely the same person. */
export function duplicateEmailProblems(contacts: CrmRecord[]): Problem[] {
  const owners = new Map<string, Array<{ rec: CrmRecord; key: string }>>();
  for (const rec of contacts) {
    const seen = new Set<string>();
    for (const key of ['emails', 'email']) {
      for (const raw of asList(rec.data[key])) {
        const email = raw.trim().toLowerCase();
        if (!email || seen.has(email)) continue;
        seen.add(email);
        owners.set(email, [...(owners.get(email) ?? []), { rec, key }]);
      }
    }
  }
  const problems: Problem[] = [];
  for (const [email, group] of owners) {
    if (group.length < 2) continue;
    for (const { rec, key } of group) {
      const others = group.filter((o) => o.rec !== rec).map((o) => o.rec.path);
      problems.push({ path: rec.path, line: 0, severity: 'warning', key, message: `email '${email}' is also on ${others.join(', ')}; possible duplicate (see tb dedupe)` });
    }
  }
  return problems;
}

