import { describe, expect, it } from 'vitest';
import { QueryError } from '../../../src/errors.js';
import { defaultConfig } from '../../../src/core/config.js';
import { buildDerived } from '../../../src/core/derived.js';
import { FOLDER_OF, type Config, type Ctx, type CrmRecord, type Dataset, type FrontMatter, type RecordType } from '../../../src/core/types.js';
import { compileQuery, fieldValue, knownFields, queryNeedsBodies, type QueryEnv } from '../../../src/core/query/index.js';

const TODAY = '2026-11-23';

function rec(type: RecordType, id: string, data: FrontMatter, body?: string): CrmRecord {
  return { type, id, path: `${FOLDER_OF[type]}/${id}.md`, data, body };
}

function makeConfig(): Config {
  const config = defaultConfig();
  config.fields = { nps: { type: 'number', on: 'contacts' } };
  config.segments = {
    'at-risk': 'stage:lead,prospect (last_contact<-90d OR no:last_contact)',
    vip: 'tag:vip',
    'vip-text': '@vip babbage',
    'loop-a': 'tag:x @loop-b',
    'loop-b': '@loop-a',
    broken: 'stage:(',
    typo: 'stag:x',
  };
  return config;
}

function makeDataset(): Dataset {
  return {
    root: '/crm',
    config: makeConfig(),
    contacts: [
      rec(
        'contact',
        'ada-lovelace',
        { name: 'Ada Lovelace', emails: ['ada@example.com'], company: '[[acme]]', tags: ['vip', 'Partner'], owner: 'sam', stage: 'customer', created: '2026-01-15', nps: 9 },
        'Met at the Babbage conference.',
      ),
      rec('contact', 'grace-hopper', { name: 'Grace Hopper', email: 'grace@navy.mil', company: 'globex', tags: [], owner: 'alex', stage: 'lead', created: '2026-10-01', linkedin: 'gh' }),
      rec('contact', 'alan-turing', { name: 'Alan Turing', title: 'Mathématicien', owner: '', stage: 'prospect', tags: ['enigma'], created: '2026-11-01' }),
    ],
    companies: [
      rec('company', 'acme', { name: 'Acme Corp', industry: 'Fintech', size: 50 }),
      rec('company', 'globex', { name: 'Globex', industry: 'manufacturing' }),
    ],
    deals: [
      rec('deal', 'acme-renewal', { title: 'Acme renewal', company: 'acme', contacts: ['ada-lovelace'], stage: 'proposal', value: 20000, expected_close: '2026-12-15', created: '2026-10-01', owner: 'sam' }),
      rec('deal', 'globex-pilot', {
        title: 'Globex pilot', company: 'globex', contacts: ['grace-hopper'], stage: 'won', value: 5000, closed: '2026-11-01', created: '2026-06-01',
        history: [{ date: '2026-06-01', stage: 'lead' }, { date: '2026-11-01', stage: 'won' }],
      }),
      rec('deal', 'old-lead', { title: 'Old lead', stage: 'lead', value: 1000, created: '2026-08-01' }),
    ],
    interactions: [
      rec('interaction', 'i1', { date: '2026-11-20T14:30', contacts: ['ada-lovelace'], channel: 'call', summary: 'Renewal call', deal: 'acme-renewal' }),
      rec('interaction', 'i2', { date: '2026-07-01', contacts: ['[[grace-hopper]]'], channel: 'email', summary: 'Intro', deal: 'globex-pilot' }),
      rec('interaction', 'i3', { date: '2026-11-10', contact: 'ada-lovelace', channel: 'meeting', summary: 'Lunch' }),
    ],
    reminders: [
      rec('reminder', 'r1', { due: '2026-11-20', text: 'Send proposal', contact: 'ada-lovelace', status: 'open' }),
      rec('reminder', 'r2', { due: '2026-12-01', text: 'Check in', deal: 'globex-pilot', status: 'done' }),
    ],
    problems: [],
  };
}

const dataset = makeDataset();
const ctx: Ctx = { today: TODAY, me: 'sam' };
const derived = buildDerived(dataset, ctx);

function env(type: RecordType, overrides: Partial<QueryEnv> = {}): QueryEnv {
  return { dataset, ctx, derived, type, ...overrides };
}

const KEY = { contact: 'contacts', company: 'companies', deal: 'deals', interaction: 'interactions', reminder: 'reminders' } as const;

function matching(type: RecordType, query: string | string[], overrides: Partial<QueryEnv> = {}): string[] {
  const predicate = compileQuery(query, env(type, overrides));
  return dataset[KEY[type]].filter(predicate).map((r) => r.id).sort();
}

function errorOf(fn: () => unknown): QueryError {
  try {
    fn();
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error('expected a QueryError');
}

const ADA = 'ada-lovelace';
const GRACE = 'grace-hopper';
const ALAN = 'alan-turing';

describe('compileQuery on contacts', () => {
  it.each<[string, string[]]>([
    ['', [ALAN, ADA, GRACE]],
    ['tag:vip', [ADA]],
    ['TAG:VIP', [ADA]],
    ['tags:partner', [ADA]],
    ['tag:vip,enigma', [ALAN, ADA]],
    ['-tag:vip', [ALAN, GRACE]],
    ['NOT tag:vip', [ALAN, GRACE]],
    ['email:ADA@example.com', [ADA]],
    ['emails:grace@navy.mil', [GRACE]],
    ['has:email', [ADA, GRACE]],
    ['no:email', [ALAN]],
    ['no:owner', [ALAN]],
    ['has:tags', [ALAN, ADA]],
    ['no:company', [ALAN]],
    ['company:acme', [ADA]],
    ['company:[[ACME]]', [ADA]],
    ['company.industry:fintech', [ADA]],
    ['company.size>=10', [ADA]],
    ['company.name:glob*', [GRACE]],
    ['name:"ada l*"', [ADA]],
    ['name:*TURING', [ALAN]],
    ['name:ada', []],
    ['owner:me', [ADA]],
    ['-owner:me', [ALAN, GRACE]],
    ['owner!=me', [GRACE]],
    ['stage:customer OR stage:lead', [ADA, GRACE]],
    ['stage:customer,lead', [ADA, GRACE]],
    ['stage:customer | stage:lead', [ADA, GRACE]],
    ['stage:customer stage:lead', []],
    ['NOT (stage:customer OR stage:lead)', [ALAN]],
    ['created>=2026-02-01', [ALAN, GRACE]],
    ['created:2026-10-01..', [ALAN, GRACE]],
    ['created:..2026-10-01', [ADA, GRACE]],
    ['created:2026-01-15..2026-10-01', [ADA, GRACE]],
    ['created<-30d', [ADA, GRACE]],
    ['created>=-1m', [ALAN]],
    ['created:>=-1m', [ALAN]],
    ['last_contact:2026-11-20', [ADA]],
    ['last_contact>=-7d', [ADA]],
    ['last_contact<-90d', [GRACE]],
    ['(last_contact<-90d OR no:last_contact)', [ALAN, GRACE]],
    ['first_contact:2026-11-10', [ADA]],
    ['interactions>=2', [ADA]],
    ['interactions=0', [ALAN]],
    ['open_deals:1', [ADA]],
    ['pipeline_value>10000', [ADA]],
    ['overdue:true', [ADA]],
    ['overdue:yes', [ADA]],
    ['overdue:no', [ALAN, GRACE]],
    ['next_due<today', [ADA]],
    ['nps>=9', [ADA]],
    ['nps:9', [ADA]],
    ['nps:8..', [ADA]],
    ['linkedin:GH', [GRACE]],
    ['babbage', [ADA]],
    ['CONFÉRENCE', [ADA]],
    ['turíng', [ALAN]],
    ['mathematicien', [ALAN]],
    ['LOVELACE', [ADA]],
    ['navy', [GRACE]],
    ['ada*lace', [ADA]],
    ['"ada lovelace"', [ADA]],
    ['and', []],
    ['@vip', [ADA]],
    ['-@vip', [ALAN, GRACE]],
    ['@VIP', [ADA]],
    ['@at-risk', [ALAN, GRACE]],
    ['@vip-text', [ADA]],
    ['id:ada*', [ADA]],
    ['type:contact', [ALAN, ADA, GRACE]],
    ['name>5', []],
  ])('%s', (query, expected) => {
    expect(matching('contact', query)).toEqual([...expected].sort());
  });

  it('joins command-line words, re-quoting values with spaces', () => {
    expect(matching('contact', ['name:ada lovelace'])).toEqual([ADA]);
    expect(matching('contact', ['grace hopper'])).toEqual([GRACE]);
    expect(matching('contact', ['tag:vip', 'OR', 'stage:lead'])).toEqual([ADA, GRACE]);
  });

  it('matches nothing for owner:me when nobody is me', () => {
    expect(matching('contact', 'owner:me', { ctx: { today: TODAY } })).toEqual([]);
    expect(matching('contact', 'owner!=me', { ctx: { today: TODAY } })).toEqual([]);
  });
});

describe('compileQuery on deals', () => {
  it.each<[string, string[]]>([
    ['value>=10000', ['acme-renewal']],
    ['value>10000.5', ['acme-renewal']],
    ['value:5000..20000', ['acme-renewal', 'globex-pilot']],
    ['value:..5000', ['globex-pilot', 'old-lead']],
    ['value:20000', ['acme-renewal']],
    ['value=20000.0', ['acme-renewal']],
    ['value!=20000', ['globex-pilot', 'old-lead']],
    ['expected_close<2027-01-01', ['acme-renewal']],
    ['-expected_close<2027-01-01', ['globex-pilot', 'old-lead']],
    ['no:expected_close', ['globex-pilot', 'old-lead']],
    ['stale:true', ['old-lead']],
    ['stale:yes', ['old-lead']],
    ['open:false', ['globex-pilot']],
    ['weighted>=10000', ['acme-renewal']],
    ['age>100', ['globex-pilot', 'old-lead']],
    ['days_in_stage<30', ['globex-pilot']],
    ['probability>=0.5', ['acme-renewal', 'globex-pilot']],
    ['last_activity:2026-11-20', ['acme-renewal']],
    ['company.industry:fintech', ['acme-renewal']],
    ['contact.tag:vip', ['acme-renewal']],
    ['contacts.tags:vip', ['acme-renewal']],
    ['contacts:ada-lovelace', ['acme-renewal']],
    ['contact:ADA-LOVELACE', ['acme-renewal']],
    ['contacts.last_contact<-90d', ['globex-pilot']],
    ['renewal', ['acme-renewal']],
    ['has:history', ['globex-pilot']],
    ['stage:won,lost OR stale:true', ['globex-pilot', 'old-lead']],
  ])('%s', (query, expected) => {
    expect(matching('deal', query)).toEqual([...expected].sort());
  });
});

describe('compileQuery on interactions and reminders', () => {
  it.each<[RecordType, string, string[]]>([
    ['interaction', 'deal.stage:won', ['i2']],
    ['interaction', 'contact.tag:vip', ['i1', 'i3']],
    ['interaction', 'contacts:grace-hopper', ['i2']],
    ['interaction', 'contacts.company.industry:fintech', ['i1', 'i3']],
    ['interaction', 'date:2026-11-20', ['i1']],
    ['interaction', 'date>=2026-11-20', ['i1']],
    ['interaction', 'date<2026-11-20', ['i2', 'i3']],
    ['interaction', 'date:2026-11-*', ['i1', 'i3']],
    ['interaction', 'channel:CALL,meeting', ['i1', 'i3']],
    ['interaction', 'intro', ['i2']],
    ['reminder', 'contact.name:"ada*"', ['r1']],
    ['reminder', 'deal.stage:won', ['r2']],
    ['reminder', 'status:open', ['r1']],
    ['reminder', 'due<today', ['r1']],
    ['reminder', 'due:yesterday..tomorrow', []],
    ['reminder', 'due:-3d..+1w', ['r1']],
  ])('%s: %s', (type, query, expected) => {
    expect(matching(type, query)).toEqual([...expected].sort());
  });
});

describe('query errors', () => {
  it.each<[RecordType, string, string, number]>([
    ['contact', 'stag:customer', "unknown field 'stag' at column 1", 1],
    ['contact', 'tag:vip has:emial', "unknown field 'emial' at column 13", 13],
    ['contact', 'company.industy:x', "unknown field 'company.industy' at column 1", 1],
    ['contact', 'linkedn:x', "unknown field 'linkedn' at column 1", 1],
    ['interaction', 'value>10', "unknown field 'value' at column 1", 1],
    ['deal', 'value>abc', "'abc' is not a number or date (column 7)", 7],
    ['deal', 'value:1..abc', "'abc' is not a number or date (column 10)", 10],
    ['deal', 'created<2026-9-1', "'2026-9-1' is not a valid date, use YYYY-MM-DD (column 9)", 9],
    ['deal', 'created:2026-13-01', "'2026-13-01' is not a valid date, use YYYY-MM-DD (column 9)", 9],
    ['deal', 'value:1..2026-01-01', "range '1..2026-01-01' mixes a number and a date (column 8)", 8],
    ['deal', 'stale>true', "'true' is not a number or date (column 7)", 7],
    ['contact', 'created>2026', "'2026' is not a date; created holds dates: use YYYY-MM-DD, e.g. created>2026-01-01 (column 9)", 9],
    ['contact', 'last_contact<90', "'90' is not a date; last_contact holds dates: use YYYY-MM-DD, e.g. last_contact<2026-01-01 (column 14)", 14],
    ['deal', 'expected_close:2026..2027-01-01', "'2026' is not a date; expected_close holds dates: use YYYY-MM-DD, e.g. expected_close:2026-01-01.. (column 16)", 16],
    ['contact', 'tag:vip @nope', "unknown segment '@nope' at column 9", 9],
  ])('%s: %s', (type, query, message, column) => {
    const err = errorOf(() => compileQuery(query, env(type)));
    expect(err.message).toBe(message);
    expect(err.column).toBe(column);
    expect(err.query).toBe(query);
  });

  it('suggests close field and segment names', () => {
    expect(errorOf(() => compileQuery('stag:customer', env('contact'))).hint).toContain("'stage'");
    expect(errorOf(() => compileQuery('linkedn:x', env('contact'))).hint).toContain("'linkedin'");
    expect(errorOf(() => compileQuery('company.industy:x', env('contact'))).hint).toContain("'company.industry'");
    expect(errorOf(() => compileQuery('@at-rsk', env('contact'))).hint).toBe("did you mean '@at-risk'?");
  });

  it('reports segment cycles', () => {
    const err = errorOf(() => compileQuery('@loop-a', env('contact')));
    expect(err.message).toBe('in segment @loop-b: segment cycle: @loop-a → @loop-b → @loop-a at column 1');
    expect(err.query).toBe('@loop-a');
  });

  it('points into the segment text for errors inside a segment', () => {
    const parseErr = errorOf(() => compileQuery('tag:vip @broken', env('contact')));
    expect(parseErr.message).toBe("in segment @broken: expected a value after 'stage:' at column 7");
    expect(parseErr.query).toBe('stage:(');
    const fieldErr = errorOf(() => compileQuery('@typo', env('contact')));
    expect(fieldErr.message).toBe("in segment @typo: unknown field 'stag' at column 1");
    expect(fieldErr.query).toBe('stag:x');
  });

  it('compares dates as dates, never as strings', () => {
    // As strings, '2026-11-20T14:30' > '2026-11-20'; as dates they are the same day.
    expect(matching('interaction', 'date>2026-11-20')).toEqual([]);
    expect(matching('interaction', 'date<=2026-11-20')).toEqual(['i1', 'i2', 'i3']);
    // A number is never compared with a date: against a date field it is an error, not "no matches".
    expect(() => matching('deal', 'created>2026')).toThrow(/'2026' is not a date/);
  });
});

describe('queryNeedsBodies', () => {
  const config = makeConfig();
  it.each<[string | string[], boolean]>([
    ['tag:vip', false],
    ['', false],
    ['renewal', true],
    ['-renewal tag:vip', true],
    ['"two words"', true],
    ['@vip', false],
    ['@vip-text', true],
    [['tag:vip', 'OR', 'ada'], true],
  ])('%j → %s', (query, expected) => {
    expect(queryNeedsBodies(query, config)).toBe(expected);
  });

  it('fails on unknown segments like compileQuery does', () => {
    expect(errorOf(() => queryNeedsBodies('@nope', config)).message).toBe("unknown segment '@nope' at column 1");
  });
});

describe('fieldValue', () => {
  const [ada, grace] = dataset.contacts;
  it.each<[CrmRecord, string, unknown]>([
    [ada, 'name', 'Ada Lovelace'],
    [ada, 'tag', ['vip', 'Partner']],
    [grace, 'emails', ['grace@navy.mil']],
    [ada, 'company.industry', 'Fintech'],
    [ada, 'last_contact', '2026-11-20'],
    [ada, 'interactions', 2],
    [grace, 'company.name', 'Globex'],
    [dataset.contacts[2], 'company.name', undefined],
    [dataset.deals[0], 'contacts.name', ['Ada Lovelace']],
    [dataset.deals[0], 'weighted', 10000],
    [dataset.deals[2], 'stale', true],
    [dataset.interactions[1], 'deal.stage', 'won'],
    [dataset.interactions[2], 'contacts', ['ada-lovelace']],
    [dataset.companies[0], 'contacts', 1],
    [ada, 'id', 'ada-lovelace'],
    [ada, 'nope', undefined],
  ])('%#: %s', (record, field, expected) => {
    expect(fieldValue(record, field, env(record.type))).toEqual(expected);
  });
});

describe('knownFields', () => {
  it('lists schema, aliases, derived, config and stored fields, and dotted references', () => {
    const fields = knownFields('contact', env('contact'));
    for (const f of ['stage', 'tag', 'tags', 'last_contact', 'nps', 'linkedin', 'id', 'type', 'company.industry', 'company.pipeline_value']) {
      expect(fields).toContain(f);
    }
    expect(fields).not.toContain('value');
    expect(knownFields('interaction', env('interaction'))).toContain('deal.stale');
  });
});

describe('aliases', () => {
  it('does not read contact as contacts on companies, where contacts is a derived count', () => {
    expect(errorOf(() => compileQuery('contact:ada-lovelace', env('company'))).message).toBe("unknown field 'contact' at column 1");
    expect(matching('company', 'contacts>=1')).toEqual(['acme', 'globex']);
  });
});
