import { describe, expect, it } from 'vitest';
import { isValidSlug, randomSuffix, slugify, uniqueSlug } from '../../src/core/slug.js';

describe('slugify', () => {
  it.each([
    ['José Müller', 'jose-muller'],
    ['Zoë Ångström', 'zoe-angstrom'],
    ['Siobhán O’Connor', 'siobhan-o-connor'],
    ['Straße & Söhne', 'strasse-and-sohne'],
    ['Ayşe Yılmaz', 'ayse-yilmaz'],
    ['Łukasz Żółć', 'lukasz-zolc'],
    ['../../etc/passwd', 'etc-passwd'],
    ['.git', 'git'],
    ['..', ''],
    ['🦄🦄', ''],
    ['', ''],
    ['CON', 'con-1'],
    ['  Acme   Corp.  ', 'acme-corp'],
    ['a/b\\c', 'a-b-c'],
  ])('%j → %j', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  it('never yields a separator or dot and stays short', () => {
    const s = slugify('x'.repeat(500) + '/../' + 'y'.repeat(10));
    expect(s.length).toBeLessThanOrEqual(60);
    expect(s).not.toMatch(/[/.]/);
  });

  it('isValidSlug', () => {
    expect(isValidSlug('ada-lovelace')).toBe(true);
    expect(isValidSlug('Ada')).toBe(false);
    expect(isValidSlug('a--b')).toBe(false);
    expect(isValidSlug('-a')).toBe(false);
    expect(isValidSlug('con')).toBe(false);
    expect(isValidSlug('a/b')).toBe(false);
  });

  it('uniqueSlug appends -2, -3', () => {
    const taken = new Set(['ada', 'ada-2']);
    expect(uniqueSlug('ada', (id) => taken.has(id))).toBe('ada-3');
    expect(uniqueSlug('bob', (id) => taken.has(id))).toBe('bob');
  });

  it('randomSuffix uses an unambiguous alphabet', () => {
    let i = 0;
    const seq = [0, 0.5, 0.99, 0.25];
    expect(randomSuffix(() => seq[i++ % 4])).toMatch(/^[a-z2-9]{4}$/);
  });
});
