/**
 * The one declaration of every record type: its folder, how its ids and paths are made, the words
 * the CLI accepts for it, its stored fields (in the order new files write them) with their kinds,
 * the names of its derived fields, what `tb list` shows of it and which types a query over it
 * loads. Field order, query fields and references, validation tables, folders, type words, list
 * defaults and export columns are all derived from SCHEMA below, once, at module load. Adding a type is one entry here plus its own logic: see docs/architecture.md
 * ("The schema").
 *
 * Pure data and the tables derived from it (core/schema-tables.ts): every layer may use it.
 */
import { schemaTables } from './schema-tables.js';

/**
 * What a stored field holds:
 * - text: free text (a number or boolean is accepted as written).
 * - list: a YAML list of text; `loose` lists accept one bare value (with a warning in tb check).
 * - date: YYYY-MM-DD (`yearless` also takes `--MM-DD`, as vCard birthdays do).
 * - datetime: YYYY-MM-DD, optionally with a time (YYYY-MM-DDTHH:MM).
 * - number: a number, optionally within `min`..`max`.
 * - currency: a 3-letter currency code.
 * - interval: a duration such as 30d, 2w, 3m or 1y.
 * - ref: the id (or `[[link]]`) of a record of type `target`; `many` for several.
 * - enum: one of the values of a config list (`from`) or of a fixed list (`values`).
 * - entries: a list of mappings (a deal's stage `history`).
 * - boolean: true or false; `yes/no`, `y/n`, `1/0`, `on/off` (any case) are read as such and
 *   written as true/false by set, add and import (core/booleans.ts); anything else is an error.
 * - instant: a date-time that names one moment: YYYY-MM-DDTHH:MM with an offset (`+01:00`, `Z`),
 *   or without one (read in the SLA time zone); a case's `opened` (docs/cases.md).
 */
export type FieldKind = 'text' | 'list' | 'date' | 'datetime' | 'number' | 'currency' | 'interval' | 'ref' | 'enum' | 'entries' | 'instant' | 'boolean';

/** The touchbase.yaml lists an enum field may take its values from. */
export type EnumSource = 'pipeline' | 'lifecycle' | 'channels' | 'owners' | 'case_statuses' | 'case_categories' | 'case_priorities';

export interface FieldDeclaration {
  readonly name: string;
  readonly kind: FieldKind;
  /** tb check reports it missing. */
  readonly required?: boolean;
  /** Other keys read as this field (never written): `tag` for `tags`, `contact` for `contacts`. */
  readonly aliases?: readonly string[];
  /** list: one bare value is readable (tb check warns that it should be a list). */
  readonly loose?: boolean;
  /** ref: the record type the ids name. */
  readonly target?: string;
  /** ref: several ids; `list` must be a YAML list, `one-or-list` may also be one id. */
  readonly many?: 'list' | 'one-or-list';
  /** ref: the name queries use when it differs (a reminder's `contact` is queried as `contacts`). */
  readonly queryName?: string;
  /** enum: the touchbase.yaml list the values come from. */
  readonly from?: EnumSource;
  /** enum: fixed values. */
  readonly values?: readonly string[];
  /** date: also `--MM-DD` (a birthday without a year). */
  readonly yearless?: boolean;
  /** text: a bare word of a query (`tb list contacts ada`) searches it (core/query/compile.ts). */
  readonly searched?: boolean;
  /** number: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
}

export interface TypeDeclaration {
  /** The singular name: `contact`. */
  readonly type: string;
  /** The folder under the CRM root, also the Dataset key: `contacts`. */
  readonly folder: string;
  /** More words the CLI accepts for the type (the type and folder names always work). */
  readonly words: readonly string[];
  /** How a new record's file stem is made (documentation; the code is in core/records.ts). */
  readonly id: string;
  /**
   * Generic commands (`tb show`, `set`, `edit`, `rm`, `history`) find records of this type by name
   * too (exact, then a unique prefix); the others only by id and id prefix (core/resolve.ts).
   */
  readonly byName?: boolean;
  /** Set when files are filed in `YYYY/MM/` subfolders by this date field. */
  readonly monthFoldersBy?: string;
  /** Stored fields, in the order new files write them. */
  readonly fields: readonly FieldDeclaration[];
  /** Fields computed from other records (core/derived.ts); never stored, refused as stored keys. */
  readonly derived: readonly DerivedDeclaration[];
  /** `tb list <type>`: the columns shown by default (any stored or derived field) and the default `--sort`. */
  readonly list: { readonly columns: readonly string[]; readonly sort: string };
  /**
   * The types a query over this type loads, itself included: those its derived fields and dotted
   * references read (`tb list`, `tb export`).
   */
  readonly loads: readonly string[];
}

export interface DerivedDeclaration {
  readonly name: string;
  /** `date` also covers date-times with an offset (a case's deadlines). */
  readonly kind: 'date' | 'number' | 'boolean' | 'list';
}

const OWNER = { name: 'owner', kind: 'enum', from: 'owners' } as const;
const TAGS = { name: 'tags', kind: 'list', loose: true, aliases: ['tag'] } as const;
const CREATED = { name: 'created', kind: 'date' } as const;

/** Every record type. The order is the order of loads, exports and `tb check`. */
export const SCHEMA = [
  {
    type: 'contact',
    byName: true,
    folder: 'contacts',
    words: ['person', 'people'],
    id: 'slug of the name: ada-lovelace (a number is added when taken)',
    fields: [
      { name: 'name', kind: 'text', required: true, searched: true },
      { name: 'emails', kind: 'list', loose: true, aliases: ['email'] },
      { name: 'phones', kind: 'list', loose: true, aliases: ['phone'] },
      { name: 'company', kind: 'ref', target: 'company' },
      { name: 'title', kind: 'text', searched: true },
      TAGS,
      OWNER,
      { name: 'stage', kind: 'enum', from: 'lifecycle' },
      { name: 'source', kind: 'text' },
      { name: 'channel', kind: 'text' },
      { name: 'cadence', kind: 'interval' },
      { name: 'birthday', kind: 'date', yearless: true },
      { name: 'location', kind: 'text' },
      { name: 'links', kind: 'list' },
      { name: 'do_not_contact', kind: 'boolean' },
      { name: 'unsubscribed', kind: 'boolean' },
      CREATED,
      // The UID of the contact's card in an address book kept in step by tb vdir sync (docs/vdir.md).
      { name: 'vcard_uid', kind: 'text' },
    ],
    derived: [
      { name: 'last_contact', kind: 'date' },
      { name: 'first_contact', kind: 'date' },
      { name: 'interactions', kind: 'number' },
      { name: 'open_deals', kind: 'number' },
      { name: 'pipeline_value', kind: 'number' },
      { name: 'next_due', kind: 'date' },
      { name: 'overdue', kind: 'boolean' },
    ],
    list: { columns: ['id', 'name', 'company', 'stage', 'tags', 'last_contact'], sort: 'name' },
    loads: ['contact', 'company', 'deal', 'interaction', 'reminder'],
  },
  {
    type: 'company',
    byName: true,
    folder: 'companies',
    words: ['org', 'orgs'],
    id: 'slug of the name: acme-gmbh',
    fields: [
      { name: 'name', kind: 'text', required: true, searched: true },
      { name: 'domain', kind: 'text' },
      { name: 'industry', kind: 'text' },
      { name: 'size', kind: 'text' },
      TAGS,
      OWNER,
      CREATED,
    ],
    derived: [
      { name: 'contacts', kind: 'number' },
      { name: 'last_contact', kind: 'date' },
      { name: 'open_deals', kind: 'number' },
      { name: 'pipeline_value', kind: 'number' },
    ],
    list: { columns: ['id', 'name', 'industry', 'contacts', 'open_deals', 'last_contact'], sort: 'name' },
    loads: ['contact', 'company', 'deal', 'interaction'],
  },
  {
    type: 'deal',
    byName: true,
    folder: 'deals',
    words: [],
    id: 'slug of the title: acme-website-relaunch',
    fields: [
      { name: 'title', kind: 'text', required: true, searched: true },
      { name: 'company', kind: 'ref', target: 'company' },
      { name: 'contacts', kind: 'ref', target: 'contact', many: 'list', aliases: ['contact'] },
      { name: 'stage', kind: 'enum', from: 'pipeline' },
      { name: 'value', kind: 'number' },
      { name: 'currency', kind: 'currency' },
      { name: 'probability', kind: 'number', min: 0, max: 1 },
      OWNER,
      { name: 'expected_close', kind: 'date' },
      CREATED,
      { name: 'closed', kind: 'date' },
      { name: 'lost_reason', kind: 'text' },
      TAGS,
      { name: 'history', kind: 'entries' },
    ],
    derived: [
      { name: 'age', kind: 'number' },
      { name: 'days_in_stage', kind: 'number' },
      { name: 'weighted', kind: 'number' },
      { name: 'last_activity', kind: 'date' },
      { name: 'stale', kind: 'boolean' },
      // A deal may store `probability` to override its stage's; the derived value is the one used.
      { name: 'probability', kind: 'number' },
      { name: 'open', kind: 'boolean' },
    ],
    list: { columns: ['id', 'title', 'stage', 'value', 'currency', 'expected_close', 'owner'], sort: 'expected_close' },
    loads: ['contact', 'company', 'deal', 'interaction', 'reminder'],
  },
  {
    type: 'interaction',
    folder: 'interactions',
    words: ['log'],
    id: '<date>-<first contact>-<channel>-<random>: 2026-11-20-ada-lovelace-call-k3f9',
    monthFoldersBy: 'date',
    fields: [
      { name: 'date', kind: 'datetime', required: true },
      { name: 'contacts', kind: 'ref', target: 'contact', many: 'list', aliases: ['contact'], required: true },
      { name: 'channel', kind: 'enum', from: 'channels' },
      { name: 'direction', kind: 'enum', values: ['in', 'out'] },
      { name: 'summary', kind: 'text', searched: true },
      { name: 'deal', kind: 'ref', target: 'deal' },
      // The service case a reply, note or logged touchpoint belongs to (docs/cases.md).
      { name: 'case', kind: 'ref', target: 'case' },
      OWNER,
      // Mail and calendar capture (tb import eml|mbox|maildir|ics, docs/mail.md): the ids that keep
      // re-imports idempotent and group threads, and the attachments listed by name and size.
      { name: 'message_id', kind: 'text' },
      { name: 'thread', kind: 'text' },
      { name: 'uid', kind: 'text' },
      { name: 'recurrence_id', kind: 'text' },
      // A meeting whose event was cancelled (or deleted from its calendar folder) after it was logged,
      // or moved to a day still to come (postponed: it has not happened; the mark goes when it does).
      { name: 'status', kind: 'enum', values: ['cancelled', 'postponed'] },
      { name: 'attachments', kind: 'entries' },
      CREATED,
      // Written by `tb campaign send` (docs/campaigns.md), with the sent message's message_id.
      { name: 'campaign', kind: 'ref', target: 'campaign' },
    ],
    derived: [],
    list: { columns: ['date', 'contacts', 'channel', 'direction', 'summary'], sort: '-date' },
    loads: ['contact', 'company', 'deal', 'interaction'],
  },
  {
    type: 'reminder',
    folder: 'reminders',
    words: ['task', 'tasks'],
    id: '<due>-<contact or deal>-<first words of the text>: 2026-11-27-ada-lovelace-send-proposal',
    fields: [
      { name: 'due', kind: 'date', required: true },
      { name: 'text', kind: 'text', required: true, searched: true },
      { name: 'contact', kind: 'ref', target: 'contact', many: 'one-or-list', queryName: 'contacts' },
      { name: 'deal', kind: 'ref', target: 'deal' },
      OWNER,
      { name: 'status', kind: 'enum', values: ['open', 'done', 'cancelled'] },
      { name: 'done', kind: 'date' },
      { name: 'repeat', kind: 'interval' },
      // Not validated (yet): `due` (the default) or `done`.
      { name: 'repeat_from', kind: 'text' },
      CREATED,
    ],
    derived: [],
    list: { columns: ['due', 'text', 'contact', 'deal', 'status', 'id'], sort: 'due' },
    loads: ['contact', 'company', 'deal', 'reminder'],
  },
  {
    // Service cases: docs/cases.md. Logic in core/cases.ts (ids, transitions, report) and
    // core/sla.ts (deadlines); statuses, categories and priorities come from touchbase.yaml.
    type: 'case',
    folder: 'cases',
    words: ['ticket', 'tickets'],
    id: '<opened date>-<contact>-<first words of the subject>-<random>: 2026-11-20-ada-lovelace-the-invoice-is-wrong-k3x9',
    fields: [
      { name: 'subject', kind: 'text', required: true },
      { name: 'contact', kind: 'ref', target: 'contact', required: true },
      { name: 'company', kind: 'ref', target: 'company' },
      { name: 'status', kind: 'enum', from: 'case_statuses' },
      { name: 'priority', kind: 'enum', from: 'case_priorities' },
      { name: 'category', kind: 'enum', from: 'case_categories' },
      { name: 'channel', kind: 'enum', from: 'channels' },
      OWNER,
      { name: 'opened', kind: 'instant', required: true },
      { name: 'first_response', kind: 'instant' },
      { name: 'resolved', kind: 'instant' },
      { name: 'satisfaction', kind: 'number', min: 1, max: 5 },
      { name: 'deal', kind: 'ref', target: 'deal' },
    ],
    derived: [
      { name: 'age', kind: 'number' },
      { name: 'first_response_due', kind: 'date' },
      { name: 'resolve_due', kind: 'date' },
      { name: 'breached', kind: 'boolean' },
      { name: 'breached_sla', kind: 'list' },
      { name: 'time_to_first_response', kind: 'number' },
      { name: 'time_to_resolve', kind: 'number' },
      { name: 'next_deadline', kind: 'date' },
    ],
    list: { columns: ['id', 'subject', 'contact', 'status', 'priority', 'opened', 'resolve_due', 'breached'], sort: 'resolve_due,opened' },
    loads: ['contact', 'company', 'deal', 'case'],
  },
  {
    // One message to a segment (docs/campaigns.md); the Markdown body is the message template.
    type: 'campaign',
    byName: true,
    folder: 'campaigns',
    words: [],
    id: 'slug of the name: winter-update',
    fields: [
      { name: 'name', kind: 'text', required: true, searched: true },
      { name: 'subject', kind: 'text' },
      { name: 'segment', kind: 'text' },
      { name: 'channel', kind: 'enum', from: 'channels' },
      // `sending` while a send runs, and after one that failed midway (a re-run continues).
      { name: 'status', kind: 'enum', values: ['draft', 'sending', 'sent'] },
      { name: 'sent', kind: 'date' },
      OWNER,
      { name: 'from', kind: 'text' },
      CREATED,
    ],
    derived: [],
    list: { columns: ['id', 'name', 'status', 'sent', 'segment'], sort: 'id' },
    loads: ['campaign'],
  },
] as const satisfies readonly TypeDeclaration[];

export type RecordType = (typeof SCHEMA)[number]['type'];
/** The folder of a type, which is also its key in a Dataset: `contacts`. */
export type DatasetKey = (typeof SCHEMA)[number]['folder'];

// Every table derived from SCHEMA, documented in core/schema-tables.ts. A new table belongs in
// schemaTables, not here: test/e2e/new-type.test.ts derives them all again for a longer schema.
export const {
  RECORD_TYPES, declarationOf, FOLDER_OF, DATASET_KEY, FIELD_ORDER, DERIVED_FIELDS, UNSTORABLE_FIELDS, QUERY_FIELDS,
  QUERY_REFERENCES, REQUIRED_FIELDS, REFERENCE_KEYS, LIST_REFERENCE_KEYS, LIST_VALUED_FIELDS, LIST_SINGULARS, REFERRED_BY,
  LIST_ALIASES, REFERENCE_ALIASES, DATE_VALUED, SEARCHED_FIELDS, NAMED_TYPES, TYPE_WORDS, LIST_COLUMNS, LIST_SORT, TYPES_LOADED,
} = schemaTables(SCHEMA);
