import { describe, expect, it } from 'vitest';
import { effectiveCadence, nextOccurrence } from '../../src/core/recurrence.js';
import type { Occurrence } from '../../src/core/recurrence.js';
import { defaultConfig } from '../../src/core/config.js';
import type { CrmRecord, FrontMatter } from '../../src/core/types.js';
import { DataError, UsageError } from '../../src/errors.js';

function reminder(data: FrontMatter): CrmRecord {
  return { type: 'reminder', id: 'r', path: 'reminders/r.md', data: { text: 'follow up', ...data } };
}

function contact(data: FrontMatter): CrmRecord {
  return { type: 'contact', id: 'c', path: 'contacts/c.md', data: { name: 'C', ...data } };
}

describe('nextOccurrence', () => {
  const cases: Array<[string, FrontMatter, string, Occurrence | undefined]> = [
    ['no repeat', { due: '2026-11-20' }, '2026-11-20', undefined],
    ['daily from due', { due: '2026-11-20', repeat: '1d' }, '2026-11-20', { due: '2026-11-21' }],
    ['weekly from due, completed early', { due: '2026-11-20', repeat: '1w' }, '2026-11-18', { due: '2026-11-27' }],
    ['fortnightly across a year end', { due: '2026-12-25', repeat: '2w' }, '2026-12-25', { due: '2027-01-08' }],
    ['monthly from due', { due: '2026-11-15', repeat: '1m' }, '2026-11-16', { due: '2026-12-15' }],
    ['quarterly from due', { due: '2026-11-15', repeat: '3m' }, '2026-11-15', { due: '2027-02-15' }],
    ['yearly from due', { due: '2026-11-15', repeat: '1y' }, '2026-11-15', { due: '2027-11-15' }],
    ['Jan 31 + 1m from due clamps and anchors', { due: '2027-01-31', repeat: '1m' }, '2027-01-31', { due: '2027-02-28', anchor_day: 31 }],
    ['Jan 31 + 1m in a leap year', { due: '2028-01-31', repeat: '1m' }, '2028-01-31', { due: '2028-02-29', anchor_day: 31 }],
    ['Jan 31 + 1m from done counts from completion', { due: '2027-01-31', repeat: '1m', repeat_from: 'done' }, '2027-02-03', { due: '2027-03-03' }],
    ['from done, completed on Jan 31', { due: '2027-01-20', repeat: '1m', repeat_from: 'done' }, '2027-01-31', { due: '2027-02-28' }],
    ['from done with days', { due: '2026-11-01', repeat: '10d', repeat_from: 'done' }, '2026-11-20', { due: '2026-11-30' }],
    ['anchor restores the day after a clamp', { due: '2027-02-28', repeat: '1m', anchor_day: 31 }, '2027-02-28', { due: '2027-03-31', anchor_day: 31 }],
    ['anchor that disagrees with a hand-edited due is ignored', { due: '2027-03-15', repeat: '1m', anchor_day: 31 }, '2027-03-15', { due: '2027-04-15' }],
    ['anchor 30 on a Feb 28 due', { due: '2027-02-28', repeat: '1m', anchor_day: 30 }, '2027-02-28', { due: '2027-03-30', anchor_day: 30 }],
    ['Feb 29 yearly keeps the 29th in the next leap year', { due: '2027-02-28', repeat: '1y', anchor_day: 29 }, '2027-02-28', { due: '2028-02-29', anchor_day: 29 }],
    ['late weekly completion skips forward', { due: '2026-11-02', repeat: '1w' }, '2026-11-20', { due: '2026-11-23' }],
    ['completion exactly on the next date skips past it', { due: '2026-11-02', repeat: '1w' }, '2026-11-09', { due: '2026-11-16' }],
    ['late monthly completion skips forward, keeping the anchor', { due: '2027-01-31', repeat: '1m' }, '2027-04-10', { due: '2027-04-30', anchor_day: 31 }],
    ['late daily completion by years', { due: '2020-01-01', repeat: '1d' }, '2026-11-20', { due: '2026-11-21' }],
    ['time of day is kept', { due: '2026-11-20T14:30', repeat: '1w' }, '2026-11-20', { due: '2026-11-27T14:30' }],
    ['no due: counts from completion', { repeat: '1w' }, '2026-11-20', { due: '2026-11-27' }],
    ['repeat written in words', { due: '2026-11-20', repeat: '2 weeks' }, '2026-11-20', { due: '2026-12-04' }],
  ];
  it.each(cases)('%s', (_name, data, completedOn, expected) => {
    expect(nextOccurrence(reminder(data), completedOn)).toEqual(expected);
  });

  it('does not drift over four months from Jan 31', () => {
    let data: FrontMatter = { due: '2027-01-31', repeat: '1m' };
    const dues: string[] = [];
    for (let i = 0; i < 4; i++) {
      const next = nextOccurrence(reminder(data), String(data.due))!;
      dues.push(next.due);
      data = { due: next.due, repeat: '1m', ...(next.anchor_day ? { anchor_day: next.anchor_day } : {}) };
    }
    expect(dues).toEqual(['2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31']);
  });

  it('does not need an anchor for days that every month has', () => {
    expect(nextOccurrence(reminder({ due: '2027-01-28', repeat: '1m' }), '2027-01-28')).toEqual({ due: '2027-02-28' });
  });

  it.each([
    ['an unreadable repeat', { due: '2026-11-20', repeat: 'fortnightly' }, DataError],
    ['a zero repeat', { due: '2026-11-20', repeat: '0d' }, DataError],
    ['an unknown repeat_from', { due: '2026-11-20', repeat: '1w', repeat_from: 'completion' }, DataError],
  ] as const)('rejects %s', (_name, data, error) => {
    expect(() => nextOccurrence(reminder(data), '2026-11-20')).toThrow(error);
  });

  it('rejects a completion date that is not a date', () => {
    expect(() => nextOccurrence(reminder({ due: '2026-11-20', repeat: '1w' }), 'yesterday')).toThrow(UsageError);
  });
});

describe('effectiveCadence', () => {
  const config = defaultConfig();
  config.cadence = { tags: { vip: '30d', partner: '2w', Press: '45d', broken: 'often' }, stages: { customer: '90d' } };
  const withDefault = { ...config, cadence: { ...config.cadence, default: '180d' } };

  const cases: Array<[string, FrontMatter, typeof config, ReturnType<typeof effectiveCadence>]> = [
    ['own cadence wins', { cadence: '10d', tags: ['vip'], stage: 'customer' }, config, { interval: '10d', source: 'contact' }],
    ['first tag in the contact order', { tags: ['partner', 'vip'], stage: 'customer' }, config, { interval: '2w', source: 'tag', rule: 'partner' }],
    ['the other order', { tags: ['vip', 'partner'] }, config, { interval: '30d', source: 'tag', rule: 'vip' }],
    ['tags without a rule are passed over', { tags: ['friend', 'vip'] }, config, { interval: '30d', source: 'tag', rule: 'vip' }],
    ['tag match ignores case', { tags: ['PRESS'] }, config, { interval: '45d', source: 'tag', rule: 'press' }],
    ['a broken tag rule falls through to the stage', { tags: ['broken'], stage: 'customer' }, config, { interval: '90d', source: 'stage', rule: 'customer' }],
    ['stage rule', { stage: 'customer' }, config, { interval: '90d', source: 'stage', rule: 'customer' }],
    ['no rule applies', { stage: 'lead' }, config, undefined],
    ['default', { stage: 'lead' }, withDefault, { interval: '180d', source: 'default' }],
    ['unreadable own cadence falls through', { cadence: 'sometimes', stage: 'customer' }, config, { interval: '90d', source: 'stage', rule: 'customer' }],
    ['cadence: none opts out', { cadence: 'none', tags: ['vip'] }, withDefault, undefined],
    ['cadence: false opts out', { cadence: false, tags: ['vip'] }, withDefault, undefined],
  ];
  it.each(cases)('%s', (_name, data, cfg, expected) => {
    expect(effectiveCadence(contact(data), cfg)).toEqual(expected);
  });
});
