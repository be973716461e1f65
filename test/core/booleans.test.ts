import { describe, expect, it } from 'vitest';
import { normalizeBooleans, parseBoolean } from '../../src/core/booleans.js';
import { planChanges } from '../../src/core/changes.js';
import { ordered } from '../../src/core/records.js';

describe('boolean fields', () => {
  it('parses the YAML and CSV spellings, and nothing else', () => {
    for (const t of [true, 1, '1', 'true', 'TRUE ', 'yes', 'Y', 'on']) expect(parseBoolean(t), String(t)).toBe(true);
    for (const f of [false, 0, '0', 'false', 'No', 'n', 'OFF']) expect(parseBoolean(f), String(f)).toBe(false);
    for (const x of ['maybe', '2', 2, '', 'tru', null, [], {}]) expect(parseBoolean(x), JSON.stringify(x)).toBeUndefined();
  });

  it('is written as true/false by add/import (ordered) and set (planChanges); other values are kept to be refused', () => {
    expect(ordered('contact', { name: 'A', do_not_contact: 'Y', unsubscribed: '0' })).toMatchObject({ do_not_contact: true, unsubscribed: false });
    expect(normalizeBooleans('contact', { do_not_contact: 'maybe' })).toEqual({ do_not_contact: 'maybe' });
    expect(planChanges('contact', { name: 'A' }, ['do_not_contact=on']).edits).toEqual([{ key: 'do_not_contact', value: true }]);
    expect(planChanges('contact', { name: 'A' }, ['do_not_contact=maybe']).edits).toEqual([{ key: 'do_not_contact', value: 'maybe' }]);
    // Only declared boolean fields: a custom `vip=1` stays the number 1.
    expect(planChanges('contact', { name: 'A' }, ['vip=1']).edits).toEqual([{ key: 'vip', value: 1 }]);
  });
});
