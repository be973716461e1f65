import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config.js';
import { alreadySent, campaignResults, campaignSettings, recipientLookup, selectAudience, touchFilter } from '../../src/core/campaign.js';
import type { CrmRecord, RecordType } from '../../src/core/types.js';

const rec = (type: string, id: string, data: Record<string, unknown>, body?: string): CrmRecord => ({ type: type as RecordType, id, path: `${type}s/${id}.md`, data, ...(body === undefined ? {} : { body }) });
const contact = (id: string, data: Record<string, unknown>) => rec('contact', id, { name: id, ...data });

describe('campaignSettings', () => {
  it('reads the campaigns block, with defaults', () => {
    const config = defaultConfig();
    expect(campaignSettings(config)).toEqual({ countsAsTouch: false });
    config.raw = { campaigns: { counts_as_touch: true, unsubscribed_tag: 'unsubscribed', list_unsubscribe: '<mailto:off@example.com>' } };
    expect(campaignSettings(config)).toEqual({ countsAsTouch: true, unsubscribedTag: 'unsubscribed', listUnsubscribe: '<mailto:off@example.com>' });
    expect(touchFilter(config)!(rec('interaction', 'a', { campaign: 'spring' }))).toBe(true);
    config.raw = { campaigns: 'yes' };
    const filter = touchFilter(config)!;
    expect(filter(rec('interaction', 'a', { campaign: 'spring' }))).toBe(false);
    expect(filter(rec('interaction', 'b', { channel: 'email' }))).toBe(true);
  });

  it('never counts a meeting marked cancelled as a touch', () => {
    const filter = touchFilter(defaultConfig())!;
    expect(filter(rec('interaction', 'm', { channel: 'meeting', uid: 'x', status: 'cancelled' }))).toBe(false);
    expect(filter(rec('interaction', 'n', { channel: 'meeting', uid: 'y' }))).toBe(true);
  });
});

describe('selectAudience', () => {
  it('leaves out, with the first reason that applies, and keeps the rest ordered by id', () => {
    const members = [
      contact('zoe', { emails: ['zoe@example.com'] }),
      contact('dnc', { emails: ['dnc@example.com'], do_not_contact: true }),
      contact('unsub', { emails: ['u@example.com'], tags: ['Unsubscribed'] }),
      contact('nomail', { phones: ['+1 555'] }),
      contact('bad', { emails: ['not-an-address'] }),
      contact('done', { emails: ['done@example.com'] }),
      contact('amy', { emails: 'amy@example.com' }),
    ];
    const a = selectAudience(members, new Set(['done']), { countsAsTouch: false, unsubscribedTag: 'unsubscribed' });
    expect(a.recipients.map((c) => c.id)).toEqual(['amy', 'zoe']);
    expect(a.skipped.map((s) => [s.contact.id, s.reason])).toEqual([
      ['bad', 'no email'], ['dnc', 'do_not_contact'], ['done', 'already sent'], ['nomail', 'no email'], ['unsub', 'unsubscribed'],
    ]);
  });

  it('reads every boolean spelling of do_not_contact and unsubscribed (1, on, y, "TRUE ", …) as true', () => {
    const spellings: unknown[] = [true, 1, '1', 'on', 'y', 'Y', 'yes', 'TRUE ', ' On'];
    const members = spellings.flatMap((v, i) => [
      contact(`d${i}`, { emails: [`d${i}@example.com`], do_not_contact: v }),
      contact(`u${i}`, { emails: [`u${i}@example.com`], unsubscribed: v }),
    ]);
    const kept = [false, 0, 'no', 'off', 'n', '0'].map((v, i) => contact(`k${i}`, { emails: [`k${i}@example.com`], do_not_contact: v }));
    const a = selectAudience([...members, ...kept], new Set(), { countsAsTouch: false });
    expect(a.recipients.map((c) => c.id)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect(a.skipped.filter((s) => s.reason === 'do_not_contact')).toHaveLength(spellings.length);
    expect(a.skipped.filter((s) => s.reason === 'unsubscribed')).toHaveLength(spellings.length);
  });

  it('excludes by address: a do_not_contact address is never mailed through another contact, and an address is mailed once', () => {
    const dnc = contact('ann-old', { emails: ['Ann@Example.com'], do_not_contact: 'y' });
    const members = [
      contact('ann-new', { emails: ['ann@example.com'] }),
      contact('bo', { emails: ['shared@example.com'] }),
      contact('bo-2', { emails: [' SHARED@example.com'] }),
      contact('cy', { emails: ['cy@example.com'] }),
      contact('dee', { emails: ['sent@example.com'] }),
    ];
    // ann-old is not in the segment: its address is blocked all the same.
    const a = selectAudience(members, new Set(), { countsAsTouch: false }, [...members, dnc], new Set(['sent@example.com']));
    expect(a.recipients.map((c) => c.id)).toEqual(['bo', 'cy']);
    expect(a.skipped.map((s) => [s.contact.id, s.reason, s.detail])).toEqual([
      ['ann-new', 'do_not_contact', 'ann@example.com is marked do_not_contact on ann-old'],
      ['bo-2', 'duplicate address', 'shared@example.com is mailed to bo'],
      ['dee', 'already sent', 'sent@example.com was already mailed'],
    ]);
  });

  it('alreadySent collects the contacts of the campaign interactions', () => {
    const is = [rec('interaction', 'a', { campaign: 'spring', contacts: ['ann'] }), rec('interaction', 'b', { campaign: '[[spring]]', contacts: ['bob'] }), rec('interaction', 'c', { campaign: 'fall', contacts: ['cat'] })];
    expect([...alreadySent(is, 'spring')]).toEqual(['ann', 'bob']);
  });
});

describe('recipientLookup', () => {
  const companies = new Map([['acme', rec('company', 'acme', { name: 'Acme Ltd', domain: 'acme.example' })]]);
  const campaign = { id: 'q4', name: 'Q4 note', channel: 'email', status: 'draft', body: '' };
  const ada = contact('ada', { name: 'Ada King Lovelace', emails: ['ada@example.com', 'a@b.c'], company: '[[acme]]', title: 'CTO', tags: ['vip', 'fintech'], nested: { a: 1 } });
  const look = recipientLookup(ada, { companies, owner: { id: 'sam', name: 'Sam Lee', email: 'sam@example.com' }, campaign });
  it.each([
    ['first_name', 'Ada'], ['last_name', 'King Lovelace'], ['name', 'Ada King Lovelace'], ['email', 'ada@example.com'],
    ['company', 'Acme Ltd'], ['company.domain', 'acme.example'], ['company.size', undefined],
    ['owner.name', 'Sam Lee'], ['owner.email', 'sam@example.com'], ['owner', 'Sam Lee'], ['campaign.name', 'Q4 note'],
    ['title', 'CTO'], ['tags', 'vip, fintech'], ['nested', undefined], ['birthday', undefined], ['toString', undefined], ['constructor', undefined],
  ])('%s → %j', (key, value) => {
    expect(look(key)).toBe(value);
  });
  it('first_name written on the contact wins', () => {
    expect(recipientLookup(contact('x', { name: 'Dr. X', first_name: 'Xena' }), { companies, campaign })('first_name')).toBe('Xena');
  });
});

describe('campaignResults', () => {
  it('counts recipients, replies, meetings and deals within the window after the send', () => {
    const config = defaultConfig();
    const campaigns = [rec('campaign', 'q4', { name: 'Q4', status: 'sent', sent: '2026-11-01' }), rec('campaign', 'draft', { name: 'Draft' })];
    const interactions = [
      rec('interaction', 's1', { date: '2026-11-01', contacts: ['ann'], channel: 'email', direction: 'out', campaign: 'q4' }),
      rec('interaction', 's2', { date: '2026-11-01', contacts: ['bob'], channel: 'email', direction: 'out', campaign: 'q4' }),
      rec('interaction', 's3', { date: '2026-11-01', contacts: ['cat'], channel: 'email', direction: 'out', campaign: 'q4' }),
      rec('interaction', 'r1', { date: '2026-11-01T16:00', contacts: ['ann'], channel: 'email', direction: 'in' }),
      rec('interaction', 'r2', { date: '2026-11-03', contacts: ['ann'], channel: 'email', direction: 'in' }),
      rec('interaction', 'm1', { date: '2026-11-10', contacts: ['ann', 'bob'], channel: 'meeting', direction: 'out' }),
      rec('interaction', 'late', { date: '2026-11-16', contacts: ['cat'], channel: 'email', direction: 'in' }),
      rec('interaction', 'before', { date: '2026-10-30', contacts: ['bob'], channel: 'email', direction: 'in' }),
      rec('interaction', 'other', { date: '2026-11-02', contacts: ['dan'], channel: 'email', direction: 'in' }),
    ];
    const deals = [
      rec('deal', 'd1', { title: 'D1', contacts: ['ann'], created: '2026-11-05', stage: 'won', value: 1200.5 }),
      rec('deal', 'd2', { title: 'D2', contacts: ['bob', 'ann'], created: '2026-11-14', stage: 'proposal', value: 900 }),
      rec('deal', 'd3', { title: 'D3', contacts: ['cat'], created: '2026-11-15', stage: 'won', value: 50, currency: 'usd' }),
      rec('deal', 'd4', { title: 'D4', contacts: ['bob'], created: '2026-10-01', stage: 'won', value: 5000 }),
    ];
    expect(campaignResults(campaigns, { interactions, deals, config }, 14)).toEqual([
      { id: 'q4', name: 'Q4', status: 'sent', sent: '2026-11-01', window_end: '2026-11-15', recipients: 3, replies: 1, reply_rate: 0.333, meetings: 1, deals: 3, won_value: [{ currency: 'EUR', value: 1200.5 }, { currency: 'USD', value: 50 }] },
      { id: 'draft', name: 'Draft', status: 'draft', recipients: 0, replies: 0, reply_rate: 0, meetings: 0, deals: 0, won_value: [] },
    ]);
  });
});

describe('campaignResults by time, one campaign per outcome', () => {
  const config = defaultConfig();
  const send = (id: string, campaign: string, date: string, contact: string) => rec('interaction', id, { date, contacts: [contact], channel: 'email', direction: 'out', campaign });
  const campaigns = [rec('campaign', 'spring', { name: 'Spring', status: 'sent', sent: '2026-03-02' }), rec('campaign', 'summer', { name: 'Summer', status: 'sent', sent: '2026-03-09' })];

  it('counts only what happened after the message: not earlier on the send day, not before it', () => {
    const interactions = [
      send('s1', 'spring', '2026-03-02T10:00', 'ann'),
      rec('interaction', 'early-meeting', { date: '2026-03-02T09:00', contacts: ['ann'], channel: 'meeting', direction: 'out' }),
      rec('interaction', 'reply-before', { date: '2026-03-01T18:00', contacts: ['ann'], channel: 'email', direction: 'in' }),
      rec('interaction', 'untimed-same-day', { date: '2026-03-02', contacts: ['ann'], channel: 'email', direction: 'in' }),
    ];
    const deals = [rec('deal', 'same-day', { title: 'Same day', contacts: ['ann'], created: '2026-03-02', stage: 'won', value: 6000 })];
    const [spring] = campaignResults([campaigns[0]], { interactions, deals, config }, 14);
    expect(spring).toMatchObject({ replies: 0, meetings: 0, deals: 0, won_value: [] });
    const later = [...interactions, rec('interaction', 'reply-after', { date: '2026-03-02T14:30', contacts: ['ann'], channel: 'email', direction: 'in' })];
    expect(campaignResults([campaigns[0]], { interactions: later, deals, config }, 14)[0]).toMatchObject({ replies: 1 });
  });

  it('two campaigns to the same people: each outcome goes to the latest sent before it, so columns add up', () => {
    const interactions = [
      send('a1', 'spring', '2026-03-02T10:00', 'ann'),
      send('b1', 'spring', '2026-03-02T10:00', 'bob'),
      send('a2', 'summer', '2026-03-09T10:00', 'ann'),
      send('b2', 'summer', '2026-03-09T10:00', 'bob'),
      rec('interaction', 'bob-reply', { date: '2026-03-05T08:00', contacts: ['bob'], channel: 'email', direction: 'in' }),
      rec('interaction', 'ann-reply', { date: '2026-03-10T08:00', contacts: ['ann'], channel: 'email', direction: 'in' }),
      rec('interaction', 'meet', { date: '2026-03-12', contacts: ['ann', 'bob'], channel: 'meeting', direction: 'out' }),
    ];
    const deals = [
      rec('deal', 'won', { title: 'Won', contacts: ['ann', 'bob'], created: '2026-03-11', stage: 'won', value: 6000 }),
      rec('deal', 'early', { title: 'Early', contacts: ['bob'], created: '2026-03-04', stage: 'proposal', value: 100 }),
    ];
    const [spring, summer] = campaignResults(campaigns, { interactions, deals, config }, 14);
    expect(spring).toMatchObject({ replies: 1, meetings: 0, deals: 1, won_value: [] });
    expect(summer).toMatchObject({ replies: 1, meetings: 1, deals: 1, won_value: [{ currency: 'EUR', value: 6000 }] });
  });

  it('an outcome after the window of the latest send is credited to none', () => {
    const interactions = [send('a1', 'spring', '2026-03-02T10:00', 'ann'), rec('interaction', 'late', { date: '2026-03-17', contacts: ['ann'], channel: 'email', direction: 'in' })];
    expect(campaignResults([campaigns[0]], { interactions, deals: [], config }, 14)[0]).toMatchObject({ replies: 0 });
    const inside = [interactions[0], rec('interaction', 'last-day', { date: '2026-03-16T23:00', contacts: ['ann'], channel: 'email', direction: 'in' })];
    expect(campaignResults([campaigns[0]], { interactions: inside, deals: [], config }, 14)[0]).toMatchObject({ replies: 1 });
  });
});

describe('campaignSender', () => {
  it("the owner's email, else the user's (me), else none", async () => {
    const { campaignSender } = await import('../../src/core/campaign.js');
    const config = defaultConfig();
    config.owners = { sam: { name: 'Sam' }, mara: { name: 'Mara', email: 'mara@example.com' }, kim: { email: 'kim@example.com' } };
    expect(campaignSender('kim', config, 'mara')?.email).toBe('kim@example.com');
    expect(campaignSender('sam', config, 'mara')?.email).toBe('mara@example.com');
    expect(campaignSender(undefined, config, 'mara')?.email).toBe('mara@example.com');
    expect(campaignSender(undefined, config, undefined)).toBeUndefined();
  });
});
