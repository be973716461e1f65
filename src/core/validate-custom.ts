/** The checks of the custom fields declared in touchbase.yaml (`fields:`), for core/validate.ts. */
import { show, withHint, isAbsent, dateProblem, type Reporter } from './validate-fields.js';
import type { Config, CrmRecord, FieldDef, RecordType } from './types.js';
import { FOLDER_OF, RECORD_TYPES } from './types.js';
import { asNumber, asString } from './fields.js';


const TYPE_OF_ON: Readonly<Record<string, RecordType>> = Object.fromEntries(
  RECORD_TYPES.flatMap((t) => [[t, t], [FOLDER_OF[t], t]]),
);

function fieldApplies(def: FieldDef, type: RecordType): boolean {
  if (def.on === undefined || def.on === null) return true;
  const targets = Array.isArray(def.on) ? def.on : [def.on];
  return targets.some((t) => TYPE_OF_ON[String(t).toLowerCase()] === type);
}

function customFieldProblem(key: string, def: FieldDef, v: unknown): string | undefined {
  switch (def.type) {
    case 'number': {
      const n = asNumber(v);
      if (n === undefined) return `'${key}' must be a number, got ${show(v)}`;
      if (typeof def.min === 'number' && n < def.min) return `'${key}' must be at least ${def.min}, got ${n}`;
      if (typeof def.max === 'number' && n > def.max) return `'${key}' must be at most ${def.max}, got ${n}`;
      break;
    }
    case 'date':
      return dateProblem(key, v, false);
    case 'boolean':
      if (typeof v !== 'boolean') return `'${key}' must be true or false, got ${show(v)}`;
      break;
    case 'list':
      if (!Array.isArray(v)) return `'${key}' must be a list, got ${show(v)}`;
      break;
    case 'string':
      if (typeof v === 'object') return `'${key}' must be text, got ${show(v)}`;
      break;
  }
  if (Array.isArray(def.values) && def.values.length) {
    const allowed = def.values.map(String);
    for (const item of Array.isArray(v) ? v : [v]) {
      const text = asString(item);
      if (text === undefined || !allowed.includes(text)) {
        return withHint(`'${key}' value ${show(item)} is not one of: ${allowed.join(', ')}`, text ?? '', allowed);
      }
    }
  }
  return undefined;
}

export function checkCustomFields(rec: CrmRecord, config: Config, report: Reporter): void {
  for (const [key, def] of Object.entries(config.fields)) {
    if (!fieldApplies(def, rec.type)) continue;
    const v = rec.data[key];
    if (isAbsent(v)) {
      if (def.required === true) report(`missing required field '${key}'`, key);
      continue;
    }
    const problem = customFieldProblem(key, def, v);
    if (problem) report(problem, key);
  }
}

