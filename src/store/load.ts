/**
 * The one load path: every command gets its records through loadDataset (or readRecordAt for a
 * single file). Files that cannot be read become Problems; they never stop a read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, DEFAULT_MAX_FILE_SIZE, normalizeConfig } from '../core/config.js';
import { DATASET_KEY, emptyRecordLists, FOLDER_OF, RECORD_TYPES } from '../core/types.js';
import { isValidSlug } from '../core/slug.js';
import type { Config, CrmRecord, Dataset, Problem, RecordType } from '../core/types.js';
import { DataError } from '../errors.js';
import { decodeText, keyLine, parseRecordText, parseYaml, refuseConflict } from './frontmatter.js';
import { gitStateFor, type GitState } from './git-status.js';
import { hasNoIndex, INDEX_DIR } from './index-dir.js';
import { isLinkAtRoot, treeProblems } from './safety.js';
import { createSession, loadAggregatesCached, loadRecordsCached, prereadIndex, type Aggregate, type CacheSession, type IndexWant } from './index-cache.js';
import { projectData, startReaderThread } from './bulk-read.js';
import { campaignSettings, touchFilter } from '../core/campaign-settings.js';
import { loadRecordsDirect, parseRecordFile } from './record-files.js';
import { deletedMeanwhile } from './lock.js';
import { InteractionRefs, REFS_AGGREGATE } from './index-refs.js';
import { REF_INPUTS } from '../core/interaction-refs.js';

export { idFromPath, listRecordFiles, loadRecordsDirect, parseRecordFile, readEntries, type FileEntry } from './record-files.js';
import { extendSummary, SUMMARY_INPUTS, summarizeInteractions, summaryAnswers, type InteractionSummary } from '../core/derived.js';

export interface LoadOptions {
  /** Record types to load; default all. Others stay empty arrays. */
  types?: readonly RecordType[];
  /**
   * Read Markdown bodies too (full-text queries, show): all types, or just these. Bodies are never
   * cached, so those types are read from the files.
   */
  bodies?: boolean | readonly RecordType[];
  /** Use the derived index in .touchbase/ (default true). */
  cache?: boolean;
  /**
   * Interactions are wanted only for derived fields (last_contact, stale …): set
   * `dataset.interactionSummary` for days up to and after this date instead of the records. At
   * scale this is the difference between reading 100k records and one small file.
   */
  interactionSummary?: string;
  /**
   * The clock of the index's racy window: a file changed within a second of it is read again
   * rather than trusted. Default the real clock; the App passes its own (sys.now).
   */
  now?: () => number;
}

export interface ConfigLoad {
  config: Config;
  problems: Problem[];
  text: string;
}

/** max_file_size per CRM directory, as its settings were last read (writes check against it). */
const fileSizeLimits = new Map<string, number>();

/** Forgets settings read by an earlier command of this process (in-process runs, see store/session.ts). */
export function forgetSettings(): void {
  fileSizeLimits.clear();
}

/**
 * The size limit of record files of `root`: as the settings this process read say, else read now
 * (the default when they cannot be read: their own problem is reported where they are loaded).
 */
export function maxFileSize(root: string): number {
  const known = fileSizeLimits.get(path.resolve(root));
  if (known !== undefined) return known;
  try {
    return loadConfig(root).config.max_file_size;
  } catch {
    return DEFAULT_MAX_FILE_SIZE;
  }
}

export function loadConfig(root: string): ConfigLoad {
  const file = path.join(root, CONFIG_FILE);
  let text: string;
  try {
    text = decodeText(fs.readFileSync(file), CONFIG_FILE);
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`cannot read ${CONFIG_FILE}: ${(err as Error).message}`, { path: CONFIG_FILE });
  }
  refuseConflict(text, CONFIG_FILE);
  const raw = parseYaml(text, CONFIG_FILE, 1);
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new DataError(`${CONFIG_FILE} must be a mapping of settings`, { path: CONFIG_FILE, line: 1 });
  }
  const { config, problems } = normalizeConfig((raw ?? {}) as Record<string, unknown>);
  // keyLine counts from a front matter fence on line 1; touchbase.yaml has none, hence the - 1.
  for (const p of problems) {
    if (p.key && !p.line) p.line = (p.item !== undefined ? itemLine(text, p.key, p.item) : undefined) ?? (keyLine(text, p.key) - 1 || 1);
  }
  fileSizeLimits.set(path.resolve(root), config.max_file_size);
  return { config, problems, text };
}

/**
 * The 1-based line of entry `item` of the block list under top-level `key` (`  - { id: won … }`),
 * or undefined when the list is not written one entry per `- ` line.
 */
export function itemLine(text: string, key: string, item: number): number | undefined {
  const lines = text.split(/\r?\n/);
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = lines.findIndex((l) => new RegExp(`^["']?${escaped}["']?\\s*:\\s*(#.*)?$`).test(l));
  if (start < 0) return undefined;
  let dashIndent: number | undefined;
  let seen = -1;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*(#.*)?$/.test(l)) continue;
    const m = /^(\s*)-(\s|$)/.exec(l);
    const indent = /^\s*/.exec(l)![0].length;
    if (indent === 0 && !m) return undefined;
    if (m && (dashIndent === undefined || m[1].length === dashIndent)) {
      dashIndent = m[1].length;
      if (++seen === item) return i + 1;
    } else if (dashIndent !== undefined && indent < dashIndent) return undefined;
  }
  return undefined;
}

export function loadDataset(root: string, opts: LoadOptions = {}): Dataset {
  return buildDataset(root, opts, loadConfig(root));
}

/**
 * loadDataset, with git's look at the work tree (the largest cost of a warm load at scale) running
 * while this process does other work: reading the settings here, and loading the CLI itself when
 * the launcher started it (startGitState).
 */
export async function loadDatasetAsync(root: string, opts: LoadOptions = {}): Promise<Dataset> {
  const cached = cachedTypes(opts, root);
  const folders = cached.map((t) => FOLDER_OF[t]);
  // Without an index every file is read: ask git for its listing now, and start the second reader.
  const first = folders.length > 0 && hasNoIndex(root);
  if (first) startReaderThread();
  // The settings first: if they cannot be read, no git run is left for the exit to wait on.
  const configLoad = loadConfig(root);
  const git = folders.length ? gitStateFor(root, folders, first, opts.now) : undefined;
  const session = cached.length ? createSession(root, cached, opts.now) : undefined;
  // While git looks at the files, read the index files this load will use.
  if (session && !first) prereadIndex(session, cached.map((type) => indexWanted(type, opts)));
  return buildDataset(root, opts, configLoad, await git, session);
}

/** Which index of a type a load reads, and which of its files it will surely need. */
function indexWanted(type: RecordType, opts: LoadOptions): IndexWant {
  if (type === 'interaction' && opts.interactionSummary !== undefined) return { type, variant: SUMMARY_VARIANT, data: false, aggregate: SUMMARY_NAME };
  return { type, variant: 'full', data: true };
}

function withBodies(opts: LoadOptions, type: RecordType): boolean {
  return opts.bodies === true || (Array.isArray(opts.bodies) && opts.bodies.includes(type));
}

/** The types read through the index: all but those wanted with bodies (never cached). */
function cachedTypes(opts: LoadOptions, root: string): RecordType[] {
  // An index reached through a link could say anything (it may be committed by someone else).
  return opts.cache === false || isLinkAtRoot(root, INDEX_DIR) ? [] : (opts.types ?? RECORD_TYPES).filter((t) => !withBodies(opts, t));
}

function buildDataset(root: string, opts: LoadOptions, { config, problems }: ConfigLoad, git?: GitState | null, made?: CacheSession): Dataset {
  const dataset: Dataset = { ...emptyRecordLists(), root, config, problems: [...problems, ...treeProblems(root)] };
  const types = opts.types ?? RECORD_TYPES;
  const cached = cachedTypes(opts, root);
  const session = made ?? (cached.length ? createSession(root, cached, opts.now) : undefined);
  if (session && git !== undefined) session.git = git;
  for (const type of types) {
    const asOf = type === 'interaction' ? opts.interactionSummary : undefined;
    if (asOf !== undefined) {
      const { summary, refs } = loadInteractionSummary(root, config, dataset.problems, asOf, cached.includes(type) ? session : undefined);
      dataset.interactionSummary = summary;
      dataset.interactionRefs = refs;
    } else if (session && cached.includes(type)) {
      dataset[DATASET_KEY[type]] = loadRecordsCached(root, type, config, dataset.problems, { session });
    } else {
      dataset[DATASET_KEY[type]] = loadRecordsDirect(root, type, config, withBodies(opts, type), dataset.problems);
    }
  }
  return dataset;
}

/** The interaction index that keeps only SUMMARY_INPUTS, and its summary file. */
const SUMMARY_VARIANT = 'slim';
const SUMMARY_NAME = 'summary';

/** What the slim interaction index keeps: the summary's inputs and what files an interaction by contact, deal and case. */
const SLIM_KEYS: readonly string[] = [...new Set([...SUMMARY_INPUTS, ...REF_INPUTS])];

/**
 * Interactions reduced to what derived fields need: their summary, cached while none changes; and
 * the index of interactions by contact, deal, case and id (`show` reads a timeline from it), kept
 * with it so that every command that refreshes the one refreshes the other.
 */
function loadInteractionSummary(root: string, config: Config, problems: Problem[], asOf: string, session: CacheSession | undefined): { summary: InteractionSummary; refs: InteractionRefs } {
  const keys = SLIM_KEYS;
  // Campaign mail counts as a touch only with campaigns.counts_as_touch (docs/campaigns.md); each
  // setting has its own cached summary.
  const counts = touchFilter(config);
  const touches = (records: readonly CrmRecord[]) => (counts ? records.filter(counts) : records);
  const build = (records: CrmRecord[]) => summarizeInteractions(touches(records), asOf);
  if (!session) {
    const records = loadRecordsDirect(root, 'interaction', config, false, problems).map((r) => ({ ...r, data: projectData(r.data, keys) }));
    return { summary: build(records), refs: InteractionRefs.built(records) };
  }
  const extend = (s: InteractionSummary, added: readonly CrmRecord[]) => extendSummary(s, touches(added));
  const aggregate: Aggregate<InteractionSummary> = { name: campaignSettings(config).countsAsTouch ? `${SUMMARY_NAME}-all` : SUMMARY_NAME, build, answers: (v: unknown): v is InteractionSummary => summaryAnswers(v, asOf), extend };
  const [summary, refs] = loadAggregatesCached(root, 'interaction', config, problems, [aggregate, REFS_AGGREGATE] as Array<Aggregate<unknown>>, { projection: { name: SUMMARY_VARIANT, keys }, session });
  return { summary: summary as InteractionSummary, refs: refs as InteractionRefs };
}

/**
 * The interaction files at `paths` (named by the index of interactions by contact), read now. One
 * removed or broken since the index was checked (another process, a moment ago) is left out.
 */
export function readInteractionsAt(root: string, paths: readonly string[], config: Config): CrmRecord[] {
  const out: CrmRecord[] = [];
  for (const rel of paths) {
    try {
      out.push(parseRecordFile(path.join(root, rel), rel, 'interaction', config.max_file_size, false));
    } catch {
      continue;
    }
  }
  return out;
}

/** Reads the whole text of a record file (for edits and show). */
export function readRecordText(root: string, rel: string): string {
  try {
    return decodeText(fs.readFileSync(path.join(root, rel)), rel);
  } catch (err) {
    throw isMissing(err) ? deletedMeanwhile(rel) : err;
  }
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}


/** Loads the body of a record that was loaded without one. */
export function withBody(root: string, record: CrmRecord): CrmRecord {
  if (record.body !== undefined) return record;
  const parsed = parseRecordText(readRecordText(root, record.path), record.path);
  return { ...record, body: parsed.body };
}

/** Whether `<folder>/<id>.md` exists for an id that is a valid slug: a cheap exact-id check. */
export function recordFileExists(root: string, type: RecordType, id: string): boolean {
  // Never through a linked record folder: it is not read at all (safety.ts).
  return isValidSlug(id) && !isLinkAtRoot(root, FOLDER_OF[type]) && fs.existsSync(path.join(root, FOLDER_OF[type], `${id}.md`));
}

/**
 * Reads the named records by exact id, or undefined when any is missing: the fast path of write
 * commands that must not scan a folder. A file that cannot be parsed throws its DataError.
 */
export function readRecordsById(root: string, type: RecordType, ids: string[], maxSize: number): CrmRecord[] | undefined {
  const out: CrmRecord[] = [];
  for (const id of new Set(ids)) {
    if (!recordFileExists(root, type, id)) return undefined;
    const rel = `${FOLDER_OF[type]}/${id}.md`;
    try {
      out.push(parseRecordFile(path.join(root, rel), rel, type, maxSize, false));
    } catch (err) {
      // Removed between the check and the read (tb rm racing): as if it had never been there.
      if (isMissing(err)) return undefined;
      throw err;
    }
  }
  return out;
}
