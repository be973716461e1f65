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
