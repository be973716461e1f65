/**
 * Instants keep to the years every date in tb keeps to: 1000–9999 (core/dates.ts). A case opened
 * late in 9999 is itself in range, but its SLA deadlines are not, and computing them past the year
 * 9999 fails (RangeError in the time-zone arithmetic) in every read that shows cases: `tb due`,
 * `list cases`, `report cases`. So validation (tb check, and every write through assertWritable,
 * such as `tb case open --at`) refuses an instant outside the range and a case whose deadlines
 * would leave it: what would crash a read is reported, never written.
 */
import type { CrmRecord } from './types.js';
import { deriveCase } from './cases.js';
import type { CaseSettings } from './cases.js';
import { YEAR_MAX, YEAR_MIN } from './dates.js';
import { parseInstant } from './instants.js';
import { slaTimeZone } from './sla.js';

const FIRST_MS = Date.UTC(YEAR_MIN, 0, 1);
const LAST_MS = Date.UTC(YEAR_MAX, 11, 31, 23, 59, 59, 999);
const RANGE = `tb reads the years ${YEAR_MIN}–${YEAR_MAX}`;

/** Problems of a case's instants (`opened`, `first_response`, `resolved` …) with the year range. */
export function caseInstantProblems(rec: CrmRecord, keys: readonly string[], settings: CaseSettings): Array<{ key: string; message: string }> {
  const zone = slaTimeZone(settings.sla);
  const out: Array<{ key: string; message: string }> = [];
  for (const key of keys) {
    const ms = parseInstant(rec.data[key], zone);
    if (ms !== undefined && (ms < FIRST_MS || ms > LAST_MS)) out.push({ key, message: `'${key}' is outside the years ${YEAR_MIN}–${YEAR_MAX}: ${String(rec.data[key])} (${RANGE})` });
  }
  if (out.length) return out;
  const opened = parseInstant(rec.data.opened, zone);
  if (opened === undefined) return out;
  let deadlines: Array<string | undefined>;
  try {
    const d = deriveCase(rec, settings, opened);
    deadlines = [d.first_response_due, d.resolve_due];
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    deadlines = ['after'];
  }
  // A deadline past 9999 is written with a five-digit year (or could not be computed at all).
  if (deadlines.some((d) => d !== undefined && !/^\d{4}-/.test(d))) {
    out.push({ key: 'opened', message: `'opened' ${String(rec.data.opened)} puts the case's SLA deadlines after ${YEAR_MAX}-12-31 (${RANGE})` });
  }
  return out;
}
