/**
 * `tb pipeline` end to end on a small CRM written by hand. Every expected figure below is worked
 * out by hand from the fixture (see the table in pipelineCrm), never by calling the code under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, tb, tempDir } from './helpers.js';

const CONFIG = `# test pipeline
currency: EUR
rates:
  USD: 0.5
owners:
  sam: { name: Sam Lee, email: sam@example.com }
  ria: { name: Ria Kapoor, email: ria@example.com }
pipeline:
  - { id: lead, probability: 0.1 }
  - { id: proposal, probability: 0.5 }
  - { id: negotiation, probability: 0.8 }
  - { id: won, probability: 1, closed: won }
  - { id: lost, probability: 0, closed: lost }
stale_after: 21d
`;

/**
 * As of 2026-11-23, stale_after 21d:
 *
 * | deal    | stage       | value     | p              | weighted  | owner | created (age)   | expected_close     | last activity   | next step             |
 * |---------|-------------|-----------|----------------|-----------|-------|-----------------|--------------------|-----------------|-----------------------|
 * | alpha   | lead        | 10000 EUR | .1             | 1000 EUR  | sam   | 2026-11-13 (10) | 2026-12-15         | 11-13           | reminder on the deal  |
 * | bravo   | proposal    | 20000 EUR | .3 (override)  | 6000 EUR  | ria   | 2026-10-24 (30) | 2026-11-13 (10 ago)| 11-20 (move)    | none                  |
 * | charlie | negotiation |  8000 USD | .8             | 6400 USD  | sam   | 2026-09-24 (60) | 2026-12-31         | 10-03 (51: stale)| reminder on contact  |
 * | delta   | proposal    |  4000 GBP | .5             | 2000 GBP  | ria   | 2026-11-03 (20) | 2027-01-10         | 11-20 (call)    | reminder on the deal  |
 * | echo    | won         | 50000 EUR | closed: left out of everything                                                                                 |
 * | foxtrot | lost        |  7000 EUR | closed (expected_close 2026-10-01 is past, but it is not open)                                                 |
 *
 * USD converts at 0.5 EUR; GBP has no rate.
 */
function pipelineCrm(): string {
  const dir = tempDir();
  const files: Record<string, string> = {
    'touchbase.yaml': CONFIG,
    'contacts/carol.md': '---\nname: Carol Chen\n---\n',
    'deals/alpha.md': '---\ntitle: Alpha lead\nstage: lead\nvalue: 10000\nowner: sam\ncreated: 2026-11-13\nexpected_close: 2026-12-15\nhistory:\n  - { date: 2026-11-13, stage: lead }\n---\n',
    'deals/bravo.md': '---\ntitle: Bravo proposal\nstage: proposal\nvalue: 20000\nprobability: 0.3\nowner: ria\ncreated: 2026-10-24\nexpected_close: 2026-11-13\nhistory:\n  - { date: 2026-10-24, stage: lead }\n  - { date: 2026-11-20, stage: proposal }\n---\n',
    'deals/charlie.md': '---\ntitle: Charlie US\nstage: negotiation\nvalue: 8000\ncurrency: USD\nowner: sam\ncontacts: [carol]\ncreated: 2026-09-24\nexpected_close: 2026-12-31\nhistory:\n  - { date: 2026-09-24, stage: lead }\n  - { date: 2026-10-03, stage: negotiation }\n---\n',
    'deals/delta.md': '---\ntitle: Delta UK\nstage: proposal\nvalue: 4000\ncurrency: GBP\nowner: ria\ncreated: 2026-11-03\nexpected_close: 2027-01-10\nhistory:\n  - { date: 2026-11-03, stage: proposal }\n---\n',
    'deals/echo.md': '---\ntitle: Echo won\nstage: won\nvalue: 50000\nowner: sam\ncreated: 2026-08-01\nexpected_close: 2026-11-01\nclosed: 2026-11-01\n---\n',
    'deals/foxtrot.md': '---\ntitle: Foxtrot lost\nstage: lost\nvalue: 7000\nowner: ria\ncreated: 2026-08-01\nexpected_close: 2026-10-01\nclosed: 2026-10-01\nlost_reason: price\n---\n',
    'interactions/2026/11/2026-11-20-carol-call-aaaa.md': '---\ndate: 2026-11-20\ncontacts: [carol]\nchannel: call\nsummary: Delta call\ndeal: delta\n---\n',
    'reminders/2026-12-01-alpha-aaaa.md': '---\ndue: 2026-12-01\ntext: Send alpha deck\ndeal: alpha\nstatus: open\n---\n',
    'reminders/2026-12-02-carol-bbbb.md': '---\ndue: 2026-12-02\ntext: Call Carol\ncontact: carol\nstatus: open\n---\n',
    'reminders/2026-12-03-delta-cccc.md': '---\ndue: 2026-12-03\ntext: Delta follow-up\ndeal: delta\nstatus: open\n---\n',
    'reminders/2026-11-01-bravo-dddd.md': '---\ndue: 2026-11-01\ntext: Old bravo task\ndeal: bravo\nstatus: done\ndone: 2026-11-01\n---\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

let dir: string;
const dirs: string[] = [];
beforeAll(() => {
  dir = pipelineCrm();
  dirs.push(dir);
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const run = async (args: string[], env?: Record<string, string | undefined>) => await tb(['--dir', dir, '--as-of', AS_OF, 'pipeline', ...args], { env });
const json = async (args: string[], env?: Record<string, string | undefined>) => {
  const r = await run([...args, '--json'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

describe('tb pipeline --json', () => {
  it('groups open deals by stage with per-currency totals, the probability override and closed deals left out', async () => {
    const j = await json([]);
    expect(j.as_of).toBe(AS_OF);
    expect(j.by).toBe('stage');
    expect(j.currency).toBe('EUR');
    expect(j.count).toBe(4);
    expect(j.groups).toEqual([
      { key: 'lead', label: 'lead', count: 1, totals: [{ currency: 'EUR', count: 1, value: 10000, weighted: 1000 }], average_age_days: 10 },
      {
        key: 'proposal', label: 'proposal', count: 2, average_age_days: 25,
        totals: [
          { currency: 'EUR', count: 1, value: 20000, weighted: 6000 },
          { currency: 'GBP', count: 1, value: 4000, weighted: 2000 },
        ],
      },
      { key: 'negotiation', label: 'negotiation', count: 1, totals: [{ currency: 'USD', count: 1, value: 8000, weighted: 6400 }], average_age_days: 60 },
    ]);
    expect(j.totals).toEqual([
      { currency: 'EUR', count: 2, value: 30000, weighted: 7000 },
      { currency: 'GBP', count: 1, value: 4000, weighted: 2000 },
      { currency: 'USD', count: 1, value: 8000, weighted: 6400 },
    ]);
    // 30000 + 8000 × 0.5; 7000 + 6400 × 0.5. GBP has no rate.
    expect(j.converted).toEqual({ currency: 'EUR', value: 34000, weighted: 10200, unconverted: ['GBP'] });
    expect(j.unconverted).toEqual(['GBP']);
    expect(j.stages).toEqual([
      { stage: 'lead', value: 10000 },
      { stage: 'proposal', value: 20000 },
      { stage: 'negotiation', value: 4000 },
    ]);
  });

  it('lists the deals that need attention: past close, stale, no next step', async () => {
    const { attention } = await json([]);
    expect(attention.past_close).toEqual([
      { id: 'bravo', title: 'Bravo proposal', stage: 'proposal', owner: 'ria', value: 20000, currency: 'EUR', expected_close: '2026-11-13', last_activity: '2026-11-20', days: 10 },
    ]);
    expect(attention.stale).toEqual([
      { id: 'charlie', title: 'Charlie US', stage: 'negotiation', owner: 'sam', value: 8000, currency: 'USD', expected_close: '2026-12-31', last_activity: '2026-10-03', days: 51 },
    ]);
    expect(attention.no_next_step.map((a: { id: string }) => a.id)).toEqual(['bravo']);
  });

  it('--owner filters by owner id or name; --owner me goes through TOUCHBASE_USER', async () => {
    const sam = await json(['--owner', 'sam']);
    expect(sam.count).toBe(2);
    expect(sam.totals).toEqual([
      { currency: 'EUR', count: 1, value: 10000, weighted: 1000 },
      { currency: 'USD', count: 1, value: 8000, weighted: 6400 },
    ]);
    expect(sam.converted).toEqual({ currency: 'EUR', value: 14000, weighted: 4200, unconverted: [] });
    expect(sam.attention.past_close).toEqual([]);
    expect((await json(['--owner', 'Ria Kapoor'])).groups.map((g: { count: number }) => g.count)).toEqual([0, 2, 0]);
    expect((await json(['--owner', 'me'], { TOUCHBASE_USER: 'ria' })).count).toBe(2);
    expect((await json(['--owner', 'all'])).count).toBe(4);
  });

  it('--by month buckets by expected_close into a forecast', async () => {
    const j = await json(['--by', 'month']);
    expect(j.groups.map((g: { key: string; count: number; totals: unknown[]; average_age_days: number }) => [g.key, g.count, g.totals, g.average_age_days])).toEqual([
      ['2026-11', 1, [{ currency: 'EUR', count: 1, value: 20000, weighted: 6000 }], 30],
      ['2026-12', 2, [{ currency: 'EUR', count: 1, value: 10000, weighted: 1000 }, { currency: 'USD', count: 1, value: 8000, weighted: 6400 }], 35],
      ['2027-01', 1, [{ currency: 'GBP', count: 1, value: 4000, weighted: 2000 }], 20],
    ]);
  });

  it('--by owner labels owners by name; a query narrows the deals', async () => {
    expect((await json(['--by', 'owner'])).groups.map((g: { key: string; label: string; count: number }) => [g.key, g.label, g.count])).toEqual([
      ['ria', 'Ria Kapoor', 2],
      ['sam', 'Sam Lee', 2],
    ]);
    const big = await json(['value>=9000']);
    expect(big.count).toBe(2);
    expect(big.totals).toEqual([{ currency: 'EUR', count: 2, value: 30000, weighted: 7000 }]);
    expect(big.converted).toBeNull();
  });

  it('--currency expresses the converted total in another currency with a rate', async () => {
    const j = await json(['--currency', 'usd']);
    // EUR → USD at 1 / 0.5: 30000 × 2 + 8000 = 68000; 7000 × 2 + 6400 = 20400.
    expect(j.currency).toBe('USD');
    expect(j.converted).toEqual({ currency: 'USD', value: 68000, weighted: 20400, unconverted: ['GBP'] });
  });
});

describe('tb pipeline, human and csv output', () => {
  it('prints the table with pretty money, the chart and the attention lists', async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = r.stdout;
    expect(out.split('\n')[0]).toBe('Pipeline by stage: 4 open deals, as of 2026-11-23');
    expect(out).toMatch(/^lead\s+1\s+EUR 10,000\s+EUR 1,000\s+10d$/m);
    expect(out).toMatch(/^proposal\s+2\s+EUR 20,000\s+EUR 6,000\s+25d$/m);
    expect(out).toMatch(/^\s+GBP 4,000\s+GBP 2,000$/m);
    expect(out).toMatch(/^negotiation\s+1\s+USD 8,000\s+USD 6,400\s+60d$/m);
    expect(out).toMatch(/^total\s+4\s+EUR 30,000\s+EUR 7,000$/m);
    expect(out).toMatch(/^all in EUR\s+EUR 34,000\s+EUR 10,200$/m);
    expect(out).toContain('GBP is not converted to EUR: no rate in touchbase.yaml (rates:)');
    expect(out).toContain('Value by stage (EUR; GBP left out)');
    // Bars scale to the largest stage (proposal, 20000 in EUR): lead is half, negotiation a fifth.
    const bars = out.split('\n').filter((l) => /^ {2}(lead|proposal|negotiation) /.test(l));
    const len = (l: string) => (l.match(/[█▏▎▍▌▋▊▉]/g) ?? []).length;
    expect(bars).toHaveLength(3);
    expect(bars[1]).toMatch(/EUR 20,000$/);
    expect(len(bars[0])).toBe(Math.ceil(len(bars[1]) / 2));
    expect(out).not.toMatch(/\u001b\[/);
    expect(out).toContain('Past expected close (1)\n    bravo  Bravo proposal · expected close 2026-11-13, 10 days ago · proposal · EUR 20,000 · ria');
    expect(out).toContain('Stale (no activity or stage change for more than 21d) (1)\n    charlie  Charlie US · last activity 2026-10-03, 51 days ago · negotiation · USD 8,000 · sam');
    expect(out).toContain('No next step (no open reminder on the deal or its contacts) (1)\n    bravo  Bravo proposal · proposal · EUR 20,000 · ria');
    expect(out).not.toMatch(/echo|foxtrot/);
  });

  it('csv has raw numbers, one row per group and currency, then totals', async () => {
    const r = await run(['--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split(/\r?\n/)).toEqual([
      'row,key,label,currency,count,value,weighted,average_age_days',
      'group,lead,lead,EUR,1,10000,1000,10',
      'group,proposal,proposal,EUR,1,20000,6000,25',
      'group,proposal,proposal,GBP,1,4000,2000,25',
      'group,negotiation,negotiation,USD,1,8000,6400,60',
      'total,,,EUR,2,30000,7000,',
      'total,,,GBP,1,4000,2000,',
      'total,,,USD,1,8000,6400,',
      'converted,,,EUR,,34000,10200,',
      '',
    ]);
  });

  it('md is a Markdown table with the same figures', async () => {
    const r = await run(['--format', 'md', '--owner', 'sam']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('## Pipeline by stage: 2 open deals owned by sam, as of 2026-11-23');
    expect(r.stdout).toContain('| lead | 1 | EUR 10,000 | EUR 1,000 | 10d |');
    expect(r.stdout).toContain('| all in EUR |  | EUR 14,000 | EUR 4,200 |  |');
  });

  it('with no open deals it still prints the stages and says nothing needs attention', async () => {
    const r = await run(['value>1000000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pipeline by stage: 0 open deals matching value>1000000, as of 2026-11-23');
    expect(r.stdout).toMatch(/^total\s+0\s+EUR 0\s+EUR 0$/m);
    expect(r.stdout).toContain('Nothing needs attention.');
  });
});

describe('tb pipeline errors', () => {
  it('an unknown --by is a usage error with a suggestion', async () => {
    const r = await run(['--by', 'stages']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tb: cannot group by 'stages'\ntb: hint: did you mean 'stage'?\n");
  });

  it('--currency must be a code, and needs a rate', async () => {
    const bad = await run(['--currency', 'euro']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("tb: --currency must be a 3-letter code like EUR, got 'euro'\n");
    const gbp = await run(['--currency', 'GBP']);
    expect(gbp.code).toBe(2);
    expect(gbp.stderr).toBe('tb: no rate for GBP in touchbase.yaml\ntb: hint: add it under rates: (value in EUR of 1 GBP), or leave out --currency\n');
  });

  it('a bad query fails with exit 2', async () => {
    const r = await run(['valu>3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown field 'valu'");
  });

  it('a broken pipeline config fails with touchbase.yaml:LINE; other config problems only warn', async () => {
    const broken = pipelineCrm();
    dirs.push(broken);
    // Line 10 is the proposal stage, line 13 the lost stage (now a second 'lead'), line 8 'pipeline:'.
    const cfg = CONFIG.replace('{ id: proposal, probability: 0.5 }', '{ id: proposal, probability: 1.5 }').replace('{ id: lost, probability: 0, closed: lost }', '{ id: lead, probability: 0 }');
    fs.writeFileSync(path.join(broken, 'touchbase.yaml'), cfg);
    const r = await tb(['--dir', broken, '--as-of', AS_OF, 'pipeline']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "tb: pipeline stage 'proposal': probability must be a number from 0 to 1, got '1.5' (touchbase.yaml:10)\n" +
        "tb: hint: also touchbase.yaml:13: pipeline stage 'lead' is listed twice; touchbase.yaml:8: pipeline has no stage with 'closed: lost'\n",
    );

    fs.writeFileSync(path.join(broken, 'touchbase.yaml'), CONFIG.replace('USD: 0.5', 'USD: lots'));
    const w = await tb(['--dir', broken, '--as-of', AS_OF, 'pipeline', '--json']);
    expect(w.code).toBe(0);
    expect(w.stderr).toBe('tb: warning: touchbase.yaml:3: rates.USD must be a positive number\n');
    expect(JSON.parse(w.stdout).unconverted).toEqual(['GBP', 'USD']);
  });

  it('a pipeline with only one stage marked gives one clear error', async () => {
    const broken = pipelineCrm();
    dirs.push(broken);
    fs.writeFileSync(path.join(broken, 'touchbase.yaml'), CONFIG.replace(', closed: won }', ' }'));
    const r = await tb(['--dir', broken, '--as-of', AS_OF, 'pipeline']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "tb: pipeline has no stage with 'closed: won' (touchbase.yaml:8)\n" +
        "tb: hint: each stage needs a unique id and a probability from 0 to 1; exactly one stage has 'closed: won' and one 'closed: lost'\n",
    );
  });
});
