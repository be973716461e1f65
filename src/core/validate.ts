/**
 * The checks behind `tb check`: every problem a loaded dataset can have that the parser did not
 * already report. Pure: records in, problems out. Problems carry the top-level key they are about
 * (line 0); the store layer turns the key into a line.
 *
 * By job: one record's field values (./validate-fields.ts), touchbase.yaml's custom fields
 * (./validate-custom.ts), what needs the other records (./validate-references.ts); here the file
 * placement, a deal's history, the order of the checks and the dataset walk.
 */
import { checkBooleans, checkDates, checkDerivedKeys, checkEmails, checkEnums, checkInstants, checkIntervals, checkLists, checkNumbers, checkRequired, checkSingleRefs, INSTANT_FIELDS, REQUIRED, dateProblem, show, isMapping, isAbsent, type Reporter } from './validate-fields.js';

import { checkCustomFields } from './validate-custom.js';
import { buildIdIndex, checkReferences, duplicateEmailProblems, duplicateIdProblems, type IdIndex } from './validate-references.js';
import { nearMissField } from './field-names.js';
import { keysWithControlChars } from './control-chars.js';
import type { Config, CrmRecord, Dataset, Problem, RecordType } from './types.js';
import { allRecords, FOLDER_OF } from './types.js';
import { declarationOf } from './schema.js';
import { isIsoDate } from './dates.js';
import { asString } from './fields.js';
import { dealHistory } from './derived.js';
import { stageById } from './config.js';
import { isValidSlug, slugify } from './slug.js';
import { caseOrderProblems, caseSettingsOf } from './cases.js';
import { caseInstantProblems } from './instant-range.js';

// The checks some callers use on their own (imports test values before writing them).
export { dateProblem, firstDateProblem, linkTarget, looksLikeEmail } from './validate-fields.js';

// ---------------------------------------------------------------------------------------------
// File placement

function checkFileName(rec: CrmRecord, report: Reporter): void {
  if (isValidSlug(rec.id)) return;
  const better = slugify(rec.id);
  const hint = better && better !== rec.id ? `; rename it to '${better}.md'` : '';
  report(`file name '${rec.id}' is not a valid id (lowercase letters, digits and single hyphens)${hint}`);
}

/**
 * Deliberately conservative: only a record that lacks its own identifying field and clearly has
 * another type's shape is flagged, so odd-but-valid records are never called misplaced.
 */
function looksLike(rec: CrmRecord, config: Config): RecordType | undefined {
  const d = rec.data;
  const has = (key: string) => !isAbsent(d[key]);
  const stage = asString(d.stage);
  const pipelineStage = stage !== undefined && stageById(config, stage) !== undefined;
  const dealOnlyStage = pipelineStage && !config.lifecycle.includes(stage);
  if (has('title') && pipelineStage && (dealOnlyStage || has('value') || has('expected_close'))) return 'deal';
  if (has('due') && has('text') && !has('title')) return 'reminder';
  if (has('date') && (has('contacts') || has('contact')) && !has('title') && !has('due')) return 'interaction';
  return undefined;
}

function checkFolder(rec: CrmRecord, config: Config, report: Reporter): void {
  const ownKey = REQUIRED[rec.type][0].name;
  if (rec.type !== 'interaction' && isAbsent(rec.data[ownKey])) {
    const guess = looksLike(rec, config);
    if (guess && guess !== rec.type) {
      report(`looks like a ${guess}, not a ${rec.type} (no '${ownKey}'); move it to ${FOLDER_OF[guess]}/`, undefined, 'warning');
    }
  }
  const dateKey = declarationOf(rec.type).monthFoldersBy;
  const date = dateKey === undefined ? undefined : rec.data[dateKey];
  if (dateKey !== undefined && typeof date === 'string' && isIsoDate(date)) {
    const folder = `${FOLDER_OF[rec.type]}/${date.slice(0, 4)}/${date.slice(5, 7)}/`;
    const file = rec.path.slice(rec.path.lastIndexOf('/') + 1);
    if (rec.path !== folder + file) {
      report(`dated ${date.slice(0, 10)} but not filed under ${folder}; expected ${folder}${file}`, dateKey, 'warning');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Deals

function checkHistory(rec: CrmRecord, report: Reporter): void {
  const h = rec.data.history;
  if (!Array.isArray(h)) return;
  h.forEach((entry, i) => {
    if (!isMapping(entry)) {
      report(`history entry ${i + 1} must be a mapping {date, stage}, got ${show(entry)}`, 'history');
      return;
    }
    const problem = dateProblem('date', entry.date, false);
    if (problem) report(`history entry ${i + 1}: ${problem}`, 'history');
    if (asString(entry.stage) === undefined) report(`history entry ${i + 1} has no stage`, 'history');
  });
}

function checkDealConsistency(rec: CrmRecord, config: Config, report: Reporter): void {
  const stage = asString(rec.data.stage);
  const closedStage = stage === undefined ? undefined : stageById(config, stage)?.closed;
  const hasClosedDate = !isAbsent(rec.data.closed);
  if (hasClosedDate && stage !== undefined && stageById(config, stage) && !closedStage) {
    report(`has a 'closed' date but stage '${stage}' is not a closed stage`, 'closed', 'warning');
  }
  if (closedStage && !hasClosedDate) report(`stage '${stage}' is ${closedStage} but there is no 'closed' date`, 'stage', 'warning');
  const history = dealHistory(rec);
  const last = history[history.length - 1];
  if (last && stage !== undefined && last.stage !== stage) {
    report(`last history entry is stage '${last.stage}' but the deal's stage is '${stage}'`, 'history', 'warning');
  }
}

// ---------------------------------------------------------------------------------------------

function recordProblems(rec: CrmRecord, config: Config, ids: IdIndex): Problem[] {
  const problems: Problem[] = [];
  const report: Reporter = (message, key, severity = 'error') => {
    const p: Problem = { path: rec.path, line: 0, message, severity };
    if (key !== undefined) p.key = key;
    problems.push(p);
  };
  checkFileName(rec, report);
  checkFolder(rec, config, report);
  checkRequired(rec, report);
  checkDerivedKeys(rec, report);
  checkDates(rec, report);
  checkInstants(rec, report);
  checkLists(rec, report);
  checkNumbers(rec, report);
  checkEnums(rec, config, report);
  checkIntervals(rec, report);
  checkBooleans(rec, report);
  checkEmails(rec, report);
  checkSingleRefs(rec, report);
  checkReferences(rec, ids, report);
  if (rec.type === 'deal') {
    checkHistory(rec, report);
    checkDealConsistency(rec, config, report);
  }
  // Cases: opened ≤ first_response ≤ resolved (docs/cases.md).
  if (rec.type === 'case') for (const p of caseOrderProblems(rec, caseSettingsOf(config))) report(p.message, p.key);
  // Instants and the deadlines derived from them stay in 1000–9999, so no read crashes (core/instant-range.ts).
  if (rec.type === 'case') for (const p of caseInstantProblems(rec, INSTANT_FIELDS.case, caseSettingsOf(config))) report(p.message, p.key);
  checkCustomFields(rec, config, report);
  checkNearMissKeys(rec, config, report);
  for (const key of keysWithControlChars(rec.data)) report(`'${key}' holds control characters (ESC, NUL, U+202E …); tb shows them escaped`, key, 'warning');
  return problems;
}

/** A key like `email` on a contact (meant: `emails`) is a warning naming the field. */
function checkNearMissKeys(rec: CrmRecord, config: Config, report: Reporter): void {
  for (const key of Object.keys(rec.data)) {
    // A single `contact:` on an interaction or deal is read everywhere as its one contact.
    if (key === 'contact' && (rec.type === 'interaction' || rec.type === 'deal')) continue;
    const meant = nearMissField(rec.type, key, Object.keys(config.fields));
    if (meant) report(`'${key}' is not a ${rec.type} field; did you mean '${meant}'? (${meant in rec.data ? 'move its value there' : 'rename the key'})`, key, 'warning');
  }
}

/**
 * Every problem in a loaded dataset, grouped by file (stable within a file). Parse failures and
 * config problems are reported by the loader and normalizeConfig, not here.
 */
export interface ValidateOptions {
  /**
   * Root-relative paths of record files that exist but could not be read (already reported).
   * References to their ids are not reported again: one merge conflict is one problem, not one
   * per interaction that names the contact.
   */
  unreadable?: readonly string[];
}

export function validateDataset(ds: Dataset, opts: ValidateOptions = {}): Problem[] {
  const records = allRecords(ds);
  const ids = buildIdIndex(ds, opts.unreadable ?? []);
  const problems = [
    ...records.flatMap((rec) => recordProblems(rec, ds.config, ids)),
    ...duplicateIdProblems(records),
    ...duplicateEmailProblems(ds.contacts),
  ];
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.path < b.p.path ? -1 : a.p.path > b.p.path ? 1 : a.i - b.i))
    .map(({ p }) => p);
}

/**
 * The errors `tb check` would report on one record about to be written (warnings are left to
 * `tb check`): write commands call this so they never save what check rejects.
 */
export function validateRecord(ds: Dataset, rec: CrmRecord): Problem[] {
  return recordValidator(ds)(rec);
}

/** validateRecord for many records: the id index is built once (imports check every row). */
export function recordValidator(ds: Dataset): (rec: CrmRecord) => Problem[] {
  const base = buildIdIndex(ds, []);
  return (rec) => {
    const ids: IdIndex = base[rec.type].has(rec.id) ? base : { ...base, [rec.type]: new Set([...base[rec.type], rec.id]) };
    return recordProblems(rec, ds.config, ids).filter((p) => p.severity === 'error');
  };
}
