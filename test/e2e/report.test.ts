/**
 * `tb report` end to end, on a small CRM written here. Every expected number below was worked out
 * by hand from the fixture (see the comments), never by calling the code under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, diffSnapshots, exampleCopy, snapshot, tb, tempDir } from './helpers.js';

/*
 * Period: October 2026 (--since 2026-10-01 --until 2026-10-31). Today (--as-of): 2026-11-23.
 * Owners sam and ria. Pipeline lead → qualified → proposal → negotiation → won | lost.
 *
 * deal            owner value  created     timeline                                               closed
 * alpha-rollout   sam   10000  2026-08-01  lead 08-01, qualified 09-01, proposal 10-05, won 10-20 10-20  won, cycle 80
 * beta-audit      ria    5000  2026-10-02  lead 10-02, proposal 10-06, qualified 10-09 (backwards),
 *                                          proposal 10-14, won 10-30 (no `closed`: last history)   10-30  won, cycle 28
 * gamma-workshop  sam    2000  2026-10-10  (no history; stage won)                                  10-15  won, cycle 5
 * delta-pilot     sam    3000  2026-10-03  lead 10-03, qualified 10-10, lost 10-17                  10-17  lost (price)
 * epsilon-renewal ria    7000  2026-09-01  lead 09-01, won 11-05                                    11-05  won AFTER the period
 * zeta-study      sam    2000  2026-08-10  lead 08-10, lost 09-25                                   09-25  lost BEFORE the period
 * eta-platform    ria    8000  2026-10-12  lead 10-12, proposal 10-26                               open
 * theta-support   sam    4000  2026-06-01  (no history; stage qualified)                            open
 *
 * Won 3, lost 1 → win rate 3/4 = 75%. Won value 17,000, average 17,000/3 = 5,666.67.
 * Sales cycle: 80, 28, 5 → average 113/3 = 37.67 ("37.7 d"), median 28.
 * Pipeline created in October: beta, gamma, delta, eta → 4 deals, 5000+2000+3000+8000 = 18,000.
 *
 * Stage conversion (entries dated in October; "went further" = a later open stage or won, by 10-31):
 *   lead:        beta 10-02 (→proposal), delta 10-03 (→qualified), eta 10-12 (→proposal) → 3 reached, 3 further, 100%
 *   qualified:   beta 10-09 (→proposal 10-14), delta 10-10 (→lost: not further)         → 2 reached, 1 further, 50%
 *   proposal:    alpha 10-05 (→won), beta 10-06 first (→won), eta 10-26 (still there)   → 3 reached, 2 further, 67%
 *   negotiation: nobody                                                                 → 0, 0, —
 * Days per stage (stays that ended in October):
 *   lead: beta 10-02→10-06 = 4, delta 10-03→10-10 = 7, eta 10-12→10-26 = 14            → 25/3 = 8.3 d
 *   qualified: alpha 09-01→10-05 = 34, beta 10-09→10-14 = 5, delta 10-10→10-17 = 7     → 46/3 = 15.3 d
 *   proposal: alpha 10-05→10-20 = 15, beta 10-06→10-09 = 3, beta 10-14→10-30 = 16      → 34/3 = 11.3 d
 *
 * Interactions (ISO weeks: W40 = 09-28..10-04, W41 = 10-05..11, W42 = 10-12..18, W43 = 10-19..25, W44 = 10-26..11-01):
 *   i1 10-01 email   out sam  ann          W40
 *   i2 10-06 call    in  ria  bob          W41
 *   i3 10-07 meeting out sam  ann  (alpha) W41
 *   i4 10-20 email   out —    bob          W43   (no owner: belongs to bob's owner ria for --owner)
 *   i5 10-22 call    out ria  bob  (beta)  W43
 *   i6 10-23 email   in  sam  cyd          W43
 *   i7 09-15 call    out sam  ann          outside
 *   i8 11-02 email   out sam  ann          outside (ann's last contact)
 *   → 6 in October: email 3, call 2, meeting 1; out 4, in 2; sam 3, ria 2, (none) 1;
 *     weeks 1, 2, 0, 3, 0 → sparkline ▃▆▁█▁ (round(v/3·7) = 2, 5, 0, 7, 0).
 *
 * Contacts: ann customer sam (created 2026-01-10), bob customer ria (10-05), cyd lead sam (10-20),
 *   dee churned ria (churned 10-18), eli churned sam (no date), fox customer sam (created 11-10).
 *   New in October: bob, cyd → 2. Churned in October: dee → 1, plus 1 undated (eli).
 *   Retention risk on 11-23, customer cadence 30d: ann last 11-02 → due 12-02 (fine); bob last
 *   10-22 → due 11-21 → 2 days overdue; fox created 11-10 → due 12-10 (fine). → 1 at risk (bob).
 */
const CONFIG = `name: Fixture Ltd
currency: EUR
owners:
  sam: { name: Sam }
  ria: { name: Ria }
cadence:
  stages: { customer: 30d }
`;

type Front = Record<string, string>;
const FILES: Record<string, Front> = {
  'deals/alpha-rollout.md': { title: 'Alpha rollout', stage: 'won', value: '10000', owner: 'sam', created: '2026-08-01', closed: '2026-10-20', history: '[{date: 2026-08-01, stage: lead}, {date: 2026-09-01, stage: qualified}, {date: 2026-10-05, stage: proposal}, {date: 2026-10-20, stage: won}]' },
  'deals/beta-audit.md': { title: 'Beta audit', stage: 'won', value: '5000', owner: 'ria', created: '2026-10-02', history: '[{date: 2026-10-02, stage: lead}, {date: 2026-10-06, stage: proposal}, {date: 2026-10-09, stage: qualified}, {date: 2026-10-14, stage: proposal}, {date: 2026-10-30, stage: won}]' },
  'deals/gamma-workshop.md': { title: 'Gamma workshop', stage: 'won', value: '2000', owner: 'sam', created: '2026-10-10', closed: '2026-10-15' },
  'deals/delta-pilot.md': { title: 'Delta pilot', stage: 'lost', value: '3000', owner: 'sam', created: '2026-10-03', closed: '2026-10-17', lost_reason: 'price', history: '[{date: 2026-10-03, stage: lead}, {date: 2026-10-10, stage: qualified}, {date: 2026-10-17, stage: lost}]' },
  'deals/epsilon-renewal.md': { title: 'Epsilon renewal', stage: 'won', value: '7000', owner: 'ria', created: '2026-09-01', closed: '2026-11-05', history: '[{date: 2026-09-01, stage: lead}, {date: 2026-11-05, stage: won}]' },
  'deals/zeta-study.md': { title: 'Zeta study', stage: 'lost', value: '2000', owner: 'sam', created: '2026-08-10', closed: '2026-09-25', history: '[{date: 2026-08-10, stage: lead}, {date: 2026-09-25, stage: lost}]' },
  'deals/eta-platform.md': { title: 'Eta platform', stage: 'proposal', value: '8000', owner: 'ria', created: '2026-10-12', history: '[{date: 2026-10-12, stage: lead}, {date: 2026-10-26, stage: proposal}]' },
  'deals/theta-support.md': { title: 'Theta support', stage: 'qualified', value: '4000', owner: 'sam', created: '2026-06-01' },
  'contacts/ann.md': { name: 'Ann Archer', stage: 'customer', owner: 'sam', created: '2026-01-10' },
  'contacts/bob.md': { name: 'Bob Brown', stage: 'customer', owner: 'ria', created: '2026-10-05' },
  'contacts/cyd.md': { name: 'Cyd Cole', stage: 'lead', owner: 'sam', created: '2026-10-20' },
  'contacts/dee.md': { name: 'Dee Dunn', stage: 'churned', owner: 'ria', created: '2025-05-01', churned: '2026-10-18' },
  'contacts/eli.md': { name: 'Eli Eze', stage: 'churned', owner: 'sam' },
  'contacts/fox.md': { name: 'Fox Ford', stage: 'customer', owner: 'sam', created: '2026-11-10' },
  'interactions/2026/10/2026-10-01-ann-email-aaaa.md': { date: '2026-10-01', contacts: '[ann]', channel: 'email', direction: 'out', owner: 'sam', summary: 'Hello' },
  'interactions/2026/10/2026-10-06-bob-call-bbbb.md': { date: '2026-10-06', contacts: '[bob]', channel: 'call', direction: 'in', owner: 'ria', summary: 'Bob called' },
  'interactions/2026/10/2026-10-07-ann-meeting-cccc.md': { date: '2026-10-07', contacts: '[ann]', channel: 'meeting', direction: 'out', owner: 'sam', deal: 'alpha-rollout', summary: 'Kick-off' },
  'interactions/2026/10/2026-10-20-bob-email-dddd.md': { date: '2026-10-20', contacts: '[bob]', channel: 'email', direction: 'out', summary: 'Follow-up' },
  'interactions/2026/10/2026-10-22-bob-call-eeee.md': { date: '2026-10-22', contacts: '[bob]', channel: 'call', direction: 'out', owner: 'ria', deal: 'beta-audit', summary: 'Audit scope' },
  'interactions/2026/10/2026-10-23-cyd-email-ffff.md': { date: '2026-10-23', contacts: '[cyd]', channel: 'email', direction: 'in', owner: 'sam', summary: 'Enquiry' },
  'interactions/2026/09/2026-09-15-ann-call-gggg.md': { date: '2026-09-15', contacts: '[ann]', channel: 'call', direction: 'out', owner: 'sam', summary: 'Before' },
  'interactions/2026/11/2026-11-02-ann-email-hhhh.md': { date: '2026-11-02', contacts: '[ann]', channel: 'email', direction: 'out', owner: 'sam', summary: 'After' },
};

let dir: string;
beforeAll(() => {
  dir = tempDir('tb-report-');
  fs.writeFileSync(path.join(dir, 'touchbase.yaml'), CONFIG);
  for (const folder of ['contacts', 'companies', 'deals', 'interactions', 'reminders']) fs.mkdirSync(path.join(dir, folder), { recursive: true });
  for (const [rel, front] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    const yaml = Object.entries(front).map(([k, v]) => `${k}: ${v}`).join('\n');
    fs.writeFileSync(path.join(dir, rel), `---\n${yaml}\n---\n`);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const OCT = ['--since', '2026-10-01', '--until', '2026-10-31'];
const run = async (args: string[], cwd?: string) => await tb(['--dir', dir, '--as-of', AS_OF, 'report', ...args], { cwd });

describe('tb report on the hand-computed fixture', () => {
  it('prints every KPI for October in the terminal', async () => {
    const r = await run(OCT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const B = (n: number) => '█'.repeat(n);
    expect(r.stdout).toBe(`Fixture Ltd — report 2026-10-01 – 2026-10-31

  Won                3
  Lost               1
  Win rate           75%
  Won value          EUR 17,000
  Average deal       EUR 5,666.67
  Sales cycle        average 37.7 d · median 28 d (3 won deals)
  Pipeline created   4 deals · EUR 18,000
  Interactions       6
  New contacts       2
  Churned            1 (1 more without a date)
  Customers at risk  1

Won value per month (EUR)
  2026-10 ${B(30)} EUR 17,000 (3 won)

Stage conversion
  stage        reached  went further  rate  avg days in stage
  lead         3        3             100%  8.3 d
  qualified    2        1             50%   15.3 d
  proposal     3        2             67%   11.3 d
  negotiation  0        0             —     —

Deals closed (4)
  closed      deal            outcome  value       owner  reason
  2026-10-15  Gamma workshop  won      EUR 2,000   sam
  2026-10-17  Delta pilot     lost     EUR 3,000   sam    price
  2026-10-20  Alpha rollout   won      EUR 10,000  sam
  2026-10-30  Beta audit      won      EUR 5,000   ria

Activity (6 interactions)
  per week, peak 3
    ▃▆▁█▁
    2026-W40 … 2026-W44
  by channel
    email   ${B(30)} 3
    call    ${B(20)}${' '.repeat(10)} 2
    meeting ${B(10)}${' '.repeat(20)} 1
  by direction
    out ${B(30)} 4
    in  ${B(15)}${' '.repeat(15)} 2
  by owner
    sam    ${B(30)} 3
    ria    ${B(20)}${' '.repeat(10)} 2
    (none) ${B(10)}${' '.repeat(20)} 1

Customers past their keep-in-touch cadence on 2026-11-23 (1)
  customer   cadence  last contact  days overdue
  Bob Brown  30d      2026-10-22    2
`);
  });

  it('gives the same numbers as JSON', async () => {
    const r = await run([...OCT, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ since: '2026-10-01', until: '2026-10-31', today: '2026-11-23', currency: 'EUR' });
    expect(j.deals.won).toBe(3);
    expect(j.deals.lost).toBe(1);
    expect(j.deals.winRate).toBe(0.75);
    expect(j.deals.wonValue).toHaveLength(1);
    expect(j.deals.wonValue[0]).toMatchObject({ currency: 'EUR', count: 3, total: 17000 });
    expect(j.deals.wonValue[0].average).toBeCloseTo(17000 / 3, 6);
    expect(j.deals.closed.map((c: { id: string; outcome: string; closed: string }) => `${c.id} ${c.outcome} ${c.closed}`)).toEqual([
      'gamma-workshop won 2026-10-15',
      'delta-pilot lost 2026-10-17',
      'alpha-rollout won 2026-10-20',
      'beta-audit won 2026-10-30',
    ]);
    expect(j.deals.closed[1].lost_reason).toBe('price');
    expect(j.deals.wonByMonth).toEqual([{ month: '2026-10', won: 3, value: [{ currency: 'EUR', value: 17000 }] }]);
    expect(j.deals.cycle.deals).toBe(3);
    expect(j.deals.cycle.averageDays).toBeCloseTo(113 / 3, 6);
    expect(j.deals.cycle.medianDays).toBe(28);
    expect(j.deals.conversion).toEqual([
      { stage: 'lead', reached: 3, advanced: 3, rate: 1 },
      { stage: 'qualified', reached: 2, advanced: 1, rate: 0.5 },
      { stage: 'proposal', reached: 3, advanced: 2, rate: 2 / 3 },
      { stage: 'negotiation', reached: 0, advanced: 0, rate: null },
    ]);
    expect(j.deals.stageDays.map((s: { stage: string; stays: number }) => [s.stage, s.stays])).toEqual([['lead', 3], ['qualified', 3], ['proposal', 3], ['negotiation', 0]]);
    expect(j.deals.stageDays[0].averageDays).toBeCloseTo(25 / 3, 6);
    expect(j.deals.stageDays[1].averageDays).toBeCloseTo(46 / 3, 6);
    expect(j.deals.stageDays[2].averageDays).toBeCloseTo(34 / 3, 6);
    expect(j.deals.stageDays[3].averageDays).toBeNull();
    expect(j.deals.created).toEqual({ count: 4, value: [{ currency: 'EUR', value: 18000 }] });
    expect(j.activity).toEqual({
      total: 6,
      byChannel: [{ key: 'email', count: 3 }, { key: 'call', count: 2 }, { key: 'meeting', count: 1 }, { key: 'message', count: 0 }, { key: 'note', count: 0 }],
      byDirection: [{ key: 'out', count: 4 }, { key: 'in', count: 2 }],
      byOwner: [{ key: 'sam', count: 3 }, { key: 'ria', count: 2 }, { key: '(none)', count: 1 }],
      byWeek: [{ key: '2026-W40', count: 1 }, { key: '2026-W41', count: 2 }, { key: '2026-W42', count: 0 }, { key: '2026-W43', count: 3 }, { key: '2026-W44', count: 0 }],
    });
    expect(j.contacts).toEqual({
      created: 2,
      churned: { inPeriod: 1, undated: 1, ids: ['dee'] },
      retentionRisk: [{ id: 'bob', name: 'Bob Brown', cadence: '30d', last_contact: '2026-10-22', due_since: '2026-11-21', days_overdue: 2 }],
    });
    expect(j.by).toBeUndefined();
  });

  it('--by owner splits deals and interactions per owner', async () => {
    // sam: alpha 10000 + gamma 2000 won, delta lost → 2/3 = 67%; ria: beta 5000 won → 100%.
    // Interactions: sam i1 i3 i6, ria i2 i5, (none) i4.
    const r = await run([...OCT, '--by', 'owner']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('By owner\n')[1]).toBe(`  owner   won  lost  win rate  won value   interactions
  ria     1    0     100%      EUR 5,000   2
  sam     2    1     67%       EUR 12,000  3
  (none)  0    0     —         —           1
`);
  });

  it('--owner keeps one owner\'s deals, contacts and interactions; an interaction without owner goes with its contact', async () => {
    // sam's deals in October: alpha, gamma won, delta lost; cycles 80 and 5 → 42.5.
    // sam's contacts: ann, cyd (new 10-20), eli (churned, undated), fox. Interactions: i1 i3 i6.
    const sam = JSON.parse((await run([...OCT, '--owner', 'sam', '--json'])).stdout);
    expect([sam.deals.won, sam.deals.lost, sam.deals.winRate]).toEqual([2, 1, 2 / 3]);
    expect(sam.deals.wonValue[0]).toMatchObject({ total: 12000, average: 6000 });
    expect([sam.deals.cycle.averageDays, sam.deals.cycle.medianDays]).toEqual([42.5, 42.5]);
    expect(sam.activity.total).toBe(3);
    expect(sam.contacts).toEqual({ created: 1, churned: { inPeriod: 0, undated: 1, ids: [] }, retentionRisk: [] });
    // ria: beta won; interactions i2, i5 and i4 (no owner; its contact bob is ria's).
    const ria = JSON.parse((await run([...OCT, '--owner', 'ria', '--json'])).stdout);
    expect([ria.deals.won, ria.deals.lost, ria.deals.winRate]).toEqual([1, 0, 1]);
    expect(ria.activity.total).toBe(3);
    expect(ria.activity.byOwner).toEqual([{ key: 'ria', count: 2 }, { key: '(none)', count: 1 }]);
    expect(ria.contacts.created).toBe(1);
    expect(ria.contacts.churned.ids).toEqual(['dee']);
    expect(ria.contacts.retentionRisk.map((c: { id: string }) => c.id)).toEqual(['bob']);
  });

  it('--owner me resolves through TOUCHBASE_USER', async () => {
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'report', ...OCT, '--owner', 'me', '--json'], { env: { TOUCHBASE_USER: 'ria' } });
    expect(JSON.parse(r.stdout).deals.won).toBe(1);
  });

  it('a query limits the deals only', async () => {
    // value>=5000: alpha (won), beta (won), epsilon (won in November), eta (open) → 2 won, 0 lost.
    const j = JSON.parse((await run([...OCT, 'value>=5000', '--json'])).stdout);
    expect([j.deals.won, j.deals.lost, j.deals.winRate]).toEqual([2, 0, 1]);
    expect(j.deals.wonValue[0].total).toBe(15000);
    expect(j.deals.created.count).toBe(2); // beta 10-02, eta 10-12
    expect(j.activity.total).toBe(6);
  });

  it('a period with no closed deals shows — rather than NaN or 0%', async () => {
    // July 2026: no deal closed, none created, no interaction, no stage entry.
    const r = await run(['--since', '2026-07-01', '--until', '2026-07-31']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/NaN|Infinity|undefined|null|(^|[^0-9])0%/);
    expect(r.stdout).toContain('  Win rate           —\n');
    expect(r.stdout).toContain('  Won value          EUR 0\n');
    expect(r.stdout).toContain('  Average deal       —\n');
    expect(r.stdout).toContain('  Sales cycle        average — · median — (0 won deals)\n');
    expect(r.stdout).toContain('  lead         0        0             —     —\n');
    expect(r.stdout).toContain('Deals closed (0)\n  none in this period\n');
    const md = (await run(['--since', '2026-07-01', '--until', '2026-07-31', '--format', 'md'])).stdout;
    expect(md).toContain('| Win rate | — |');
    expect(md).not.toMatch(/NaN|(^|[^0-9])0%/);
    const j = JSON.parse((await run(['--since', '2026-07-01', '--until', '2026-07-31', '--json'])).stdout);
    expect(j.deals.winRate).toBeNull();
    expect(j.deals.cycle).toEqual({ deals: 0, averageDays: null, medianDays: null });
    const csv = (await run(['--since', '2026-07-01', '--until', '2026-07-31', '--format', 'csv'])).stdout;
    expect(csv.split(/\r?\n/)).toContain('deals,,win_rate,');
  });

  it('--format csv is one long section,key,metric,value table', async () => {
    const r = await run([...OCT, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split(/\r?\n/);
    expect(lines[0]).toBe('section,key,metric,value');
    for (const l of ['deals,,won,3', 'deals,,lost,1', 'deals,,win_rate,0.75', 'won_value,EUR,average,5666.67', 'sales_cycle,,median_days,28',
      'conversion,proposal,rate,0.6667', 'conversion,negotiation,rate,', 'activity_week,2026-W43,count,3', 'contacts,,churned_undated,1']) {
      expect(lines).toContain(l);
    }
  });

  it('the default period is the last 12 months, this one included', async () => {
    const j = JSON.parse((await run(['--json'])).stdout);
    expect([j.since, j.until]).toEqual(['2025-12-01', '2026-11-23']);
    // 2025-12-01 – 2026-11-23. Won: alpha, beta, gamma, epsilon (11-05) → 4; lost: delta, zeta (09-25) → 2.
    expect([j.deals.won, j.deals.lost]).toEqual([4, 2]);
    expect(j.deals.wonByMonth).toHaveLength(12);
  });

  it('--html writes one self-contained page and nothing else', async () => {
    const out = tempDir('tb-report-html-');
    const before = snapshot(dir);
    const r = await run([...OCT, '--html', 'kpi.html'], out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Wrote the report for 2026-10-01 – 2026-10-31 to kpi.html\n');
    expect(fs.readdirSync(out)).toEqual(['kpi.html']);
    const html = fs.readFileSync(path.join(out, 'kpi.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('<div class="k">Win rate</div><div class="v">75%</div>');
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
    fs.rmSync(out, { recursive: true, force: true });
  });
});

describe('tb report errors', () => {
  it('refuses to write the page inside a record folder', async () => {
    const r = await run(['--html', 'contacts/report.html'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tb: refusing to write the report inside the record folder contacts/ (contacts/report.html)\ntb: hint: write it next to touchbase.yaml or outside the CRM directory\n');
    expect(fs.existsSync(path.join(dir, 'contacts', 'report.html'))).toBe(false);
  });

  it('refuses to overwrite touchbase.yaml', async () => {
    const r = await run(['--html', 'touchbase.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('tb: refusing to overwrite touchbase.yaml with the report');
    expect(fs.readFileSync(path.join(dir, 'touchbase.yaml'), 'utf8')).toBe(CONFIG);
  });

  it('refuses to write the page over the CRM directory itself', async () => {
    const r = await run(['--html', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('tb: refusing to overwrite the CRM directory with the report');
  });

  it('needs a file name for --html', async () => {
    const r = await run(['--html', '']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('tb: --html needs a file name, e.g. --html report.html');
  });

  it('rejects an unknown --by with a suggestion', async () => {
    const r = await run(['--by', 'onwer']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("tb: --by 'onwer' is not one of: owner, channel, month, stage");
    expect(r.stderr).toContain('owner');
    expect(r.stdout).toBe('');
  });

  it('rejects a period that ends before it starts', async () => {
    const r = await run(['--since', '2026-11-01', '--until', '2026-10-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tb: --since 2026-11-01 is after --until 2026-10-01\n');
  });

  it('rejects a date it cannot read', async () => {
    const r = await run(['--since', 'last fortnight']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("tb: cannot understand --since date 'last fortnight'");
  });

  it('rejects an empty --owner', async () => {
    const r = await run(['--owner', ' ']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tb: --owner needs a value: me, a name, or all\n');
  });

  it('rejects a format it does not have', async () => {
    const r = await run(['--format', 'ics']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("tb: unsupported --format 'ics' for this command");
  });

  it('a near miss of a sub-report is a usage error, not a full-text query (with or without its options)', async () => {
    for (const args of [['atribution'], ['atribution', '--model', 'u-shaped'], ['--since', '2026-10-01', 'atribution'], ['case']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toMatch(/^tb: unknown report '(atribution|case)'/);
      expect(r.stderr).toMatch(/tb: hint: did you mean '(attribution|cases)'\?/);
      expect(r.stdout).toBe('');
    }
    // Query syntax or an unrelated word stays a query.
    const q = await run([...OCT, 'stage:won', '--json']);
    expect(q.stderr).toBe('');
    expect(q.code).toBe(0);
    expect((await run([...OCT, 'alpha', '--json'])).code).toBe(0);
  });

  it('reports a bad query with its position', async () => {
    const r = await run(['value=>5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tb: .*column/);
  });
});

describe('tb report --html never clobbers', () => {
  it('refuses an existing non-HTML file and a symlink into a record folder; overwrites its own page', async () => {
    const dir = exampleCopy();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    fs.mkdirSync(path.join(dir, 'out'));
    fs.symlinkSync('../contacts', path.join(dir, 'out', 'c'));
    const run = async (file: string) => await tb(['--dir', dir, '--as-of', '2026-11-23', 'report', '--html', file], { cwd: dir });
    expect(await run('notes.txt')).toMatchObject({ code: 2 });
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    const link = await run('out/c/new.html');
    expect(link.code).toBe(2);
    expect(link.stderr).toContain('out/c is a symbolic link (tb never writes through links)');
    expect((await run('r.html')).code).toBe(0);
    expect((await run('r.html')).code).toBe(0);
  });
});
