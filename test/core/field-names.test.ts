import { describe, expect, it } from 'vitest';
import { nearMissField } from '../../src/core/field-names.js';
import type { RecordType } from '../../src/core/types.js';

describe('nearMissField', () => {
  const cases: Array<[RecordType, string, string[], string | undefined]> = [
    ['contact', 'email', [], 'emails'],
    ['contact', 'phone', [], 'phones'],
    ['contact', 'tag', [], 'tags'],
    ['contact', 'link', [], 'links'],
    ['company', 'link', [], undefined],
    ['contact', 'emial', [], 'emails'],
    ['contact', 'Stage', [], 'stage'],
    ['contact', 'compnay', [], 'company'],
    ['deal', 'contact', [], 'contacts'],
    ['deal', 'expected_clsoe', [], 'expected_close'],
    ['contact', 'emails', [], undefined],
    ['reminder', 'contact', [], undefined],
    ['contact', 'nps', [], undefined],
    ['contact', 'linkedin', [], undefined],
    ['contact', 'nickname', [], undefined],
    ['contact', 'stages', ['stages'], undefined],
    ['company', 'tag', [], 'tags'],
  ];
  it.each(cases)('%s %s', (type, key, custom, expected) => {
    expect(nearMissField(type, key, custom)).toBe(expected);
  });
});
