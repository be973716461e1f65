/**
 * The index in .touchbase/ is a pure speed-up: every listing is byte-identical with a fresh index,
 * a warm one, and none at all — on the example CRM (plain directory and git work tree) and on a
 * generated tree.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/gen.js';
import { AS_OF, exampleCopy, tb, tempDir } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function gitCommitAll(dir: string): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@e' };
  for (const args of [['init', '-q'], ['add', '-A'], ['commit', '-qm', 'init']]) {
    const r = spawnSync('git', args, { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  }
}

const QUERIES: string[][] = [
  ['list', 'contacts', 'tag:vip last_contact<-90d'],
  ['list', 'contacts', '--fields', 'id,name,last_contact,first_contact,interactions,open_deals,next_due,overdue'],
  ['list', 'deals', '--fields', 'id,stage,value,last_activity,stale,weighted'],
  ['list', 'interactions', 'channel:call'],
  ['due', '--within', '30d'],
  ['pipeline'],
];

/** Runs every query with no index, a fresh index and a warm index; all three must agree. */
async function expectSameWithAndWithoutIndex(dir: string, queries: string[][] = QUERIES): Promise<void> {
  for (const q of queries) {
    const args = ['--dir', dir, '--as-of', AS_OF, ...q, '--json'];
    fs.rmSync(path.join(dir, '.touchbase'), { recursive: true, force: true });
    const none = await tb(args);
    expect(none.code, none.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, '.touchbase'))).toBe(true);
    const warm = await tb(args);
    expect(warm).toEqual(none);
    fs.rmSync(path.join(dir, '.touchbase'), { recursive: true, force: true });
    expect(await tb(args)).toEqual(none);
  }
}

describe('results are identical with and without the index', () => {
  it('on the example CRM in a plain directory', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    await expectSameWithAndWithoutIndex(dir);
    const vip = JSON.parse((await tb(['--dir', dir, '--as-of', AS_OF, 'list', 'contacts', 'tag:vip', '--json'])).stdout) as Array<{ id: string }>;
    expect(vip.length).toBeGreaterThan(0);
  });

  it('on the example CRM in a git work tree, which the index leaves clean', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    gitCommitAll(dir);
    await expectSameWithAndWithoutIndex(dir);
    const st = spawnSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' });
    expect(st.stdout).toBe('');
    expect(fs.readFileSync(path.join(dir, '.touchbase/.gitignore'), 'utf8')).toContain('*');
  });

  it('on a generated tree (scale XS), with a broken file among them', async () => {
    const dir = tempDir('tb-index-gen-');
    dirs.push(dir);
    generate(dir, { scale: 'XS', seed: 7 });
    fs.writeFileSync(path.join(dir, 'contacts/zz-broken.md'), '---\nname: [oops\n---\n');
    gitCommitAll(dir);
    await expectSameWithAndWithoutIndex(dir);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'list', '--count']);
    expect(r.stdout).toBe('100\n');
    expect(r.stderr).toMatch(/^tb: warning: contacts\/zz-broken\.md:3: invalid YAML: .*\(skipped\)\n$/);
  });

  // Above 2,000 files of a type a cold load reads with a second thread; both must give the same records.
  for (const withGit of [true, false]) {
    it(`on a tree large enough for two reader threads (${withGit ? 'git' : 'plain directory'})`, async () => {
      const dir = tempDir('tb-index-big-');
      dirs.push(dir);
      generate(dir, { scale: 'XS', seed: 11, counts: { contacts: 300, interactions: 3_000 } });
      fs.writeFileSync(path.join(dir, 'interactions/zz-broken.md'), '---\ndate: [oops\n---\n');
      if (withGit) gitCommitAll(dir);
      await expectSameWithAndWithoutIndex(dir);
      const count = await tb(['--dir', dir, '--as-of', AS_OF, 'list', 'interactions', '--count']);
      expect(count.stdout).toBe('3000\n');
      expect(count.stderr).toMatch(/interactions\/zz-broken\.md:3: invalid YAML/);
    });
  }

  // `show` reads a timeline from the index of interactions by contact (docs/index-cache.md).
  it('tb show: one contact, a company, a deal, an interaction, through commits, edits, a merge and removals', async () => {
    const dir = exampleCopy();
    dirs.push(dir);
    const add = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    // One interaction naming two contacts (as a list and as `contact:`), one that cannot be parsed.
    add('interactions/2026/11/2026-11-10-amara-and-astrid.md', '---\ndate: 2026-11-10\ncontacts: [amara-okafor, "[[astrid-nyberg]]"]\nchannel: meeting\nsummary: Both at the workshop\n---\n');
    add('interactions/2026/11/2026-11-11-amara-solo.md', '---\ndate: 2026-11-11\ncontact: amara-okafor\nchannel: call\nsummary: Amara alone\n---\n');
    add('interactions/2026/11/2026-11-12-broken.md', '---\ndate: [oops\ncontacts: [amara-okafor]\n---\n');
    gitCommitAll(dir);
    const shows = (...refs: string[]) => refs.flatMap((r) => [['show', r], ['show', r, '--json', '--all']]);
    const queries = shows('amara-okafor', 'astrid-nyberg', 'open-harbour', 'open-harbour-donor-crm', '2026-11-10-amara-and-astrid', '2026-11-10-amara', 'Amara Okafor');
    await expectSameWithAndWithoutIndex(dir, queries);
    const timeline = async (id: string) => (JSON.parse((await tb(['--dir', dir, '--as-of', AS_OF, 'show', id, '--json', '--all'])).stdout) as { related: { interactions: Array<{ id: string }> } }).related.interactions.map((i) => i.id);
    expect(await timeline('astrid-nyberg')).toContain('2026-11-10-amara-and-astrid');
    expect(await timeline('amara-okafor')).toEqual(expect.arrayContaining(['2026-11-10-amara-and-astrid', '2026-11-11-amara-solo']));

    // Warm index, then: a removed interaction, a fixed broken one, astrid merged into amara.
    fs.rmSync(path.join(dir, 'interactions/2026/11/2026-11-11-amara-solo.md'));
    add('interactions/2026/11/2026-11-12-broken.md', '---\ndate: 2026-11-12\ncontacts: [amara-okafor]\nchannel: email\nsummary: Fixed by hand\n---\n');
    const merged = await tb(['--dir', dir, 'merge', 'amara-okafor', 'astrid-nyberg']);
    expect(merged.code, merged.stderr).toBe(0);
    const after = await timeline('amara-okafor');
    // The same set as every interaction read and filtered here: none missing, none extra.
    const all = JSON.parse((await tb(['--dir', dir, '--as-of', AS_OF, 'list', 'interactions', '--json'])).stdout) as Array<{ id: string; date: string; contacts?: string[]; contact?: string }>;
    const named = all.filter((i) => i.date <= AS_OF && [...(i.contacts ?? []), i.contact].some((c) => c === 'amara-okafor' || c === '[[amara-okafor]]'));
    expect([...after].sort()).toEqual(named.map((i) => i.id).sort());
    expect(after).not.toContain('2026-11-11-amara-solo');
    expect(after).toContain('2026-11-12-broken');
    await expectSameWithAndWithoutIndex(dir, queries.filter((q) => !q.includes('astrid-nyberg')));
  });
});
