/**
 * The index after a commit, pull, rebase or checkout: only the paths that changed between the
 * commit the index was taken at and the new HEAD (or are staged) are read again (index-commits.ts,
 * docs/index-cache.md). Each test checks that the incremental path was taken (the index records the
 * new HEAD as its base and no blob snapshot) and that the load equals a direct read.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/store/load.js';
import type { Dataset } from '../../src/core/types.js';
import { interactionContacts } from '../../src/core/fields.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The index's clock 1.1 s ahead: files written so far are past the racy window (no waiting). */
const later = (): number => Date.now() + 1100;

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@e' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

const contact = (name: string, tag: string) => `---\nname: ${name}\ntags: [${tag}]\n---\n`;
const touch = (day: string, who: string) => `---\ndate: 2026-11-${day}\ncontacts: [${who}]\nchannel: call\n---\n`;

function write(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-commits-'));
  dirs.push(dir);
  write(dir, 'touchbase.yaml', 'name: Test\n');
  for (const [id, tag] of [['ada', 'vip'], ['bob', 'old'], ['cy', 'new']]) write(dir, `contacts/${id}.md`, contact(id, tag));
  write(dir, 'interactions/2026/11/2026-11-20-ada-call-aaaa.md', touch('20', 'ada'));
  write(dir, 'interactions/2026/11/2026-11-21-bob-call-bbbb.md', touch('21', 'bob'));
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'init']);
  return dir;
}

const load = (dir: string, cache: boolean, now?: () => number) => loadDataset(dir, { types: ['contact', 'interaction'], cache, now });
const loadSummary = (dir: string, cache: boolean, now?: () => number) => loadDataset(dir, { types: ['contact', 'interaction'], cache, interactionSummary: '2026-11-23', now });
/** The summary without the order its rows were folded in (a fold appends; a build goes in file order). */
const summaryOf = (ds: Dataset) => {
  const s = ds.interactionSummary!;
  return { ...s, contacts: [...s.contacts].sort(), deals: [...s.deals].sort() };
};
const view = (ds: Dataset) => ({ contacts: ds.contacts.map((c) => [c.path, c.data]), interactions: ds.interactions.map((i) => [i.path, i.data]), problems: ds.problems });

/** Both indexes (full records and the interaction summary) warm and trusting their entries. */
function warm(dir: string): void {
  load(dir, true, later);
  loadSummary(dir, true, later);
  for (const f of ['contact.full.json', 'interaction.full.json', 'interaction.slim.json']) expect(meta(dir, f).kinds).toMatch(/^[bs]+$/);
}

function meta(dir: string, file: string): { kinds: string; base?: { head: string; staged: string[] }; blobsId?: string; untracked: string[] } {
  return JSON.parse(fs.readFileSync(path.join(dir, '.touchbase', file), 'utf8'));
}

/** The cached loads equal direct reads (twice), and the last load went the incremental way. */
function expectFreshIncremental(dir: string, now?: () => number): Dataset {
  const direct = view(load(dir, false));
  const directSummary = summaryOf(loadSummary(dir, false));
  const first = load(dir, true, now);
  expect(view(first)).toEqual(direct);
  const summarized = loadSummary(dir, true, now);
  expect(summaryOf(summarized)).toEqual(directSummary);
  expectRefsAnswer(summarized, load(dir, false));
  const head = git(dir, ['rev-parse', 'HEAD']);
  for (const f of ['contact.full.json', 'interaction.full.json', 'interaction.slim.json']) {
    expect(meta(dir, f).base?.head).toBe(head);
    expect(meta(dir, f).blobsId).toBeUndefined(); // no listing of git's whole index was taken
  }
  expect(view(load(dir, true, now))).toEqual(direct);
  return first;
}

/**
 * The index of interactions by contact (what `tb show` reads a timeline from) names exactly the
 * interactions that the files read directly name, for every contact there is or was, and finds
 * each interaction by its id.
 */
function expectRefsAnswer(cached: Dataset, direct: Dataset): void {
  const refs = cached.interactionRefs!;
  const ids = new Set(['ada', 'bob', 'cy', 'cyrus', 'dee', ...direct.contacts.map((c) => c.id), ...direct.interactions.flatMap(interactionContacts)]);
  for (const id of ids) {
    const named = direct.interactions.filter((i) => interactionContacts(i).includes(id)).map((i) => i.path).sort();
    expect(refs.paths([`c:${id}`]), id).toEqual(named);
  }
  for (const i of direct.interactions) expect(refs.paths([`i:${i.id}`])).toEqual([i.path]);
}

const tags = (ds: Dataset, id: string) => ds.contacts.find((c) => c.id === id)?.data.tags;

describe('after git changes its index, only the changed paths are read again', () => {
  it('a commit of a new, an edited and a deleted file', () => {
    const dir = fixture();
    warm(dir);
    write(dir, 'contacts/dee.md', contact('dee', 'new'));
    write(dir, 'contacts/bob.md', contact('bob', 'vip'));
    fs.unlinkSync(path.join(dir, 'contacts/cy.md'));
    write(dir, 'interactions/2026/11/2026-11-22-dee-call-cccc.md', touch('22', 'dee'));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'work']);
    const ds = expectFreshIncremental(dir);
    expect(ds.contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'dee']);
    expect(tags(ds, 'bob')).toEqual(['vip']);
    // Committed, trusted as git's blob: a later edit is still seen (git status reports it).
    load(dir, true, later);
    write(dir, 'contacts/dee.md', contact('dee', 'vip'));
    expect(tags(load(dir, true), 'dee')).toEqual(['vip']);
  });

  it('a pull with renames (same text under a new name) and an edit that keeps size and mtime', () => {
    const dir = fixture();
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-commits-clone-'));
    dirs.push(clone);
    git(clone, ['clone', '-q', dir, '.']);
    warm(clone);
    git(dir, ['mv', 'contacts/cy.md', 'contacts/cyrus.md']);
    git(dir, ['mv', 'interactions/2026/11/2026-11-21-bob-call-bbbb.md', 'interactions/2026/11/2026-11-21-bob-meeting-bbbb.md']);
    const bob = path.join(dir, 'contacts/bob.md');
    const st = fs.statSync(bob);
    write(dir, 'contacts/bob.md', contact('bob', 'vip')); // same size as 'old'
    fs.utimesSync(bob, st.atime, st.mtime);
    git(dir, ['commit', '-qam', 'renames']);
    git(clone, ['pull', '-q']);
    const ds = expectFreshIncremental(clone);
    expect(ds.contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'cyrus']);
    expect(ds.interactions.map((i) => i.id)).toEqual(['2026-11-20-ada-call-aaaa', '2026-11-21-bob-meeting-bbbb']);
    expect(tags(ds, 'bob')).toEqual(['vip']);
  });

  it('a rebase onto a branch that changed other files', () => {
    const dir = fixture();
    git(dir, ['checkout', '-q', '-b', 'topic']);
    write(dir, 'contacts/dee.md', contact('dee', 'topic'));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'topic']);
    git(dir, ['checkout', '-q', 'main']);
    write(dir, 'contacts/ada.md', contact('ada', 'main'));
    write(dir, 'interactions/2026/11/2026-11-22-cy-call-dddd.md', touch('22', 'cy'));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'main']);
    git(dir, ['checkout', '-q', 'topic']);
    warm(dir);
    git(dir, ['rebase', '-q', 'main']);
    const ds = expectFreshIncremental(dir);
    expect(tags(ds, 'ada')).toEqual(['main']);
    expect(tags(ds, 'dee')).toEqual(['topic']);
    expect(ds.interactions).toHaveLength(3);
  });

  it('a checkout of another branch, and back', () => {
    const dir = fixture();
    git(dir, ['checkout', '-q', '-b', 'other']);
    write(dir, 'contacts/bob.md', contact('bob', 'other'));
    fs.unlinkSync(path.join(dir, 'interactions/2026/11/2026-11-20-ada-call-aaaa.md'));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'other']);
    warm(dir);
    git(dir, ['checkout', '-q', 'main']);
    let ds = expectFreshIncremental(dir);
    expect(tags(ds, 'bob')).toEqual(['old']);
    expect(ds.interactions).toHaveLength(2);
    load(dir, true, later);
    git(dir, ['checkout', '-q', 'other']);
    ds = expectFreshIncremental(dir);
    expect(tags(ds, 'bob')).toEqual(['other']);
    expect(ds.interactions).toHaveLength(1);
  });

  it('a staged edit, committed, then a file marked skip-worktree after the index trusted it', () => {
    const dir = fixture();
    warm(dir);
    write(dir, 'contacts/ada.md', contact('ada', 'staged'));
    git(dir, ['add', 'contacts/ada.md']);
    expect(tags(load(dir, true, later), 'ada')).toEqual(['staged']);
    expect(meta(dir, 'contact.full.json').base?.staged).toEqual(['contacts/ada.md']);
    git(dir, ['commit', '-qm', 'ada']);
    expect(tags(expectFreshIncremental(dir, later), 'ada')).toEqual(['staged']);
    git(dir, ['update-index', '--skip-worktree', 'contacts/bob.md']);
    load(dir, true, later);
    write(dir, 'contacts/bob.md', contact('bob', 'vip')); // git status does not report it
    expect(tags(load(dir, true), 'bob')).toEqual(['vip']);
  });

  it('a hand edit inside the racy window right after a commit is read again until it is old enough', () => {
    const dir = fixture();
    warm(dir);
    write(dir, 'contacts/cy.md', contact('cy', 'one'));
    git(dir, ['commit', '-qam', 'cy']);
    let clock = Date.now();
    const now = () => clock;
    // Read right after the commit and the edit: the file is racy (never trusted as git's blob).
    expect(tags(load(dir, true, now), 'cy')).toEqual(['one']);
    expect(meta(dir, 'contact.full.json').kinds).toContain('r');
    // An edit in the same instant, same size: git's stat data may not see it; the index must.
    const file = path.join(dir, 'contacts/cy.md');
    const st = fs.statSync(file);
    write(dir, 'contacts/cy.md', contact('cy', 'two'));
    fs.utimesSync(file, st.atime, st.mtime);
    expect(tags(load(dir, true, now), 'cy')).toEqual(['two']);
    clock += 5000;
    expect(view(load(dir, true, now))).toEqual(view(load(dir, false)));
  });

  it('an interaction handed to another contact inside the racy window: the timelines follow', () => {
    const dir = fixture();
    warm(dir);
    const rel = 'interactions/2026/11/2026-11-20-ada-call-aaaa.md';
    write(dir, rel, touch('20', 'cy'));
    git(dir, ['commit', '-qam', 'to cy']);
    const clock = Date.now();
    const now = () => clock;
    expectRefsAnswer(loadSummary(dir, true, now), load(dir, false));
    expect(meta(dir, 'interaction.slim.json').kinds).toContain('r');
    // Same size, mtime put back: only the racy rule catches it.
    const file = path.join(dir, rel);
    const st = fs.statSync(file);
    write(dir, rel, touch('20', 'bo'));
    fs.utimesSync(file, st.atime, st.mtime);
    const cached = loadSummary(dir, true, now);
    expect(cached.interactionRefs!.paths(['c:bo'])).toEqual([rel]);
    expectRefsAnswer(cached, load(dir, false));
  });

  it('an amended commit whose old commit is gone falls back to git\'s listing, still fresh', () => {
    const dir = fixture();
    write(dir, 'contacts/dee.md', contact('dee', 'x'));
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'dee']);
    warm(dir);
    write(dir, 'contacts/dee.md', contact('dee', 'y'));
    git(dir, ['commit', '-qa', '--amend', '-m', 'dee amended']);
    git(dir, ['reflog', 'expire', '--expire=now', '--all']);
    git(dir, ['gc', '-q', '--prune=now']);
    expect(tags(load(dir, true), 'dee')).toEqual(['y']);
    expect(meta(dir, 'contact.full.json').base?.head).toBe(git(dir, ['rev-parse', 'HEAD']));
    expect(view(load(dir, true))).toEqual(view(load(dir, false)));
  });
});
