/** Configuration defaults and normalisation of a parsed touchbase.yaml. Pure. */
import type { Config, FieldDef, FrontMatter, OwnerDef, Problem, StageDef } from './types.js';
import { FOLDER_OF, RECORD_TYPES } from './types.js';
import { parseDuration } from './dates.js';
import { didYouMean } from './suggest.js';
import { readCaseSettings } from './cases.js';
import { isTimeZone } from './zones.js';
import { readMailSettings } from './mail-settings.js';

export const CONFIG_FILE = 'touchbase.yaml';

/** Every top-level setting touchbase reads; anything else is reported as a likely typo. */
export const KNOWN_KEYS = ['name', 'currency', 'timezone', 'owners', 'pipeline', 'lifecycle', 'channels', 'cadence', 'stale_after', 'segments', 'git', 'fields', 'rates', 'max_file_size',
  // Lead scoring and assignment (docs/scoring.md), read by core/scoring.ts and core/assign.ts.
  'scoring', 'assignment', 'round_robin',
  // Service cases (docs/cases.md).
  'sla', 'business_hours', 'case_statuses', 'case_categories',
  // Campaigns (docs/campaigns.md).
  'campaigns',
  // Mail import (docs/mail.md), read by core/mail-settings.ts.
  'mail'];

export const DEFAULT_PIPELINE: StageDef[] = [
  { id: 'lead', probability: 0.1 },
  { id: 'qualified', probability: 0.25 },
  { id: 'proposal', probability: 0.5 },
  { id: 'negotiation', probability: 0.75 },
  { id: 'won', probability: 1, closed: 'won' },
  { id: 'lost', probability: 0, closed: 'lost' },
];

export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

export function defaultConfig(): Config {
  return {
    currency: 'EUR',
    owners: {},
    pipeline: DEFAULT_PIPELINE.map((s) => ({ ...s })),
    lifecycle: ['lead', 'prospect', 'customer', 'churned'],
    channels: ['email', 'call', 'meeting', 'message', 'note'],
    cadence: { tags: {}, stages: {} },
    stale_after: '21d',
    segments: {},
    segment_types: {},
    git: { autocommit: false },
    fields: {},
    rates: {},
    max_file_size: DEFAULT_MAX_FILE_SIZE,
    raw: {},
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own entries minus `__proto__`, which as an assignment target would replace a prototype. */
function entries(v: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(v).filter(([k]) => k !== '__proto__');
}

function stringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, val] of entries(v)) if (val != null) out[k] = String(val);
  return out;
}

/** `name: "query"`, or `name: { query: "…", type: deals }` for a segment of another record type. */
function readSegments(raw: Record<string, unknown>, config: Config, problem: (message: string, key: string) => void): void {
  for (const [name, val] of entries(raw)) {
    if (val == null) continue;
    if (!isObject(val)) {
      config.segments[name] = String(val);
      continue;
    }
    const type = RECORD_TYPES.find((t) => t === String(val.type ?? 'contact') || FOLDER_OF[t] === String(val.type));
    if (val.query == null || !type) {
      problem(`segment ${name} needs query: and type: (contacts, companies, deals, interactions or reminders)`, 'segments');
      continue;
    }
    config.segments[name] = String(val.query);
    config.segment_types[name] = type;
  }
}

/** Reports a mistake in a setting: its message, top-level key and, for a list entry, its index. */
type ProblemSink = (message: string, key: string, item?: number) => void;

/** Warns of every top-level key touchbase does not read, with a did-you-mean. */
function unknownKeys(raw: FrontMatter): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(raw)) {
    if (KNOWN_KEYS.includes(key)) continue;
    const hint = didYouMean(key, KNOWN_KEYS);
    problems.push({ path: 'touchbase.yaml', line: 0, severity: 'warning', key, message: `unknown setting '${key}'${hint ? `; ${hint}` : ' (ignored)'}` });
  }
  return problems;
}

/** `name`, `currency` and `timezone`. */
function readGeneral(raw: FrontMatter, config: Config, problem: ProblemSink): void {
  if (typeof raw.name === 'string') config.name = raw.name;
  if (raw.currency !== undefined) {
    if (typeof raw.currency === 'string' && /^[A-Za-z]{3}$/.test(raw.currency)) config.currency = raw.currency.toUpperCase();
    else problem(`currency must be a 3-letter code, got '${String(raw.currency)}'`, 'currency');
  }
  if (raw.timezone !== undefined) {
    // The zone of times written without one (floating calendar times): docs/config.md.
    if (isTimeZone(raw.timezone)) config.timezone = raw.timezone;
    else problem(`timezone must be a time zone like Europe/Berlin, got '${String(raw.timezone)}'`, 'timezone');
  }
}

/** `owners`: a mapping of id to {name, email} (or to a name), or a list of ids. */
function readOwners(owners: unknown, config: Config, problem: ProblemSink): void {
  if (isObject(owners)) {
    for (const [id, def] of entries(owners)) {
      const o: OwnerDef = {};
      if (isObject(def)) {
        if (typeof def.name === 'string') o.name = def.name;
        if (typeof def.email === 'string') o.email = def.email;
      } else if (typeof def === 'string') o.name = def;
      config.owners[id] = o;
    }
  } else if (Array.isArray(owners)) {
    for (const id of stringList(owners) ?? []) config.owners[id] = {};
  } else problem('owners must be a mapping of id to {name, email}', 'owners');
}

/** One `pipeline` entry (an id, or {id, probability, closed}); undefined when it has no id. */
function readStage(entry: unknown, i: number, seen: Set<string>, problem: ProblemSink): StageDef | undefined {
  const def = typeof entry === 'string' ? { id: entry } : entry;
  if (!isObject(def) || typeof def.id !== 'string' || !def.id) {
    problem(`pipeline entry ${i + 1} needs an id`, 'pipeline', i);
    return undefined;
  }
  if (seen.has(def.id)) problem(`pipeline stage '${def.id}' is listed twice`, 'pipeline', i);
  seen.add(def.id);
  let probability = def.closed === 'won' ? 1 : def.closed === 'lost' ? 0 : 0;
  if (def.probability !== undefined) {
    const p = Number(def.probability);
    if (typeof def.probability !== 'number' || !(p >= 0 && p <= 1)) {
      problem(`pipeline stage '${def.id}': probability must be a number from 0 to 1, got '${String(def.probability)}'`, 'pipeline', i);
    } else probability = p;
  }
  const stage: StageDef = { id: def.id, probability };
  if (def.closed !== undefined) {
    if (def.closed === 'won' || def.closed === 'lost') stage.closed = def.closed;
    else problem(`pipeline stage '${def.id}': closed must be 'won' or 'lost'`, 'pipeline', i);
  }
  return stage;
}

/** `pipeline`: a non-empty list of stages with exactly one won and one lost stage. */
function readPipeline(pipeline: unknown, config: Config, problem: ProblemSink): void {
  if (!Array.isArray(pipeline) || !pipeline.length) {
    problem('pipeline must be a non-empty list of stages', 'pipeline');
    return;
  }
  const stages: StageDef[] = [];
  const seen = new Set<string>();
  pipeline.forEach((entry, i) => {
    const stage = readStage(entry, i, seen, problem);
    if (stage) stages.push(stage);
  });
  if (!stages.some((s) => s.closed === 'won')) problem("pipeline has no stage with 'closed: won'", 'pipeline');
  if (!stages.some((s) => s.closed === 'lost')) problem("pipeline has no stage with 'closed: lost'", 'pipeline');
  if (stages.filter((s) => s.closed === 'won').length > 1) problem("pipeline has more than one 'closed: won' stage", 'pipeline');
  if (stages.filter((s) => s.closed === 'lost').length > 1) problem("pipeline has more than one 'closed: lost' stage", 'pipeline');
  if (stages.length) config.pipeline = stages;
}

/** `lifecycle` and `channels`: non-empty lists of words. */
function readWordLists(raw: FrontMatter, config: Config, problem: ProblemSink): void {
  for (const key of ['lifecycle', 'channels'] as const) {
    if (raw[key] !== undefined) {
      const list = stringList(raw[key]);
      if (list && list.length) config[key] = list;
      else problem(`${key} must be a non-empty list`, key);
    }
  }
}

/** `cadence` ({tags, stages, default}) and `stale_after`: intervals. */
function readIntervals(raw: FrontMatter, config: Config, problem: ProblemSink): void {
  if (raw.cadence !== undefined) {
    if (isObject(raw.cadence)) {
      config.cadence.tags = stringMap(raw.cadence.tags);
      config.cadence.stages = stringMap(raw.cadence.stages);
      if (raw.cadence.default != null) config.cadence.default = String(raw.cadence.default);
      for (const v of [...Object.values(config.cadence.tags), ...Object.values(config.cadence.stages), config.cadence.default ?? '30d']) {
        if (!parseDuration(v)) problem(`cadence '${v}' is not an interval like 30d, 2w, 3m`, 'cadence');
      }
    } else problem('cadence must be a mapping with tags: and stages:', 'cadence');
  }
  if (raw.stale_after !== undefined) {
    if (parseDuration(String(raw.stale_after))) config.stale_after = String(raw.stale_after);
    else problem(`stale_after '${String(raw.stale_after)}' is not an interval like 21d`, 'stale_after');
  }
}

/** `rates`: positive conversion rates per currency code. */
function readRates(rates: Record<string, unknown>, config: Config, problem: ProblemSink): void {
  for (const [cur, rate] of entries(rates)) {
    if (typeof rate === 'number' && rate > 0) config.rates[cur.toUpperCase()] = rate;
    else problem(`rates.${cur} must be a positive number`, 'rates');
  }
}

/** `git` and `fields` (custom field definitions, which core/validate.ts applies): taken as given. */
function readGitAndFields(raw: FrontMatter, config: Config): void {
  if (isObject(raw.git)) config.git.autocommit = raw.git.autocommit === true;
  if (isObject(raw.fields)) {
    for (const [name, def] of entries(raw.fields)) if (isObject(def)) config.fields[name] = def as FieldDef;
  }
}

/**
 * Builds a Config from the parsed YAML, keeping defaults for missing keys. Problems are returned,
 * not thrown, so `tb check` can list them all; `line` is filled in by the caller when it knows it.
 */
export function normalizeConfig(raw: FrontMatter): { config: Config; problems: Problem[] } {
  const config = defaultConfig();
  const problems: Problem[] = unknownKeys(raw);
  const problem: ProblemSink = (message, key, item) =>
    problems.push({ path: 'touchbase.yaml', line: 0, message, severity: 'error', key, ...(item === undefined ? {} : { item }) });
  config.raw = raw;
  readGeneral(raw, config, problem);
  if (raw.owners !== undefined) readOwners(raw.owners, config, problem);
  if (raw.pipeline !== undefined) readPipeline(raw.pipeline, config, problem);
  readWordLists(raw, config, problem);
  readIntervals(raw, config, problem);
  if (raw.segments !== undefined) {
    if (isObject(raw.segments)) readSegments(raw.segments, config, problem);
    else problem('segments must be a mapping of name to query', 'segments');
  }
  readGitAndFields(raw, config);
  if (isObject(raw.rates)) readRates(raw.rates, config, problem);
  if (raw.max_file_size !== undefined) {
    if (typeof raw.max_file_size === 'number' && raw.max_file_size > 0) config.max_file_size = raw.max_file_size;
    else problem('max_file_size must be a positive number of bytes', 'max_file_size');
  }
  // Service cases (docs/cases.md) and mail import (docs/mail.md): read here only to report
  // mistakes; core/cases.ts and core/mail-settings.ts keep the result.
  for (const p of readCaseSettings(raw).problems) problem(p.message, p.key);
  for (const p of readMailSettings(raw).problems) problem(p.message, p.key);
  return { config, problems };
}

export function stageById(config: Config, id: string): StageDef | undefined {
  return config.pipeline.find((s) => s.id === id);
}

export function isClosedStage(config: Config, id: unknown): boolean {
  return typeof id === 'string' && stageById(config, id)?.closed !== undefined;
}
