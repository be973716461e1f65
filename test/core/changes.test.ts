import { describe, expect, it } from 'vitest';
import { planChanges } from '../../src/core/changes.js';
import { parseCliValue } from '../../src/core/values.js';
import { UsageError } from '../../src/errors.js';

describe('parseCliValue', () => {
  it.each([
    ['9', 9],
    ['9.5', 9.5],
    ['true', true],
    ['[a, b]', ['a', 'b']],
    ['2026-11-20', '2026-11-20'],
    ['hello world', 'hello world'],
    ['a: b', 'a: b'],
    ['yes', 'yes'],
    ['007', '007'],
    ['+4930219844', '+4930219844'],
    ['0x10', '0x10'],
    ['- x', '- x'],
    ['[draft] proposal', '[draft] proposal'],
    ['12345678901234567890', '12345678901234567890'],
    ['-2.5', -2.5],
  ])('%j → %j', (input, expected) => {
    expect(parseCliValue(input)).toEqual(expected);
  });
});

it('a list someone forgot to close is refused, not stored with its bracket; a title may start with [', () => {
  expect(() => planChanges('contact', { name: 'A' }, ['tags=[a, b'])).toThrow("'[a, b' is not a list: close it with ]");
  expect(planChanges('contact', { name: 'A' }, ['title=[WIP'])).toMatchObject({ edits: [{ key: 'title', value: '[WIP' }] });
});

it("a deal's history is never set from the command line (it is append-only)", () => {
  expect(() => planChanges('deal', { title: 'D', history: [] }, ['history='])).toThrow(/history is appended by tb/);
  expect(() => planChanges('deal', { title: 'D' }, ['history+=x'])).toThrow(UsageError);
  expect(planChanges('contact', { name: 'A' }, ['history=kept']).edits).toEqual([{ key: 'history', value: 'kept' }]);
});

describe('planChanges', () => {
  const data = { name: 'Ada', tags: ['vip', 'math'], emails: ['a@x.org'], stage: 'lead' };
  it('handles every change form in order', () => {
    const { edits } = planChanges('contact', data, ['stage=customer', '+partner', '-MATH', 'emails+=b@x.org', 'nps=9', 'stage=']);
    expect(edits).toEqual([
      { key: 'stage', remove: true },
      { key: 'tags', value: ['vip', 'partner'] },
      { key: 'emails', value: ['a@x.org', 'b@x.org'] },
      { key: 'nps', value: 9 },
    ]);
  });
  it('refuses protected and required keys and nonsense', () => {
    expect(() => planChanges('contact', data, ['id=x'])).toThrow(UsageError);
    expect(() => planChanges('contact', data, ['name='])).toThrow("'name' is required");
    expect(() => planChanges('contact', data, ['what'])).toThrow("cannot understand 'what'");
  });
  it('adding a tag twice is a no-op on the list', () => {
    expect(planChanges('contact', data, ['+vip']).edits).toEqual([{ key: 'tags', value: ['vip', 'math'] }]);
  });
});

describe('prototype keys', () => {
  it.each(['__proto__=[a]', 'constructor+=x', 'prototype=1'])('%s is refused', (change) => {
    expect(() => planChanges('contact', { name: 'A' }, [change])).toThrow(UsageError);
  });
});

describe('reference fields', () => {
  it('take [[links]] and names as typed, without YAML parsing', () => {
    expect(planChanges('contact', { name: 'A' }, ['company=[[tallyhq]]']).edits).toEqual([{ key: 'company', value: 'tallyhq' }]);
    expect(planChanges('contact', { name: 'A' }, ['company=Acme Corp']).edits).toEqual([{ key: 'company', value: 'Acme Corp' }]);
    expect(planChanges('deal', { title: 'D' }, ['contacts=[ada, [[bob]]]']).edits).toEqual([{ key: 'contacts', value: ['ada', 'bob'] }]);
    expect(planChanges('deal', { title: 'D', contacts: ['ada'] }, ['contacts+=[[cy]]']).edits).toEqual([{ key: 'contacts', value: ['ada', 'cy'] }]);
  });
});

describe('planChanges: emptied lists', () => {
  it.each([
    [['-vip'], { name: 'A', tags: ['vip'] }, [{ key: 'tags', remove: true }]],
    [['tags-=vip'], { name: 'A', tags: ['vip'] }, [{ key: 'tags', remove: true }]],
    [['-vip'], { name: 'A', tags: ['vip', 'partner'] }, [{ key: 'tags', value: ['partner'] }]],
  ])('%j leaves no empty list', (changes, data, edits) => {
    expect(planChanges('contact', data, changes).edits).toEqual(edits);
  });
});
