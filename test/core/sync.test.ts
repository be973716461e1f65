import { describe, expect, it } from 'vitest';
import { classifyRemoteError, dirtyMessage, firstGitLine, parseAheadBehind, parseHistory, parsePorcelainZ, stageMessage } from '../../src/core/sync.js';

describe('parsePorcelainZ', () => {
  it.each([
    ['', []],
    [' M contacts/ada.md\0', [{ code: ' M', path: 'contacts/ada.md' }]],
    ['?? a b.md\0A  deals/x.md\0', [{ code: '??', path: 'a b.md' }, { code: 'A ', path: 'deals/x.md' }]],
    ['R  new.md\0old.md\0 M z.md\0', [{ code: 'R ', path: 'new.md' }, { code: ' M', path: 'z.md' }]],
    ['UU deals/deal-a.md\0', [{ code: 'UU', path: 'deals/deal-a.md' }]],
  ])('%j', (text, expected) => expect(parsePorcelainZ(text)).toEqual(expected));
});

describe('parseAheadBehind', () => {
  it.each([
    ['3\t2\n', { ahead: 3, behind: 2 }],
    ['0\t0\n', { ahead: 0, behind: 0 }],
    ['', { ahead: 0, behind: 0 }],
  ])('%j', (text, expected) => expect(parseAheadBehind(text)).toEqual(expected));
});

describe('classifyRemoteError', () => {
  it.each([
    ["fatal: unable to access 'https://example.com/crm.git/': Could not resolve host: example.com\n", 'unreachable'],
    ["ssh: connect to host example.com port 22: Connection refused\nfatal: Could not read from remote repository.\n", 'unreachable'],
    ["fatal: '/tmp/gone.git' does not appear to be a git repository\nfatal: Could not read from remote repository.\n", 'unreachable'],
    [" ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs to '../remote.git'\n", 'rejected'],
    ["remote: Permission to x/y.git denied.\nfatal: unable to access 'https://github.com/x/y.git/': The requested URL returned error: 403\n", 'auth'],
    ["fatal: couldn't find remote ref main\n", 'no-remote-branch'],
    ['fatal: something else\n', 'other'],
  ])('%j → %s', (text, kind) => expect(classifyRemoteError(text)).toBe(kind));
});

describe('messages', () => {
  it('firstGitLine drops hints and the fatal: prefix', () => {
    expect(firstGitLine('hint: try this\nfatal: no way\nfatal: more\n')).toBe('no way');
  });
  it('dirtyMessage lists at most five files', () => {
    const m = dirtyMessage(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(m.message).toBe('cannot sync: 7 uncommitted changes:\n  a\n  b\n  c\n  d\n  e\n  … and 2 more');
    expect(dirtyMessage(['a']).message).toBe('cannot sync: 1 uncommitted change:\n  a');
  });
  it('stageMessage', () => {
    expect(stageMessage('acme-renewal', 'proposal', [])).toBe('deal: acme-renewal → proposal');
    expect(stageMessage('acme-renewal', 'won', ['value=9000'])).toBe('deal: acme-renewal → won (value=9000)');
  });
});

describe('parseHistory', () => {
  const owners = { sam: { name: 'Sam', email: 'Sam@Example.com' }, ria: {} };
  it('reads --name-only output and maps author emails to owners', () => {
    const text =
      '\x1eaaa\x1f2026-11-23T10:00:00+00:00\x1fSam Lee\x1fsam@example.com\x1fdeal: d → won\x1f\n\ndeals/d.md\n' +
      '\x1ebbb\x1f2026-11-01T09:00:00+00:00\x1fSetup\x1fsetup@example.com\x1fseed\x1f\n\ndeals/old-d.md\n';
    expect(parseHistory(text, owners, false)).toEqual([
      { commit: 'aaa', date: '2026-11-23T10:00:00+00:00', author: 'Sam Lee', email: 'sam@example.com', owner: 'sam', subject: 'deal: d → won', path: 'deals/d.md' },
      { commit: 'bbb', date: '2026-11-01T09:00:00+00:00', author: 'Setup', email: 'setup@example.com', subject: 'seed', path: 'deals/old-d.md' },
    ]);
  });
  it('keeps the patch with --patch', () => {
    const text = '\x1eaaa\x1f2026-11-23T10:00:00+00:00\x1fSam\x1fx@y\x1fs\x1f\n\ndiff --git a/deals/d.md b/deals/d.md\n-stage: lead\n+stage: won\n\n';
    const [e] = parseHistory(text, owners, true);
    expect(e.path).toBe('deals/d.md');
    expect(e.patch).toBe('diff --git a/deals/d.md b/deals/d.md\n-stage: lead\n+stage: won\n');
    expect(e.owner).toBeUndefined();
  });
});
