/**
 * The tables derived from a schema (core/schema.ts derives them from SCHEMA once, at module load).
 * One function over any array of type declarations, so a test can derive the same tables for a
 * schema with a type of its own (test/e2e/new-type.test.ts).
 *
 * Pure: imports only types.
 */
import type { DatasetKey, DerivedDeclaration, FieldDeclaration, RecordType, TypeDeclaration } from './schema.js';

type PerType<V> = Readonly<Record<RecordType, V>>;

export interface SchemaTables {
  readonly RECORD_TYPES: readonly RecordType[];
  /** The declaration of a type. */
  readonly declarationOf: (type: RecordType) => TypeDeclaration;
  /** The folder of each type, which is also its key in a Dataset: `contacts`. */
  readonly FOLDER_OF: PerType<DatasetKey>;
  /** The Dataset key of each type: its folder name. */
  readonly DATASET_KEY: PerType<DatasetKey>;
  /** Stored field names in write order (the order `ordered` and CSV columns use). */
  readonly FIELD_ORDER: PerType<readonly string[]>;
  /** Names of derived fields, which are never stored. */
  readonly DERIVED_FIELDS: PerType<readonly string[]>;
  /**
   * Derived names a record must not store: all but those that are also stored fields of the type
   * (a deal's `probability` overrides its stage's).
   */
  readonly UNSTORABLE_FIELDS: PerType<ReadonlySet<string>>;
  /** Field names queries know without reading records: stored names, plus query names of references. */
  readonly QUERY_FIELDS: PerType<readonly string[]>;
  /** Reference fields by the name queries follow: `company.industry`, `contacts.tags`. */
  readonly QUERY_REFERENCES: PerType<Readonly<Record<string, RecordType>>>;
  /** Required stored fields of each type: tb check reports them missing, tb set refuses to remove them. */
  readonly REQUIRED_FIELDS: PerType<readonly string[]>;
  /** Every key a record stores a reference under (names and aliases, on any type), and the type it names. */
  readonly REFERENCE_KEYS: Readonly<Record<string, RecordType>>;
  /** Reference keys that always hold a YAML list of ids (`contacts`). */
  readonly LIST_REFERENCE_KEYS: ReadonlySet<string>;
  /** Fields that hold lists of plain values (`tags`, `emails` …). */
  readonly LIST_VALUED_FIELDS: ReadonlySet<string>;
  /**
   * Singular spellings of list-valued fields (plain lists and lists of references): their aliases
   * and the name without its plural `s` (`link` for `links`). tb set refuses them as keys, tb check
   * warns (core/field-names.ts).
   */
  readonly LIST_SINGULARS: Readonly<Record<string, string>>;
  /**
   * Where records of each type are referred to: [referring type, key] for every reference field
   * that targets it, under its stored name and the aliases read as it (`contact` for `contacts`).
   * tb merge rewrites them all (core/dedupe.ts).
   */
  readonly REFERRED_BY: PerType<ReadonlyArray<readonly [RecordType, string]>>;
  /**
   * Aliases queries accept: the singular of a list field (`tag`) works on every type; the singular
   * of a reference (`contact`) only where that reference exists (a company's `contacts` is a count).
   */
  readonly LIST_ALIASES: Readonly<Record<string, string>>;
  readonly REFERENCE_ALIASES: PerType<Readonly<Record<string, string>>>;
  /** Field names that hold dates on some type (stored or derived): numbers never compare with them. */
  readonly DATE_VALUED: ReadonlySet<string>;
  /** Names of the fields a bare query word searches on any type (`searched`), besides emails and the body. */
  readonly SEARCHED_FIELDS: readonly string[];
  /** Types whose records generic commands find by name too (`byName`), in schema order. */
  readonly NAMED_TYPES: readonly RecordType[];
  /** The words the CLI accepts for each type: its name, its folder and its `words`. */
  readonly TYPE_WORDS: Readonly<Record<string, RecordType>>;
  /** `tb list <type>`: the columns shown by default. */
  readonly LIST_COLUMNS: PerType<readonly string[]>;
  /** `tb list <type>`: the default `--sort`. */
  readonly LIST_SORT: PerType<string>;
  /** The types a query over a type loads, itself included (`tb list`, `tb export`). */
  readonly TYPES_LOADED: PerType<readonly RecordType[]>;
}

/** Every table of SchemaTables, derived from `schema` (an array like SCHEMA). */
export function schemaTables(schema: readonly TypeDeclaration[]): SchemaTables {
  const perType = <V>(value: (t: TypeDeclaration) => V): PerType<V> =>
    Object.fromEntries(schema.map((t) => [t.type, value(t)])) as Record<RecordType, V>;
  const declarations = new Map<string, TypeDeclaration>(schema.map((t) => [t.type, t]));
  const allFields = schema.flatMap((t) => t.fields);
  const folderOf = perType((t) => t.folder as DatasetKey);
  return {
    RECORD_TYPES: schema.map((t) => t.type as RecordType),
    declarationOf: (type) => declarations.get(type)!,
    FOLDER_OF: folderOf,
    DATASET_KEY: folderOf,
    FIELD_ORDER: perType((t) => t.fields.map((f) => f.name)),
    DERIVED_FIELDS: perType((t) => t.derived.map((d) => d.name)),
    UNSTORABLE_FIELDS: perType((t) => new Set(t.derived.map((d) => d.name).filter((name) => !t.fields.some((f) => f.name === name)))),
    QUERY_FIELDS: perType((t) => t.fields.flatMap((f) => (f.queryName && f.queryName !== f.name ? [f.name, f.queryName] : [f.name]))),
    QUERY_REFERENCES: perType((t) => Object.fromEntries(references(t.fields).map((f) => [f.queryName ?? f.name, f.target as RecordType]))),
    REQUIRED_FIELDS: perType((t) => t.fields.filter((f) => f.required).map((f) => f.name)),
    REFERENCE_KEYS: Object.fromEntries(references(allFields).flatMap((f) => keysOf(f).map((key) => [key, f.target as RecordType]))),
    LIST_REFERENCE_KEYS: new Set(references(allFields).filter((f) => f.many === 'list').map((f) => f.name)),
    LIST_VALUED_FIELDS: new Set(allFields.filter((f) => f.kind === 'list').map((f) => f.name)),
    LIST_SINGULARS: listSingulars(allFields),
    REFERRED_BY: perType((target) =>
      schema.flatMap((t) => references(t.fields).filter((f) => f.target === target.type).flatMap((f) => keysOf(f).map((key) => [t.type as RecordType, key] as const))),
    ),
    LIST_ALIASES: Object.fromEntries(allFields.filter((f) => f.kind !== 'ref').flatMap((f) => (f.aliases ?? []).map((alias) => [alias, f.name]))),
    REFERENCE_ALIASES: perType((t) => Object.fromEntries(references(t.fields).flatMap(queryAliases))),
    DATE_VALUED: dateValued(schema),
    SEARCHED_FIELDS: [...new Set(allFields.filter((f) => f.searched).map((f) => f.name))],
    NAMED_TYPES: schema.filter((t) => t.byName).map((t) => t.type as RecordType),
    TYPE_WORDS: Object.fromEntries(schema.flatMap((t) => [t.type, t.folder, ...t.words].map((word) => [word, t.type as RecordType]))),
    LIST_COLUMNS: perType((t) => t.list.columns),
    LIST_SORT: perType((t) => t.list.sort),
    TYPES_LOADED: perType((t) => t.loads as readonly RecordType[]),
  };
}

function references(fields: readonly FieldDeclaration[]): readonly FieldDeclaration[] {
  return fields.filter((f) => f.kind === 'ref');
}

/** The keys a field is stored or read under: its name and its aliases. */
function keysOf(f: FieldDeclaration): string[] {
  return [f.name, ...(f.aliases ?? [])];
}

/** The spellings queries accept for a reference besides its query name: aliases, and the stored key. */
function queryAliases(f: FieldDeclaration): Array<[string, string]> {
  const queryName = f.queryName ?? f.name;
  const spellings = [...(f.aliases ?? []), ...(queryName !== f.name ? [f.name] : [])];
  return spellings.map((alias) => [alias, queryName]);
}

function listSingulars(fields: readonly FieldDeclaration[]): Record<string, string> {
  const lists = fields.filter((f) => f.kind === 'list' || (f.kind === 'ref' && f.many === 'list'));
  return Object.fromEntries(lists.flatMap((f) => [...(f.aliases ?? []), ...(f.name.endsWith('s') ? [f.name.slice(0, -1)] : [])].map((singular) => [singular, f.name])));
}

function dateValued(schema: readonly TypeDeclaration[]): ReadonlySet<string> {
  const stored = schema.flatMap((t) => t.fields.filter((f) => f.kind === 'date' || f.kind === 'datetime' || f.kind === 'instant').map((f) => f.name));
  const derived = schema.flatMap((t) => t.derived.filter((d: DerivedDeclaration) => d.kind === 'date').map((d) => d.name));
  return new Set([...stored, ...derived]);
}
