/**
 * Hostile files and concurrent writers: every unreadable file is reported by `tb check` at its
 * path:line and skipped with one warning by read commands; nothing in a file is ever executed;
 * writes never edit a file they cannot parse; parallel writers never clobber each other.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, REPO, TB, diffSnapshots, read, snapshot, tb, tempDir } from './helpers.js';
import type { RunResult } from './helpers.js';
import { updateRecord } from '../../src/store/write.js';
import { DataError } from '../../src/errors.js';

function put(dir: string, rel: string, text: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

const fm = (...lines: string[]) => ['---', ...lines, '---', ''].join('\n');

function crm(config = 'name: Test\n'): string {
  const dir = tempDir();
  put(dir, 'touchbase.yaml', config);
  for (const f of ['contacts', 'companies', 'deals', 'interactions', 'reminders']) fs.mkdirSync(path.join(dir, f), { recursive: true });
  return dir;
}

/** Nine-by-nine aliases, seven levels deep: 9^7 ≈ 4.8 million nodes once expanded. */
const ALIAS_BOMB = fm(
  'name: Bomb',
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
  'g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]',
);

/** Front matter that, were it ever evaluated as JavaScript (gray-matter's ---js engine), creates `marker`. */
function jsPayload(marker: string, lang = 'js'): string {
  const code = `({ name: (require("fs").writeFileSync(${JSON.stringify(marker)}, "pwned"), "Evil") })`;
  return `---${lang}\n${code}\n---\n\nNothing to see.\n`;
}

describe('hostile files', () => {
  let dir: string;
  let outside: string;
  let check: RunResult;
  beforeAll(async () => {
    // max_file_size is small so a 3 kB file is over the limit.
    dir = crm('name: Test\nmax_file_size: 2000\n');
    outside = tempDir();
    put(outside, 'secret.md', fm('name: Secret'));
    put(dir, 'contacts/ada.md', fm('name: Ada Lovelace', 'emails: [ada@example.com]'));
    put(dir, 'contacts/yaml-error.md', fm('name: Broken', 'tags: [a, b', 'title: CEO'));
    put(dir, 'contacts/js.md', jsPayload(path.join(dir, 'MARKER')));
    // Refers to the conflicted contact: that is one problem (the conflict), not two.
    put(dir, 'interactions/2026/11/2026-11-20-conflict-call-abcd.md', fm('date: 2026-11-20', 'contacts: [conflict]', 'channel: call'));
    put(dir, 'contacts/conflict.md', fm('name: Merge Me', '<<<<<<< HEAD', 'title: CEO', '=======', 'title: CTO', '>>>>>>> theirs'));
    put(dir, 'contacts/bomb.md', ALIAS_BOMB);
    put(dir, 'contacts/deep.md', fm('name: Deep', `x: ${'['.repeat(100)}${']'.repeat(100)}`));
    put(dir, 'contacts/huge.md', `${fm('name: Huge')}${'x'.repeat(3000)}\n`);
    put(dir, 'contacts/binary.md', Buffer.concat([Buffer.from('---\nname: Bin'), Buffer.from([0, 1, 2]), Buffer.from('\n---\n')]));
    put(dir, 'contacts/latin1.md', Buffer.from('---\nname: Caf\xe9\n---\n', 'latin1'));
    put(dir, 'contacts/unclosed.md', '---\nname: Open\n\nNo closing fence.\n');
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(dir, 'contacts/link-out.md'));
    fs.symlinkSync(outside, path.join(dir, 'companies/linked-dir'));
    // A symlink that stays inside the directory is followed like a file.
    fs.symlinkSync(path.join(dir, 'contacts/ada.md'), path.join(dir, 'contacts/ada-alias.md'));
    check = await tb(['--dir', dir, '--as-of', AS_OF, 'check']);
  });

  const expectLine = (line: string) => expect(check.stdout.split('\n')).toContain(line);

  it('tb check exits 1 and counts them', () => {
    expect(check.code).toBe(1);
    // ada, ada-alias, 10 broken contacts, the linked directory, an interaction = 14 files + touchbase.yaml.
    // Errors: the 11 broken entries; warnings: ada and ada-alias (one file, two names) share an email.
    expect(check.stderr).toBe('tb: 11 errors, 2 warnings in 15 files\n');
  });

  it('YAML syntax error at its line', () => expectLine('contacts/yaml-error.md:4: error: invalid YAML: missed comma between flow collection entries'));
  it('---js front matter is refused at line 1', () =>
    expectLine("contacts/js.md:1: error: front matter language 'js' is not allowed; only YAML is read (nothing is executed)"));
  it('merge-conflict marker at its line, and references to that contact are not errors too', () => {
    expectLine('contacts/conflict.md:3: error: git merge conflict marker; resolve the conflict first');
    expect(check.stdout).not.toContain('interactions/');
  });
  it('alias bomb', () => expectLine('contacts/bomb.md:1: error: front matter too large or uses YAML aliases that expand too far'));
  it('deep nesting at its line', () => expectLine('contacts/deep.md:3: error: front matter nested deeper than 32 levels'));
  it('file over max_file_size, not parsed', () => expectLine('contacts/huge.md: error: file is 3020 bytes, over the 2000-byte limit; not parsed'));
  it('binary file', () => expectLine('contacts/binary.md: error: binary file (contains NUL bytes)'));
  it('non-UTF-8 file', () => expectLine('contacts/latin1.md: error: not valid UTF-8 text'));
  it('unclosed front matter', () => expectLine('contacts/unclosed.md:1: error: front matter is not closed with ---'));
  it('symlinks pointing outside are reported and not followed', () => {
    expectLine('contacts/link-out.md: error: symbolic link pointing outside the directory; not followed');
    expectLine('companies/linked-dir: error: symbolic link pointing outside the directory; not followed');
    expect(check.stdout).not.toContain('secret');
    expect(check.stdout).not.toContain('Secret');
  });
  it('a symlink inside the directory is read', () =>
    expectLine("contacts/ada-alias.md:3: warning: email 'ada@example.com' is also on contacts/ada.md; possible duplicate (see tb dedupe)"));

  it('tb list answers for the good records and warns once per broken file', async () => {
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'list', '--ids']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ada\nada-alias\n');
    const warnings = r.stderr.trimEnd().split('\n');
    expect(warnings).toHaveLength(11);
    expect(warnings).toContain('tb: warning: contacts/yaml-error.md:4: invalid YAML: missed comma between flow collection entries (skipped)');
    expect(warnings).toContain('tb: warning: contacts/huge.md: file is 3020 bytes, over the 2000-byte limit; not parsed (skipped)');
    expect(warnings).toContain('tb: warning: contacts/link-out.md: symbolic link pointing outside the directory; not followed (skipped)');
  });

  it('tb show answers for a good record with the same warnings', async () => {
    const byId = await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'ada', '--json']);
    expect(byId.code).toBe(0);
    expect((JSON.parse(byId.stdout) as { id: string; name: string }).name).toBe('Ada Lovelace');
    expect(byId.stderr.trimEnd().split('\n')).toHaveLength(11);
    expect(byId.stderr).toContain('tb: warning: contacts/conflict.md:3: git merge conflict marker; resolve the conflict first (skipped)');
  });

  it('no command ever evaluated the ---js front matter', () => {
    expect(fs.existsSync(path.join(dir, 'MARKER'))).toBe(false);
  });

  it('tb set does not touch a file it cannot parse', async () => {
    const before = snapshot(path.join(dir, 'contacts'));
    const r = await tb(['--dir', dir, 'set', 'yaml-error', 'title=CTO']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tb: warning: contacts/yaml-error.md:4: invalid YAML: missed comma between flow collection entries (skipped)');
    expect(r.stderr).toContain("tb: cannot use 'yaml-error': invalid YAML: missed comma between flow collection entries (contacts/yaml-error.md:4)");
    expect(diffSnapshots(before, snapshot(path.join(dir, 'contacts')))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('---js front matter is never executed', () => {
  // `tb due` joins the list as soon as it exists on this branch.
  const hasDue = fs.existsSync(path.join(REPO, 'src', 'commands', 'due.ts'));
  it(`under list, show, check${hasDue ? ', due' : ''} (and ---javascript too)`, async () => {
    const dir = crm();
    put(dir, 'contacts/ada.md', fm('name: Ada'));
    const marker = path.join(dir, 'PWNED');
    put(dir, 'contacts/evil.md', jsPayload(marker));
    put(dir, 'contacts/evil-two.md', jsPayload(marker, 'javascript'));
    const runs = [['list'], ['show', 'ada'], ['check'], ['list', 'contacts', 'evil'], ...(hasDue ? [['due', '--owner', 'all']] : [])];
    for (const args of runs) {
      const r = await tb(['--dir', dir, '--as-of', AS_OF, ...args]);
      expect(r.stderr + r.stdout).toContain("front matter language 'js");
      expect(fs.existsSync(marker)).toBe(false);
    }
    const r = await tb(['--dir', dir, 'check']);
    expect(r.stdout).toBe([
      "contacts/evil-two.md:1: error: front matter language 'javascript' is not allowed; only YAML is read (nothing is executed)",
      "contacts/evil.md:1: error: front matter language 'js' is not allowed; only YAML is read (nothing is executed)",
      '',
    ].join('\n'));
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('writes refuse to edit a file they cannot parse', () => {
  const broken: Record<string, string> = {
    'invalid YAML': fm('name: Ada', 'tags: [a, b'),
    '---js': jsPayload('/nonexistent/marker'),
    'merge conflict': fm('name: Ada', '<<<<<<< HEAD', 'title: A', '>>>>>>> b'),
    'alias bomb': ALIAS_BOMB,
    'unclosed front matter': '---\nname: Ada\n',
  };
  for (const [what, text] of Object.entries(broken)) {
    it(`updateRecord throws DataError and leaves the file as it was: ${what}`, () => {
      const dir = crm();
      put(dir, 'contacts/ada.md', text);
      expect(() => updateRecord(dir, 'contacts/ada.md', [{ key: 'title', value: 'CEO' }])).toThrow(DataError);
      expect(read(dir, 'contacts/ada.md')).toBe(text);
      expect(fs.readdirSync(path.join(dir, 'contacts'))).toEqual(['ada.md']);
    });
  }
});

/** Runs tb asynchronously, so many can run at once. */
function tbAsync(args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1', TZ: 'UTC', TOUCHBASE_USER: 'sam' };
    delete env.TOUCHBASE_DIR;
    const child = spawn(process.execPath, [TB, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
  });
}

function allFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe('concurrent writers', () => {
  it('20 parallel tb log on one contact make 20 valid files and no temp files; check passes', async () => {
    const dir = crm('name: Test\nowners: { sam: { name: Sam } }\n');
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace'));
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => tbAsync(['--dir', dir, '--as-of', AS_OF, 'log', 'ada-lovelace', `Call ${i + 1}`, '--channel', 'call'])),
    );
    for (const r of runs) expect(r).toMatchObject({ code: 0, stderr: '' });
    const files = allFiles(path.join(dir, 'interactions'));
    expect(files).toHaveLength(20);
    for (const f of files) expect(f).toMatch(/^2026\/11\/2026-11-23-ada-lovelace-call-[a-z0-9]{4}\.md$/);
    const summaries = files.map((f) => /summary: (.*)/.exec(read(dir, `interactions/${f}`))?.[1]).sort();
    expect(summaries).toEqual(Array.from({ length: 20 }, (_, i) => `Call ${i + 1}`).sort());
    for (const f of files) {
      expect(read(dir, `interactions/${f}`)).toMatch(/^---\ndate: 2026-11-23\ncontacts: \[ada-lovelace\]\nchannel: call\ndirection: out\nsummary: Call \d+\nowner: sam\n---\n$/);
    }
    // No temp files anywhere (they start with a dot, which readdir lists). The index's own
    // .gitignore (.touchbase/ ignores itself) is not one.
    expect(allFiles(dir).filter((f) => path.basename(f).startsWith('.') && f !== '.touchbase/.gitignore')).toEqual([]);
    expect(await tb(['--dir', dir, 'check'])).toEqual({ code: 0, stdout: 'no problems in 22 files\n', stderr: '' });
  });

  it('10 parallel edits of one record all land (each edits the result of the one before)', async () => {
    const dir = crm('name: Test\nowners: { sam: { name: Sam } }\n');
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace\ntags: [vip]'));
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => tbAsync(['--dir', dir, '--as-of', AS_OF, 'set', 'ada-lovelace', `+t${i + 1}`])));
    for (const r of runs) expect(r).toMatchObject({ code: 0, stderr: '' });
    const tags = /tags: \[(.*)\]/.exec(read(dir, 'contacts/ada-lovelace.md'))![1].split(', ');
    expect(tags.sort()).toEqual(['vip', ...Array.from({ length: 10 }, (_, i) => `t${i + 1}`)].sort());
    expect(fs.readdirSync(path.join(dir, '.touchbase/locks'))).toEqual([]);
    expect((await tb(['--dir', dir, 'check'])).code).toBe(0);
  });

  it('a lock left by a process that died does not block the next edit', async () => {
    const dir = crm();
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace'));
    put(dir, '.touchbase/locks/contacts+ada-lovelace.md.lock', '999999999');
    expect(await tb(['--dir', dir, 'set', 'ada-lovelace', '+vip'])).toMatchObject({ code: 0, stderr: '' });
    expect(read(dir, 'contacts/ada-lovelace.md')).toContain('tags: [vip]');
  });

  it('10 parallel tb add contact "Same Name" make 10 distinct files, none clobbered', async () => {
    const dir = crm();
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => tbAsync(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Same Name', '--email', `same${i + 1}@example.com`])),
    );
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      // Whoever comes after the first is told the name is taken (it may be the same person): only that.
      for (const line of r.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/a contact named 'Same Name' already exists \(same-name(-\d+)?\)/);
    }
    const files = allFiles(path.join(dir, 'contacts'));
    expect(files).toEqual(['same-name.md', ...Array.from({ length: 9 }, (_, i) => `same-name-${i + 2}.md`)].sort());
    // Each process's own email survived in exactly one file.
    const emails = files.map((f) => /emails: \[(.*)\]/.exec(read(dir, `contacts/${f}`))?.[1]).sort();
    expect(emails).toEqual(Array.from({ length: 10 }, (_, i) => `same${i + 1}@example.com`).sort());
    expect((await tb(['--dir', dir, 'check'])).code).toBe(0);
  });
});

describe('bodies piped into tb log', () => {
  const sh = (dir: string, script: string) => spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TB } });
  const newest = (dir: string) => {
    const files = allFiles(path.join(dir, 'interactions'));
    expect(files).toHaveLength(1);
    return read(dir, `interactions/${files[0]}`);
  };

  it('a pipe that pauses is read to its end', () => {
    const dir = crm();
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace'));
    const r = sh(dir, `(echo part1; sleep 0.4; echo part2) | node "$TB" --as-of ${AS_OF} log ada-lovelace Notes`);
    expect(r.status).toBe(0);
    expect(newest(dir)).toMatch(/\n---\n\npart1\npart2\n$/);
  });

  it('a long pipe (100,000 lines) is read whole', () => {
    const dir = crm();
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace'));
    expect(sh(dir, `seq 1 100000 | node "$TB" --as-of ${AS_OF} log ada-lovelace Notes`).status).toBe(0);
    const text = newest(dir);
    expect(text).toContain('\n1\n2\n3\n');
    expect(text.endsWith('\n99999\n100000\n')).toBe(true);
  });

  it('a pipe left open with nothing in it is not waited for forever (a note, no body); --no-input skips stdin', async () => {
    const dir = crm();
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace'));
    // stdin a pipe (a FIFO, as os.pipe or a shell makes) this test keeps open and never writes to,
    // as a program that forgot it would. (Node's own 'pipe' is a socket, never read.)
    const fifo = path.join(dir, '..', `stdin-${path.basename(dir)}`);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const held = fs.openSync(fifo, fs.constants.O_RDWR);
    const run = (extra: string[]) =>
      new Promise<RunResult>((resolve) => {
        const child = spawn(process.execPath, [TB, '--dir', dir, '--as-of', AS_OF, ...extra, 'log', 'ada-lovelace', 'Notes'], { env: { ...process.env, NO_COLOR: '1' }, stdio: [held, 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
      });
    const open = await run([]);
    expect(open.code).toBe(0);
    expect(open.stderr).toBe('tb: warning: stdin is an open pipe with nothing in it; logging without a body (pass --body, or --no-input to skip stdin)\n');
    const skipped = await run(['--no-input']);
    expect(skipped).toMatchObject({ code: 0, stderr: '' });
    fs.closeSync(held);
    fs.rmSync(fifo);
    const files = allFiles(path.join(dir, 'interactions'));
    expect(files).toHaveLength(2);
    for (const f of files) expect(read(dir, `interactions/${f}`)).toMatch(/\n---\n$/);
  });

  it('more than max_file_size is refused, and nothing is written', () => {
    const dir = crm('name: Test\nmax_file_size: 2000\n');
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace'));
    const r = sh(dir, `head -c 5000 /dev/zero | tr '\\0' x | node "$TB" --as-of ${AS_OF} log ada-lovelace Notes`);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('tb: the body piped on stdin is over 2000 bytes (max_file_size in touchbase.yaml); nothing written\n');
    expect(allFiles(path.join(dir, 'interactions'))).toEqual([]);
  });
});

describe('tb never writes a record file it would refuse to read', () => {
  it('a body or a value that makes the file larger than max_file_size is refused', async () => {
    const dir = crm('name: Test\nmax_file_size: 2000\n');
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace'));
    const before = snapshot(dir);
    const log = await tb(['--dir', dir, '--as-of', AS_OF, 'log', 'ada-lovelace', 'Notes', '--body', 'x'.repeat(3000)]);
    expect(log.code).toBe(1);
    expect(log.stderr).toMatch(/^tb: interactions\/2026\/11\/2026-11-23-ada-lovelace-\S+\.md would be \d+ bytes, over the 2000-byte limit \(max_file_size in touchbase\.yaml\); nothing written\n$/);
    const set = await tb(['--dir', dir, 'set', 'ada-lovelace', `title=${'y'.repeat(3000)}`]);
    expect(set.code).toBe(1);
    expect(set.stderr).toMatch(/^tb: contacts\/ada-lovelace\.md would be \d+ bytes, over the 2000-byte limit/);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('merge conflicts are named as such', () => {
  it('in touchbase.yaml, at the marker\'s line', async () => {
    const dir = crm('name: Test\n<<<<<<< HEAD\ncurrency: EUR\n=======\ncurrency: USD\n>>>>>>> theirs\n');
    expect(await tb(['--dir', dir, 'due'])).toEqual({ code: 1, stdout: '', stderr: 'tb: git merge conflict marker; resolve the conflict first (touchbase.yaml:2)\n' });
  });

  it('in the contact a reminder is for: the file is named, not "no contact matches"', async () => {
    const dir = crm();
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace') + '<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> theirs\n');
    const before = snapshot(dir);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'remind', 'ada-lovelace', 'tomorrow', 'Call back']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("tb: cannot use 'ada-lovelace': git merge conflict marker; resolve the conflict first (contacts/ada-lovelace.md:");
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});
