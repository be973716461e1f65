/**
 * Teams on one git repo: "me", autocommit, sync between two clones of a bare remote, history.
 * Each clone has its own user.email (sam / ria in touchbase.yaml); tb runs there without the
 * GIT_AUTHOR_* / GIT_COMMITTER_* overrides of the helpers, so commits carry the clone's identity.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, EXAMPLE, read, snapshot, tb, tempDir } from './helpers.js';
import { parseRecordText } from '../../src/store/frontmatter.js';

const NO_GIT_ENV = { GIT_AUTHOR_NAME: undefined, GIT_AUTHOR_EMAIL: undefined, GIT_COMMITTER_NAME: undefined, GIT_COMMITTER_EMAIL: undefined };

function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Setup', GIT_AUTHOR_EMAIL: 'setup@example.com', GIT_COMMITTER_NAME: 'Setup', GIT_COMMITTER_EMAIL: 'setup@example.com', GIT_EDITOR: 'true', ...env },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

/** tb in a clone, committing as the clone's configured user. */
async function tbIn(dir: string, args: string[], extra: Record<string, string | undefined> = {}) {
  return await tb(['--as-of', AS_OF, ...args], { cwd: dir, env: { ...NO_GIT_ENV, ...extra } });
}

const CONFIG = `name: Team test
currency: EUR
owners:
  sam: { name: Sam Lee, email: sam@example.com }
  ria: { name: Ria Kapoor, email: ria@example.com }
git: { autocommit: true }
`;

const deal = (id: string, owner: string) => `---
title: Deal ${id.slice(-1).toUpperCase()}
stage: lead
value: 1000
owner: ${owner}
history:
  - { date: 2026-11-01, stage: lead }
---
`;

/** A bare remote with one seeded commit, and two clones: sam's and ria's (built once, copied per test). */
async function buildTeam(): string {
  const base = tempDir('tb-team-');
  const remote = path.join(base, 'remote.git');
  git(base, ['init', '-q', '--bare', '-b', 'main', remote]);
  const seed = path.join(base, 'seed');
  expect((await tb(['init', seed, '--no-git'])).code).toBe(0);
  fs.writeFileSync(path.join(seed, 'touchbase.yaml'), CONFIG);
  fs.writeFileSync(path.join(seed, 'contacts', 'ada-lovelace.md'), '---\nname: Ada Lovelace\nemails: [ada@example.com]\nowner: sam\n---\n');
  fs.writeFileSync(path.join(seed, 'contacts', 'grace-hopper.md'), '---\nname: Grace Hopper\nowner: ria\n---\n');
  fs.writeFileSync(path.join(seed, 'deals', 'deal-a.md'), deal('deal-a', 'sam'));
  fs.writeFileSync(path.join(seed, 'deals', 'deal-b.md'), deal('deal-b', 'ria'));
  git(seed, ['init', '-q', '-b', 'main']);
  git(seed, ['add', '-A']);
  git(seed, ['commit', '-q', '-m', 'seed']);
  git(seed, ['push', '-q', remote, 'main']);
  const clone = (who: string, name: string) => {
    const dir = path.join(base, who);
    git(base, ['clone', '-q', remote, dir]);
    git(dir, ['config', 'user.email', `${who}@example.com`]);
    git(dir, ['config', 'user.name', name]);
    git(dir, ['remote', 'set-url', 'origin', '../remote.git']); // relative, so a copy of base works
  };
  clone('sam', 'Sam Lee');
  clone('ria', 'Ria Kapoor');
  return base;
}

let template: string | undefined;
async function team(): { base: string; remote: string; sam: string; ria: string } {
  template ??= await buildTeam();
  const base = tempDir('tb-team-');
  fs.cpSync(template, base, { recursive: true });
  return { base, remote: path.join(base, 'remote.git'), sam: path.join(base, 'sam'), ria: path.join(base, 'ria') };
}

const status = (dir: string) => git(dir, ['status', '--porcelain']);
const lastCommitFiles = (dir: string) => git(dir, ['show', '--name-only', '--format=', 'HEAD']).split('\n').filter(Boolean);
const subject = (dir: string) => git(dir, ['log', '-1', '--format=%s']).trim();

/** Every record file under dir parses, and no file has conflict markers. */
function assertHealthy(dir: string): void {
  for (const [rel, text] of snapshot(dir)) {
    expect(text, rel).not.toMatch(/^(<{7}|={7}|>{7})( |$)/m);
    if (rel.endsWith('.md')) expect(() => parseRecordText(text, rel), rel).not.toThrow();
  }
}

describe('tb whoami', () => {
  it('is the owner whose email is git config user.email', async () => {
    const { sam } = await team();
    const r = await tbIn(sam, ['whoami']);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: "me: sam (Sam Lee <sam@example.com>)\nfrom: git user.email: git config user.email is sam@example.com, owner 'sam' in touchbase.yaml\n",
    });
    const j = JSON.parse((await tbIn(sam, ['whoami', '--json'])).stdout);
    expect(j).toEqual({
      me: 'sam',
      source: 'git user.email',
      detail: "git config user.email is sam@example.com, owner 'sam' in touchbase.yaml",
      owner: true,
      name: 'Sam Lee',
      email: 'sam@example.com',
      new_records_owner: 'sam',
    });
  });

  it('owner:me in a reading command is the clone\'s user.email (taken from the settings git is asked for first)', async () => {
    const { sam, ria } = await team();
    expect((await tbIn(sam, ['list', 'contacts', 'owner:me', '--ids'])).stdout).toBe('ada-lovelace\n');
    expect((await tbIn(ria, ['list', 'contacts', 'owner:me', '--ids'])).stdout).toBe('grace-hopper\n');
    expect((await tbIn(ria, ['pipeline', '--json'])).code).toBe(0);
    git(ria, ['config', '--unset', 'user.email']);
    expect((await tbIn(ria, ['whoami', '--json'], { USER: 'nobody-here', LOGNAME: 'nobody-here', GIT_CONFIG_GLOBAL: '/dev/null' })).stdout).toContain('"source": "OS user"');
    expect((await tbIn(ria, ['list', 'contacts', 'owner:me', '--ids'], { USER: 'nobody-here', LOGNAME: 'nobody-here', GIT_CONFIG_GLOBAL: '/dev/null' })).stdout).toBe('');
  });

  it('TOUCHBASE_USER wins over git', async () => {
    const { sam } = await team();
    const r = await tbIn(sam, ['whoami'], { TOUCHBASE_USER: 'ria' });
    expect(r.stdout).toBe('me: ria (Ria Kapoor <ria@example.com>)\nfrom: TOUCHBASE_USER: TOUCHBASE_USER=ria\n');
  });

  it('falls back to the OS user, and says new records get no owner', async () => {
    const dir = tempDir();
    fs.cpSync(EXAMPLE, dir, { recursive: true });
    const r = await tb(['whoami', '--json'], { cwd: dir, env: { USER: 'nobody-here', LOGNAME: 'nobody-here' } });
    const j = JSON.parse(r.stdout);
    expect(j.source).toBe('OS user');
    expect(j.owner).toBe(false);
    expect(j.new_records_owner).toBe(null);
    const t = await tb(['whoami'], { cwd: dir });
    expect(t.stdout).toContain(`note: '${j.me}' is not an owner in touchbase.yaml, so new records get no owner\n`);
  });
});

describe('autocommit', () => {
  it('commits exactly the files a write touched, with a readable message, leaving staged work alone', async () => {
    const { sam } = await team();
    // An unrelated staged change and an unrelated unstaged change.
    fs.appendFileSync(path.join(sam, 'contacts', 'grace-hopper.md'), 'Met at the conference.\n');
    git(sam, ['add', 'contacts/grace-hopper.md']);
    fs.appendFileSync(path.join(sam, 'deals', 'deal-b.md'), 'Notes.\n');

    const r = await tbIn(sam, ['log', 'ada', 'Call about the renewal', '-c', 'call', '--follow-up', '+3d']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(subject(sam)).toBe('log: call with Ada Lovelace');
    const files = lastCommitFiles(sam);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^interactions\/2026\/11\/2026-11-23-ada-lovelace-call-[a-z0-9]{4}\.md$/);
    expect(files[1]).toMatch(/^reminders\/2026-11-26-ada-lovelace-follow-up-[a-z-]+-[a-z0-9]{4}\.md$/);
    expect(git(sam, ['log', '-1', '--format=%an <%ae>']).trim()).toBe('Sam Lee <sam@example.com>');
    // The unrelated changes are untouched: still staged / still modified, not committed.
    expect(status(sam)).toBe('M  contacts/grace-hopper.md\n M deals/deal-b.md\n');

    expect((await tbIn(sam, ['add', 'contact', 'Linus Pauling', '--email', 'linus@example.com'])).code).toBe(0);
    expect(subject(sam)).toBe('add: contact Linus Pauling');
    expect(lastCommitFiles(sam)).toEqual(['contacts/linus-pauling.md']);

    expect((await tbIn(sam, ['set', 'deal-a', 'stage=proposal'])).code).toBe(0);
    expect(subject(sam)).toBe('deal: deal-a → proposal');
    expect(lastCommitFiles(sam)).toEqual(['deals/deal-a.md']);
    expect((await tbIn(sam, ['set', 'deal-a', 'stage=negotiation', 'value=2500'])).code).toBe(0);
    expect(subject(sam)).toBe('deal: deal-a → negotiation (value=2500)');
    expect((await tbIn(sam, ['set', 'ada', '+vip'])).code).toBe(0);
    expect(subject(sam)).toBe('set: Ada Lovelace +vip');

    expect(status(sam)).toBe('M  contacts/grace-hopper.md\n M deals/deal-b.md\n');
  });

  it('writing back an unchanged value makes no empty commit and no warning', async () => {
    const { sam } = await team();
    const head = git(sam, ['rev-parse', 'HEAD']);
    const r = await tbIn(sam, ['set', 'deal-a', 'value=1000']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(git(sam, ['rev-parse', 'HEAD'])).toBe(head);
    expect(status(sam)).toBe('');
  });

  it('works when the CRM is a subfolder of a larger repository', async () => {
    const base = tempDir();
    git(base, ['init', '-q', '-b', 'main']);
    fs.writeFileSync(path.join(base, 'README.txt'), 'the company handbook\n');
    const crm = path.join(base, 'sales', 'crm');
    expect((await tb(['init', crm, '--no-git'])).code).toBe(0);
    fs.writeFileSync(path.join(crm, 'touchbase.yaml'), CONFIG);
    fs.writeFileSync(path.join(crm, 'contacts', 'ada-lovelace.md'), '---\nname: Ada Lovelace\n---\n');
    git(base, ['add', '-A']);
    git(base, ['commit', '-q', '-m', 'start']);
    fs.appendFileSync(path.join(base, 'README.txt'), 'more\n');
    git(base, ['add', 'README.txt']);

    const r = await tb(['--as-of', AS_OF, 'log', 'ada', 'Lunch', '-c', 'meeting'], { cwd: path.join(crm, 'contacts') });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const files = lastCommitFiles(base);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^sales\/crm\/interactions\/2026\/11\/2026-11-23-ada-lovelace-meeting-[a-z0-9]{4}\.md$/);
    expect(subject(base)).toBe('log: meeting with Ada Lovelace');
    expect(status(base)).toBe('M  README.txt\n');

    // history from inside the subfolder shows CRM-relative paths
    const h = await tb(['history', 'ada', '--json'], { cwd: crm });
    const j = JSON.parse(h.stdout);
    expect(j.path).toBe('contacts/ada-lovelace.md');
    expect(j.commits.map((c: { subject: string }) => c.subject)).toEqual(['start']);
  });

  it('outside a git work tree it warns and writes anyway', async () => {
    const dir = tempDir();
    expect((await tb(['init', dir, '--no-git'])).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'touchbase.yaml'), CONFIG);
    fs.writeFileSync(path.join(dir, 'contacts', 'ada-lovelace.md'), '---\nname: Ada Lovelace\n---\n');
    const r = await tb(['--as-of', AS_OF, 'log', 'ada', 'Lunch'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('tb: warning: git.autocommit is on but the directory is not inside a git work tree; nothing committed\n');
  });
});

describe('tb sync between two clones', () => {
  it('interleaved adds, logs on the same contact and moves of different deals end identical in both clones', async () => {
    const { sam, ria } = await team();
    const write = async (dir: string, args: string[]) => {
      const r = await tbIn(dir, args);
      expect(r.code, r.stderr).toBe(0);
      expect(status(dir)).toBe(''); // autocommit leaves git status clean after each write
    };
    const sync = async (dir: string, expected: string) => {
      const r = await tbIn(dir, ['sync']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(expected);
      expect(r.code).toBe(0);
    };

    await write(sam, ['add', 'contact', 'Linus Pauling']);
    await write(ria, ['add', 'contact', 'Marie Curie']);
    await write(sam, ['log', 'ada', 'Call about the renewal', '-c', 'call']);
    await write(ria, ['log', 'ada', 'Sent the proposal', '-c', 'email']);
    await write(sam, ['set', 'deal-a', 'stage=proposal']);
    await write(ria, ['set', 'deal-b', 'stage=negotiation']);

    await sync(sam, 'Pushed 3 commits to origin/main.\n');
    await sync(ria, 'Pulled 3 commits from origin/main.\nPushed 3 commits to origin/main.\n');
    await sync(sam, 'Pulled 3 commits from origin/main.\n');
    await sync(sam, 'Already up to date with origin/main.\n');

    await write(ria, ['add', 'contact', 'Rosalind Franklin']);
    await write(sam, ['log', 'ada', 'Coffee', '-c', 'meeting']);
    await write(ria, ['log', 'ada', 'Thanks for the coffee', '-c', 'message', '--direction', 'in']);
    await sync(ria, 'Pushed 2 commits to origin/main.\n');
    await sync(sam, 'Pulled 2 commits from origin/main.\nPushed 1 commit to origin/main.\n');
    await sync(ria, 'Pulled 1 commit from origin/main.\n');

    // Same commits, same files in both clones.
    expect(git(sam, ['rev-parse', 'HEAD'])).toBe(git(ria, ['rev-parse', 'HEAD']));
    expect(snapshot(sam)).toEqual(snapshot(ria));
    for (const dir of [sam, ria]) {
      assertHealthy(dir);
      expect(fs.readdirSync(path.join(dir, 'contacts')).sort()).toEqual(
        ['ada-lovelace.md', 'grace-hopper.md', 'linus-pauling.md', 'marie-curie.md', 'rosalind-franklin.md'],
      );
      const ada = await tbIn(dir, ['list', 'interactions', 'contacts:ada-lovelace', '--fields', 'summary', '--format', 'json']);
      expect(JSON.parse(ada.stdout).map((i: { summary: string }) => i.summary).sort()).toEqual(
        ['Call about the renewal', 'Coffee', 'Sent the proposal', 'Thanks for the coffee'],
      );
      expect(read(dir, 'deals/deal-a.md')).toContain('stage: proposal\n');
      const history = parseRecordText(read(dir, 'deals/deal-a.md'), 'deals/deal-a.md').data.history;
      expect(history).toEqual([{ date: '2026-11-01', stage: 'lead' }, { date: '2026-11-23', stage: 'proposal' }]);
      expect(read(dir, 'deals/deal-b.md')).toContain('stage: negotiation\n');
    }
    // owner:me follows each clone's user.email; new records got their creator as owner.
    expect((await tbIn(sam, ['list', 'contacts', 'owner:me', '--ids'])).stdout).toBe('ada-lovelace\nlinus-pauling\n');
    expect((await tbIn(ria, ['list', 'contacts', 'owner:me', '--ids'])).stdout).toBe('grace-hopper\nmarie-curie\nrosalind-franklin\n');

    // The audit trail names who moved the deal.
    const h = await tbIn(ria, ['history', 'deal-a']);
    expect(h.code).toBe(0);
    const lines = h.stdout.split('\n');
    expect(lines[0]).toMatch(/^date +who +commit +change$/);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\d +sam +[0-9a-f]{7} +deal: deal-a → proposal$/);
    expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\d +Setup +[0-9a-f]{7} +seed$/);
  });

  it('both clones move the same deal: sync stops on the conflict, exits 1 and loses nothing', async () => {
    const { sam, ria } = await team();
    expect((await tbIn(sam, ['set', 'deal-a', 'stage=proposal'])).code).toBe(0);
    expect((await tbIn(sam, ['sync'])).stdout).toBe('Pushed 1 commit to origin/main.\n');
    expect((await tbIn(ria, ['set', 'deal-a', 'stage=negotiation'])).code).toBe(0);

    const r = await tbIn(ria, ['sync']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        'tb: sync stopped: your commits conflict with origin/main in 1 file:',
        '  deals/deal-a.md',
        "Nothing is lost: the repository is in git's normal rebase-conflict state. origin/main's version is in HEAD,",
        'yours is in the commit being replayed (git status; git diff shows both sides between <<<<<<< and >>>>>>>).',
        'Next:',
        '  1. edit each file above, keep what is right and remove the conflict markers',
        '  2. git add <file>',
        '  3. git rebase --continue   (or git rebase --abort to go back to where you were)',
        '  4. tb check, then tb sync to push',
        '',
      ].join('\n'),
    );
    // git's normal conflict state: both versions recoverable.
    expect(status(ria)).toBe('UU deals/deal-a.md\n');
    expect(git(ria, ['show', 'HEAD:deals/deal-a.md'])).toContain('stage: proposal\n');
    expect(git(ria, ['show', 'REBASE_HEAD:deals/deal-a.md'])).toContain('stage: negotiation\n');
    expect(read(ria, 'deals/deal-a.md')).toMatch(/^<{7} /m);

    // A second sync refuses until the rebase is finished.
    const again = await tbIn(ria, ['sync']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'tb: a rebase is in progress with conflicts in deals/deal-a.md\ntb: hint: resolve the files, git add them, git rebase --continue (or git rebase --abort), then tb sync\n',
    );

    // Resolve by keeping ria's stage on top of sam's history, continue, sync.
    fs.writeFileSync(path.join(ria, 'deals', 'deal-a.md'), git(ria, ['show', 'REBASE_HEAD:deals/deal-a.md']));
    git(ria, ['add', 'deals/deal-a.md']);
    git(ria, ['rebase', '--continue']);
    expect((await tbIn(ria, ['sync'])).stdout).toBe('Pushed 1 commit to origin/main.\n');
    expect((await tbIn(sam, ['sync'])).stdout).toBe('Pulled 1 commit from origin/main.\n');
    expect(read(sam, 'deals/deal-a.md')).toContain('stage: negotiation\n');
    assertHealthy(sam);
  });

  it('--no-push only brings in the remote', async () => {
    const { sam, ria } = await team();
    expect((await tbIn(sam, ['add', 'contact', 'Linus Pauling'])).code).toBe(0);
    expect((await tbIn(sam, ['sync'])).code).toBe(0);
    expect((await tbIn(ria, ['add', 'contact', 'Marie Curie'])).code).toBe(0);
    const r = await tbIn(ria, ['sync', '--no-push']);
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'Pulled 1 commit from origin/main.\n1 local commit not pushed (--no-push).\n' });
    const j = JSON.parse((await tbIn(ria, ['sync', '--json'])).stdout);
    expect(j).toEqual({ remote: 'origin', branch: 'main', upstream: 'origin/main', pulled: 0, pushed: 1, unpushed: 0, setUpstream: false });
  });
});

describe('tb sync errors', () => {
  it('refuses with uncommitted record changes and lists them', async () => {
    const { sam } = await team();
    fs.appendFileSync(path.join(sam, 'contacts', 'ada-lovelace.md'), 'Notes.\n');
    fs.writeFileSync(path.join(sam, 'contacts', 'new-person.md'), '---\nname: New Person\n---\n');
    const r = await tbIn(sam, ['sync']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'tb: cannot sync: 2 uncommitted changes:\n  contacts/ada-lovelace.md\n  contacts/new-person.md\n' +
        'tb: hint: commit them first (git add … && git commit), or set git: { autocommit: true } in touchbase.yaml so every tb write is committed\n',
    );
  });

  it('says so when there is no remote', async () => {
    const dir = tempDir();
    // tb init makes the first commit.
    expect((await tb(['init', dir])).code).toBe(0);
    const branch = git(dir, ['symbolic-ref', '--short', 'HEAD']).trim();
    const r = await tb(['sync'], { cwd: dir });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `tb: no git remote to sync with\ntb: hint: add one (git remote add origin URL), then tb sync pushes ${branch} and remembers it\n`,
    });
  });

  it('says so when the remote cannot be reached', async () => {
    const { base, sam } = await team();
    const gone = path.join(base, 'gone.git');
    git(sam, ['remote', 'set-url', 'origin', gone]);
    const r = await tbIn(sam, ['sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `tb: cannot reach remote 'origin' (${gone}): '${gone}' does not appear to be a git repository\n` +
        'tb: hint: you seem to be offline or the remote is down; your commits are safe locally, run tb sync again later\n',
    );
  });

  it('a first sync with a remote but no upstream pushes and starts tracking', async () => {
    const { base, remote } = await team();
    const dir = path.join(base, 'fresh');
    git(base, ['clone', '-q', remote, dir]);
    git(dir, ['switch', '-q', '-c', 'side']);
    const r = await tb(['--as-of', AS_OF, 'add', 'contact', 'Linus Pauling'], { cwd: dir });
    expect(r.code).toBe(0);
    const s = await tb(['sync'], { cwd: dir });
    expect(s).toEqual({ code: 0, stderr: '', stdout: 'Pushed 2 commits to origin/side (now tracking origin/side).\n' });
    expect(git(dir, ['rev-parse', '--abbrev-ref', '@{u}']).trim()).toBe('origin/side');
  });

  it('several remotes and no upstream', async () => {
    const { sam } = await team();
    git(sam, ['switch', '-q', '-c', 'side']);
    git(sam, ['remote', 'rename', 'origin', 'a']);
    git(sam, ['remote', 'add', 'b', '/nowhere']);
    const r = await tbIn(sam, ['sync']);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tb: branch side has no upstream and there are several remotes (a, b)\ntb: hint: choose one: git branch --set-upstream-to <remote>/side\n',
    });
  });

  it('not a git repository, nothing committed, detached HEAD', async () => {
    const plain = tempDir();
    expect((await tb(['init', plain, '--no-git'])).code).toBe(0);
    expect(await tb(['sync'], { cwd: plain })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tb: not inside a git repository, so there is nothing to sync\ntb: hint: run git init, add a remote (git remote add origin URL), commit, then tb sync\n',
    });
    // A repository made by git init alone (tb init in it does not commit: the repository is not its own).
    const fresh = tempDir();
    git(fresh, ['init', '-q']);
    expect((await tb(['init', fresh])).code).toBe(0);
    expect((await tb(['sync'], { cwd: fresh })).stderr).toBe(
      'tb: nothing is committed yet\ntb: hint: commit your records first (git add . && git commit), or turn on git.autocommit\n',
    );
    const { sam } = await team();
    git(sam, ['checkout', '-q', '--detach']);
    expect((await tbIn(sam, ['sync'])).stderr).toBe('tb: HEAD is detached, not on a branch\ntb: hint: git switch <branch> first\n');
  });
});

describe('tb history', () => {
  it('shows the patch of each commit', async () => {
    const { sam } = await team();
    expect((await tbIn(sam, ['set', 'deal-a', 'stage=won'])).code).toBe(0);
    const r = await tbIn(sam, ['history', 'deal-a', '--patch']);
    expect(r.code).toBe(0);
    const first = r.stdout.split('\n').slice(0, 3);
    expect(first[0]).toMatch(/^\d{4}-\d\d-\d\d sam <sam@example.com> [0-9a-f]{7}$/);
    expect(first[1]).toBe('deal: deal-a → won');
    expect(r.stdout).toContain('-stage: lead\n+stage: won\n');
    expect(r.stdout).toContain('+  - { date: 2026-11-23, stage: won }\n');
    const j = JSON.parse((await tbIn(sam, ['history', 'deal-a', '--json'])).stdout);
    expect(j.commits.map((c: { owner?: string; subject: string }) => [c.owner ?? null, c.subject])).toEqual([
      ['sam', 'deal: deal-a → won'],
      [null, 'seed'],
    ]);
  });

  it('a record not committed yet, and a directory outside git', async () => {
    const { sam } = await team();
    fs.writeFileSync(path.join(sam, 'contacts', 'new-person.md'), '---\nname: New Person\n---\n');
    expect(await tbIn(sam, ['history', 'new-person'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tb: no history: contacts/new-person.md is not committed yet\ntb: hint: commit it (git add, git commit) or turn on git.autocommit\n',
    });
    const plain = tempDir();
    fs.cpSync(EXAMPLE, plain, { recursive: true });
    expect(await tb(['history', 'jose-muller'], { cwd: plain })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tb: no history: the directory is not inside a git repository\ntb: hint: git init, then commit your records (or turn on git.autocommit)\n',
    });
  });
});

describe('tb init .gitattributes', () => {
  it('normalises line endings and never union-merges', async () => {
    const dir = tempDir();
    expect((await tb(['init', dir, '--no-git'])).code).toBe(0);
    const attrs = read(dir, '.gitattributes');
    expect(attrs).toContain('*.md text eol=lf diff=markdown\n');
    expect(attrs).toContain('*.yaml text eol=lf\n');
    expect(attrs).not.toMatch(/^[^#].*merge=union/m);
  });
});
