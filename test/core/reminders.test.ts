import { describe, expect, it } from 'vitest';
import { checkRepeat, checkRepeatFrom, planCancel, planDone, planSnooze, resolveReminder } from '../../src/core/reminders.js';
import type { CrmRecord, FrontMatter, RecordType } from '../../src/core/types.js';
import { FOLDER_OF } from '../../src/core/types.js';
import { AmbiguousError, DataError, NotFoundError, UsageError } from '../../src/errors.js';

function rec(type: RecordType, id: string, data: FrontMatter): CrmRecord {
  return { type, id, path: `${FOLDER_OF[type]}/${id}.md`, data };
}

const contacts = [rec('contact', 'ada-lovelace', { name: 'Ada Lovelace', emails: ['ada@example.com'] }), rec('contact', 'grace-hopper', { name: 'Grace Hopper' }), rec('contact', 'alan-turing', { name: 'Alan Turing' })];
const deals = [rec('deal', 'acme-renewal', { title: 'Acme renewal' })];
const reminders = [
  rec('reminder', '2026-11-27-ada-lovelace-send-proposal-q7p2', { due: '2026-11-27', text: 'Send proposal', contact: 'ada-lovelace', status: 'open' }),
  rec('reminder', '2026-11-01-ada-lovelace-old-thing-aaaa', { due: '2026-11-01', text: 'Old thing', contact: 'ada-lovelace', status: 'done', done: '2026-11-02' }),
  rec('reminder', '2026-11-20-grace-hopper-call-bbbb', { due: '2026-11-20', text: 'Call', contact: '[[grace-hopper]]' }),
  rec('reminder', '2026-11-21-grace-hopper-mail-cccc', { due: '2026-11-21', text: 'Mail', contact: 'grace-hopper', deal: 'acme-renewal', status: 'open' }),
  rec('reminder', '2026-11-22-alan-turing-x-dddd', { due: '2026-11-22', text: 'X', contact: 'alan-turing', status: 'cancelled' }),
];
const pool = { contacts, deals, reminders };

describe('resolveReminder', () => {
  it.each([
    ['2026-11-27-ada-lovelace-send-proposal-q7p2', '2026-11-27-ada-lovelace-send-proposal-q7p2'], // exact id
    ['2026-11-27', '2026-11-27-ada-lovelace-send-proposal-q7p2'], // unique prefix
    ['2026-11-20-GRACE', '2026-11-20-grace-hopper-call-bbbb'], // prefix, any case
    ['ada', '2026-11-27-ada-lovelace-send-proposal-q7p2'], // contact with one open reminder (the done one does not count)
    ['Ada Lovelace', '2026-11-27-ada-lovelace-send-proposal-q7p2'], // by name
    ['ada@example.com', '2026-11-27-ada-lovelace-send-proposal-q7p2'], // by email
    ['acme-renewal', '2026-11-21-grace-hopper-mail-cccc'], // deal with one open reminder
    ['2026-11-01-ada-lovelace-old-thing-aaaa', '2026-11-01-ada-lovelace-old-thing-aaaa'], // an id finds a done one too
  ])('%s → %s', (ref, id) => {
    expect(resolveReminder(pool, ref).id).toBe(id);
  });

  it('a prefix several reminders share is ambiguous and lists them', () => {
    const err = catchErr(() => resolveReminder(pool, '2026-11-2'));
    expect(err).toBeInstanceOf(AmbiguousError);
    expect((err as AmbiguousError).candidates).toEqual([
      '2026-11-27-ada-lovelace-send-proposal-q7p2 (due 2026-11-27)',
      '2026-11-20-grace-hopper-call-bbbb (due 2026-11-20)',
      '2026-11-21-grace-hopper-mail-cccc (due 2026-11-21)',
      '2026-11-22-alan-turing-x-dddd (due 2026-11-22)',
    ]);
  });

  it('a contact with two open reminders is ambiguous (a [[link]] and a status-less reminder count as open)', () => {
    const err = catchErr(() => resolveReminder(pool, 'grace'));
    expect(err).toBeInstanceOf(AmbiguousError);
    expect((err as Error).message).toBe('contact grace-hopper has 2 open reminders; name one by id');
  });

  it('a contact without open reminders is not found', () => {
    const err = catchErr(() => resolveReminder(pool, 'alan'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe('contact alan-turing has no open reminder');
  });

  it('nothing matching is not found', () => {
    const err = catchErr(() => resolveReminder(pool, 'zzz'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe("no reminder, contact or deal matches 'zzz'");
  });
});

describe('planDone', () => {
  const r = (data: FrontMatter) => rec('reminder', 'r', { text: 'Report', contact: 'ada-lovelace', owner: 'sam', status: 'open', ...data });

  it('marks a one-off reminder done today and schedules nothing', () => {
    expect(planDone(r({ due: '2026-11-20' }), '2026-11-23')).toEqual({ edits: [{ key: 'status', value: 'done' }, { key: 'done', value: '2026-11-23' }] });
  });

  it('monthly from due: Jan 31 → Feb 28 with anchor_day 31, then Mar 31', () => {
    const first = planDone(r({ due: '2027-01-31', repeat: '1m' }), '2027-01-31').next!;
    expect(first.due).toBe('2027-02-28');
    expect(first.data).toEqual({ due: '2027-02-28', text: 'Report', contact: 'ada-lovelace', owner: 'sam', status: 'open', repeat: '1m', anchor_day: 31 });
    const second = planDone(r(first.data), '2027-03-01').next!;
    expect(second.data).toMatchObject({ due: '2027-03-31', anchor_day: 31 });
  });

  it('monthly from done counts from the completion day, with no anchor', () => {
    const next = planDone(r({ due: '2027-01-31', repeat: '1m', repeat_from: 'done' }), '2027-02-03').next!;
    expect(next.data).toEqual({ due: '2027-03-03', text: 'Report', contact: 'ada-lovelace', owner: 'sam', status: 'open', repeat: '1m', repeat_from: 'done' });
  });

  it('a deal reminder repeats against the deal', () => {
    const next = planDone(rec('reminder', 'x', { due: '2026-11-20', text: 'Check', deal: '[[acme-renewal]]', repeat: '1w' }), '2026-11-20').next!;
    expect(next).toMatchObject({ due: '2026-11-27', target: 'acme-renewal', data: { deal: 'acme-renewal', repeat: '1w' } });
  });

  it.each(['done', 'cancelled'])('refuses a %s reminder', (status) => {
    expect(() => planDone(r({ due: '2026-11-20', status }), '2026-11-23')).toThrow(DataError);
  });
});

describe('planSnooze and planCancel', () => {
  it('sets due, keeping a time of day', () => {
    expect(planSnooze(rec('reminder', 'a', { due: '2026-11-20' }), '2026-11-30')).toEqual([{ key: 'due', value: '2026-11-30' }]);
    expect(planSnooze(rec('reminder', 'a', { due: '2026-11-20T09:30' }), '2026-11-30')).toEqual([{ key: 'due', value: '2026-11-30T09:30' }]);
  });
  it('refuses done and cancelled reminders', () => {
    expect(() => planSnooze(rec('reminder', 'a', { due: '2026-11-20', status: 'done', done: '2026-11-21' }), '2026-11-30')).toThrow('cannot snooze reminder a: it is already done (on 2026-11-21)');
    expect(() => planSnooze(rec('reminder', 'a', { due: '2026-11-20', status: 'cancelled' }), '2026-11-30')).toThrow('cannot snooze reminder a: it is already cancelled');
    expect(() => planCancel(rec('reminder', 'a', { status: 'cancelled' }))).toThrow('cannot cancel reminder a: it is already cancelled');
  });
  it('cancel sets the status', () => {
    expect(planCancel(rec('reminder', 'a', { due: '2026-11-20' }))).toEqual([{ key: 'status', value: 'cancelled' }]);
  });
});

describe('checkRepeat / checkRepeatFrom', () => {
  it.each([['1w', '1w'], ['2W', '2w'], ['1 month', '1m'], ['3m', '3m'], ['1y', '1y'], ['10d', '10d']])('%s → %s', (input, out) => {
    expect(checkRepeat(input)).toBe(out);
  });
  it.each(['0d', 'weekly', '', '1x'])('rejects %j', (input) => {
    expect(() => checkRepeat(input)).toThrow(UsageError);
  });
  it('repeat-from is due or done', () => {
    expect(checkRepeatFrom('DONE')).toBe('done');
    expect(() => checkRepeatFrom('completion')).toThrow(UsageError);
  });
});

function catchErr(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
