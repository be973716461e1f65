/**
 * Lead scoring (docs/scoring.md): `scoring.rules` in touchbase.yaml, each a query over contacts
 * with points. Pure: the rules are read from the parsed config, compiled once per command, and a
 * contact's score is the sum of the points of the rules it matches, each rule's points halved per
 * `decay` since the contact's last touch, clamped to `min`/`max`. Every score can say where each
 * point came from (its breakdown).
 */
import { QueryError } from '../errors.js';
import { datePart, daysBetween, durationDays, isIsoDate, parseDuration } from './dates.js';
import type { Derived } from './derived.js';
import { asString } from './fields.js';
import { compileQuery, parseQuery, type Predicate, type QueryEnv, type QueryNode } from './query/index.js';
import type { Config, CrmRecord, Problem } from './types.js';

export interface ScoringRule {
  /** The query a contact must match, in the query language. */
  when: string;
  points: number;
  /** What the rule means to a reader; the query itself when the config gives none. */
  label: string;
  /** Halve the points per this duration since the last touch (`30d`, `2w`). */
  decay?: string;
}

export interface ScoringConfig {
  rules: ScoringRule[];
  min?: number;
  max?: number;
  /** Lower bounds of the score bands in `tb report`, ascending (default 25, 50, 75). */
  bands: number[];
}

export interface RuleResult {
  label: string;
  when: string;
  points: number;
  matched: boolean;
  /** The points this rule adds: 0 when unmatched, else `points`, decayed when the rule decays. */
  earned: number;
  decay?: { every: string; since?: string; days: number; factor: number };
}

export interface ScoreResult {
  /** The score: the sum of `earned`, clamped to min/max. */
  score: number;
  /** The sum before clamping. */
  raw: number;
  rules: RuleResult[];
}

export const DEFAULT_BANDS = [25, 50, 75];


function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const parsed = new WeakMap<Config, { scoring?: ScoringConfig; problems: Problem[] }>();

/** `scoring:` of a config, read once per config object; undefined when not configured. */
export function scoringOf(config: Config): ScoringConfig | undefined {
  return readScoring(config).scoring;
}

/** What is wrong with `scoring:` as written (shapes only; queries are checked by scoringProblems). */
function readScoring(config: Config): { scoring?: ScoringConfig; problems: Problem[] } {
  let known = parsed.get(config);
  if (!known) {
    known = parseScoring(config.raw.scoring);
    parsed.set(config, known);
  }
  return known;
}

function configProblem(message: string): Problem {
  return { path: 'touchbase.yaml', line: 0, severity: 'error', key: 'scoring', message };
}

/** Reads `scoring:`; rules with a bad shape are reported and left out. */
export function parseScoring(raw: unknown): { scoring?: ScoringConfig; problems: Problem[] } {
  if (raw === undefined || raw === null) return { problems: [] };
  const problems: Problem[] = [];
  if (!isObject(raw)) return { problems: [configProblem('scoring must be a mapping with rules: [{when, points, label}]')] };
  const scoring: ScoringConfig = { rules: [], bands: DEFAULT_BANDS };
  const rules = raw.rules ?? [];
  if (!Array.isArray(rules)) problems.push(configProblem('scoring.rules must be a list of {when, points, label, decay}'));
  else {
    rules.forEach((r, i) => {
      const where = `scoring rule ${i + 1}`;
      if (!isObject(r)) return problems.push(configProblem(`${where} must be a mapping {when, points, label}`));
      const when = typeof r.when === 'string' ? r.when.trim() : undefined;
      if (!when) return problems.push(configProblem(`${where} needs a query in 'when'`));
      if (typeof r.points !== 'number' || !Number.isFinite(r.points)) return problems.push(configProblem(`${where} ('${when}'): points must be a number, got '${String(r.points)}'`));
      const rule: ScoringRule = { when, points: r.points, label: asString(r.label) ?? when };
      if (r.decay !== undefined && r.decay !== null) {
        const dur = parseDuration(String(r.decay));
        if (!dur || durationDays(dur) <= 0) return problems.push(configProblem(`${where} ('${rule.label}'): decay '${String(r.decay)}' is not an interval like 30d, 2w, 3m`));
        rule.decay = String(r.decay);
      }
      scoring.rules.push(rule);
    });
  }
  for (const key of ['min', 'max'] as const) {
    const v = raw[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'number' && Number.isFinite(v)) scoring[key] = v;
    else problems.push(configProblem(`scoring.${key} must be a number, got '${String(v)}'`));
  }
  if (scoring.min !== undefined && scoring.max !== undefined && scoring.min > scoring.max) {
    problems.push(configProblem(`scoring.min (${scoring.min}) is above scoring.max (${scoring.max})`));
  }
  if (raw.bands !== undefined) {
    const bands = raw.bands;
    if (Array.isArray(bands) && bands.length && bands.every((b, i) => typeof b === 'number' && Number.isFinite(b) && (i === 0 || b > (bands[i - 1] as number)))) {
      scoring.bands = bands as number[];
    } else problems.push(configProblem('scoring.bands must be a list of ascending numbers, e.g. [25, 50, 75]'));
  }
  return { scoring, problems };
}

/** Field names a query uses, @segments expanded (unknown segments are left to the compiler). */
function fieldsUsed(node: QueryNode, config: Config, seen: Set<string>, out: string[]): string[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const c of node.children) fieldsUsed(c, config, seen, out);
      break;
    case 'not':
      fieldsUsed(node.child, config, seen, out);
      break;
    case 'presence':
    case 'match':
    case 'compare':
      out.push(node.field);
      break;
    case 'segment': {
      const query = config.segments[node.name];
      if (query !== undefined && !seen.has(node.name)) {
        seen.add(node.name);
        try {
          fieldsUsed(parseQuery(query), config, seen, out);
        } catch {
          // A broken segment is reported when the rule is compiled.
        }
      }
      break;
    }
  }
  return out;
}

/** True when a query reads `score` (or `company.score` …): a rule over the score itself is a cycle. */
function usesScore(when: string, config: Config): boolean {
  return fieldsUsed(parseQuery(when), config, new Set(), []).some((f) => {
    const last = f.toLowerCase().split('.').pop();
    return last === 'score';
  });
}

interface CompiledRule {
  rule: ScoringRule;
  matches: Predicate;
  decayDays?: number;
}

export interface Scorer {
  /** The score with its breakdown (tb score, tb show). */
  score(contact: CrmRecord): ScoreResult;
  /** Only the number, without building a breakdown: what queries and sorting need, per contact. */
  total(contact: CrmRecord): number;
}

/** The rule's query compiled, or the QueryError naming the rule. */
function compileRule(rule: ScoringRule, index: number, env: QueryEnv): CompiledRule {
  const where = `scoring rule ${index + 1} ('${rule.label}')`;
  try {
    if (usesScore(rule.when, env.dataset.config)) {
      throw new QueryError(`${where} uses score itself: a score cannot depend on the score`, { hint: 'remove score from the rule' });
    }
    const matches = compileQuery(rule.when, env);
    const dur = rule.decay === undefined ? undefined : parseDuration(rule.decay);
    return { rule, matches, decayDays: dur ? durationDays(dur) : undefined };
  } catch (err) {
    if (!(err instanceof QueryError) || err.message.startsWith(where)) throw err;
    throw new QueryError(`${where}: ${err.message}`, { column: err.column, query: err.query, hint: err.hint });
  }
}

/** One decimal place, without float noise (0.1 + 0.2). */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function clamp(n: number, min: number | undefined, max: number | undefined): number {
  if (min !== undefined && n < min) return min;
  if (max !== undefined && n > max) return max;
  return n;
}

/**
 * The day a contact's decaying points count from: its last touch (derived `last_contact`), else
 * its `created` date; undefined when it has neither (its points then do not decay).
 */
function lastTouch(contact: CrmRecord, derived: Derived): string | undefined {
  const last = derived.contact(contact.id).last_contact;
  if (last) return last;
  const created = asString(contact.data.created);
  return created && isIsoDate(created) ? datePart(created) : undefined;
}

/**
 * Compiles every rule once (env.type must be 'contact'); a rule that does not compile throws a
 * QueryError naming it. The scorer is then a handful of predicate calls per contact.
 */
export function compileScoring(scoring: ScoringConfig, env: QueryEnv): Scorer {
  const rules = scoring.rules.map((r, i) => compileRule(r, i, { ...env, type: 'contact' }));
  const today = env.ctx.today;
  /** Days since the contact's last touch, for decay; undefined when it has none. */
  const daysSinceTouch = (contact: CrmRecord): number | undefined => {
    const since = lastTouch(contact, env.derived);
    return since === undefined ? undefined : Math.max(0, daysBetween(since, today));
  };
  return {
    total(contact) {
      let raw = 0;
      let days: number | undefined | null = null;
      for (const { rule, matches, decayDays } of rules) {
        if (!matches(contact)) continue;
        if (decayDays === undefined) raw += rule.points;
        else {
          if (days === null) days = daysSinceTouch(contact);
          // The same rounding as the breakdown, so the two always agree.
          raw += days === undefined ? rule.points : round1(rule.points * 0.5 ** (days / decayDays));
        }
      }
      return clamp(round1(raw), scoring.min, scoring.max);
    },
    score(contact) {
      let raw = 0;
      let since: string | undefined | null = null;
      const results = rules.map(({ rule, matches, decayDays }): RuleResult => {
        const matched = matches(contact);
        const result: RuleResult = { label: rule.label, when: rule.when, points: rule.points, matched, earned: matched ? rule.points : 0 };
        if (decayDays !== undefined) {
          if (since === null) since = lastTouch(contact, env.derived);
          const days = since === undefined ? 0 : Math.max(0, daysBetween(since, today));
          const factor = 0.5 ** (days / decayDays);
          result.decay = { every: rule.decay!, days, factor: Math.round(factor * 10000) / 10000 };
          if (since !== undefined) result.decay.since = since;
          if (matched) result.earned = round1(rule.points * factor);
        }
        raw += result.earned;
        return result;
      });
      raw = round1(raw);
      return { score: clamp(raw, scoring.min, scoring.max), raw, rules: results };
    },
  };
}

/**
 * Problems `tb check` reports about `scoring:`: bad shapes, rules whose query does not compile
 * (with the compiler's did-you-mean), and rules that use the score itself.
 */
export function scoringProblems(env: QueryEnv): Problem[] {
  const { scoring, problems } = readScoring(env.dataset.config);
  const out = [...problems];
  scoring?.rules.forEach((rule, i) => {
    try {
      compileRule(rule, i, { ...env, type: 'contact' });
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      out.push(configProblem(`${err.message}${err.hint ? `; ${err.hint}` : ''}`));
    }
  });
  return out;
}

/** The band a score falls in: `<25`, `25–49` … `75+` for bands [25, 50, 75]. */
export function bandOf(score: number, bands: readonly number[]): string {
  if (score < bands[0]) return `<${bands[0]}`;
  for (let i = bands.length - 1; i >= 0; i--) {
    if (score >= bands[i]) return i === bands.length - 1 ? `${bands[i]}+` : `${bands[i]}–${bandTop(bands[i + 1])}`;
  }
  return `<${bands[0]}`;
}

/** Every band label, lowest first. */
export function bandLabels(bands: readonly number[]): string[] {
  return [`<${bands[0]}`, ...bands.map((b, i) => (i === bands.length - 1 ? `${b}+` : `${b}–${bandTop(bands[i + 1])}`))];
}

/** The top of a band shown to a reader: 49 below 50 for whole numbers, else "<50". */
function bandTop(next: number): string {
  return Number.isInteger(next) ? String(next - 1) : `<${next}`;
}
