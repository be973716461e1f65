import { describe, expect, it } from 'vitest';
import { describeUncommitted, parseUncommitted } from '../../src/core/uncommitted.js';

describe('parseUncommitted', () => {
  const z = (...entries: string[]) => `${entries.join('\0')}\0`;
  const cases: Array<[string, string, string, Array<{ path: string; kind: string }>]> = [
    ['untracked record', z('?? contacts/ada.md'), '', [{ path: 'contacts/ada.md', kind: 'new' }]],
    ['modified in the work tree', z(' M deals/acme.md'), '', [{ path: 'deals/acme.md', kind: 'changed' }]],
    ['staged and modified', z('MM deals/acme.md'), '', [{ path: 'deals/acme.md', kind: 'changed' }]],
    ['removed (tb rm)', z(' D contacts/ada.md'), '', [{ path: 'contacts/ada.md', kind: 'removed' }]],
    ['staged removal', z('D  contacts/ada.md'), '', [{ path: 'contacts/ada.md', kind: 'removed' }]],
    ['rename: source entry skipped', z('R  contacts/new.md', 'contacts/old.md'), '', [{ path: 'contacts/new.md', kind: 'new' }]],
    ['config counts, other files do not', z(' M touchbase.yaml', '?? notes.txt', '?? contacts/readme.txt', '?? .touchbase/x.json'), '', [{ path: 'touchbase.yaml', kind: 'changed' }]],
    ['CRM in a subfolder of the work tree', z('?? crm/contacts/ada.md', '?? other/contacts/x.md'), 'crm/', [{ path: 'contacts/ada.md', kind: 'new' }]],
    ['nested interaction folders', z('?? interactions/2026/11/2026-11-02-ada-call-abcd.md'), '', [{ path: 'interactions/2026/11/2026-11-02-ada-call-abcd.md', kind: 'new' }]],
    ['nothing', '', '', []],
  ];
  it.each(cases)('%s', (_, out, prefix, expected) => {
    expect(parseUncommitted(out, prefix)).toEqual(expected);
  });

  it('describes the counts', () => {
    expect(describeUncommitted([{ path: 'a', kind: 'new' }, { path: 'b', kind: 'new' }, { path: 'c', kind: 'removed' }])).toBe('3 files (2 new, 1 removed)');
    expect(describeUncommitted([{ path: 'a', kind: 'changed' }])).toBe('1 file (1 changed)');
  });
});
