/** `tb deal move|won|lost|reopen` (and `tb set stage=`) end to end: round-trip edits of one file. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, diffSnapshots, read, snapshot, tb, tempDir } from './helpers.js';

const CONFIG = `currency: EUR
pipeline:
  - { id: lead, probability: 0.1 }
  - { id: proposal, probability: 0.5 }
  - { id: negotiation, probability: 0.8 }
  - { id: won, probability: 1, closed: won }
  - { id: lost, probability: 0, closed: lost }
`;

const DEAL = `---
# Kept by hand: do not reorder
title: Acme renewal   # the 2027 one
stage: lead
value: 12000
history:
  - { date: 2026-10-01, stage: lead }   # met at the fair
owner: sam
---

# Notes

Ada wants a fixed price. ✨
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function crm(extra: Record<string, string> = {}): string {
  const dir = tempDir();
  dirs.push(dir);
  const files: Record<string, string> = { 'touchbase.yaml': CONFIG, 'deals/acme-renewal.md': DEAL, 'deals/beta-pilot.md': '---\ntitle: Beta pilot\nstage: proposal\nvalue: 500\n---\n', ...extra };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const deal = async (dir: string, args: string[], env?: Record<string, string>) => await tb(['--dir', dir, '--as-of', AS_OF, 'deal', ...args], { env });

describe('tb deal: stage history survives', () => {
  it('after three moves the file has the original entries plus three; comments and body are untouched', async () => {
    const dir = crm();
    const before = snapshot(dir);
    const a = await deal(dir, ['move', 'acme', 'proposal', '--date', '2026-11-01']);
    expect(a).toEqual({ code: 0, stderr: '', stdout: 'Moved deal acme-renewal from lead to proposal on 2026-11-01 (deals/acme-renewal.md)\n' });
    const b = await deal(dir, ['move', 'Acme renewal', 'negotiation', '--date', '-13d']);
    expect(b.stdout).toBe('Moved deal acme-renewal from proposal to negotiation on 2026-11-10 (deals/acme-renewal.md)\n');
    const c = await deal(dir, ['won', 'acme-renewal']);
    expect(c.stdout).toBe('Moved deal acme-renewal from negotiation to won on 2026-11-23 (deals/acme-renewal.md)\n');
    expect(read(dir, 'deals/acme-renewal.md')).toBe(`---
# Kept by hand: do not reorder
title: Acme renewal   # the 2027 one
stage: won
value: 12000
history:
  - { date: 2026-10-01, stage: lead }   # met at the fair
  - { date: 2026-11-01, stage: proposal }
  - { date: 2026-11-10, stage: negotiation }
  - { date: 2026-11-23, stage: won }
owner: sam
closed: 2026-11-23
---

# Notes

Ada wants a fixed price. ✨
`);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: ['deals/acme-renewal.md'] });
  });

  it('lost with a reason sets closed and lost_reason; reopen goes back to the last open stage and clears both', async () => {
    const dir = crm();
    await deal(dir, ['move', 'acme', 'negotiation', '--date', '2026-11-02']);
    const lost = await deal(dir, ['lost', 'acme', '--reason', 'went with a bigger firm', '--date', '2026-11-20']);
    expect(lost.stdout).toBe('Moved deal acme-renewal from negotiation to lost on 2026-11-20 (reason: went with a bigger firm) (deals/acme-renewal.md)\n');
    expect(read(dir, 'deals/acme-renewal.md')).toContain('  - { date: 2026-11-20, stage: lost }\nowner: sam\nclosed: 2026-11-20\nlost_reason: went with a bigger firm\n---\n');
    const reopen = await deal(dir, ['reopen', 'acme']);
    expect(reopen.stdout).toBe('Moved deal acme-renewal from lost to negotiation on 2026-11-23 (deals/acme-renewal.md)\n');
    const text = read(dir, 'deals/acme-renewal.md');
    expect(text).toContain('stage: negotiation\n');
    expect(text).toContain('  - { date: 2026-11-20, stage: lost }\n  - { date: 2026-11-23, stage: negotiation }\nowner: sam\n---\n');
    expect(text).not.toMatch(/closed|lost_reason/);
  });

  it('reopen into a named stage', async () => {
    const dir = crm();
    await deal(dir, ['won', 'beta']);
    const r = await deal(dir, ['reopen', 'beta', 'lead']);
    expect(r.stdout).toBe('Moved deal beta-pilot from won to lead on 2026-11-23 (deals/beta-pilot.md)\n');
    // A deal without history first gets its current stage (no created date: none), then each move.
    expect(read(dir, 'deals/beta-pilot.md')).toBe('---\ntitle: Beta pilot\nstage: lead\nvalue: 500\nhistory:\n  - date: 2026-11-23\n    stage: won\n  - date: 2026-11-23\n    stage: lead\n---\n');
  });

  it('--json prints the updated record', async () => {
    const dir = crm();
    const r = await deal(dir, ['move', 'acme', 'proposal', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'acme-renewal', stage: 'proposal', history: [{ date: '2026-10-01', stage: 'lead' }, { date: AS_OF, stage: 'proposal' }] });
  });

  it('tb set stage= takes the same path: history appended in the file\'s style, closed set', async () => {
    const dir = crm();
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'set', 'acme', 'stage=lost', 'lost_reason=timing']);
    expect(r.code).toBe(0);
    expect(read(dir, 'deals/acme-renewal.md')).toContain('stage: lost\nvalue: 12000\nhistory:\n  - { date: 2026-10-01, stage: lead }   # met at the fair\n  - { date: 2026-11-23, stage: lost }\nowner: sam\nlost_reason: timing\nclosed: 2026-11-23\n---\n');
  });

  it('autocommits with the message "deal: <id> → <stage>"', async () => {
    const dir = crm({ 'touchbase.yaml': `${CONFIG}git: { autocommit: true }\n` });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'start');
    expect((await deal(dir, ['move', 'acme', 'proposal'])).code).toBe(0);
    expect(git('log', '-1', '--format=%s')).toBe('deal: acme-renewal → proposal\n');
    expect(git('status', '--porcelain')).toBe('');
  });
});

describe('tb deal: no-ops and errors', () => {
  it('moving to the stage it is in says so, exits 0 and leaves the file alone', async () => {
    const dir = crm();
    const before = snapshot(dir);
    const r = await deal(dir, ['move', 'acme', 'lead']);
    expect(r).toEqual({ code: 0, stderr: '', stdout: "deal 'acme-renewal' is already in stage 'lead'\n" });
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('reopening an open deal is a no-op', async () => {
    const dir = crm();
    const before = snapshot(dir);
    const r = await deal(dir, ['reopen', 'acme']);
    expect(r).toEqual({ code: 0, stderr: '', stdout: "deal 'acme-renewal' is not closed (stage 'lead'); nothing to reopen\n" });
    expect(diffSnapshots(before, snapshot(dir)).changed).toEqual([]);
  });

  it('an unknown stage fails with exit 2 and lists the valid ones', async () => {
    const dir = crm();
    const before = snapshot(dir);
    const r = await deal(dir, ['move', 'acme', 'negotation']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("tb: unknown stage 'negotation'\ntb: hint: did you mean 'negotiation'? valid stages: lead, proposal, negotiation, won, lost\n");
    expect(diffSnapshots(before, snapshot(dir)).changed).toEqual([]);
  });

  it('an unknown deal fails with exit 1', async () => {
    const r = await deal(crm(), ['won', 'zeta']);
    expect(r.code).toBe(1);
    // The first word of an id one letter off is suggested (core/resolve.ts).
    expect(r.stderr).toBe("tb: no deal matches 'zeta'\ntb: hint: did you mean 'beta-pilot'?\n");
  });

  it('reopen into a closed stage is a usage error', async () => {
    const dir = crm();
    await deal(dir, ['won', 'acme']);
    const r = await deal(dir, ['reopen', 'acme', 'lost']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tb: cannot reopen into 'lost': it is a closed stage\ntb: hint: open stages: lead, proposal, negotiation\n");
  });

  it('reopen without an open stage in history asks for one', async () => {
    const dir = crm({ 'deals/gone.md': '---\ntitle: Gone\nstage: lost\nclosed: 2026-01-01\n---\n' });
    const r = await deal(dir, ['reopen', 'gone']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tb: deal 'gone' has no open stage in its history\ntb: hint: name one: tb deal reopen gone <stage> (open stages: lead, proposal, negotiation)\n");
  });

  it('a date that cannot be read is a usage error', async () => {
    const r = await deal(crm(), ['move', 'acme', 'proposal', '--date', 'someday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tb: cannot understand --date 'someday'\ntb: hint: try one of: /);
  });

  it('a date before the last stage change is written but warned about', async () => {
    const dir = crm();
    const r = await deal(dir, ['move', 'acme', 'proposal', '--date', '2026-09-01']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("tb: warning: 2026-09-01 is before the deal's last stage change (2026-10-01, lead)\n");
  });

  it('a missing or unknown subcommand is a usage error', async () => {
    const dir = crm();
    expect(await deal(dir, [])).toEqual({ code: 2, stdout: '', stderr: 'tb: missing subcommand\ntb: hint: use one of: move, won, lost, reopen (tb deal --help)\n' });
    expect(await deal(dir, ['mvoe', 'acme', 'lead'])).toEqual({ code: 2, stdout: '', stderr: "tb: unknown subcommand 'deal mvoe'\ntb: hint: did you mean 'move'?\n" });
  });

  it('a broken pipeline config stops stage changes with the line', async () => {
    const dir = crm({ 'touchbase.yaml': CONFIG.replace('{ id: won, probability: 1, closed: won }', '{ id: won, probability: 1, closed: lost }') });
    const before = snapshot(dir);
    const r = await deal(dir, ['won', 'acme']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "tb: pipeline has no stage with 'closed: won' (touchbase.yaml:2)\ntb: hint: also touchbase.yaml:2: pipeline has more than one 'closed: lost' stage\n",
    );
    expect(diffSnapshots(before, snapshot(dir)).changed).toEqual([]);
  });
});
