/** The shapes every layer shares. Record types themselves are declared in core/schema.ts. */
import type { InteractionSummary } from './derived.js';
import type { InteractionLookup } from './interaction-refs.js';
import { FOLDER_OF, RECORD_TYPES, type DatasetKey, type RecordType } from './schema.js';

export { DATASET_KEY, FOLDER_OF, RECORD_TYPES, type DatasetKey, type RecordType } from './schema.js';

/** Front matter as parsed: YAML core schema, so dates are strings. */
export type FrontMatter = Record<string, unknown>;

export interface CrmRecord {
  type: RecordType;
  /** The file stem, e.g. `ada-lovelace`. */
  id: string;
  /** Path relative to the CRM root, with forward slashes, e.g. `contacts/ada-lovelace.md`. */
  path: string;
  data: FrontMatter;
  /** The Markdown body; only present when the load asked for bodies. */
  body?: string;
}

export interface Problem {
  /** Path relative to the CRM root (or `touchbase.yaml`). */
  path: string;
  /** 1-based line, 0 when the problem is about the whole file. */
  line: number;
  message: string;
  severity: 'error' | 'warning';
  /** The top-level key the problem is about, so the line can be found when it is not known yet. */
  key?: string;
  /** 0-based index of the list entry under `key` the problem is about (e.g. a pipeline stage). */
  item?: number;
}

export interface StageDef {
  id: string;
  probability: number;
  closed?: 'won' | 'lost';
}

export interface OwnerDef {
  name?: string;
  email?: string;
}

export interface FieldDef {
  type?: 'string' | 'number' | 'date' | 'boolean' | 'list';
  min?: number;
  max?: number;
  values?: string[];
  on?: string | string[];
  required?: boolean;
}

export interface Config {
  name?: string;
  currency: string;
  /** IANA zone that times written without a zone (floating calendar times) are read in; unset: the machine's. */
  timezone?: string;
  owners: Record<string, OwnerDef>;
  pipeline: StageDef[];
  lifecycle: string[];
  channels: string[];
  cadence: { default?: string; tags: Record<string, string>; stages: Record<string, string> };
  stale_after: string;
  segments: Record<string, string>;
  /** The record type a segment was saved for (`{query, type}` entries); contacts when absent. */
  segment_types: Record<string, RecordType>;
  git: { autocommit: boolean };
  fields: Record<string, FieldDef>;
  /** Conversion rates to the config currency, e.g. { USD: 0.92 }. */
  rates: Record<string, number>;
  /** Max file size in bytes that is parsed. */
  max_file_size: number;
  /** The whole parsed file, unknown keys included. */
  raw: FrontMatter;
}

/** The records of every type, by folder name: `contacts`, `companies` … (core/schema.ts). */
export type RecordLists = Record<DatasetKey, CrmRecord[]>;

/** Everything a command may need, loaded once through the store. */
export interface Dataset extends RecordLists {
  root: string;
  config: Config;
  /**
   * Set instead of `interactions` when a command wants interactions only for derived fields
   * (LoadOptions.interactionSummary); `interactions` is then empty.
   */
  interactionSummary?: InteractionSummary;
  /** With the summary: the paths of the interactions filed under keys (core/interaction-refs.ts). */
  interactionRefs?: InteractionLookup;
  /** Files that could not be read or parsed: reported, skipped. */
  problems: Problem[];
}

/** An empty list for every record type (types not loaded stay empty). */
export function emptyRecordLists(): RecordLists {
  return Object.fromEntries(RECORD_TYPES.map((t) => [FOLDER_OF[t], []])) as unknown as RecordLists;
}

/** Every loaded record, type by type in schema order. */
export function allRecords(ds: RecordLists): CrmRecord[] {
  return RECORD_TYPES.flatMap((t) => ds[FOLDER_OF[t]] ?? []);
}

/** Context every pure computation gets instead of reading the clock or env. */
export interface Ctx {
  /** "Today" as YYYY-MM-DD (from --as-of or the clock, decided in cli.ts). */
  today: string;
  /** The resolved "me" owner id, if any. */
  me?: string;
  /**
   * "Now" for clocks finer than a day (case SLAs): the real time as ISO, or --as-of as given
   * (a date means its midnight in the SLA time zone). Undefined = midnight of `today`.
   */
  now?: string;
}
