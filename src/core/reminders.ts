/**
 * Reminders from the command line: which reminder a reference means, and what `done`, `snooze`
 * and `cancel` change. Pure: gets records and "today", returns records and edits; the commands
 * write them.
 */
import type { CrmRecord, FrontMatter } from './types.js';
import { datePart, isIsoDate, parseDuration } from './dates.js';
import { asString, displayName, normalizeRef, reminderStatus } from './fields.js';
import { resolveRef } from './resolve.js';
import { nextOccurrence } from './recurrence.js';
import { reminderBaseId, reminderData } from './records.js';
import { stableSuffix } from './slug.js';
import { AmbiguousError, DataError, NotFoundError, UsageError } from '../errors.js';

export interface ReminderPool {
  reminders: readonly CrmRecord[];
  contacts: readonly CrmRecord[];
  deals: readonly CrmRecord[];
}

/** "due 2026-11-27 · Send proposal" — how a candidate is listed when a reference is ambiguous. */
function describe(r: CrmRecord): string {
  const due = asString(r.data.due);
  return `${r.id}${due ? ` (due ${datePart(due)})` : ''}`;
}

/** The contact and deal ids a reminder is about. */
export function reminderTargets(r: CrmRecord): string[] {
  return [normalizeRef(r.data.contact), normalizeRef(r.data.deal)].filter((id): id is string => id !== undefined);
}

/**
 * Finds the reminder `ref` means, in this order:
 * 1. a reminder id (the file name without `.md`);
 * 2. a unique prefix of a reminder id (`2026-11-27-ada`);
 * 3. a contact or deal (any way `resolveRef` accepts: id, prefix, email, name) that has exactly one
 *    open reminder — reminder ids are long, so `tb done ada` is the everyday form.
 * Several matches at a step fail and list the candidates; a contact or deal with no open reminder
 * is NotFound.
 */
export function resolveReminder(pool: ReminderPool, rawRef: string): CrmRecord {
  const ref = (normalizeRef(rawRef) ?? '').toLowerCase();
  if (ref === '') throw new UsageError('missing the reminder', 'give a reminder id, a unique id prefix, or a contact or deal with one open reminder');
  const exact = pool.reminders.find((r) => r.id === ref);
  if (exact) return exact;
  const prefixed = pool.reminders.filter((r) => r.id.startsWith(ref));
  if (prefixed.length === 1) return prefixed[0];
  if (prefixed.length > 1) throw new AmbiguousError(`'${rawRef}' matches ${prefixed.length} reminders`, prefixed.slice(0, 10).map(describe));

  let target: CrmRecord;
  try {
    target = resolveRef([...pool.contacts, ...pool.deals], rawRef, 'reminder, contact or deal');
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`no reminder, contact or deal matches '${rawRef}'`, err.hint);
    throw err;
  }
  const open = pool.reminders.filter((r) => reminderStatus(r) === 'open' && reminderTargets(r).includes(target.id));
  if (open.length === 1) return open[0];
  const who = `${target.type} ${target.id}`;
  if (open.length === 0) throw new NotFoundError(`${who} has no open reminder`, `see its reminders with: tb list reminders ${target.type}:${target.id}`);
  throw new AmbiguousError(`${who} has ${open.length} open reminders; name one by id`, open.slice(0, 10).map(describe));
}

/** Throws unless the reminder is open: `done`, `snooze` and `cancel` act on open reminders only. */
export function requireOpen(r: CrmRecord, verb: string): void {
  const status = reminderStatus(r);
  if (status === 'open') return;
  const when = status === 'done' ? asString(r.data.done) : undefined;
  throw new DataError(`cannot ${verb} reminder ${r.id}: it is already ${status}${when ? ` (on ${datePart(when)})` : ''}`, { path: r.path });
}

/** Checks a `--repeat` interval: 1w, 2w, 1m, 3m, 1y … (a whole number and d, w, m or y). */
export function checkRepeat(text: string): string {
  const t = text.trim().toLowerCase();
  const d = parseDuration(t);
  if (!d || d.n <= 0) throw new UsageError(`--repeat '${text}' is not an interval`, 'use e.g. 1w, 2w, 1m, 3m, 1y (days d, weeks w, months m, years y)');
  return `${d.n}${d.unit}`;
}

export function checkRepeatFrom(text: string): 'due' | 'done' {
  const t = text.trim().toLowerCase();
  if (t === 'due' || t === 'done') return t;
  throw new UsageError(`--repeat-from must be 'due' or 'done', got '${text}'`);
}

export interface DonePlan {
  /** Front matter edits for the completed reminder. */
  edits: Array<{ key: string; value: unknown }>;
  /**
   * The next occurrence of a repeating reminder: its id (fixed by the series and its due date,
   * see nextOccurrenceId) and front matter of the new file.
   */
  next?: { id: string; due: string; target: string; text: string; data: FrontMatter };
}

/**
 * Completing a reminder on `today`: `status: done`, `done: today`; for a repeating reminder also
 * the next occurrence (recurrence.ts decides the date), a new reminder with the same text, contact,
 * deal, owner, repeat and repeat_from, plus `anchor_day` when the month day needs remembering.
 */
export function planDone(r: CrmRecord, today: string): DonePlan {
  requireOpen(r, 'complete');
  const plan: DonePlan = { edits: [{ key: 'status', value: 'done' }, { key: 'done', value: today }] };
  const occ = nextOccurrence(r, today);
  if (!occ) return plan;
  const text = asString(r.data.text) ?? displayName(r);
  const contact = normalizeRef(r.data.contact);
  const deal = normalizeRef(r.data.deal);
  const repeatFrom = asString(r.data.repeat_from)?.toLowerCase() === 'done' ? 'done' : undefined;
  const data = reminderData({
    due: occ.due,
    text,
    contact,
    deal,
    owner: asString(r.data.owner),
    repeat: asString(r.data.repeat),
    repeatFrom,
    extra: occ.anchor_day !== undefined ? { anchor_day: occ.anchor_day } : undefined,
  });
  const target = contact ?? deal ?? 'task';
  plan.next = { id: nextOccurrenceId(r.id, occ.due, target, text), due: occ.due, target, text, data };
  return plan;
}

/**
 * The file name of the occurrence after reminder `prevId`, due `due`: the usual reminder name with a
 * suffix drawn from both, so completing the same reminder twice (a re-run after a crash, two clones)
 * names the same file instead of making a second next occurrence.
 */
export function nextOccurrenceId(prevId: string, due: string, target: string, text: string): string {
  return `${reminderBaseId(due, target, text)}-${stableSuffix(`${prevId}>${due.slice(0, 10)}`)}`;
}

/** Moving an open reminder to a new due date. */
export function planSnooze(r: CrmRecord, due: string): Array<{ key: string; value: unknown }> {
  requireOpen(r, 'snooze');
  if (!isIsoDate(due)) throw new UsageError(`'${due}' is not a date`);
  // A time of day on the old due date is kept when the new one names only a day.
  const old = asString(r.data.due);
  const time = due.length === 10 && old !== undefined && isIsoDate(old) ? old.slice(10) : '';
  return [{ key: 'due', value: due + time }];
}

export function planCancel(r: CrmRecord): Array<{ key: string; value: unknown }> {
  requireOpen(r, 'cancel');
  return [{ key: 'status', value: 'cancelled' }];
}
