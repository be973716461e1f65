/**
 * End-to-end: tb remind / done / snooze / cancel / due on a hand-built CRM whose every expected
 * line is worked out below from the fixture, with "today" pinned to 2026-11-23 (a Monday).
 */
import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, diffSnapshots, read, snapshot, tb, tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const CONFIG = `name: Test CRM
currency: EUR
owners:
  sam: { name: Sam, email: sam@example.com }
  ria: { name: Ria, email: ria@example.com }
pipeline:
  - { id: lead, probability: 0.1 }
  - { id: proposal, probability: 0.5 }
  - { id: won, probability: 1, closed: won }
  - { id: lost, probability: 0, closed: lost }
lifecycle: [lead, prospect, customer, churned]
channels: [email, call, meeting, note]
cadence: { tags: { vip: 30d }, stages: { customer: 90d } }
`;

/**
 * Today 2026-11-23. What is due, by hand:
 * - ada (owner sam): reminders overdue 2026-11-20 (3 days late), today, 2026-11-30 (in 7 days,
 *   inside the 7-day window), 2026-12-01 (in 8 days, outside it), one done and one cancelled.
 * - big-deal (owner ria, contact cora): reminder due 2026-11-22 (1 day late, contact borrowed from
 *   the deal); expected_close 2026-11-13 → past close 10 days. won-deal is closed, future-deal not due.
 * - cora: stage customer → 90d; last touchpoint 2026-08-01 → ran out 2026-10-30 (24 days), 114 days ago.
 * - otto: own cadence 14d, never contacted, created 2026-11-01 → ran out 2026-11-15 (8 days ago).
 * - vera (owner ria): tag vip → 30d; last touchpoint 2026-10-20 → ran out 2026-11-19, 34 days ago.
 * - fine: tag vip, last touchpoint 2026-11-10 → runs out 2026-12-10: not due.
 */
const FILES: Record<string, string> = {
  'touchbase.yaml': CONFIG,
  'contacts/ada-lovelace.md': fm({ name: 'Ada Lovelace', emails: '[ada@example.com]', owner: 'sam', stage: 'lead', channel: 'email', created: '2026-01-01' }),
  'contacts/cora-customer.md': fm({ name: 'Cora Customer', phones: "['+44 20 7946 0000']", owner: 'ria', stage: 'customer', channel: 'call', created: '2025-01-01' }),
  'contacts/otto-often.md': fm({ name: 'Otto Often', owner: 'sam', cadence: '14d', created: '2026-11-01' }),
  'contacts/vera-vip.md': fm({ name: 'Vera Vip', emails: '[vera@example.com]', tags: '[vip]', owner: 'ria', created: '2026-01-01' }),
  'contacts/fine-fellow.md': fm({ name: 'Fine Fellow', tags: '[vip]', owner: 'sam', created: '2026-01-01' }),
  'deals/big-deal.md': fm({ title: 'Big deal', contacts: '[cora-customer]', stage: 'proposal', value: '50000', owner: 'ria', expected_close: '2026-11-13' }),
  'deals/won-deal.md': fm({ title: 'Won deal', contacts: '[cora-customer]', stage: 'won', value: '1000', owner: 'ria', expected_close: '2026-10-01', closed: '2026-09-30' }),
  'deals/future-deal.md': fm({ title: 'Future deal', contacts: '[vera-vip]', stage: 'lead', owner: 'ria', expected_close: '2027-03-01' }),
  'interactions/2026/08/2026-08-01-cora-customer-call-aaaa.md': fm({ date: '2026-08-01', contacts: '[cora-customer]', channel: 'call', summary: 'Check-in' }),
  'interactions/2026/10/2026-10-20-vera-vip-email-bbbb.md': fm({ date: '2026-10-20', contacts: '[vera-vip]', channel: 'email', summary: 'Hello' }),
  'interactions/2026/11/2026-11-10-fine-fellow-call-cccc.md': fm({ date: '2026-11-10', contacts: '[fine-fellow]', channel: 'call', summary: 'Catch-up' }),
  'reminders/2026-11-20-ada-lovelace-send-proposal-r001.md': fm({ due: '2026-11-20', text: '"Send proposal, revised"', contact: 'ada-lovelace', owner: 'sam', status: 'open' }),
  'reminders/2026-11-23-ada-lovelace-call-ada-r002.md': fm({ due: '2026-11-23', text: 'Call Ada', contact: 'ada-lovelace', owner: 'sam', status: 'open' }),
  'reminders/2026-11-30-ada-lovelace-prepare-workshop-r003.md': fm({ due: '2026-11-30', text: 'Prepare workshop', contact: 'ada-lovelace', owner: 'sam', status: 'open' }),
  'reminders/2026-12-01-ada-lovelace-book-venue-r004.md': fm({ due: '2026-12-01', text: 'Book venue', contact: 'ada-lovelace', owner: 'sam', status: 'open' }),
  'reminders/2026-11-21-ada-lovelace-finished-r005.md': fm({ due: '2026-11-21', text: 'Finished', contact: 'ada-lovelace', owner: 'sam', status: 'done', done: '2026-11-21' }),
  'reminders/2026-11-22-ada-lovelace-dropped-r006.md': fm({ due: '2026-11-22', text: 'Dropped', contact: 'ada-lovelace', owner: 'sam', status: 'cancelled' }),
  'reminders/2026-11-22-big-deal-ask-for-decision-r007.md': fm({ due: '2026-11-22', text: 'Ask for decision', deal: 'big-deal', owner: 'ria', status: 'open' }),
};

function fm(data: Record<string, string>): string {
  return `---\n${Object.entries(data).map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n`;
}

function fixture(files: Record<string, string> = FILES): string {
  const dir = tempDir('tb-due-');
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const run = async (dir: string, args: string[], env: Record<string, string | undefined> = {}) => await tb(['--dir', dir, '--as-of', AS_OF, ...args], { env });

const ADA = 'prefers email · ada@example.com';
const CORA = 'prefers call · +44 20 7946 0000';
const FULL_TEXT = `Overdue
  Ada Lovelace: Send proposal, revised — 3 days late · ${ADA}
  Cora Customer: Ask for decision (deal: Big deal) — 1 day late · ${CORA}

Today
  Ada Lovelace: Call Ada — today · ${ADA}

Coming up (next 7 days)
  Ada Lovelace: Prepare workshop — in 7 days · ${ADA}

Keep in touch
  Cora Customer — last contact 114 days ago, cadence 90d (stage customer) · ${CORA}
  Otto Often — never contacted, cadence 14d (set on contact) ran out 8 days ago
  Vera Vip — last contact 34 days ago, cadence 30d (tag vip) · vera@example.com

Deals past expected close
  Big deal: EUR 50,000 — expected close 2026-11-13, 10 days ago · Cora Customer · ${CORA}
`;

describe('tb due', () => {
  const dir = fixture();

  it('lists overdue, today, within the window, keep-in-touch by stage/contact/tag and deals past close; not done, cancelled or beyond the window', async () => {
    const before = snapshot(dir);
    const r = await run(dir, ['due']);
    expect(r).toEqual({ stdout: FULL_TEXT, stderr: '', code: 0 });
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('has no ANSI codes when stdout is not a terminal, even without NO_COLOR', async () => {
    const plain = await run(dir, ['due'], { NO_COLOR: undefined, FORCE_COLOR: undefined });
    expect(plain.stdout).toBe(FULL_TEXT);
    // The colour path exists and is what the TTY check switches off.
    expect((await run(dir, ['due'], { NO_COLOR: undefined, FORCE_COLOR: '1' })).stdout).toContain('\u001b[');
  });

  it('--within widens the look-ahead window', async () => {
    const r = await run(dir, ['due', '--within', '2w']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Coming up (next 14 days)
  Ada Lovelace: Prepare workshop — in 7 days · ${ADA}
  Ada Lovelace: Book venue — in 8 days · ${ADA}

Keep in touch`);
  });

  it('--owner NAME and --owner me keep only that owner\'s items', async () => {
    const ria = await run(dir, ['due', '--owner', 'ria']);
    expect(ria).toEqual({
      stdout: `Overdue
  Cora Customer: Ask for decision (deal: Big deal) — 1 day late · ${CORA}

Keep in touch
  Cora Customer — last contact 114 days ago, cadence 90d (stage customer) · ${CORA}
  Vera Vip — last contact 34 days ago, cadence 30d (tag vip) · vera@example.com

Deals past expected close
  Big deal: EUR 50,000 — expected close 2026-11-13, 10 days ago · Cora Customer · ${CORA}
`,
      stderr: '',
      code: 0,
    });
    const me = await run(dir, ['due', '--owner', 'me', '--format', 'json'], { TOUCHBASE_USER: 'sam' });
    const j = JSON.parse(me.stdout);
    const ids = [...j.overdue, ...j.due_today, ...j.upcoming, ...j.keep_in_touch, ...j.deals_past_close].map((i: { id: string }) => i.id);
    expect(ids).toEqual(['2026-11-20-ada-lovelace-send-proposal-r001', '2026-11-23-ada-lovelace-call-ada-r002', '2026-11-30-ada-lovelace-prepare-workshop-r003', 'otto-often']);
  });

  it('refuses an --owner nobody knows, like tb assign --to (the digest would stay empty forever)', async () => {
    expect(await run(dir, ['due', '--owner', 'sma'])).toEqual({ stdout: '', stderr: "tb: unknown owner 'sma' in --owner\ntb: hint: did you mean 'sam'? owners: sam, ria (or me, all)\n", code: 2 });
    expect(await run(dir, ['due', '--owner', 'bob'])).toEqual({ stdout: '', stderr: "tb: unknown owner 'bob' in --owner\ntb: hint: owners: sam, ria (or me, all)\n", code: 2 });
    // me and all still work, me even when it owns nothing yet (a warning, not an error).
    expect((await run(dir, ['due', '--owner', 'all'])).code).toBe(0);
    expect(await run(dir, ['due', '--owner', 'me'], { TOUCHBASE_USER: 'newbie' })).toMatchObject({ stdout: '', code: 0 });
  });

  it('a query keeps items about matching contacts', async () => {
    expect(await run(dir, ['due', 'tag:vip'])).toEqual({ stdout: 'Keep in touch\n  Vera Vip — last contact 34 days ago, cadence 30d (tag vip) · vera@example.com\n', stderr: '', code: 0 });
  });

  it('--format md is ready for mail', async () => {
    const r = await run(dir, ['due', '--format', 'md', '--owner', 'sam']);
    expect(r.stdout).toBe(`# Due 2026-11-23

## Overdue

- **Ada Lovelace**: Send proposal, revised — 3 days late · ${ADA}

## Today

- **Ada Lovelace**: Call Ada — today · ${ADA}

## Coming up (next 7 days)

- **Ada Lovelace**: Prepare workshop — in 7 days · ${ADA}

## Keep in touch

- **Otto Often** — never contacted, cadence 14d (set on contact) ran out 8 days ago
`);
  });

  it('--format json has every section and the documented item shape', async () => {
    const j = JSON.parse((await run(dir, ['due', '--json'])).stdout);
    expect(Object.keys(j)).toEqual(['today', 'within', 'overdue', 'due_today', 'upcoming', 'keep_in_touch', 'deals_past_close', 'cases', 'new_leads']);
    expect(j.today).toBe('2026-11-23');
    expect(j.within).toBe(7);
    expect(j.overdue[1]).toEqual({
      kind: 'reminder',
      id: '2026-11-22-big-deal-ask-for-decision-r007',
      path: 'reminders/2026-11-22-big-deal-ask-for-decision-r007.md',
      date: '2026-11-22',
      days_late: 1,
      text: 'Ask for decision',
      owner: 'ria',
      contact: { id: 'cora-customer', name: 'Cora Customer', channel: 'call', phone: '+44 20 7946 0000' },
      deal: { id: 'big-deal', title: 'Big deal', value: 50000, currency: 'EUR' },
    });
    expect(j.keep_in_touch[2]).toEqual({
      kind: 'keep-in-touch',
      id: 'vera-vip',
      path: 'contacts/vera-vip.md',
      date: '2026-11-19',
      days_late: 4,
      text: 'keep in touch with Vera Vip',
      owner: 'ria',
      contact: { id: 'vera-vip', name: 'Vera Vip', email: 'vera@example.com' },
      cadence: { interval: '30d', source: 'tag', rule: 'vip', last_contact: '2026-10-20' },
    });
    expect(j.deals_past_close.map((i: { id: string; days_late: number }) => [i.id, i.days_late])).toEqual([['big-deal', 10]]);
  });

  it('--format ics parses with ical.js: one VTODO per item, stable UIDs, commas survive', async () => {
    const r = await run(dir, ['due', '--format', 'ics']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(r.stdout.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    const cal = new ICAL.Component(ICAL.parse(r.stdout));
    const todos = cal.getAllSubcomponents('vtodo');
    // 2 overdue + 1 today + 1 coming up + 3 keep in touch + 1 deal.
    expect(todos).toHaveLength(8);
    const byUid = new Map(todos.map((t) => [String(t.getFirstPropertyValue('uid')), t]));
    expect([...byUid.keys()]).toEqual([
      '2026-11-20-ada-lovelace-send-proposal-r001@touchbase',
      '2026-11-22-big-deal-ask-for-decision-r007@touchbase',
      '2026-11-23-ada-lovelace-call-ada-r002@touchbase',
      '2026-11-30-ada-lovelace-prepare-workshop-r003@touchbase',
      'keep-in-touch-cora-customer-2026-10-30@touchbase',
      'keep-in-touch-otto-often-2026-11-15@touchbase',
      'keep-in-touch-vera-vip-2026-11-19@touchbase',
      'deal-close-big-deal-2026-11-13@touchbase',
    ]);
    const first = byUid.get('2026-11-20-ada-lovelace-send-proposal-r001@touchbase')!;
    expect(first.getFirstPropertyValue('summary')).toBe('Ada Lovelace: Send proposal, revised');
    expect(String(first.getFirstPropertyValue('due'))).toBe('2026-11-20');
    expect(first.getFirstPropertyValue('status')).toBe('NEEDS-ACTION');
    expect(byUid.get('keep-in-touch-vera-vip-2026-11-19@touchbase')!.getFirstPropertyValue('summary')).toBe('Keep in touch with Vera Vip');
  });

  it('--exit-code exits 3 when something is due', async () => {
    const r = await run(dir, ['due', '--exit-code']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe(FULL_TEXT);
    expect(r.stderr).toBe('');
  });

  it('rejects a --within that is not a duration', async () => {
    expect(await run(dir, ['due', '--within', 'soon'])).toEqual({ stdout: '', stderr: "tb: --within 'soon' is not a duration\ntb: hint: use e.g. 0d (today only), 7d, 2w, 1m\n", code: 2 });
  });
});

describe('tb due on an empty day', () => {
  // Only things that are not due: a done reminder, a reminder next month, a contact in cadence.
  const dir = fixture({
    'touchbase.yaml': CONFIG,
    'contacts/fine-fellow.md': FILES['contacts/fine-fellow.md'],
    'interactions/2026/11/2026-11-10-fine-fellow-call-cccc.md': FILES['interactions/2026/11/2026-11-10-fine-fellow-call-cccc.md'],
    'reminders/2026-12-20-fine-fellow-later-r001.md': fm({ due: '2026-12-20', text: 'Later', contact: 'fine-fellow', status: 'open' }),
    'reminders/2026-11-20-fine-fellow-done-r002.md': fm({ due: '2026-11-20', text: 'Done', contact: 'fine-fellow', status: 'done', done: '2026-11-20' }),
  });

  it('prints nothing at all and exits 0, in text and md, also with --exit-code', async () => {
    expect(await run(dir, ['due'])).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await run(dir, ['due', '--format', 'md', '--exit-code', '--owner', 'all'])).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('json prints the empty digest so scripts can parse it; ics an empty calendar', async () => {
    const j = await run(dir, ['due', '--json', '--exit-code']);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual({ today: '2026-11-23', within: 7, overdue: [], due_today: [], upcoming: [], keep_in_touch: [], deals_past_close: [], cases: [], new_leads: [] });
    const ics = await run(dir, ['due', '--format', 'ics']);
    expect(new ICAL.Component(ICAL.parse(ics.stdout)).getAllSubcomponents('vtodo')).toHaveLength(0);
  });
});

describe('reminder commands', () => {
  it('tb remind creates a reminder file about a contact or a deal', async () => {
    const dir = fixture();
    const before = snapshot(dir);
    const r = await run(dir, ['remind', 'ada', 'tomorrow', 'Send', 'the', 'deck'], { TOUCHBASE_USER: 'sam' });
    expect(r.code).toBe(0);
    const added = diffSnapshots(before, snapshot(dir)).added;
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^reminders\/2026-11-24-ada-lovelace-send-the-deck-[a-z0-9]{4}\.md$/);
    expect(r.stdout).toBe(`Reminder for ada-lovelace due 2026-11-24: Send the deck (${added[0]})\n`);
    expect(read(dir, added[0])).toBe('---\ndue: 2026-11-24\ntext: Send the deck\ncontact: ada-lovelace\nowner: sam\nstatus: open\n---\n');

    const d = await run(dir, ['remind', 'big-deal', '+3d', 'Chase signature', '--repeat', '2w', '--owner', 'ria']);
    const file = d.stdout.match(/\((reminders\/[^)]+)\)/)![1];
    expect(file).toMatch(/^reminders\/2026-11-26-big-deal-chase-signature-[a-z0-9]{4}\.md$/);
    expect(read(dir, file)).toBe('---\ndue: 2026-11-26\ntext: Chase signature\ndeal: big-deal\nowner: ria\nstatus: open\nrepeat: 2w\n---\n');
  });

  it('tb remind rejects an unreadable date with examples, a bad --repeat, and --repeat-from alone', async () => {
    const dir = fixture({ 'touchbase.yaml': CONFIG, 'contacts/ada-lovelace.md': FILES['contacts/ada-lovelace.md'] });
    expect(await run(dir, ['remind', 'ada', 'someday', 'Call'])).toEqual({
      stdout: '',
      stderr: "tb: cannot understand when 'someday'\ntb: hint: try one of: 2026-12-01, today, tomorrow, +3d, -2w, in 2 weeks, 3 days ago, next friday, end of month\n",
      code: 2,
    });
    expect((await run(dir, ['remind', 'ada', 'tomorrow', 'Call', '--repeat', 'weekly'])).stderr).toBe(
      "tb: --repeat 'weekly' is not an interval\ntb: hint: use e.g. 1w, 2w, 1m, 3m, 1y (days d, weeks w, months m, years y)\n",
    );
    expect(await run(dir, ['remind', 'ada', 'tomorrow', 'Call', '--repeat-from', 'done'])).toEqual({
      stdout: '',
      stderr: 'tb: --repeat-from needs --repeat\ntb: hint: e.g. --repeat 1m --repeat-from done\n',
      code: 2,
    });
    expect(fs.existsSync(path.join(dir, 'reminders'))).toBe(false);
  });

  it('repeat from due across a month end: Jan 31 + 1m → Feb 28 (anchor_day 31) → Mar 31', async () => {
    const dir = fixture({ 'touchbase.yaml': CONFIG, 'contacts/ada-lovelace.md': FILES['contacts/ada-lovelace.md'], 'reminders/.keep': '' });
    const made = await tb(['--dir', dir, '--as-of', '2027-01-31', 'remind', 'ada', 'today', 'Monthly report', '--repeat', '1m']);
    const first = made.stdout.match(/\((reminders\/[^)]+)\)/)![1];
    const jan = await tb(['--dir', dir, '--as-of', '2027-01-31', 'done', 'ada']);
    expect(jan.code).toBe(0);
    const feb = jan.stdout.match(/Next due 2027-02-28 \((reminders\/2027-02-28-ada-lovelace-monthly-report-[a-z0-9]{4}\.md)\)/)![1];
    expect(jan.stdout).toBe(`Done 2027-01-31: Monthly report (${first})\nNext due 2027-02-28 (${feb})\n`);
    expect(read(dir, first)).toBe('---\ndue: 2027-01-31\ntext: Monthly report\ncontact: ada-lovelace\nstatus: done\nrepeat: 1m\ndone: 2027-01-31\n---\n');
    expect(read(dir, feb)).toBe('---\ndue: 2027-02-28\ntext: Monthly report\ncontact: ada-lovelace\nstatus: open\nrepeat: 1m\nanchor_day: 31\n---\n');
    // Completed a day late, on Mar 1: still the end-of-month schedule, Mar 31.
    const mar = await tb(['--dir', dir, '--as-of', '2027-03-01', 'done', 'ada']);
    expect(mar.stdout).toMatch(/^Done 2027-03-01: Monthly report \(reminders\/2027-02-28-[^)]+\)\nNext due 2027-03-31 \(reminders\/2027-03-31-ada-lovelace-monthly-report-[a-z0-9]{4}\.md\)\n$/);
  });

  it('repeat from done counts from the completion day', async () => {
    const dir = fixture({
      'touchbase.yaml': CONFIG,
      'contacts/ada-lovelace.md': FILES['contacts/ada-lovelace.md'],
      'reminders/2027-01-31-ada-lovelace-water-plants-r001.md': fm({ due: '2027-01-31', text: 'Water plants', contact: 'ada-lovelace', owner: 'sam', status: 'open', repeat: '1m', repeat_from: 'done' }),
    });
    const r = await tb(['--dir', dir, '--as-of', '2027-02-03', 'done', '2027-01-31-ada']);
    const next = r.stdout.match(/Next due 2027-03-03 \((reminders\/2027-03-03-ada-lovelace-water-plants-[a-z0-9]{4}\.md)\)/)![1];
    expect(read(dir, next)).toBe('---\ndue: 2027-03-03\ntext: Water plants\ncontact: ada-lovelace\nowner: sam\nstatus: open\nrepeat: 1m\nrepeat_from: done\n---\n');
    expect(read(dir, 'reminders/2027-01-31-ada-lovelace-water-plants-r001.md')).toContain('status: done\n');
  });

  it('snooze moves a reminder out of overdue; cancel takes one out of the digest; done files drop out', async () => {
    const dir = fixture();
    const before = snapshot(dir);
    expect(await run(dir, ['snooze', '2026-11-20-ada', 'next friday'])).toEqual({
      stdout: 'Snoozed to 2026-11-27: Send proposal, revised (reminders/2026-11-20-ada-lovelace-send-proposal-r001.md)\n',
      stderr: '',
      code: 0,
    });
    expect((await run(dir, ['cancel', '2026-11-23-ada-lovelace-call-ada-r002'])).stdout).toBe('Cancelled: Call Ada (reminders/2026-11-23-ada-lovelace-call-ada-r002.md)\n');
    expect((await run(dir, ['done', 'big-deal'])).stdout).toBe('Done 2026-11-23: Ask for decision (reminders/2026-11-22-big-deal-ask-for-decision-r007.md)\n');
    expect(diffSnapshots(before, snapshot(dir))).toEqual({
      added: [],
      removed: [],
      changed: ['reminders/2026-11-20-ada-lovelace-send-proposal-r001.md', 'reminders/2026-11-22-big-deal-ask-for-decision-r007.md', 'reminders/2026-11-23-ada-lovelace-call-ada-r002.md'],
    });
    expect(read(dir, 'reminders/2026-11-20-ada-lovelace-send-proposal-r001.md')).toBe(fm({ due: '2026-11-27', text: '"Send proposal, revised"', contact: 'ada-lovelace', owner: 'sam', status: 'open' }));
    expect(read(dir, 'reminders/2026-11-23-ada-lovelace-call-ada-r002.md')).toBe(fm({ due: '2026-11-23', text: 'Call Ada', contact: 'ada-lovelace', owner: 'sam', status: 'cancelled' }));
    const r = await run(dir, ['due', '--owner', 'sam']);
    expect(r.stdout).toBe(`Coming up (next 7 days)
  Ada Lovelace: Send proposal, revised — in 4 days · ${ADA}
  Ada Lovelace: Prepare workshop — in 7 days · ${ADA}

Keep in touch
  Otto Often — never contacted, cadence 14d (set on contact) ran out 8 days ago
`);
  });

  it('refuses to snooze a done reminder, and names the candidates when a contact has several open ones', async () => {
    const dir = fixture();
    expect(await run(dir, ['snooze', '2026-11-21-ada', 'tomorrow'])).toEqual({
      stdout: '',
      stderr: 'tb: cannot snooze reminder 2026-11-21-ada-lovelace-finished-r005: it is already done (on 2026-11-21) (reminders/2026-11-21-ada-lovelace-finished-r005.md)\n',
      code: 1,
    });
    expect(await run(dir, ['done', 'ada'])).toEqual({
      stdout: '',
      stderr:
        'tb: contact ada-lovelace has 4 open reminders; name one by id\n' +
        'tb: hint: candidates: 2026-11-20-ada-lovelace-send-proposal-r001 (due 2026-11-20), 2026-11-23-ada-lovelace-call-ada-r002 (due 2026-11-23), 2026-11-30-ada-lovelace-prepare-workshop-r003 (due 2026-11-30), 2026-12-01-ada-lovelace-book-venue-r004 (due 2026-12-01)\n',
      code: 1,
    });
    expect(await run(dir, ['cancel', 'fine'])).toEqual({
      stdout: '',
      stderr: 'tb: contact fine-fellow has no open reminder\ntb: hint: see its reminders with: tb list reminders contact:fine-fellow\n',
      code: 1,
    });
  });

  it('logging a touchpoint restarts the keep-in-touch clock', async () => {
    const dir = fixture();
    expect((await run(dir, ['log', 'vera', 'Coffee', '--channel', 'meeting'])).code).toBe(0);
    expect((await run(dir, ['due', '--owner', 'ria'])).stdout).toBe(`Overdue
  Cora Customer: Ask for decision (deal: Big deal) — 1 day late · ${CORA}

Keep in touch
  Cora Customer — last contact 114 days ago, cadence 90d (stage customer) · ${CORA}

Deals past expected close
  Big deal: EUR 50,000 — expected close 2026-11-13, 10 days ago · Cora Customer · ${CORA}
`);
  });
});
