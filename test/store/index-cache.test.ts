/**
 * The derived index in .touchbase/ must never serve a stale record: every kind of change is seen,
 * in a git work tree and outside one. Each test first builds the index as if the fixture files were
 * older than the racy window (with the index's clock 1.1 s ahead: `later`, no real waiting), checks
 * that the index really trusts its entries (so the test is not passing because everything is
 * re-read), then changes the tree and loads again.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset, loadDatasetAsync } from '../../src/store/load.js';
import { startGitState } from '../../src/store/git-status.js';
import { buildDerived } from '../../src/core/derived.js';
import type { Dataset } from '../../src/core/types.js';
import type { InteractionSummary } from '../../src/core/derived.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TB = path.join(REPO, 'bin', 'tb.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The index's clock 1.1 s from now: files written so far are past the racy window for this load. */
const later = (): number => Date.now() + 1100;

function sh(cwd: string, args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@e' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

function contact(name: string, tag: string): string {
  return `---\nname: ${name}\ntags: [${tag}]\n---\nNotes.\n`;
}

/** A small CRM: three contacts, one interaction, one broken file. */
async function fixture(withGit: boolean): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-index-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'touchbase.yaml'), 'name: Test\n');
  fs.mkdirSync(path.join(dir, 'contacts'));
  fs.mkdirSync(path.join(dir, 'interactions/2026/11'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'contacts/ada.md'), contact('Ada', 'vip'));
  fs.writeFileSync(path.join(dir, 'contacts/bob.md'), contact('Bob', 'old'));
  fs.writeFileSync(path.join(dir, 'contacts/cy.md'), contact('Cy', 'new'));
  fs.writeFileSync(path.join(dir, 'contacts/broken.md'), '---\nname: [unclosed\n---\n');
  fs.writeFileSync(path.join(dir, 'interactions/2026/11/2026-11-20-ada-call-k3x9.md'), '---\ndate: 2026-11-20\ncontacts: [ada]\nchannel: call\nsummary: Hello\n---\n');
  if (withGit) {
    sh(dir, ['init', '-q']);
    sh(dir, ['add', '-A']);
    sh(dir, ['commit', '-qm', 'init']);
  }
  return dir;
}

/** Builds the index once the files are old enough to be trusted, and checks they are. */
async function warm(dir: string): Promise<void> {
  load(dir, true, later);
  loadSummary(dir, true, undefined, later);
  const idx = JSON.parse(fs.readFileSync(path.join(dir, '.touchbase/contact.full.json'), 'utf8')) as { kinds: string };
  expect(idx.kinds).toMatch(/^[bs]+$/);
}

function load(dir: string, cache = true, now?: () => number): Dataset {
  return loadDataset(dir, { types: ['contact', 'interaction'], cache, now });
}

function summary(ds: Dataset): unknown {
  return { contacts: ds.contacts.map((c) => [c.id, c.path, c.data]), interactions: ds.interactions.map((i) => [i.id, i.data]), problems: ds.problems };
}

/** Interactions as list, due and pipeline load them: their summary for derived fields. */
function loadSummary(dir: string, cache = true, asOf = '2026-11-23', now?: () => number): Dataset {
  return loadDataset(dir, { types: ['contact', 'interaction'], cache, interactionSummary: asOf, now });
}

/** The cached load equals a direct read, twice (the second from the refreshed index); so does the summary. */
function expectFresh(dir: string, now?: () => number): Dataset {
  const direct = summary(load(dir, false));
  const directSummary = loadSummary(dir, false).interactionSummary;
  const first = load(dir, true, now);
  expect(summary(first)).toEqual(direct);
  expect(loadSummary(dir, true, undefined, now).interactionSummary).toEqual(directSummary);
  expect(summary(load(dir, true, now))).toEqual(direct);
  expect(loadSummary(dir, true, undefined, now).interactionSummary).toEqual(directSummary);
  return first;
}

function tagsOf(ds: Dataset, id: string): unknown {
  return ds.contacts.find((c) => c.id === id)?.data.tags;
}

for (const mode of ['git', 'plain'] as const) {
  const withGit = mode === 'git';
  describe(`index notices changes (${mode} directory)`, () => {
    it('an in-place edit with the same size and the same mtime', async () => {
      const dir = await fixture(withGit);
      await warm(dir);
      const file = path.join(dir, 'contacts/bob.md');
      const before = fs.statSync(file);
      fs.writeFileSync(file, contact('Bob', 'vip')); // 'old' → 'vip': same length
      fs.utimesSync(file, before.atime, before.mtime);
      expect(fs.statSync(file).size).toBe(before.size);
      expect(Math.floor(fs.statSync(file).mtimeMs / 1000)).toBe(Math.floor(before.mtimeMs / 1000));
      expect(tagsOf(expectFresh(dir), 'bob')).toEqual(['vip']);
    });

    it('a deleted file', async () => {
      const dir = await fixture(withGit);
      await warm(dir);
      fs.unlinkSync(path.join(dir, 'contacts/cy.md'));
      expect(expectFresh(dir).contacts.map((c) => c.id)).toEqual(['ada', 'bob']);
    });

    it('a renamed file', async () => {
      const dir = await fixture(withGit);
      await warm(dir);
      fs.renameSync(path.join(dir, 'contacts/cy.md'), path.join(dir, 'contacts/cyril.md'));
      expect(expectFresh(dir).contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'cyril']);
    });

    it('a new file, and a broken file fixed', async () => {
      const dir = await fixture(withGit);
      await warm(dir);
      fs.writeFileSync(path.join(dir, 'contacts/dee.md'), contact('Dee', 'vip'));
      fs.writeFileSync(path.join(dir, 'contacts/broken.md'), contact('Fixed', 'ok'));
      const ds = expectFresh(dir);
      expect(ds.contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'broken', 'cy', 'dee']);
      expect(ds.problems).toEqual([]);
    });

    it('a parse problem is reported the same from the index', async () => {
      const dir = await fixture(withGit);
      await warm(dir);
      const ds = expectFresh(dir);
      expect(ds.problems).toHaveLength(1);
      expect(ds.problems[0]).toMatchObject({ path: 'contacts/broken.md', line: 3, severity: 'error' });
    });

    it('a write by another tb process', async () => {
      const dir = await fixture(withGit);
      await warm(dir);
      const r = spawnSync(process.execPath, [TB, '--dir', dir, 'set', 'ada', '-vip', '+friend'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(tagsOf(expectFresh(dir), 'ada')).toEqual(['friend']);
    });

    it('a corrupt or truncated index file is ignored and rebuilt', async () => {
      const dir = await fixture(withGit);
      await warm(dir);
      const file = path.join(dir, '.touchbase/contact.full.json');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 40));
      expectFresh(dir);
      expect(() => JSON.parse(fs.readFileSync(file, 'utf8'))).not.toThrow();
      fs.writeFileSync(file, '{"v":1,"paths":"contacts/zed.md","data":[]}');
      expectFresh(dir);
    });

    it('two processes writing the index at once leave it whole', async () => {
      const dir = await fixture(withGit);
      await sleep(1100); // the CLI runs in other processes, on the real clock
      const run = () =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, [TB, '--dir', dir, 'list', '--json'], { stdio: 'ignore' });
          child.on('close', (code) => resolve(code ?? -1));
        });
      expect(await Promise.all([run(), run(), run()])).toEqual([0, 0, 0]);
      for (const f of fs.readdirSync(path.join(dir, '.touchbase'))) {
        if (f.endsWith('.json')) expect(() => JSON.parse(fs.readFileSync(path.join(dir, '.touchbase', f), 'utf8'))).not.toThrow();
        expect(f.endsWith('.tmp')).toBe(false);
      }
      expectFresh(dir);
    });
  });
}

describe('index notices git operations', () => {
  it('a checkout of another branch', async () => {
    const dir = await fixture(true);
    sh(dir, ['checkout', '-q', '-b', 'other']);
    fs.writeFileSync(path.join(dir, 'contacts/bob.md'), contact('Bob', 'vip'));
    fs.unlinkSync(path.join(dir, 'contacts/cy.md'));
    fs.writeFileSync(path.join(dir, 'contacts/eve.md'), contact('Eve', 'x'));
    sh(dir, ['add', '-A']);
    sh(dir, ['commit', '-qm', 'other']);
    await warm(dir);
    expect(load(dir).contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'eve']);
    sh(dir, ['checkout', '-q', 'master']);
    const ds = expectFresh(dir);
    expect(ds.contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'cy']);
    expect(tagsOf(ds, 'bob')).toEqual(['old']);
  });

  it('a pull that changes files without changing their size or mtime second', async () => {
    const dir = await fixture(true);
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-index-clone-'));
    dirs.push(clone);
    sh(clone, ['clone', '-q', dir, '.']);
    await warm(clone);
    fs.writeFileSync(path.join(dir, 'contacts/bob.md'), contact('Bob', 'vip'));
    sh(dir, ['commit', '-qam', 'bob is vip']);
    sh(clone, ['pull', '-q']);
    expect(tagsOf(expectFresh(clone), 'bob')).toEqual(['vip']);
  });

  it('a commit of an untracked file, then an edit of it', async () => {
    const dir = await fixture(true);
    fs.writeFileSync(path.join(dir, 'contacts/dee.md'), contact('Dee', 'vip'));
    await warm(dir);
    sh(dir, ['add', 'contacts/dee.md']);
    sh(dir, ['commit', '-qm', 'dee']);
    expectFresh(dir);
    fs.writeFileSync(path.join(dir, 'contacts/dee.md'), contact('Dee', 'old'));
    expect(tagsOf(expectFresh(dir), 'dee')).toEqual(['old']);
  });

  it('a file restored after it was deleted', async () => {
    const dir = await fixture(true);
    fs.unlinkSync(path.join(dir, 'contacts/cy.md'));
    expect(load(dir, true, later).contacts.map((c) => c.id)).toEqual(['ada', 'bob']);
    fs.writeFileSync(path.join(dir, 'contacts/cy.md'), contact('Cy', 'new')); // as committed: git sees no change
    expect(expectFresh(dir).contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'cy']);
  });
});

describe('index finds untracked and ignored files without asking git for them', () => {
  const idx = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, '.touchbase/interaction.full.json'), 'utf8')) as { kinds: string; dirs: Record<string, string> };
  const iDir = 'interactions/2026/11';
  const interaction = (summary: string) => `---\ndate: 2026-11-21\ncontacts: [ada]\nchannel: call\nsummary: ${summary}\n---\n`;

  it('a new untracked file in an existing month folder', async () => {
    const dir = await fixture(true);
    await warm(dir);
    expect(Object.values(idx(dir).dirs).every((s) => s !== 'r')).toBe(true); // directories are trusted too
    fs.writeFileSync(path.join(dir, iDir, '2026-11-21-ada-call-aaaa.md'), interaction('New'));
    expect(expectFresh(dir).interactions.map((i) => i.id)).toContain('2026-11-21-ada-call-aaaa');
  });

  it('a new untracked file in a brand-new month (and year) folder', async () => {
    const dir = await fixture(true);
    await warm(dir);
    fs.mkdirSync(path.join(dir, 'interactions/2027/01'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'interactions/2027/01/2027-01-02-ada-call-bbbb.md'), interaction('Later'));
    expect(expectFresh(dir).interactions.map((i) => i.id)).toContain('2027-01-02-ada-call-bbbb');
  });

  it('an untracked file edited in place with its size and mtime restored', async () => {
    const dir = await fixture(true);
    const f = path.join(dir, 'contacts/dee.md');
    fs.writeFileSync(f, contact('Dee', 'vip'));
    await warm(dir);
    expect(tagsOf(load(dir), 'dee')).toEqual(['vip']);
    const st = fs.statSync(f);
    fs.writeFileSync(f, contact('Dee', 'old'));
    fs.utimesSync(f, st.atime, st.mtime);
    expect(fs.statSync(f).size).toBe(st.size);
    expect(tagsOf(expectFresh(dir), 'dee')).toEqual(['old']);
    fs.unlinkSync(f);
    expect(expectFresh(dir).contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'cy']);
  });

  it('a new git-ignored file in a record folder', async () => {
    const dir = await fixture(true);
    fs.writeFileSync(path.join(dir, '.gitignore'), 'contacts/private-*.md\n');
    sh(dir, ['add', '.gitignore']);
    sh(dir, ['commit', '-qm', 'ignore']);
    await warm(dir);
    fs.writeFileSync(path.join(dir, 'contacts/private-eve.md'), contact('Eve', 'vip'));
    expect(tagsOf(expectFresh(dir), 'private-eve')).toEqual(['vip']);
  });

  it('a new file created in the same second as the index write, its directory mtime restored', async () => {
    const dir = await fixture(true);
    await warm(dir);
    fs.writeFileSync(path.join(dir, 'contacts/fay.md'), contact('Fay', 'vip'));
    load(dir); // the index is written now, with contacts/ just changed (racy)
    const d = path.join(dir, 'contacts');
    const dst = fs.statSync(d);
    fs.writeFileSync(path.join(dir, 'contacts/gus.md'), contact('Gus', 'vip'));
    fs.utimesSync(d, dst.atime, dst.mtime); // as on a file system with coarse timestamps
    expect(expectFresh(dir).contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'cy', 'fay', 'gus']);
    load(dir, true, later); // no longer racy: the directory signature is recorded
    fs.writeFileSync(path.join(dir, 'contacts/hal.md'), contact('Hal', 'vip'));
    fs.utimesSync(d, fs.statSync(d).atime, fs.statSync(d).mtime);
    expect(expectFresh(dir).contacts.map((c) => c.id)).toContain('hal');
  });

  it('a tracked file that stops being tracked, then is edited', async () => {
    const dir = await fixture(true);
    await warm(dir);
    sh(dir, ['rm', '-q', '--cached', 'contacts/bob.md']);
    expect(expectFresh(dir).contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'cy']);
    const f = path.join(dir, 'contacts/bob.md');
    const st = fs.statSync(f);
    fs.writeFileSync(f, contact('Bob', 'vip'));
    fs.utimesSync(f, st.atime, st.mtime);
    expect(tagsOf(expectFresh(dir), 'bob')).toEqual(['vip']);
  });

  it('a nested repository and a symbolic link appearing in a record folder', async () => {
    const dir = await fixture(true);
    await warm(dir);
    fs.mkdirSync(path.join(dir, 'contacts/team'));
    fs.writeFileSync(path.join(dir, 'contacts/team/ivy.md'), contact('Ivy', 'vip'));
    sh(path.join(dir, 'contacts/team'), ['init', '-q']);
    expect(tagsOf(expectFresh(dir), 'ivy')).toEqual(['vip']);
    fs.rmSync(path.join(dir, 'contacts/team'), { recursive: true });
    expect(expectFresh(dir).contacts.map((c) => c.id)).toEqual(['ada', 'bob', 'cy']);
    fs.symlinkSync('ada.md', path.join(dir, 'contacts/ada2.md'));
    expect(expectFresh(dir).contacts.map((c) => c.id)).toEqual(['ada', 'ada2', 'bob', 'cy']);
  });

  it('a checkout of a branch with another month folder', async () => {
    const dir = await fixture(true);
    sh(dir, ['checkout', '-qb', 'other']);
    fs.mkdirSync(path.join(dir, 'interactions/2026/12'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'interactions/2026/12/2026-12-01-ada-call-cccc.md'), interaction('Dec'));
    sh(dir, ['add', '-A']);
    sh(dir, ['commit', '-qm', 'dec']);
    sh(dir, ['checkout', '-q', '-']);
    await warm(dir);
    sh(dir, ['checkout', '-q', 'other']);
    expect(expectFresh(dir).interactions.map((i) => i.id)).toContain('2026-12-01-ada-call-cccc');
    fs.writeFileSync(path.join(dir, 'interactions/2026/12/2026-12-02-ada-call-dddd.md'), interaction('Untracked'));
    sh(dir, ['checkout', '-q', '-']);
    const ids = expectFresh(dir).interactions.map((i) => i.id);
    expect(ids).toContain('2026-12-02-ada-call-dddd');
    expect(ids).not.toContain('2026-12-01-ada-call-cccc');
  });
});

describe('the interaction summary is served from the index only while it holds', () => {
  const iDir = 'interactions/2026/11';
  const slim = (dir: string, what: string) => path.join(dir, '.touchbase', `interaction.slim${what}`);
  const ada = (ds: Dataset) => ds.interactionSummary?.contacts.find(([id]) => id === 'ada');

  it('answers without reading the records, then sees a new, an edited and a deleted interaction', async () => {
    const dir = await fixture(true);
    await warm(dir);
    // Proof that a warm load serves the stored summary: with the records' files gone it still answers.
    fs.renameSync(slim(dir, '.data.json'), slim(dir, '.data.json.away'));
    fs.renameSync(slim(dir, '.paths'), slim(dir, '.paths.away'));
    expect(ada(loadSummary(dir))).toEqual(['ada', 1, '2026-11-20', '2026-11-20']);
    fs.renameSync(slim(dir, '.data.json.away'), slim(dir, '.data.json'));
    fs.renameSync(slim(dir, '.paths.away'), slim(dir, '.paths'));
    fs.writeFileSync(path.join(dir, iDir, '2026-11-22-ada-call-aaaa.md'), '---\ndate: 2026-11-22\ncontacts: [ada]\n---\n');
    expect(ada(expectFresh(dir) && loadSummary(dir))).toEqual(['ada', 2, '2026-11-20', '2026-11-22']);
    const first = path.join(dir, iDir, '2026-11-20-ada-call-k3x9.md');
    fs.writeFileSync(first, fs.readFileSync(first, 'utf8').replace('2026-11-20', '2026-11-02'));
    expect(ada(expectFresh(dir) && loadSummary(dir))).toEqual(['ada', 2, '2026-11-02', '2026-11-22']);
    fs.unlinkSync(first);
    expect(ada(expectFresh(dir) && loadSummary(dir))).toEqual(['ada', 1, '2026-11-22', '2026-11-22']);
  });

  it('new interactions are folded into the stored summary; an edit or a deletion rebuilds it', async () => {
    const dir = await fixture(true);
    await warm(dir); // summary up to 2026-11-23
    const stored = () => (JSON.parse(fs.readFileSync(slim(dir, '.summary.json'), 'utf8')) as { value: InteractionSummary }).value;
    const asOf = '2026-11-25';
    // Derived fields as from the records (the summaries may differ in cutoff and order, not in meaning).
    const fields = (ds: Dataset) => { const d = buildDerived(ds, { today: asOf }); return ds.contacts.map((c) => d.fieldsOf(c)); };
    const same = () => expect(fields(loadSummary(dir, true, asOf))).toEqual(fields(loadSummary(dir, false, asOf)));
    fs.writeFileSync(path.join(dir, iDir, '2026-11-24-bob-call-bbbb.md'), '---\ndate: 2026-11-24\ncontacts: [bob]\n---\n');
    fs.writeFileSync(path.join(dir, iDir, '2026-11-21-ada-call-cccc.md'), '---\ndate: 2026-11-21\ncontacts: [ada]\n---\n');
    expect(ada(loadSummary(dir, true, asOf))).toEqual(['ada', 2, '2026-11-20', '2026-11-21']);
    // Folded in, not rebuilt: the cutoff is still the one it was built for, the later one kept apart.
    expect(stored().cutoff).toBe('2026-11-23');
    expect(stored().later).toEqual([['2026-11-24', ['bob'], '']]);
    expect(buildDerived(loadSummary(dir, true, asOf), { today: asOf }).contact('bob')).toMatchObject({ interactions: 1, last_contact: '2026-11-24' });
    same();
    // An edit of a counted interaction cannot be folded in: rebuilt for the day asked.
    loadSummary(dir, true, asOf, later); // every file trusted now: the edit must be noticed by stat
    const added = path.join(dir, iDir, '2026-11-21-ada-call-cccc.md');
    fs.writeFileSync(added, fs.readFileSync(added, 'utf8').replace('2026-11-21', '2026-11-19'));
    expect(ada(loadSummary(dir, true, asOf))).toEqual(['ada', 2, '2026-11-19', '2026-11-20']);
    expect(stored().cutoff).toBe(asOf);
    same();
  });

  it('a summary made for a later day is not served for an earlier --as-of', async () => {
    const dir = await fixture(true);
    await warm(dir);
    expect(loadSummary(dir, true, '2026-11-19').interactionSummary).toEqual(loadSummary(dir, false, '2026-11-19').interactionSummary);
    expect(loadSummary(dir, true, '2026-11-19').interactionSummary?.later).toHaveLength(1);
    // And one made for an earlier day answers for a later one, counting what came after it.
    const later = loadSummary(dir, true, '2026-12-31');
    expect(later.interactionSummary?.cutoff).toBe('2026-11-19');
    expect(buildDerived(later, { today: '2026-12-31' }).contact('ada')).toMatchObject({ interactions: 1, last_contact: '2026-11-20' });
  });

  it('a corrupt, foreign or mismatched summary, paths or data file is ignored', async () => {
    const dir = await fixture(true);
    await warm(dir);
    const direct = loadSummary(dir, false).interactionSummary;
    const damage: Array<[string, string]> = [
      ['.summary.json', '{"indexId":"nope","value":{"cutoff":"2026-01-01","contacts":[],"deals":[],"later":[]}}'],
      ['.summary.json', '{"indexId":'],
      ['.paths', 'someone-else\ninteractions/x.md'],
      ['.data.json', '{"id":"someone-else","data":[]}'],
    ];
    for (const [what, text] of damage) {
      fs.writeFileSync(slim(dir, what), text);
      expect(loadSummary(dir).interactionSummary).toEqual(direct);
      // Something changed so that the records are needed, then the summary alone.
      fs.writeFileSync(path.join(dir, iDir, '2026-11-21-bob-call-bbbb.md'), `---\ndate: 2026-11-21\ncontacts: [bob]\nsummary: ${what}\n---\n`);
      expect(loadSummary(dir).interactionSummary).toEqual(loadSummary(dir, false).interactionSummary);
      fs.unlinkSync(path.join(dir, iDir, '2026-11-21-bob-call-bbbb.md'));
      expect(loadSummary(dir).interactionSummary).toEqual(direct);
      expect(summary(load(dir))).toEqual(summary(load(dir, false)));
    }
  });
});

describe('review findings stay fixed', () => {
  it('a file edited after a background git status started is never trusted as git\'s blob', async () => {
    const dir = await fixture(true);
    await warm(dir);
    const file = path.join(dir, 'contacts/bob.md');
    fs.writeFileSync(file, contact('Bob', 'v2'));
    sh(dir, ['commit', '-qam', 'v2']); // git's index changes: the next load compares blobs and reads bob
    // As the launcher does, long before the load; 1.1 s after the commit by the index's clock.
    startGitState(dir, ['contacts', 'interactions'], false, later);
    await sleep(300); // git, a real process, looks at the files meanwhile
    fs.writeFileSync(file, contact('Bob', 'edit')); // after git looked
    const slowStartUp = () => Date.now() + 2300;
    expect(tagsOf(await loadDatasetAsync(dir, { types: ['contact', 'interaction'], now: slowStartUp }), 'bob')).toEqual(['edit']);
    sh(dir, ['checkout', '--', 'contacts/bob.md']); // back to the committed text
    expect(tagsOf(expectFresh(dir), 'bob')).toEqual(['v2']);
  });

  it('a value JSON cannot carry (NaN) that becomes null is seen as a change', async () => {
    const dir = await fixture(true);
    const nan = path.join(dir, 'interactions/2026/11/2026-11-19-nan.md');
    fs.writeFileSync(nan, '---\ndate: 2026-11-19\ncontacts: [bob]\ndeal: .nan\n---\n');
    await warm(dir);
    expectFresh(dir);
    fs.writeFileSync(nan, '---\ndate: 2026-11-19\ncontacts: [bob]\ndeal: null\n---\n');
    expect(expectFresh(dir).interactions.find((i) => i.id === '2026-11-19-nan')?.data.deal).toBeNull();
    expect(loadSummary(dir).interactionSummary?.deals).toEqual([]);
  });

  it('a directory change with nothing new keeps the blob snapshot (no full re-read after the next commit)', async () => {
    const dir = await fixture(true);
    fs.mkdirSync(path.join(dir, 'contacts/files'));
    fs.writeFileSync(path.join(dir, 'contacts/files/readme.txt'), 'not a record');
    await warm(dir);
    fs.writeFileSync(path.join(dir, 'contacts/files/notes.txt'), 'not a record either');
    load(dir);
    const idx = () => JSON.parse(fs.readFileSync(path.join(dir, '.touchbase/contact.full.json'), 'utf8')) as { blobsId?: string; kinds: string };
    expect(idx().blobsId).toBeDefined();
    sh(dir, ['commit', '-q', '--allow-empty', '-m', 'nothing']);
    load(dir, true, later);
    expect(idx().kinds).toMatch(/^[b]+$/);
    expectFresh(dir);
  });
});

describe('the async load (git in the background, index files read meanwhile)', () => {
  const asyncSummary = async (dir: string) => summary(await loadDatasetAsync(dir, { types: ['contact', 'interaction'] }));
  const asyncDigestInputs = async (dir: string) => (await loadDatasetAsync(dir, { types: ['contact', 'interaction'], interactionSummary: '2026-11-23' })).interactionSummary;

  it('equals a direct read when warm, after an edit, a new file, a deletion and an index rewritten by another process', async () => {
    const dir = await fixture(true);
    await warm(dir);
    const check = async () => {
      expect(await asyncSummary(dir)).toEqual(summary(load(dir, false)));
      expect(await asyncDigestInputs(dir)).toEqual(loadSummary(dir, false).interactionSummary);
    };
    await check();
    fs.writeFileSync(path.join(dir, 'contacts/bob.md'), contact('Bob', 'vip'));
    await check();
    fs.writeFileSync(path.join(dir, 'interactions/2026/11/2026-11-22-bob-call-zzzz.md'), '---\ndate: 2026-11-22\ncontacts: [bob]\n---\n');
    await check();
    fs.unlinkSync(path.join(dir, 'contacts/cy.md'));
    await check();
    // Another process rewrites the index between our read-ahead and its use: ids no longer match.
    startGitState(dir, ['contacts', 'interactions']);
    const pending = loadDatasetAsync(dir, { types: ['contact', 'interaction'] });
    fs.rmSync(path.join(dir, '.touchbase'), { recursive: true, force: true });
    load(dir);
    expect(summary(await pending)).toEqual(summary(load(dir, false)));
    await check();
  });
});

describe('when only how files are checked changes, the records and summary are kept', () => {
  const meta = (dir: string, file = 'interaction.slim.json') => JSON.parse(fs.readFileSync(path.join(dir, '.touchbase', file), 'utf8')) as { id: string; kinds: string; untracked: string[] };

  it('a new file once old enough, then committed: same index id, same summary, all trusted', async () => {
    const dir = await fixture(true);
    await warm(dir);
    fs.writeFileSync(path.join(dir, 'interactions/2026/11/2026-11-22-bob-call-yyyy.md'), '---\ndate: 2026-11-22\ncontacts: [bob]\n---\n');
    expectFresh(dir); // a new record: a new index
    const withNew = meta(dir).id;
    expectFresh(dir, later); // racy → stat-checked: the kinds change, the records do not
    expect(meta(dir).id).toBe(withNew);
    expect(meta(dir).untracked).toEqual(['interactions/2026/11/2026-11-22-bob-call-yyyy.md']);
    sh(dir, ['add', '-A']);
    sh(dir, ['commit', '-qm', 'bob']);
    expectFresh(dir);
    expect(meta(dir).id).toBe(withNew);
    expect(meta(dir).untracked).toEqual([]);
    expect(loadSummary(dir).interactionSummary?.contacts.find(([id]) => id === 'bob')).toEqual(['bob', 1, '2026-11-22', '2026-11-22']);
  });

  it('a touched file (same text, new mtime) outside git keeps the id; an edit does not', async () => {
    const dir = await fixture(false);
    await warm(dir);
    const before = meta(dir, 'contact.full.json').id;
    const file = path.join(dir, 'contacts/ada.md');
    fs.utimesSync(file, new Date(), new Date(Date.now() - 5000));
    expectFresh(dir);
    expect(meta(dir, 'contact.full.json').id).toBe(before);
    fs.writeFileSync(file, contact('Ada', 'changed'));
    expect(tagsOf(expectFresh(dir), 'ada')).toEqual(['changed']);
    expect(meta(dir, 'contact.full.json').id).not.toBe(before);
  });
});

it('a summary is still made when interactions are wanted with bodies (read from the files)', async () => {
  const dir = await fixture(true);
  const ds = loadDataset(dir, { types: ['contact', 'interaction'], bodies: ['interaction'], interactionSummary: '2026-11-23' });
  expect(ds.interactionSummary).toEqual(loadSummary(dir, false).interactionSummary);
});

it('with core.trustctime=false (git could miss an edit that keeps size and mtime) files are checked by stat', async () => {
  const dir = await fixture(true);
  sh(dir, ['config', 'core.trustctime', 'false']);
  // git's index written well after the files, so git does not re-check them as racily clean (git's
  // own clock: a real wait).
  await sleep(1100);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
  sh(dir, ['add', 'notes.txt']);
  sh(dir, ['commit', '-qm', 'notes']);
  await warm(dir);
  const file = path.join(dir, 'contacts/bob.md');
  const ref = path.join(dir, 'ref.txt');
  spawnSync('touch', ['-r', file, ref]);
  fs.writeFileSync(file, contact('Bob', 'vip')); // same length as 'old', same inode
  spawnSync('touch', ['-r', ref, file]); // the mtime to the nanosecond
  expect(tagsOf(expectFresh(dir, later), 'bob')).toEqual(['vip']);
  expect(tagsOf(await loadDatasetAsync(dir, { types: ['contact', 'interaction'] }), 'bob')).toEqual(['vip']);
});

it('files marked assume-unchanged or skip-worktree (invisible to git status) are checked by stat', async () => {
  const dir = await fixture(true);
  sh(dir, ['update-index', '--assume-unchanged', 'contacts/bob.md']);
  await warm(dir);
  const idx = JSON.parse(fs.readFileSync(path.join(dir, '.touchbase/contact.full.json'), 'utf8')) as { kinds: string };
  expect(idx.kinds).toContain('s');
  // Marked after the index trusted it as git's blob: git's index changes, so the mark is seen.
  sh(dir, ['update-index', '--skip-worktree', 'contacts/cy.md']);
  load(dir);
  fs.writeFileSync(path.join(dir, 'contacts/bob.md'), contact('Bob', 'vip'));
  fs.writeFileSync(path.join(dir, 'contacts/cy.md'), contact('Cy', 'vip'));
  const ds = expectFresh(dir);
  expect(tagsOf(ds, 'bob')).toEqual(['vip']);
  expect(tagsOf(ds, 'cy')).toEqual(['vip']);
  expect(tagsOf(await loadDatasetAsync(dir, { types: ['contact', 'interaction'] }), 'cy')).toEqual(['vip']);
  // Read again, they stay stat-checked (git's index is the same, so its listing is not asked again).
  load(dir, true, later);
  fs.writeFileSync(path.join(dir, 'contacts/bob.md'), contact('Bob', 'old'));
  fs.writeFileSync(path.join(dir, 'contacts/cy.md'), contact('Cy', 'new'));
  const again = expectFresh(dir);
  expect(tagsOf(again, 'bob')).toEqual(['old']);
  expect(tagsOf(again, 'cy')).toEqual(['new']);
});

it('with untracked files and nothing changed, the summary is served without reading the paths', async () => {
  const dir = await fixture(true);
  fs.writeFileSync(path.join(dir, 'interactions/2026/11/2026-11-21-bob-call-aaaa.md'), '---\ndate: 2026-11-21\ncontacts: [bob]\n---\n'); // untracked
  await warm(dir);
  const expected = loadSummary(dir, false).interactionSummary;
  loadSummary(dir, true, undefined, later);
  const indexFile = path.join(dir, '.touchbase/interaction.slim.json');
  const { id, kinds } = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { id: string; kinds: string };
  expect(kinds).toContain('s');
  // A paths file that no longer matches would make any load that reads it rebuild the index.
  fs.writeFileSync(path.join(dir, '.touchbase/interaction.slim.paths'), 'another-id\n');
  expect(loadSummary(dir, true, undefined, later).interactionSummary).toEqual(expected);
  expect((JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { id: string }).id).toBe(id);
  // An edit of the untracked file is still seen (by its stat).
  fs.writeFileSync(path.join(dir, 'interactions/2026/11/2026-11-21-bob-call-aaaa.md'), '---\ndate: 2026-11-22\ncontacts: [bob]\n---\n');
  expect(loadSummary(dir).interactionSummary).toEqual(loadSummary(dir, false).interactionSummary);
  expect(loadSummary(dir, false).interactionSummary).not.toEqual(expected);
});

describe('a damaged list of loose paths in the index file is ignored, never trusted (review findings)', () => {
  const indexFile = (dir: string) => path.join(dir, '.touchbase/contact.full.json');
  const damage = async (edit: (loose: Record<string, unknown>) => void): Promise<string> => {
    const dir = await fixture(true);
    fs.writeFileSync(path.join(dir, 'contacts/dee.md'), contact('Dee', 'x')); // untracked: kind 's'
    await warm(dir);
    const x = JSON.parse(fs.readFileSync(indexFile(dir), 'utf8')) as { loose: Record<string, unknown> };
    edit(x.loose);
    fs.writeFileSync(indexFile(dir), JSON.stringify(x));
    return dir;
  };

  it('a path that is not a string', async () => {
    const dir = await damage((loose) => {
      for (const k of Object.keys(loose)) loose[k] = 5;
    });
    expect(tagsOf(expectFresh(dir), 'dee')).toEqual(['x']);
  });

  it('the right count of paths, but one at an entry that is git\'s blob', async () => {
    const dir = await damage((loose) => {
      for (const k of Object.keys(loose)) delete loose[k];
      loose['0'] = 'contacts/ada.md';
    });
    fs.writeFileSync(path.join(dir, 'contacts/dee.md'), contact('Dee', 'y'));
    expect(tagsOf(expectFresh(dir), 'dee')).toEqual(['y']);
  });
});

it('a skip-worktree file deleted, made again and edited is seen each time', async () => {
  const dir = await fixture(true);
  sh(dir, ['update-index', '--skip-worktree', 'contacts/cy.md']);
  await warm(dir);
  fs.unlinkSync(path.join(dir, 'contacts/cy.md'));
  expect(tagsOf(expectFresh(dir), 'cy')).toBeUndefined();
  fs.writeFileSync(path.join(dir, 'contacts/cy.md'), contact('Cy', 'back'));
  expect(tagsOf(expectFresh(dir), 'cy')).toEqual(['back']);
  load(dir, true, later);
  fs.writeFileSync(path.join(dir, 'contacts/cy.md'), contact('Cy', 'abcd'));
  expect(tagsOf(expectFresh(dir), 'cy')).toEqual(['abcd']);
});
