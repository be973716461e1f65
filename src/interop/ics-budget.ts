/**
 * Bounds on recurrence expansion (docs/mail.md, "Calendars"). ical.js looks for the next
 * occurrence in a loop that stops only when one is found: a rule that can never match
 * (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31`) or that matches rarely at a fine frequency
 * (`FREQ=SECONDLY;BYMONTH=12`) spins there for minutes. Every candidate time the loop tries
 * passes `check_contracting_rules`, so counting those calls bounds the work exactly, and a
 * clock read every 1,024 candidates bounds the time. The clock is the caller's (injected), so
 * tests do not depend on the machine's speed.
 */
import ICAL from 'ical.js';

export interface ExpansionLimits {
  /** Occurrences kept per recurring event (the most recent). */
  perEvent: number;
  /** Occurrences kept per series repeating more often than daily (SECONDLY, MINUTELY, HOURLY). */
  subDaily: number;
  /** Occurrences kept per file (the most recent across its events). */
  perFile: number;
  /** Candidate times ical.js may try for one event … */
  stepsPerEvent: number;
  /** … and for the whole file. */
  stepsPerFile: number;
  /** Milliseconds of the caller's clock the whole file's expansion may take. */
  millisPerFile: number;
}

export const DEFAULT_EXPANSION_LIMITS: ExpansionLimits = {
  perEvent: 1000,
  subDaily: 100,
  perFile: 5000,
  stepsPerEvent: 100_000,
  stepsPerFile: 500_000,
  millisPerFile: 20_000,
};

/** Thrown out of ical.js's loop when a budget is spent; caught per event. */
export class BudgetSpent extends Error {
  constructor(readonly what: 'event' | 'file' | 'time') {
    super(`expansion budget spent (${what})`);
  }
}

/** The budget of one file; `forEvent` opens the slice of one event. */
export class ExpansionBudget {
  private fileSteps = 0;
  private eventSteps = 0;
  private readonly started: number;

  constructor(readonly limits: ExpansionLimits, private readonly clock: () => number) {
    this.started = clock();
  }

  forEvent(): void {
    this.eventSteps = 0;
  }

  /** Whether the file's budget still allows starting another event. */
  get spent(): 'file' | 'time' | undefined {
    if (this.fileSteps >= this.limits.stepsPerFile) return 'file';
    if (this.clock() - this.started > this.limits.millisPerFile) return 'time';
    return undefined;
  }

  step(): void {
    this.fileSteps++;
    this.eventSteps++;
    if (this.eventSteps > this.limits.stepsPerEvent) throw new BudgetSpent('event');
    if (this.fileSteps > this.limits.stepsPerFile) throw new BudgetSpent('file');
    if ((this.fileSteps & 1023) === 0 && this.clock() - this.started > this.limits.millisPerFile) throw new BudgetSpent('time');
  }
}

let active: ExpansionBudget | undefined;

type Checker = { check_contracting_rules(): boolean };
const proto = (ICAL as unknown as { RecurIterator: { prototype: Checker } }).RecurIterator.prototype;
const original = proto.check_contracting_rules;
proto.check_contracting_rules = function guarded(this: Checker): boolean {
  active?.step();
  return original.call(this);
};

/** Runs `fn` with every candidate time ical.js tries counted against `budget`. */
export function withBudget<T>(budget: ExpansionBudget, fn: () => T): T {
  const outer = active;
  active = budget;
  try {
    return fn();
  } finally {
    active = outer;
  }
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why a rule can never produce an occurrence after DTSTART, or undefined. Checked before
 * expanding: BYMONTH and BYMONTHDAY that share no real day (Feb 30/31, Apr 31 …).
 */
export function impossibleRule(rule: ICAL.Recur): string | undefined {
  const parts = rule.parts as Record<string, Array<number | string> | undefined>;
  const months = (parts.BYMONTH ?? []).map(Number);
  const monthDays = (parts.BYMONTHDAY ?? []).map(Number);
  if (months.length && monthDays.length) {
    const fits = months.some((m) => monthDays.some((d) => m >= 1 && m <= 12 && d !== 0 && Math.abs(d) <= DAYS_IN_MONTH[m - 1]));
    if (!fits) return `BYMONTH=${months.join(',')} has no day BYMONTHDAY=${monthDays.join(',')}`;
  }
  if (rule.count !== null && rule.count !== undefined && rule.count <= 0) return `COUNT=${rule.count}`;
  return undefined;
}

export function isSubDaily(rule: ICAL.Recur): boolean {
  return rule.freq === 'SECONDLY' || rule.freq === 'MINUTELY' || rule.freq === 'HOURLY';
}
