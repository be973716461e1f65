import { describe, expect, it } from 'vitest';
import { CapturePlanner, meetingKey, nameFromAddress } from '../../src/core/mail-import.js';
import type { CaptureContext, IncomingMail, IncomingMeeting } from '../../src/core/mail-import.js';
import { defaultConfig } from '../../src/core/config.js';
import type { CrmRecord, FrontMatter, RecordType } from '../../src/core/types.js';
import { FOLDER_OF } from '../../src/core/types.js';

const rec = (type: RecordType, id: string, data: FrontMatter): CrmRecord => ({ type, id, path: `${FOLDER_OF[type]}/${id}.md`, data });

const ada = rec('contact', 'ada-lovelace', { name: 'Ada Lovelace', emails: ['Ada@Example.org'], company: 'analytical' });
const grace = rec('contact', 'grace-hopper', { name: 'Grace Hopper', emails: ['grace@navy.example'] });
const analytical = rec('company', 'analytical', { name: 'Analytical Engines', domain: 'example.org' });

function planner(extra: Partial<CaptureContext> = {}): CapturePlanner {
  const config = defaultConfig();
  config.owners = { sam: { name: 'Sam', email: 'sam@me.example' }, ria: { name: 'Ria', email: 'ria@me.example' } };
  return new CapturePlanner({
    today: '2026-11-23',
    config,
    me: new Set(['sam@me.example', 'ria@me.example', 'sam.private@mail.example']),
    owner: 'sam',
    contacts: [ada, grace],
    companies: [analytical],
    interactions: [],
    takenIds: new Set(['ada-lovelace', 'grace-hopper', 'analytical']),
    createContacts: false,
    ...extra,
  });
}

function mail(fields: Partial<IncomingMail>): IncomingMail {
  return { where: 'x.eml', headerHash: 'hash:0000000000000000', date: '2026-11-20T10:00', from: [], replyTo: [], to: [], cc: [], bcc: [], subject: 'Hello', text: 'Body', attachments: [], ...fields };
}

const me = { address: 'sam@me.example', name: 'Sam' };
const adaAddr = { address: 'ada@example.org', name: 'Ada' };
const graceAddr = { address: 'grace@navy.example' };

describe('CapturePlanner.addMail: direction and contacts', () => {
  const cases: Array<[string, Partial<IncomingMail>, { direction?: string; contacts?: string[]; owner?: string; skip?: string }]> = [
    ['from me: out to the matched recipients (To, Cc, Bcc)', { from: [me], to: [adaAddr], bcc: [graceAddr] }, { direction: 'out', contacts: ['ada-lovelace', 'grace-hopper'], owner: 'sam' }],
    ['from another owner: out, owned by them', { from: [{ address: 'ria@me.example' }], to: [graceAddr] }, { direction: 'out', contacts: ['grace-hopper'], owner: 'ria' }],
    ['to me: in from the sender', { from: [adaAddr], to: [me] }, { direction: 'in', contacts: ['ada-lovelace'], owner: 'sam' }],
    ['to another owner: owned by them', { from: [adaAddr], to: [{ address: 'ria@me.example' }] }, { direction: 'in', contacts: ['ada-lovelace'], owner: 'ria' }],
    ['Reply-To counts for inbound mail', { from: [{ address: 'list@lists.example' }], replyTo: [graceAddr], to: [me] }, { direction: 'in', contacts: ['grace-hopper'] }],
    ['a contact in Cc of an inbound message', { from: [{ address: 'x@unknown.example' }], to: [me], cc: [adaAddr] }, { direction: 'in', contacts: ['ada-lovelace'] }],
    ['Bcc of inbound mail is not read', { from: [{ address: 'x@unknown.example' }], to: [me], bcc: [adaAddr] }, { skip: 'no known contact' }],
    ['only me and strangers: skipped', { from: [me], to: [{ address: 'x@unknown.example' }] }, { skip: 'no known contact' }],
    ['a private address of mine given with --me', { from: [{ address: 'sam.private@mail.example' }], to: [adaAddr] }, { direction: 'out', contacts: ['ada-lovelace'] }],
    ['case-insensitive match on the contact\'s emails', { from: [{ address: 'ada@example.org' }], to: [me] }, { contacts: ['ada-lovelace'] }],
    ['before --since', { from: [adaAddr], date: '2026-01-01T10:00' }, { skip: 'before --since' }],
    ['after today', { from: [adaAddr], date: '2026-11-24T00:00' }, { skip: 'after today' }],
  ];
  for (const [what, fields, want] of cases) {
    it(what, () => {
      const d = planner({ since: '2026-06-01' }).addMail(mail(fields));
      if (want.skip) {
        expect(d).toMatchObject({ op: 'skip', reason: want.skip });
        return;
      }
      expect(d.op).toBe('create');
      if (d.op !== 'create') return;
      if (want.direction) expect(d.data.direction).toBe(want.direction);
      if (want.contacts) expect(d.data.contacts).toEqual(want.contacts);
      if (want.owner) expect(d.data.owner).toBe(want.owner);
    });
  }
});

describe('CapturePlanner.addMail: the interaction', () => {
  it('writes the documented fields in order, the text as body', () => {
    const d = planner().addMail(mail({ from: [adaAddr], to: [me], messageId: 'm1@x', thread: 'root@x', subject: 'Re: plan', text: 'Sounds good.', attachments: [{ name: 'a.pdf', size: 10 }] }));
    expect(d).toEqual({
      op: 'create', baseId: '2026-11-20-ada-lovelace-email', subdir: '2026/11', newContacts: [], body: '\nSounds good.\n',
      data: { date: '2026-11-20T10:00', contacts: ['ada-lovelace'], channel: 'email', direction: 'in', summary: 'Re: plan', owner: 'sam', message_id: 'm1@x', thread: 'root@x', attachments: [{ name: 'a.pdf', size: 10 }] },
    });
  });

  it('gives an empty subject a summary, and uses the header hash without Message-ID', () => {
    const d = planner().addMail(mail({ from: [adaAddr], subject: '', headerHash: 'hash:abcdef0123456789' }));
    expect(d.op === 'create' && d.data).toMatchObject({ summary: '(no subject)', message_id: 'hash:abcdef0123456789' });
  });
});

describe('CapturePlanner: never twice', () => {
  it('skips a Message-ID already logged, and one seen earlier in the same run', () => {
    const logged = rec('interaction', '2026-11-01-ada-lovelace-email-k3x9', { date: '2026-11-01', contacts: ['ada-lovelace'], message_id: 'old@x' });
    const p = planner({ interactions: [logged] });
    expect(p.addMail(mail({ from: [adaAddr], messageId: 'old@x' }))).toMatchObject({ op: 'skip', reason: 'already imported' });
    expect(p.addMail(mail({ from: [adaAddr], messageId: 'new@x' })).op).toBe('create');
    expect(p.addMail(mail({ from: [adaAddr], messageId: 'new@x' }))).toMatchObject({ op: 'skip', reason: 'already imported' });
    expect(p.counts).toMatchObject({ created: 1, skipped: 2, skipped_by_reason: { 'already imported': 2 } });
  });

  it('skips a meeting occurrence already logged by uid and recurrence id', () => {
    const logged = rec('interaction', 'm', { date: '2026-11-10', contacts: ['ada-lovelace'], uid: 'u1', recurrence_id: '2026-11-10T09:00Z' });
    const p = planner({ interactions: [logged] });
    const meeting = (recurrenceId?: string): IncomingMeeting => ({ where: 'c.ics:1', uid: 'u1', recurrenceId, date: '2026-11-10T10:00', attendees: [adaAddr], summary: 'Sync' });
    expect(p.addMeeting(meeting('2026-11-10T09:00Z')).op).toBe('skip');
    expect(p.addMeeting(meeting('2026-11-17T09:00Z')).op).toBe('create');
    expect(meetingKey('u1', undefined)).toBe('u1');
  });
});

describe('CapturePlanner.addMeeting', () => {
  it('is out when I organise it, with the other attendees as contacts; location and description as body', () => {
    const d = planner().addMeeting({ where: 'c.ics:5', uid: 'u2', date: '2026-11-12', organizer: me, attendees: [me, adaAddr, graceAddr], summary: 'Workshop', location: 'Berlin', description: 'Agenda' });
    expect(d).toMatchObject({ op: 'create', body: '\nLocation: Berlin\n\nAgenda\n', data: { date: '2026-11-12', contacts: ['ada-lovelace', 'grace-hopper'], channel: 'meeting', direction: 'out', uid: 'u2' } });
  });

  it('is in when a contact organises it', () => {
    const d = planner().addMeeting({ where: 'c.ics:5', uid: 'u3', date: '2026-11-12T10:00', organizer: adaAddr, attendees: [me], summary: '' });
    expect(d).toMatchObject({ op: 'create', data: { direction: 'in', contacts: ['ada-lovelace'], summary: '(no title)' } });
  });

  it('with the real clock (now), skips a meeting later today that has not started; the all-day event today counts', () => {
    // 07:56 UTC on the 23rd; meetings at 09:00 UTC (10:00 Berlin) and 07:30 UTC that day.
    const p = planner({ now: Date.parse('2026-11-23T07:56:00Z') });
    const at = (uid: string, iso: string) => p.addMeeting({ where: 'c.ics:5', uid, date: iso.slice(0, 16), startInstant: Date.parse(iso), organizer: adaAddr, attendees: [me], summary: 'Sync' });
    expect(at('later', '2026-11-23T09:00:00Z')).toMatchObject({ op: 'skip', reason: 'not started yet' });
    expect(at('earlier', '2026-11-23T07:30:00Z')).toMatchObject({ op: 'create' });
    expect(at('now', '2026-11-23T07:56:00Z')).toMatchObject({ op: 'create' });
    expect(p.addMeeting({ where: 'c.ics:9', uid: 'day', date: '2026-11-23', organizer: adaAddr, attendees: [me], summary: 'Offsite' })).toMatchObject({ op: 'create' });
    expect(p.counts.skipped_by_reason['not started yet']).toBe(1);
  });

  it('without now (an --as-of day), every meeting on that day is past', () => {
    const d = planner().addMeeting({ where: 'c.ics:5', uid: 'u4', date: '2026-11-23T23:00', startInstant: Date.parse('2026-11-23T23:00:00Z'), organizer: adaAddr, attendees: [me], summary: 'Late' });
    expect(d).toMatchObject({ op: 'create' });
  });
});

describe('CapturePlanner: unknown correspondents', () => {
  it('lists them with count and name, most frequent first, never automated senders or me', () => {
    const p = planner();
    p.addMail(mail({ from: [{ address: 'dana@x-files.example', name: 'Dana Scully' }], to: [me] }));
    p.addMail(mail({ from: [me], to: [{ address: 'dana@x-files.example' }, { address: 'fox@x-files.example' }], messageId: 'b' }));
    p.addMail(mail({ from: [{ address: 'no-reply@service.example' }], to: [me], messageId: 'c' }));
    p.addMail(mail({ from: [{ address: 'mailer-daemon@me.example' }], to: [me], messageId: 'd' }));
    expect(p.unknownCorrespondents()).toEqual([
      { address: 'dana@x-files.example', name: 'Dana Scully', count: 2 },
      { address: 'fox@x-files.example', count: 1 },
    ]);
  });

  it('offers the company whose domain the address is at', () => {
    const p = planner();
    p.addMail(mail({ from: [{ address: 'charles@example.org', name: 'Charles Babbage' }], to: [me] }));
    expect(p.unknownCorrespondents()).toEqual([{ address: 'charles@example.org', name: 'Charles Babbage', count: 1, company: 'analytical' }]);
  });

  it('--create-contacts creates each once, logs their messages, links the company', () => {
    const p = planner({ createContacts: true });
    const first = p.addMail(mail({ from: [{ address: 'charles@example.org', name: 'Charles Babbage' }], to: [me], messageId: '1' }));
    expect(first).toMatchObject({
      op: 'create', data: { contacts: ['charles-babbage'] },
      newContacts: [{ id: 'charles-babbage', data: { name: 'Charles Babbage', emails: ['charles@example.org'], company: 'analytical', owner: 'sam', stage: 'lead', source: 'email', created: '2026-11-23' } }],
    });
    const second = p.addMail(mail({ from: [{ address: 'charles@example.org' }], to: [me], messageId: '2' }));
    expect(second).toMatchObject({ op: 'create', newContacts: [], data: { contacts: ['charles-babbage'] } });
    expect(p.counts.contacts_created).toBe(1);
    expect(p.unknownCorrespondents()[0]).toMatchObject({ address: 'charles@example.org', created: 'charles-babbage', count: 2 });
  });

  it('--create-contacts picks a free id and names people without a display name from the address', () => {
    const p = planner({ createContacts: true, takenIds: new Set(['ada-lovelace', 'grace-hopper', 'analytical', 'ada-byron']) });
    const d = p.addMail(mail({ from: [{ address: 'ada.byron@elsewhere.example' }], to: [me] }));
    expect(d.newContacts).toEqual([expect.objectContaining({ id: 'ada-byron-2', data: expect.objectContaining({ name: 'Ada Byron' }) })]);
    expect(nameFromAddress('x9@y.example')).toBe('X9');
    expect(nameFromAddress('12345@y.example')).toBe('12345@y.example');
  });
});

describe('CapturePlanner.addMail: mail about an open service case (docs/cases.md)', () => {
  const openCaseOf = new Map([['ada-lovelace', '2026-11-18-ada-lovelace-invoice-k3x9']]);
  it('an inbound message from a contact with an active case is linked to it', () => {
    const d = planner({ openCaseOf }).addMail(mail({ from: [adaAddr], to: [me] }));
    expect(d).toMatchObject({ op: 'create', data: { direction: 'in', case: '2026-11-18-ada-lovelace-invoice-k3x9' } });
  });
  it('my own messages and contacts without a case are not linked', () => {
    const out = planner({ openCaseOf }).addMail(mail({ from: [me], to: [adaAddr] }));
    expect(out.op === 'create' && out.data.case).toBeFalsy();
    const other = planner({ openCaseOf }).addMail(mail({ from: [graceAddr], to: [me] }));
    expect(other.op === 'create' && other.data.case).toBeFalsy();
  });
});

describe('CapturePlanner: the one address rule', () => {
  it('a meeting attendee or correspondent at a dotless domain is never listed or created (tb check would refuse it)', () => {
    const p = planner({ createContacts: true });
    const d = p.addMeeting({ where: 'c.ics:5', uid: 'dotless', date: '2026-11-12', organizer: me, attendees: [{ address: 'alice@intern' }, { address: 'new@fine.example' }], summary: 'Sync' });
    expect(d.newContacts.map((c) => c.data.emails)).toEqual([['new@fine.example']]);
    expect([...p.refused]).toEqual(['alice@intern']);
    expect(p.unknownCorrespondents().map((u) => u.address)).toEqual(['new@fine.example']);
  });
});
