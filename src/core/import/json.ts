/**
 * Planning a JSON import: the lossless round trip of `tb export json`. Records are matched by type
 * and id only; an existing record gains what it lacks, a new one is created as written (minus
 * derived fields, which are computed from other records).
 */
import type { CrmRecord, RecordType } from '../types.js';
import { interactionSubdir } from '../records.js';
import { asString } from '../fields.js';
import { firstDateProblem } from '../validate.js';
import { isIsoDate } from '../dates.js';
import { NAMED_TYPES, UNSTORABLE_FIELDS } from '../schema.js';
import type { JsonRecord } from '../import-shapes.js';
import { Planner } from './plan.js';
import type { ImportContext, ImportPlan, Working } from './plan.js';

export function planJsonImport(items: JsonRecord[], ctx: ImportContext, existing: Map<string, CrmRecord>): ImportPlan {
  const p = new Planner(ctx);
  // Types found by name share one namespace of ids (core/resolve.ts, store/lookup.ts).
  const shared = new Set<RecordType>(NAMED_TYPES);
  const sharedWords = `${NAMED_TYPES.slice(0, -1).join(', ')} or ${NAMED_TYPES[NAMED_TYPES.length - 1]}`;
  for (const item of items) {
    const type = item.type as RecordType;
    const data = { ...item.data };
    delete data.path;
    const line = item.line ?? 0;
    for (const key of Object.keys(data)) {
      if (!UNSTORABLE_FIELDS[type]?.has(key)) continue;
      delete data[key];
      p.issue(line, `'${key}' is a derived field of a ${type} (computed from other records); not imported`);
    }
    const have = existing.get(`${type}/${item.id}`);
    if (have) {
      const w: Working = { type, id: have.id, path: have.path, data: have.data, original: have.data, changed: new Set() };
      if (p.fill(w, data).length) p.counts.updated++;
      else p.counts.skipped++;
      continue;
    }
    if (shared.has(type) && ctx.takenIds.has(item.id)) {
      p.issue(line, `id '${item.id}' is already used by another ${sharedWords}; skipped`);
      p.counts.skipped++;
      continue;
    }
    // A wrong date is refused here: an interaction's date even names its folder (`../../x` must not).
    const badDate = firstDateProblem(type, data);
    if (badDate) {
      p.issue(line, `${type} '${item.id}': ${badDate}; skipped`);
      p.counts.skipped++;
      continue;
    }
    if (shared.has(type)) ctx.takenIds.add(item.id);
    const date = asString(type === 'interaction' ? data.date : undefined);
    const subdir = date && isIsoDate(date) ? interactionSubdir(date) : undefined;
    p.create(type, item.id, data, { body: item.body, subdir });
    p.counts.created++;
  }
  return p.finish();
}
