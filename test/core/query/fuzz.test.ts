import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QueryError } from '../../../src/errors.js';
import { defaultConfig } from '../../../src/core/config.js';
import { buildDerived } from '../../../src/core/derived.js';
import { RECORD_TYPES, type Ctx, type Dataset } from '../../../src/core/types.js';
import { compileQuery, formatQueryError, parseQuery, queryNeedsBodies, type QueryEnv } from '../../../src/core/query/index.js';

const config = defaultConfig();
config.segments = { 'at-risk': 'stage:customer last_contact<-90d', a: '@b tag:x', b: '@a', bad: 'stage:(' };

const dataset: Dataset = {
  root: '/crm',
  config,
  contacts: [
    { type: 'contact', id: 'ada', path: 'contacts/ada.md', data: { name: 'Ada', tags: ['vip'], company: 'acme', created: '2026-01-01', owner: 'sam' }, body: 'notes' },
    { type: 'contact', id: 'bob', path: 'contacts/bob.md', data: { name: 'Bob', emails: [], stage: 'customer', nested: { a: 1 }, list: [null, '', 3] } },
  ],
  companies: [{ type: 'company', id: 'acme', path: 'companies/acme.md', data: { name: 'Acme', industry: 'fintech' } }],
  deals: [{ type: 'deal', id: 'd1', path: 'deals/d1.md', data: { title: 'Deal', company: 'acme', contacts: ['ada'], value: 100, stage: 'won', created: '2026-02-30' } }],
  interactions: [{ type: 'interaction', id: 'i1', path: 'interactions/i1.md', data: { date: '2026-11-20T14:30', contacts: ['ada'], deal: 'd1' } }],
  reminders: [{ type: 'reminder', id: 'r1', path: 'reminders/r1.md', data: { due: 'soon', contact: 'ada' } }],
  problems: [],
};
const ctx: Ctx = { today: '2026-11-23', me: 'sam' };
const derived = buildDerived(dataset, ctx);

/** Pieces of the grammar, valid and broken, so random soups reach deep into parser and evaluator. */
const PIECES = [
  'tag:vip', 'tag', ':', 'vip', 'OR', 'AND', 'NOT', 'or', '-', '(', ')', '|', '||', '"', '"ada l*"', '*', ',', '..', '.',
  '@at-risk', '@a', '@bad', '@nope', '@', 'has:', 'has:email', 'no:owner', 'no', 'company.industry:fintech', 'deal.stage:won',
  'contacts.tags:vip', 'contact.company.name:acme', 'value', '>=', '<=', '>', '<', '=', '!=', '=>', '10000', '-5', '1.5', 'abc',
  'last_contact<-90d', 'created:2026-01-01..', 'value:..5000', 'created:2026-9-1', '2026-11-20T14:30', 'today', '-90d',
  '+99999999999y', '-99999999999d', 'owner:me', 'stale:true', 'stage:won,lost', 'name:\\"x', '[[acme]]', 'nested:1', '__proto__',
  'constructor:x', 'list:3', 'id:a*', 'type:deal', '\t', '\n', 'é', '🙂',
];

const soup = fc
  .array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom('', ' ', ' ', '  ')), { maxLength: 12 })
  .map((parts) => parts.map(([piece, sep]) => piece + sep).join(''));

const anyQuery = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), soup, soup);

/** Runs everything a command would run on a query; only QueryError may escape. */
function exercise(query: string): void {
  const attempt = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      expect(typeof err.column === 'number' || err.column === undefined).toBe(true);
      formatQueryError(err);
    }
  };
  attempt(() => parseQuery(query));
  attempt(() => queryNeedsBodies(query, config));
  for (const type of RECORD_TYPES) {
    attempt(() => {
      const env: QueryEnv = { dataset, ctx, derived, type };
      const predicate = compileQuery(query, env);
      for (const key of ['contacts', 'companies', 'deals', 'interactions', 'reminders'] as const) {
        for (const rec of dataset[key]) if (rec.type === type) predicate(rec);
      }
    });
  }
}

describe('query fuzzing', () => {
  it('never throws anything but QueryError', () => {
    fc.assert(fc.property(anyQuery, (query) => exercise(query)), { numRuns: 2000 });
  });

  it('never throws anything but QueryError for argv-style word lists', () => {
    fc.assert(
      fc.property(fc.array(anyQuery, { maxLength: 4 }), (words) => {
        try {
          compileQuery(words, { dataset, ctx, derived, type: 'contact' });
        } catch (err) {
          if (!(err instanceof QueryError)) throw err;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives every parse error a column inside the query or just past its end', () => {
    fc.assert(
      fc.property(anyQuery, (query) => {
        try {
          parseQuery(query);
        } catch (err) {
          if (!(err instanceof QueryError)) throw err;
          expect(err.query).toBe(query);
          expect(err.column).toBeGreaterThanOrEqual(1);
          expect(err.column).toBeLessThanOrEqual(query.length + 1);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
