import { describe, expect, it } from 'vitest';
import { resolveMe, resolveOwnerOption } from '../../src/core/owners.js';
import { defaultConfig } from '../../src/core/config.js';
import { UsageError } from '../../src/errors.js';

const config = { ...defaultConfig(), owners: { sam: { name: 'Sam Lee', email: 'sam@example.com' }, ria: { name: 'Ria Patel', email: 'ria@example.com' } } };

describe('resolveMe', () => {
  it('prefers TOUCHBASE_USER, then the git email of an owner, then the OS user', () => {
    expect(resolveMe(config, { envUser: 'ria', gitEmail: 'sam@example.com', osUser: 'root' })?.id).toBe('ria');
    expect(resolveMe(config, { gitEmail: 'SAM@example.com', osUser: 'root' })).toMatchObject({ id: 'sam', source: 'git user.email' });
    expect(resolveMe(config, { gitEmail: 'x@y.z', osUser: 'root' })).toMatchObject({ id: 'root', source: 'OS user' });
  });
});

describe('resolveOwnerOption', () => {
  it.each([
    [undefined, {}],
    ['all', {}],
    ['sam', { id: 'sam' }],
    ['Sam Lee', { id: 'sam' }],
    ['RIA', { id: 'ria' }],
    ['me', { id: 'sam' }],
    ['bob', { id: 'bob' }],
  ])('%j', (value, expected) => {
    expect(resolveOwnerOption(value, config, 'sam', ['bob'])).toEqual(expected);
  });

  it('refuses a name nobody knows, with did-you-mean and the owners; warns for a me who owns nothing', () => {
    expect(() => resolveOwnerOption('sma', config, 'sam', [])).toThrow(new UsageError("unknown owner 'sma' in --owner", "did you mean 'sam'? owners: sam, ria (or me, all)"));
    expect(() => resolveOwnerOption('bob', config, 'sam', ['kim'])).toThrow(UsageError);
    expect(resolveOwnerOption('me', config, 'root', []).warning).toContain("'root' owns nothing here");
  });

  it('with no owner known at all, a name is only warned about', () => {
    const bare = { ...defaultConfig(), owners: {} };
    expect(resolveOwnerOption('bob', bare, undefined, [])).toEqual({ id: 'bob', warning: "--owner 'bob' owns nothing here" });
  });

  it('an empty value is a usage error', () => {
    expect(() => resolveOwnerOption(' ', config, 'sam', [])).toThrow(UsageError);
  });
});
