/**
 * Lead assignment (docs/scoring.md): territory rules first (`assignment: [{when, owner}]`, first
 * match wins), then the rest handed out round-robin or balanced, highest score first. Pure: the
 * command gives the candidates, the compiled rules and the state, and writes what the plan says.
 */
import { QueryError, UsageError } from '../errors.js';
import { asString, displayName } from './fields.js';
import { compileQuery, type Predicate, type QueryEnv } from './query/index.js';
import type { Config, CrmRecord, Problem } from './types.js';

export type Strategy = 'round-robin' | 'balanced';
export const STRATEGIES: readonly Strategy[] = ['round-robin', 'balanced'];

export interface TerritoryRule {
  when: string;
  owner: string;
  /** 1-based position in `assignment:`, for messages. */
  n: number;
}

export interface CompiledTerritory extends TerritoryRule {
  matches: Predicate;
}

export interface AssignmentRow {
  id: string;
  name: string;
  path: string;
  score?: number;
  /** The owner before the run, if any. */
  from?: string;
  owner: string;
  /** A territory rule (`rule` says which) or the strategy that gave the lead. */
  by: 'rule' | Strategy;
  /** The territory rule's query, when `by` is 'rule'. */
  rule?: string;
  /** False when the lead already had this owner (nothing is written). */
  changed: boolean;
}

export interface AssignmentPlan {
  rows: AssignmentRow[];
  /** The owner the rotation gave its last lead in this run (what the next run continues after). */
  lastOwner?: string;
}

export interface PlanInput {
  /** The leads to assign (already filtered by the query, and to unowned ones without --reassign). */
  candidates: readonly CrmRecord[];
  /** Every contact: balanced counts the open leads each owner already has. */
  contacts: readonly CrmRecord[];
  score: (contact: CrmRecord) => number | undefined;
  territories: readonly CompiledTerritory[];
  /** Owners to distribute the rest to, in --to order. */
  to: readonly string[];
  strategy: Strategy;
  /** The owner the previous round-robin run stopped at (`round_robin.last`). */
  lastOwner?: string;
  config: Config;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `assignment:` as written, with problems for entries without a query or an owner. */
export function territoriesOf(config: Config): { rules: TerritoryRule[]; problems: Problem[] } {
  const raw = config.raw.assignment;
  const problems: Problem[] = [];
  const problem = (message: string) => problems.push({ path: 'touchbase.yaml', line: 0, severity: 'error', key: 'assignment', message });
  if (raw === undefined || raw === null) return { rules: [], problems };
  if (!Array.isArray(raw)) {
    problem('assignment must be a list of {when: QUERY, owner: ID}');
    return { rules: [], problems };
  }
  const rules: TerritoryRule[] = [];
  raw.forEach((r, i) => {
    const when = isObject(r) && typeof r.when === 'string' ? r.when.trim() : undefined;
    const owner = isObject(r) ? asString(r.owner) : undefined;
    if (!when || !owner) return problem(`assignment rule ${i + 1} needs 'when' (a query) and 'owner' (an owner id)`);
    rules.push({ when, owner, n: i + 1 });
  });
  return { rules, problems };
}

/** Compiles the territory rules over contacts; a bad query is a QueryError naming the rule. */
export function compileTerritories(rules: readonly TerritoryRule[], env: QueryEnv): CompiledTerritory[] {
  return rules.map((rule) => {
    try {
      return { ...rule, matches: compileQuery(rule.when, { ...env, type: 'contact' }) };
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      throw new QueryError(`assignment rule ${rule.n} ('${rule.when}'): ${err.message}`, { column: err.column, query: err.query, hint: err.hint });
    }
  });
}

/** Problems `tb check` reports about `assignment:`: shapes, queries, owners not in `owners:`. */
export function assignmentProblems(env: QueryEnv): Problem[] {
  const { rules, problems } = territoriesOf(env.dataset.config);
  const owners = Object.keys(env.dataset.config.owners);
  for (const rule of rules) {
    try {
      compileTerritories([rule], env);
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      problems.push({ path: 'touchbase.yaml', line: 0, severity: 'error', key: 'assignment', message: `${err.message}${err.hint ? `; ${err.hint}` : ''}` });
    }
    if (owners.length && !owners.includes(rule.owner)) {
      problems.push({ path: 'touchbase.yaml', line: 0, severity: 'warning', key: 'assignment', message: `assignment rule ${rule.n} gives leads to '${rule.owner}', who is not one of the owners` });
    }
  }
  return problems;
}

/**
 * Lifecycle stages that count as open leads for `balanced`: the stages before `customer` (the
 * default lifecycle gives lead and prospect), or only the first stage when there is no customer.
 */
export function leadStages(config: Config): string[] {
  const i = config.lifecycle.indexOf('customer');
  return i > 0 ? config.lifecycle.slice(0, i) : config.lifecycle.slice(0, 1);
}

/** A contact in a lead stage, or with no stage yet (nobody has qualified it). */
export function isOpenLead(contact: CrmRecord, stages: readonly string[]): boolean {
  const stage = asString(contact.data.stage)?.toLowerCase();
  return stage === undefined || stages.includes(stage);
}

/** Highest score first; no score after every score; then id, so the order is stable. */
export function byScore(score: (c: CrmRecord) => number | undefined) {
  return (a: CrmRecord, b: CrmRecord): number => {
    const x = score(a);
    const y = score(b);
    if (x !== y) {
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return y - x;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/**
 * The plan. Territories first (first matching rule wins); the rest go to `to`:
 * - round-robin: in `to` order, starting after `lastOwner` (from the start when it is not in `to`);
 * - balanced: to the owner with the fewest open leads at that moment — leads the run is handing
 *   out are not counted for their old owners, each lead given counts for its new one; a tie goes
 *   to the owner listed first.
 */
export function planAssignment(input: PlanInput): AssignmentPlan {
  const candidates = [...input.candidates].sort(byScore(input.score));
  const moving = new Set(candidates.map((c) => c.id));
  const stages = leadStages(input.config);
  const open = new Map(input.to.map((o) => [o, 0]));
  for (const c of input.contacts) {
    const owner = asString(c.data.owner);
    if (owner !== undefined && open.has(owner) && !moving.has(c.id) && isOpenLead(c, stages)) open.set(owner, open.get(owner)! + 1);
  }
  const last = input.lastOwner === undefined ? -1 : input.to.indexOf(input.lastOwner);
  let turn = last + 1;
  let lastOwner: string | undefined;
  const rows = candidates.map((c): AssignmentRow => {
    const row = { id: c.id, name: displayName(c), path: c.path } as AssignmentRow;
    const score = input.score(c);
    if (score !== undefined) row.score = score;
    const from = asString(c.data.owner);
    if (from !== undefined) row.from = from;
    const territory = input.territories.find((t) => t.matches(c));
    if (territory) Object.assign(row, { owner: territory.owner, by: 'rule', rule: territory.when });
    else {
      if (!input.to.length) throw new UsageError(`no territory rule covers ${c.id}, and no --to owners were given`, 'e.g. tb assign --to sam,kim');
      const owner = input.strategy === 'balanced' ? fewest(input.to, open) : input.to[turn++ % input.to.length];
      if (input.strategy === 'round-robin') lastOwner = owner;
      Object.assign(row, { owner, by: input.strategy });
    }
    if (open.has(row.owner)) open.set(row.owner, open.get(row.owner)! + 1);
    row.changed = row.owner !== from;
    return row;
  });
  return lastOwner === undefined ? { rows } : { rows, lastOwner };
}

function fewest(owners: readonly string[], open: Map<string, number>): string {
  let best = owners[0];
  for (const o of owners) if (open.get(o)! < open.get(best)!) best = o;
  return best;
}
