/**
 * Lead scoring and assignment end to end (docs/scoring.md): tb list/score/show with the derived
 * score, tb check on the rules, tb assign (territories, round-robin across runs, balanced,
 * --reassign, --dry-run, autocommit), the New leads section of tb due, and the lead figures of
 * tb report. Every expected score is worked out by hand in the comments.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { read, snapshot, diffSnapshots, tb, tempDir } from './helpers.js';
import { parseRecordText } from '../../src/store/frontmatter.js';

const TODAY = '2026-12-01';

const CONFIG = `# Scoring test CRM
name: Scoring test
owners:
  sam: { name: Sam Lee, email: sam@example.com }
  kim: { name: Kim Park, email: kim@example.com }
  lee: { name: Lee Chen, email: lee@example.com }
scoring:
  rules:
    - { when: "company.size>=100", points: 30, label: Large company }
    - { when: "title:CTO,CEO", points: 20, label: Decision maker }
    - { when: "interactions>=1", points: 40, label: Engaged, decay: 30d }
    - { when: "tag:competitor", points: -50, label: Competitor }
  min: 0
  max: 100
# Berlin is Kim's territory.
assignment:
  - { when: "location:Berlin", owner: kim }
`;

const contact = (fields: string) => `---\n${fields.trim()}\n---\n`;

/**
 * Scores on 2026-12-01:
 * - ada: large (30) + CTO (20) + engaged 40 × 0.5 (last touch 2026-11-01, 30 days) = 70
 * - dee: CEO (20) + engaged 40 (touched today) = 60; in Berlin
 * - bob: large (30) = 30
 * - cy:  CEO (20) + competitor (−50) = −30, clamped to 0
 * - eve, fay, gus: 0
 */
const FILES: Record<string, string> = {
  'touchbase.yaml': CONFIG,
  'companies/acme.md': contact('name: Acme\nsize: 500'),
  'companies/tiny.md': contact('name: Tiny\nsize: 5'),
  'contacts/ada.md': contact('name: Ada Lovelace\ncompany: acme\ntitle: CTO\nstage: lead\nemails: [ada@acme.example]'),
  'contacts/bob.md': contact('name: Bob Byte\ncompany: acme\ntitle: Engineer\nstage: lead'),
  'contacts/cy.md': contact('name: Cy Rival\ntitle: CEO\ntags: [competitor]'),
  'contacts/dee.md': contact('name: Dee Berg\ncompany: tiny\ntitle: CEO\nlocation: Berlin'),
  'contacts/eve.md': contact('name: Eve Small\ncompany: tiny\nstage: lead'),
  'contacts/fay.md': contact('name: Fay Owned\nowner: sam\nstage: lead'),
  'contacts/gus.md': contact('name: Gus Owned\nowner: sam\nstage: prospect'),
  'interactions/2026/11/2026-11-01-ada-call-a1b2.md': contact('date: 2026-11-01\ncontacts: [ada]\nchannel: call\nsummary: First call'),
  'interactions/2026/12/2026-12-01-dee-meeting-c3d4.md': contact('date: 2026-12-01\ncontacts: [dee]\nchannel: meeting\nsummary: Demo'),
  'deals/acme-pilot.md': contact('title: Acme pilot\ncompany: acme\ncontacts: [ada]\nstage: won\nvalue: 9000\ncreated: 2026-10-01\nclosed: 2026-11-15\nhistory:\n  - { date: 2026-10-01, stage: lead }\n  - { date: 2026-11-15, stage: won }'),
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function crm(files: Record<string, string> = FILES): Promise<string> {
  const dir = tempDir('tb-scoring-');
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const run = async (dir: string, args: string[], asOf = TODAY) => await tb(['--as-of', asOf, '--dir', dir, ...args]);
const json = async (dir: string, args: string[], asOf = TODAY) => {
  const r = await run(dir, [...args, '--json'], asOf);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
const fm = (dir: string, id: string) => parseRecordText(read(dir, `contacts/${id}.md`), `contacts/${id}.md`).data;

describe('the derived score', () => {
  it('is a query field, sorts, and shows in JSON and as a table column', async () => {
    const dir = await crm();
    const rows = await json(dir, ['list', 'contacts', 'score>=30', '--sort', '-score']);
    expect(rows.map((r: { id: string; derived: { score: number } }) => [r.id, r.derived.score])).toEqual([['ada', 70], ['dee', 60], ['bob', 30]]);
    const table = await run(dir, ['list', 'contacts', 'score>0', '--sort', '-score']);
    expect(table.stdout.split('\n')[0]).toMatch(/\bscore\s*$/);
    expect(table.stdout).toMatch(/^ada .* 70\s*$/m);
    // Companies: the best of their contacts'.
    const companies = await json(dir, ['list', 'companies', '--sort', '-score']);
    expect(companies.map((c: { id: string; derived: { score: number } }) => [c.id, c.derived.score])).toEqual([['acme', 70], ['tiny', 60]]);
  });

  it('tb score explains every rule; --top ranks', async () => {
    const dir = await crm();
    const ada = await json(dir, ['score', 'ada']);
    expect(ada).toMatchObject({ id: 'ada', score: 70, raw: 70, min: 0, max: 100 });
    expect(ada.rules.map((r: { label: string; matched: boolean; earned: number }) => [r.label, r.matched, r.earned])).toEqual([
      ['Large company', true, 30], ['Decision maker', true, 20], ['Engaged', true, 20], ['Competitor', false, 0],
    ]);
    expect(ada.rules[2].decay).toEqual({ every: '30d', since: '2026-11-01', days: 30, factor: 0.5 });
    const cy = await json(dir, ['score', 'cy']);
    expect(cy).toMatchObject({ score: 0, raw: -30 });
    const text = await run(dir, ['score', 'cy']);
    expect(text.stdout).toContain('-30 clamped to 0 (min 0)');
    const top = await json(dir, ['score', '--top', '2']);
    expect(top.map((r: { id: string; score: number }) => [r.id, r.score])).toEqual([['ada', 70], ['dee', 60]]);
    expect(top[0].matched).toEqual(['Large company', 'Decision maker', 'Engaged']);
    const leads = await json(dir, ['score', '--top', '5', 'stage:lead']);
    expect(leads.map((r: { id: string }) => r.id)).toEqual(['ada', 'bob', 'eve', 'fay']);
  });

  it('tb show lists the matched rules', async () => {
    const dir = await crm();
    const r = await run(dir, ['show', 'ada']);
    expect(r.stdout).toMatch(/^Score 70$/m);
    expect(r.stdout).toMatch(/\+30 {2}Large company {2}company\.size>=100/);
    expect(r.stdout).toMatch(/\+20 {2}Engaged {2}interactions>=1 {2}40 × 0\.5 \(30 days since 2026-11-01, halves every 30d\)/);
    const j = await json(dir, ['show', 'ada']);
    expect(j.derived.score).toBe(70);
    expect(j.score_breakdown).toHaveLength(4);
  });

  it('without scoring: no column, and score is an unknown field', async () => {
    const dir = await crm({ ...FILES, 'touchbase.yaml': 'name: Plain\n' });
    const table = await run(dir, ['list', 'contacts']);
    expect(table.stdout.split('\n')[0]).not.toMatch(/score/);
    const r = await run(dir, ['list', 'contacts', 'score>=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown field 'score'/);
    expect((await run(dir, ['score', 'ada'])).stderr).toMatch(/no scoring rules configured/);
  });
});

describe('tb check', () => {
  it('reports rules that do not compile, with did-you-mean, and rules that use the score', async () => {
    const bad = CONFIG.replace('title:CTO,CEO', 'titel:CTO,CEO').replace('tag:competitor', 'score>10').replace('location:Berlin', 'locaton:Berlin');
    const dir = await crm({ ...FILES, 'touchbase.yaml': bad });
    const r = await run(dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/touchbase\.yaml:\d+: error: scoring rule 2 \('Decision maker'\): unknown field 'titel'.*did you mean 'title'/);
    expect(r.stdout).toMatch(/scoring rule 4 \('Competitor'\) uses score itself/);
    expect(r.stdout).toMatch(/assignment rule 1 \('locaton:Berlin'\): unknown field 'locaton'.*did you mean 'location'/);
  });

  it('is quiet about good rules', async () => {
    const dir = await crm();
    const r = await run(dir, ['check']);
    expect(r.code).toBe(0);
  });
});

describe('tb assign', () => {
  it('territory first, then round-robin by score; a second run continues the rotation', async () => {
    const dir = await crm();
    // Run 1 over score>=30: ada (70) → sam, dee (60) → kim by the Berlin rule, bob (30) → lee.
    const first = await json(dir, ['assign', 'score>=30', '--to', 'sam,lee,kim']);
    expect(first.assignments.map((a: { id: string; owner: string; by: string }) => [a.id, a.owner, a.by])).toEqual([
      ['ada', 'sam', 'round-robin'], ['dee', 'kim', 'rule'], ['bob', 'lee', 'round-robin'],
    ]);
    expect(first).toMatchObject({ dry_run: false, strategy: 'round-robin', round_robin_last: 'lee' });
    expect(fm(dir, 'ada')).toMatchObject({ owner: 'sam', assigned: TODAY });
    expect(fm(dir, 'dee')).toMatchObject({ owner: 'kim', assigned: TODAY });
    const config = read(dir, 'touchbase.yaml');
    expect(config).toContain("# Berlin is Kim's territory.");
    expect(config).toMatch(/round_robin:\n {2}last: lee\n/);
    // Run 2: the rest (cy, eve: both 0, by id) continue after lee: kim, then sam.
    const second = await json(dir, ['assign', '--to', 'sam,lee,kim']);
    expect(second.assignments.map((a: { id: string; owner: string }) => [a.id, a.owner])).toEqual([['cy', 'kim'], ['eve', 'sam']]);
    expect(read(dir, 'touchbase.yaml')).toMatch(/round_robin:\n {2}last: "?sam"?\n/);
    // Nothing left without an owner.
    const third = await run(dir, ['assign', '--to', 'sam']);
    expect(third.stderr).toMatch(/no leads to assign/);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const dir = await crm();
    const before = snapshot(dir);
    const r = await run(dir, ['assign', '--to', 'sam,lee', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ada +Ada Lovelace +70 +sam +round-robin/m);
    expect(r.stdout).toMatch(/^dee +Dee Berg +60 +kim +rule: location:Berlin/m);
    expect(r.stdout).toContain('Dry run: would assign 5 leads; nothing written');
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('balanced gives each lead to the owner with the fewest open leads', async () => {
    const dir = await crm();
    // sam starts with 2 open leads (fay: lead, gus: prospect), lee with 0. ada → lee (1); dee → kim
    // (rule); bob → lee (2); cy → sam (tie 2–2, listed first; 3); eve → lee (3).
    const r = await json(dir, ['assign', '--to', 'sam,lee', '--strategy', 'balanced']);
    expect(r.assignments.map((a: { id: string; owner: string }) => [a.id, a.owner])).toEqual([['ada', 'lee'], ['dee', 'kim'], ['bob', 'lee'], ['cy', 'sam'], ['eve', 'lee']]);
    expect(r.round_robin_last).toBeNull();
    expect(read(dir, 'touchbase.yaml')).not.toContain('round_robin');
  });

  it('--reassign also moves owned contacts; unchanged ones are not rewritten', async () => {
    const dir = await crm();
    const fay = read(dir, 'contacts/fay.md');
    const r = await json(dir, ['assign', 'owner:sam', '--to', 'lee,sam', '--reassign']);
    // fay and gus (both 0, by id): fay → lee, gus → sam (already his: unchanged).
    expect(r.assignments.map((a: { id: string; from: string; owner: string; changed: boolean }) => [a.id, a.from, a.owner, a.changed])).toEqual([
      ['fay', 'sam', 'lee', true], ['gus', 'sam', 'sam', false],
    ]);
    expect(fm(dir, 'fay')).toMatchObject({ owner: 'lee', assigned: TODAY });
    expect(fm(dir, 'gus')).not.toHaveProperty('assigned');
    expect(read(dir, 'contacts/fay.md')).not.toBe(fay);
  });

  it('usage errors: unknown owner, unknown strategy', async () => {
    const dir = await crm();
    const owner = await run(dir, ['assign', '--to', 'sma']);
    expect(owner.code).toBe(2);
    expect(owner.stderr).toMatch(/unknown owner 'sma'[\s\S]*did you mean 'sam'/);
    const strategy = await run(dir, ['assign', '--to', 'sam', '--strategy', 'balance']);
    expect(strategy.code).toBe(2);
    expect(strategy.stderr).toMatch(/did you mean 'balanced'/);
  });

  it('with autocommit, one commit for the whole run', async () => {
    const dir = await crm({ ...FILES, 'touchbase.yaml': `${CONFIG}git: { autocommit: true }\n` });
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' } }).stdout;
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'start');
    const r = await run(dir, ['assign', '--to', 'sam,lee']);
    expect(r.code).toBe(0);
    expect(git('rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(git('log', '-1', '--format=%s').trim()).toBe('assign: 5 leads (round-robin)');
    expect(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort()).toEqual(['contacts/ada.md', 'contacts/bob.md', 'contacts/cy.md', 'contacts/dee.md', 'contacts/eve.md', 'touchbase.yaml']);
    expect(git('status', '--porcelain').trim()).toBe('');
  });
});

describe('tb due: New leads', () => {
  it('lists leads assigned to the owner and untouched since; nothing once touched and past --within', async () => {
    const dir = await crm();
    await run(dir, ['assign', 'score>=30', '--to', 'sam,lee']);
    // Two days later: ada (assigned 2026-12-01, last touch 2026-11-01) is Sam's new lead; her
    // engagement has decayed to 40 × 0.5^(32/30) = 19.1, so she scores 30 + 20 + 19.1 = 69.1.
    const due = await run(dir, ['due', '--owner', 'sam'], '2026-12-03');
    expect(due.stdout).toBe('New leads\n  Ada Lovelace: score 69.1 — assigned to sam 2 days ago · ada@acme.example\n');
    const j = await json(dir, ['due', '--owner', 'sam'], '2026-12-03');
    expect(j.new_leads).toEqual([
      { kind: 'new-lead', id: 'ada', path: 'contacts/ada.md', date: TODAY, days_late: 2, text: 'new lead Ada Lovelace', owner: 'sam', contact: { id: 'ada', name: 'Ada Lovelace', email: 'ada@acme.example' }, score: 69.1 },
    ]);
    // Sam calls Ada; ten days after the assignment it is no longer new: nothing due, nothing printed.
    expect((await run(dir, ['log', 'ada', 'Intro call', '--channel', 'call', '--date', '2026-12-02'], '2026-12-02')).code).toBe(0);
    const later = await run(dir, ['due', '--owner', 'sam'], '2026-12-11');
    expect(later).toMatchObject({ code: 0, stdout: '' });
    // Within --within it still shows, touched or not.
    expect((await run(dir, ['due', '--owner', 'sam', '--within', '14d'], '2026-12-11')).stdout).toMatch(/^New leads\n {2}Ada Lovelace/);
  });
});

describe('tb report: lead figures', () => {
  it('leads by score band with conversion to won deals, and by owner', async () => {
    const dir = await crm();
    const r = await json(dir, ['report', '--since', '2026-01-01']);
    // ada (70) and dee (60) are in 50–74; ada is on the won Acme pilot: 1 of 2.
    expect(r.leads.bands).toEqual([
      { band: '<25', leads: 4, contacts: 4, won: 0, conversion: 0 },
      { band: '25–49', leads: 1, contacts: 1, won: 0, conversion: 0 },
      { band: '50–74', leads: 2, contacts: 2, won: 1, conversion: 0.5 },
      { band: '75+', leads: 0, contacts: 0, won: 0, conversion: null },
    ]);
    // Unassigned: ada, bob, cy, dee, eve — (70 + 30 + 0 + 60 + 0) / 5 = 32.
    expect(r.leads.byOwner).toEqual([
      { owner: 'sam', leads: 2, averageScore: 0, assignedInPeriod: 0 },
      { owner: '(none)', leads: 5, averageScore: 32, assignedInPeriod: 0 },
    ]);
    const text = await run(dir, ['report', '--since', '2026-01-01']);
    expect(text.stdout).toMatch(/Leads by score band[\s\S]*50–74 +2 +2 +1 +50%/);
    expect(text.stdout).toMatch(/Open leads by owner[\s\S]*\(none\) +5 +32 +0/);
    const html = path.join(dir, 'report.html');
    expect((await run(dir, ['report', '--since', '2026-01-01', '--html', html])).code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/<h2>Leads by score band<\/h2>[\s\S]*<td>50–74<\/td><td class="n">2<\/td><td class="n">2<\/td><td class="n">1<\/td><td class="n">50%<\/td>/);
  });
});
