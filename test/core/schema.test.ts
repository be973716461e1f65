import { describe, expect, it } from 'vitest';
import {
  DATE_VALUED, DERIVED_FIELDS, FIELD_ORDER, FOLDER_OF, LIST_ALIASES, LIST_SINGULARS, QUERY_FIELDS, QUERY_REFERENCES, RECORD_TYPES,
  REFERENCE_ALIASES, SCHEMA, TYPE_WORDS, UNSTORABLE_FIELDS, LIST_COLUMNS, LIST_SORT, TYPES_LOADED, type FieldDeclaration, type RecordType,
} from '../../src/core/schema.js';
import * as schemaModule from '../../src/core/schema.js';
import { schemaTables } from '../../src/core/schema-tables.js';

describe('schema declarations', () => {
  it('gives every type a unique folder and unique words', () => {
    const folders = SCHEMA.map((t) => t.folder);
    expect(new Set(folders).size).toBe(folders.length);
    const words = SCHEMA.flatMap((t) => [t.type, t.folder, ...t.words]);
    expect(new Set(words).size).toBe(words.length);
  });

  it.each(SCHEMA.map((t) => [t.type, t] as const))('declares %s consistently', (_type, t) => {
    const fields = t.fields as readonly FieldDeclaration[];
    const names = fields.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of fields) {
      if (f.kind === 'ref') expect(RECORD_TYPES).toContain(f.target);
      else expect(f.target).toBeUndefined();
      if (f.kind === 'enum') expect(Boolean(f.from) !== Boolean(f.values)).toBe(true);
      if (f.many) expect(f.kind).toBe('ref');
    }
    expect(fields.filter((f) => f.required).length).toBeGreaterThan(0);
    if ('monthFoldersBy' in t) expect(names).toContain(t.monthFoldersBy);
  });
});

describe('schemaTables', () => {
  it('core/schema.ts exports every table it derives, equal to a fresh derivation', () => {
    const fresh = schemaTables(SCHEMA);
    const exported = schemaModule as unknown as Record<string, unknown>;
    for (const [name, table] of Object.entries(fresh)) {
      if (typeof table === 'function') expect(typeof exported[name], name).toBe('function');
      else expect(exported[name], name).toEqual(table);
    }
  });
});

describe('what tb list shows and loads', () => {
  it.each(SCHEMA.map((t) => [t.type, t] as const))('%s: default columns and sort name its fields; it loads itself', (type, t) => {
    const known = new Set(['id', ...FIELD_ORDER[type], ...DERIVED_FIELDS[type]]);
    expect(LIST_COLUMNS[type].filter((c) => !known.has(c))).toEqual([]);
    const sortFields = LIST_SORT[type].split(',').map((f) => f.replace(/^-/, ''));
    expect(sortFields.filter((f) => !known.has(f))).toEqual([]);
    expect(TYPES_LOADED[type]).toContain(type);
    expect(t.loads.filter((l) => !RECORD_TYPES.includes(l as RecordType))).toEqual([]);
  });

  it('a query over contacts loads what their derived fields read', () => {
    expect(TYPES_LOADED.contact).toEqual(['contact', 'company', 'deal', 'interaction', 'reminder']);
    expect(TYPES_LOADED.campaign).toEqual(['campaign']);
  });
});

describe('tables derived from the schema', () => {
  it.each([
    ['contact', ['name', 'emails', 'phones', 'company', 'title', 'tags', 'owner', 'stage', 'source', 'channel', 'cadence', 'birthday', 'location', 'links', 'do_not_contact', 'unsubscribed', 'created', 'vcard_uid']],
    ['company', ['name', 'domain', 'industry', 'size', 'tags', 'owner', 'created']],
    ['deal', ['title', 'company', 'contacts', 'stage', 'value', 'currency', 'probability', 'owner', 'expected_close', 'created', 'closed', 'lost_reason', 'tags', 'history']],
    ['interaction', ['date', 'contacts', 'channel', 'direction', 'summary', 'deal', 'case', 'owner', 'message_id', 'thread', 'uid', 'recurrence_id', 'status', 'attachments', 'created', 'campaign']],
    ['reminder', ['due', 'text', 'contact', 'deal', 'owner', 'status', 'done', 'repeat', 'repeat_from', 'created']],
    ['case', ['subject', 'contact', 'company', 'status', 'priority', 'category', 'channel', 'owner', 'opened', 'first_response', 'resolved', 'satisfaction', 'deal']],
    ['campaign', ['name', 'subject', 'segment', 'channel', 'status', 'sent', 'owner', 'from', 'created']],
  ] as const)('FIELD_ORDER of %s', (type, order) => {
    expect(FIELD_ORDER[type]).toEqual(order);
  });

  it('query fields add the query name of a reference stored under another key', () => {
    expect(QUERY_FIELDS.reminder.slice(0, 4)).toEqual(['due', 'text', 'contact', 'contacts']);
    expect(QUERY_FIELDS.deal).toEqual(FIELD_ORDER.deal);
  });

  it.each([
    ['contact', { company: 'company' }],
    ['company', {}],
    ['deal', { company: 'company', contacts: 'contact' }],
    ['interaction', { contacts: 'contact', deal: 'deal', case: 'case', campaign: 'campaign' }],
    ['reminder', { contacts: 'contact', deal: 'deal' }],
    ['case', { contact: 'contact', company: 'company', deal: 'deal' }],
    ['campaign', {}],
  ] as const)('references of %s', (type, refs) => {
    expect(QUERY_REFERENCES[type]).toEqual(refs);
  });

  it('aliases: list singulars everywhere, the reference singular only where the reference is', () => {
    expect(LIST_ALIASES).toEqual({ email: 'emails', phone: 'phones', tag: 'tags' });
    expect(REFERENCE_ALIASES.contact).toEqual({});
    expect(REFERENCE_ALIASES.company).toEqual({});
    expect(REFERENCE_ALIASES.deal).toEqual({ contact: 'contacts' });
    expect(REFERENCE_ALIASES.reminder).toEqual({ contact: 'contacts' });
  });

  it('list singulars: the aliases of list-valued fields and their names without the plural s', () => {
    expect(LIST_SINGULARS).toEqual({ email: 'emails', phone: 'phones', tag: 'tags', link: 'links', contact: 'contacts' });
  });

  it('date-valued names cover stored and derived dates', () => {
    expect([...DATE_VALUED].sort()).toEqual(
      ['birthday', 'closed', 'created', 'date', 'done', 'due', 'expected_close', 'first_contact', 'first_response', 'first_response_due', 'last_activity', 'last_contact', 'next_deadline', 'next_due', 'opened', 'resolve_due', 'resolved', 'sent'],
    );
  });

  it.each([
    ['contact', 'contact'], ['contacts', 'contact'], ['people', 'contact'], ['person', 'contact'],
    ['org', 'company'], ['companies', 'company'], ['deals', 'deal'], ['log', 'interaction'],
    ['tasks', 'reminder'], ['reminder', 'reminder'], ['cases', 'case'], ['ticket', 'case'],
  ] as const)('type word %s means %s', (word, type) => {
    expect(TYPE_WORDS[word]).toBe(type);
  });

  it('folders and derived names', () => {
    expect(FOLDER_OF).toEqual({ contact: 'contacts', company: 'companies', deal: 'deals', interaction: 'interactions', reminder: 'reminders', case: 'cases', campaign: 'campaigns' });
    expect(DERIVED_FIELDS.company).toEqual(['contacts', 'last_contact', 'open_deals', 'pipeline_value']);
    expect(DERIVED_FIELDS.reminder).toEqual([]);
  });

  it("refuses derived names as stored keys, except a deal's own probability", () => {
    expect(UNSTORABLE_FIELDS.contact.has('interactions')).toBe(true);
    expect(UNSTORABLE_FIELDS.company.has('contacts')).toBe(true);
    expect(UNSTORABLE_FIELDS.deal.has('probability')).toBe(false);
    expect(UNSTORABLE_FIELDS.deal.has('weighted')).toBe(true);
  });
});
