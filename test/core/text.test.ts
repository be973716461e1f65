import { describe, expect, it } from 'vitest';
import { foldText, phoneKey, phoneMatchKey, samePhone } from '../../src/core/text.js';
import { slugify } from '../../src/core/slug.js';

describe('foldText', () => {
  it.each([
    ['Ada Lovelace', 'ada lovelace'],
    ['José Müller', 'jose muller'],
    ['Straße', 'strasse'],
    ['Søren Ærø', 'soren aero'],
    ['Łódź', 'lodz'],
    ['ﬁnance', 'finance'],
    ['Ｆｕｌｌ', 'full'],
    ['İstanbul', 'istanbul'],
    ['  keeps spaces, and punctuation!  ', '  keeps spaces, and punctuation!  '],
    ['日本', '日本'],
  ])('%j → %j', (input, folded) => {
    expect(foldText(input)).toBe(folded);
  });

  it('is what slugs are made of, plus hyphens and "and"', () => {
    expect(slugify('Søren & José Straße')).toBe('soren-and-jose-strasse');
  });
});

describe('phone matching', () => {
  it.each([
    ['+49 30 2198 4410', '030 21984410', true],
    ['+49 (30) 2198-4410', '0049 30 21984410', true],
    ['+1 (555) 010-2000', '+15550102000', true],
    ['+49 30 2198 4410', '+49 30 2198 4411', false],
    ['123', '123', false],
    ['', '', false],
  ])('%j and %j are the same number: %s', (a, b, same) => {
    expect(samePhone(a, b)).toBe(same);
  });

  it.each([
    ['+49 30 2198 4410', '021984410'],
    ['030 21984410', '021984410'],
    ['12345', undefined],
    ['call me', undefined],
  ])('match key of %j is %j', (phone, key) => {
    expect(phoneMatchKey(phone)).toBe(key);
  });

  it('list keys fall back to digits, then text, for numbers too short to match', () => {
    expect(phoneKey('+1 234')).toBe('+1234');
    expect(phoneKey('Ext. A')).toBe('ext. a');
    expect(phoneKey('+49 30 2198 4410')).toBe(phoneKey('030 21984410'));
  });
});
