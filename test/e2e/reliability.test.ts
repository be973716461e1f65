/**
 * Issue #19: nothing lost or duplicated under races, crashes, teammates' pushes and hostile trees.
 * Each finding of the red-team pass is reproduced here first (docs/reliability.md). Parallel
 * writers are real subprocesses; crashes are placed exactly with TOUCHBASE_FAULT.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, TB, exampleCopy, read, tb, tempDir, tbSpawn } from './helpers.js';

const REM = '2026-12-01-jose-muller-send-monthly-retainer-report-to-paylane-ngqh';
const REM_PATH = `reminders/${REM}.md`;

/** `tb` as a subprocess that runs alongside others (the helper's tb waits for each). */
const tbAsync = tbSpawn;

function put(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

function files(dir: string, folder: string): string[] {
  const abs = path.join(dir, folder);
  if (!fs.existsSync(abs)) return [];
  return (fs.readdirSync(abs, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).filter((f) => !f.startsWith('.')).sort();
}

/** Every file under dir, hidden ones too, except .git. */
function allFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).filter((f) => !f.startsWith('.git/') && f !== '.git').sort();
}

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The example directory, committed in git. */
function committedExample(): string {
  const dir = exampleCopy();
  git(dir, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.touchbase\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'start');
  return dir;
}

const nextOccurrences = (dir: string) => files(dir, 'reminders').filter((f) => f.startsWith('2027-01-01-jose-muller-send-monthly'));

describe('symbolic links are never followed for writing (1, 2, 17)', () => {
  it('a linked record folder is not written through, warned about once, and fails tb check', async () => {
    const dir = exampleCopy();
    const victim = tempDir('tb-victim-');
    fs.rmSync(path.join(dir, 'companies'), { recursive: true });
    fs.symlinkSync(victim, path.join(dir, 'companies'));
    const add = await tb(['--dir', dir, 'add', 'company', 'Sneaky Co']);
    expect(add.code).toBe(1);
    expect(add.stderr).toContain('companies is a symbolic link');
    expect(fs.readdirSync(victim)).toEqual([]);
    const list = await tb(['--dir', dir, '--as-of', AS_OF, 'list', 'contacts']);
    expect(list.code).toBe(0);
    expect(list.stderr.match(/companies: record folder is a symbolic link/g)).toHaveLength(1);
    const check = await tb(['--dir', dir, '--as-of', AS_OF, 'check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/companies.*record folder is a symbolic link/);
  });

  it('an index reached through a .touchbase link is never read or written', async () => {
    const dir = exampleCopy();
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'lena-fischer'])).code).toBe(0);
    // A poisoned copy of a real index, put in place as a link (as a teammate could commit it).
    const cache = path.join(dir, 'tbcache');
    fs.cpSync(path.join(dir, '.touchbase'), cache, { recursive: true });
    for (const f of fs.readdirSync(cache)) {
      const p = path.join(cache, f);
      if (fs.statSync(p).isFile()) fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replaceAll('Head of Operations', 'POISONED'));
    }
    fs.rmSync(path.join(dir, '.touchbase'), { recursive: true });
    fs.symlinkSync('tbcache', path.join(dir, '.touchbase'));
    const before = allFiles(cache);
    const show = await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'lena-fischer']);
    expect(show.stdout).toContain('Head of Operations');
    expect(show.stdout).not.toContain('POISONED');
    expect(show.stderr).toContain('.touchbase is a symbolic link');
    await tb(['--dir', dir, '--as-of', AS_OF, 'set', 'lena-fischer', '+vip']);
    expect(allFiles(cache)).toEqual(before); // no cache or lock written through the link
  });

  it('git ignores a .touchbase link in a new directory, and tb check fails on a tracked one', async () => {
    const dir = tempDir();
    expect((await tb(['init', dir])).code).toBe(0);
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    fs.symlinkSync('elsewhere', path.join(dir, '.touchbase'));
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).not.toContain('.touchbase');
    git(dir, 'add', '-f', '.touchbase');
    const check = await tb(['--dir', dir, 'check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/\.touchbase.*tracked in git/);
  });

  it('tb set on a linked record and segment save on a linked touchbase.yaml refuse, keeping the links', async () => {
    const dir = exampleCopy();
    fs.renameSync(path.join(dir, 'contacts/lena-fischer.md'), path.join(dir, 'contacts/real-lena.md'));
    fs.symlinkSync('real-lena.md', path.join(dir, 'contacts/lena-fischer.md'));
    const set = await tb(['--dir', dir, '--as-of', AS_OF, 'set', 'lena-fischer', '+vip']);
    expect(set.code).toBe(1);
    expect(set.stderr).toContain('contacts/lena-fischer.md is a symbolic link');
    expect(fs.lstatSync(path.join(dir, 'contacts/lena-fischer.md')).isSymbolicLink()).toBe(true);

    fs.renameSync(path.join(dir, 'touchbase.yaml'), path.join(dir, 'settings.yaml'));
    fs.symlinkSync('settings.yaml', path.join(dir, 'touchbase.yaml'));
    const save = await tb(['--dir', dir, 'segment', 'save', 'vips', 'tag:vip']);
    expect(save.code).toBe(1);
    expect(save.stderr).toContain('touchbase.yaml is a symbolic link');
    expect(fs.lstatSync(path.join(dir, 'touchbase.yaml')).isSymbolicLink()).toBe(true);
    expect(read(dir, 'settings.yaml')).not.toContain('vips');
  });
});

describe('terminal and spreadsheet output (3, 4)', () => {
  const ESC = '\u001b';
  it('names with ESC, BEL and U+202E are shown escaped by list and show; check warns', async () => {
    const dir = exampleCopy();
    // YAML escapes, as a YAML library writes such a name (and a raw ESC in the Markdown body).
    put(dir, 'contacts/evil.md', `---\nname: "Evil \\e[2J\\e]0;owned\\a \\u202Egnp.exe"\n---\n\nBody ${ESC}[31mred\n`);
    const list = await tb(['--dir', dir, '--as-of', AS_OF, 'list', 'contacts', 'id:evil']);
    expect(list.stdout).not.toContain(ESC);
    expect(list.stdout).toContain('Evil \\x1b[2J\\x1b]0;owned\\x07 \\u202egnp.exe');
    const show = await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'evil']);
    expect(show.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(show.stdout).toContain('Body \\x1b[31mred');
    const check = await tb(['--dir', dir, '--as-of', AS_OF, 'check']);
    expect(check.stdout).toMatch(/contacts\/evil\.md.*'name' holds control characters/);
  });

  it('import drops control characters from what other programs wrote', async () => {
    const dir = exampleCopy();
    const csv = path.join(tempDir(), 'in.csv');
    fs.writeFileSync(csv, `name,email,notes\r\n"Eve ${ESC}[2JNul\u0000l",eve@example.com,"a\u0000b"\r\n`);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'import', 'csv', csv]);
    expect(r.code).toBe(0);
    const text = read(dir, `contacts/${files(dir, 'contacts').find((f) => f.startsWith('eve-'))!}`);
    expect(text).not.toMatch(/[\u0000\u001b]/);
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'eve'])).code).toBe(0);
  });

  it('CSV cells that a spreadsheet would run as formulas are escaped with a leading quote, and read back', async () => {
    const dir = exampleCopy();
    put(dir, 'contacts/formula.md', '---\nname: "=HYPERLINK(\\"http://x\\",\\"y\\")"\ntitle: "+cmd|\' /C calc\'!A0"\nlocation: "@SUM(1+1)"\nnps: -3\n---\n');
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'export', 'csv', 'contacts', 'id:formula']);
    const row = r.stdout.split('\r\n')[1];
    expect(row).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(row).toContain("'+cmd|");
    expect(row).toContain("'@SUM(1+1)");
    expect(row).toContain(',-3');
    expect(row).not.toMatch(/(^|,)[=+@]/);
    const listed = await tb(['--dir', dir, '--as-of', AS_OF, '--format', 'csv', 'list', 'contacts', 'id:formula']);
    expect(listed.stdout).not.toMatch(/(^|,)"?[=+@]/m);
    // Round trip: the quote is taken off again.
    const out = path.join(tempDir(), 'f.csv');
    fs.writeFileSync(out, r.stdout);
    const other = exampleCopy();
    expect((await tb(['--dir', other, '--as-of', AS_OF, 'import', 'csv', out])).code).toBe(0);
    expect(files(other, 'contacts').some((f) => f.startsWith('hyperlink'))).toBe(true);
    const imported = files(other, 'contacts').find((f) => f.startsWith('hyperlink'))!;
    expect(read(other, `contacts/${imported}`)).toContain('=HYPERLINK');
  });
});

describe('file modes and write failures (5, 15)', () => {
  it('a chmod 600 record and touchbase.yaml stay 600 after an edit', async () => {
    const dir = exampleCopy();
    fs.chmodSync(path.join(dir, 'contacts/lena-fischer.md'), 0o600);
    fs.chmodSync(path.join(dir, 'touchbase.yaml'), 0o600);
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'set', 'lena-fischer', '+vip'])).code).toBe(0);
    expect((await tb(['--dir', dir, 'segment', 'save', 'vips', 'tag:vip'])).code).toBe(0);
    expect(fs.statSync(path.join(dir, 'contacts/lena-fischer.md')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'touchbase.yaml')).mode & 0o777).toBe(0o600);
  });

  it('a full disk names the record and leaves no temporary file', async () => {
    const dir = exampleCopy();
    const before = read(dir, 'contacts/lena-fischer.md');
    const env = { TOUCHBASE_FAULT: 'write:ENOSPC' };
    const set = await tbAsync(dir, ['set', 'lena-fischer', '+vip'], env);
    expect(set.code).toBe(1);
    expect(set.stderr).toBe('tb: cannot write contacts/lena-fischer.md: no space left on device; nothing changed (contacts/lena-fischer.md)\n');
    const seg = await tbAsync(dir, ['segment', 'save', 'vips', 'tag:vip'], env);
    expect(seg.stderr).toContain('cannot write touchbase.yaml: no space left on device');
    const log = await tbAsync(dir, ['log', 'lena-fischer', 'Call'], env);
    expect(log.stderr).toMatch(/cannot write interactions\/2026\/11\/.*: no space left on device/);
    expect(read(dir, 'contacts/lena-fischer.md')).toBe(before);
    expect(allFiles(dir).filter((f) => /\.tmp-/.test(f))).toEqual([]);
  });
});

describe('git settings (6)', () => {
  it('a core.fsmonitor program in .git/config is never run by tb', async () => {
    const dir = committedExample();
    const marker = path.join(tempDir(), 'ran');
    const hook = path.join(tempDir(), 'monitor.sh');
    fs.writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
    git(dir, 'config', 'core.fsmonitor', hook);
    for (const args of [['list', 'contacts'], ['set', 'lena-fischer', '+vip'], ['check']]) await tb(['--dir', dir, '--as-of', AS_OF, ...args]);
    expect(fs.existsSync(marker)).toBe(false);
  });
});

describe('repeating reminders and locks (7, 8, 9, 17)', () => {
  it('ten parallel tb done on one repeating reminder: one success, one next occurrence', async () => {
    const dir = exampleCopy();
    const results = await Promise.all(Array.from({ length: 10 }, () => tbAsync(dir, ['done', REM])));
    expect(results.filter((r) => r.code === 0)).toHaveLength(1);
    for (const r of results.filter((x) => x.code !== 0)) expect(r.stderr).toContain('already done');
    expect(nextOccurrences(dir)).toHaveLength(1);
  });

  it('cancel racing done: exactly one wins, the file is consistent', async () => {
    const dir = exampleCopy();
    const [done, cancel] = await Promise.all([tbAsync(dir, ['done', REM]), tbAsync(dir, ['cancel', REM])]);
    expect([done.code, cancel.code].sort()).toEqual([0, 1]);
    const text = read(dir, REM_PATH);
    if (done.code === 0) {
      expect(text).toContain('status: done');
      expect(nextOccurrences(dir)).toHaveLength(1);
    } else {
      expect(text).toContain('status: cancelled');
      expect(text).not.toContain('done:');
      expect(nextOccurrences(dir)).toHaveLength(0);
    }
  });

  it('two clones completing the same reminder make the same file, which git merges into one', async () => {
    const origin = committedExample();
    const bare = tempDir('tb-bare-');
    git(bare, 'init', '-q', '--bare', '-b', 'main');
    git(origin, 'remote', 'add', 'origin', bare);
    git(origin, 'push', '-q', '-u', 'origin', 'main');
    const clones = [tempDir(), tempDir()].map((d) => {
      git(d, 'clone', '-q', bare, '.');
      return d;
    });
    for (const c of clones) {
      expect((await tb(['--dir', c, '--as-of', AS_OF, 'done', REM])).code).toBe(0);
      git(c, 'add', '-A');
      git(c, 'commit', '-qm', 'done');
    }
    for (const c of clones) {
      const r = await tb(['--dir', c, 'sync'], { env: { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com' } });
      expect(r.stderr).toBe('');
    }
    git(clones[0], 'pull', '-q', '--rebase');
    expect(nextOccurrences(clones[0])).toHaveLength(1);
    expect(nextOccurrences(clones[1])).toEqual(nextOccurrences(clones[0]));
  });

  it('a crash between creating the next occurrence and marking done: the re-run completes it once', async () => {
    const dir = exampleCopy();
    const crashed = await tbAsync(dir, ['done', REM], { TOUCHBASE_FAULT: 'done:after-next' });
    expect(crashed.code).toBe(70);
    expect(read(dir, REM_PATH)).toContain('status: open');
    expect(nextOccurrences(dir)).toHaveLength(1);
    const again = await tbAsync(dir, ['done', REM]);
    expect(again.code).toBe(0);
    expect(read(dir, REM_PATH)).toContain('status: done');
    expect(nextOccurrences(dir)).toHaveLength(1);
    expect(again.stdout).toContain(`Next due 2027-01-01 (reminders/${nextOccurrences(dir)[0]})`);
  });

  it('a crash inside tb merge at any step: the re-run completes it without duplicates', async () => {
    for (const step of ['merge:after-keep', 'merge:after-reference']) {
      const dir = exampleCopy();
      put(dir, 'contacts/jose-mueller.md', '---\nname: José Mueller\nemails: [jose@paylane.example]\n---\n\nMet at the fintech meetup.\n');
      put(dir, 'interactions/2026/11/2026-11-20-jose-mueller-call-aaaa.md', '---\ndate: 2026-11-20\ncontacts: [jose-mueller]\nchannel: call\nsummary: Intro\n---\n');
      put(dir, 'interactions/2026/11/2026-11-21-jose-mueller-call-bbbb.md', '---\ndate: 2026-11-21\ncontacts: [jose-mueller]\nchannel: call\nsummary: Follow-up\n---\n');
      const crashed = await tbAsync(dir, ['merge', 'jose-muller', 'jose-mueller'], { TOUCHBASE_FAULT: step });
      expect(crashed.code).toBe(70);
      expect(fs.existsSync(path.join(dir, 'contacts/jose-mueller.md'))).toBe(true);
      const again = await tbAsync(dir, ['merge', 'jose-muller', 'jose-mueller']);
      expect(again.code).toBe(0);
      expect(read(dir, 'contacts/jose-muller.md').match(/## Merged from/g)).toHaveLength(1);
      expect(fs.existsSync(path.join(dir, 'contacts/jose-mueller.md'))).toBe(false);
      for (const f of ['aaaa', 'bbbb']) expect(read(dir, `interactions/2026/11/2026-11-2${f === 'aaaa' ? 0 : 1}-jose-mueller-call-${f}.md`)).toContain('contacts: [jose-muller]');
      expect((await tbAsync(dir, ['check'])).code).toBe(0);
    }
  });

  it('ten parallel segment saves keep all ten', async () => {
    const dir = exampleCopy();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => tbAsync(dir, ['segment', 'save', `seg-${i}`, `tag:t${i}`])));
    expect(results.every((r) => r.code === 0)).toBe(true);
    const list = await tbAsync(dir, ['--json', 'segment', 'list']);
    const names = (JSON.parse(list.stdout) as Array<{ name: string }>).map((s) => s.name);
    for (let i = 0; i < 10; i++) expect(names).toContain(`seg-${i}`);
  });

  it('parallel deal moves each report the stage the deal really left', async () => {
    const dir = exampleCopy();
    const deal = 'nordfracht-route-analytics'; // at stage proposal
    const stages = ['lead', 'qualified', 'negotiation'];
    const results = await Promise.all(stages.map((s) => tbAsync(dir, ['deal', 'move', deal, s])));
    const moves = results.map((r) => /from (\S+) to (\S+) on/.exec(r.stdout)).filter((m): m is RegExpExecArray => m !== null);
    expect(moves).toHaveLength(stages.length);
    // The moves form one chain from proposal to the final stage: each left the stage another reached.
    const final = /^stage: (\S+)$/m.exec(read(dir, `deals/${deal}.md`))![1];
    const froms = moves.map((m) => m[1]).sort();
    const expected = ['proposal', ...moves.map((m) => m[2]).filter((t) => t !== final)].sort();
    expect(froms).toEqual(expected);
  });
});

describe('references and readable writes (10, 11)', () => {
  it('tb merge racing tb log on the dropped contact never leaves an interaction pointing at it', async () => {
    const dir = exampleCopy();
    put(dir, 'contacts/jose-mueller.md', '---\nname: José Mueller\n---\n');
    const before = files(dir, 'interactions');
    const runs = [tbAsync(dir, ['merge', 'jose-muller', 'jose-mueller']), ...Array.from({ length: 6 }, (_, i) => tbAsync(dir, ['log', 'jose-mueller', `Call ${i}`]))];
    const [merge, ...logs] = await Promise.all(runs);
    expect(merge.code).toBe(0);
    const logged = logs.filter((l) => l.code === 0).length;
    for (const l of logs.filter((x) => x.code !== 0)) expect(l.stderr).toMatch(/no contact matches|deleted meanwhile/);
    const check = await tbAsync(dir, ['check']);
    expect(check.stdout).not.toContain('jose-mueller');
    expect(check.code).toBe(0);
    const calls = files(dir, 'interactions').filter((f) => f.endsWith('.md') && !before.includes(f));
    expect(calls.length).toBe(logged);
    for (const c of calls) expect(read(dir, `interactions/${c}`)).toContain('contacts: [jose-muller]');
  });

  it('after a merge in another clone, tb merge KEEP GONE-ID points the references left here at keep', async () => {
    const dir = exampleCopy();
    // What tb sync brings: jose-mueller merged and deleted elsewhere, while this clone logged against it.
    put(dir, 'interactions/2026/11/2026-11-22-jose-mueller-call-cccc.md', '---\ndate: 2026-11-22\ncontacts: [jose-mueller]\nchannel: call\nsummary: Logged here\n---\n');
    const before = await tbAsync(dir, ['check']);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('jose-mueller');
    const finish = await tbAsync(dir, ['merge', 'jose-muller', 'jose-mueller']);
    expect(finish.code).toBe(0);
    expect(finish.stdout).toContain('Pointed 1 reference to jose-mueller (deleted already, merged elsewhere) at jose-muller');
    expect(read(dir, 'interactions/2026/11/2026-11-22-jose-mueller-call-cccc.md')).toContain('contacts: [jose-muller]');
    expect((await tbAsync(dir, ['check'])).code).toBe(0);
  });

  it('a body tb could not read back is refused, nothing written', async () => {
    const dir = exampleCopy();
    const before = files(dir, 'interactions');
    const marker = await tb(['--dir', dir, '--as-of', AS_OF, 'log', 'lena-fischer', 'Call', '--body', 'ok\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> x\n']);
    expect(marker.code).toBe(1);
    expect(marker.stderr).toMatch(/would not be readable \(git merge conflict marker/);
    // A body with a NUL, piped through a real pipe (as a shell does).
    const nul = spawnSync('sh', ['-c', `printf 'piped\\000body\\n' | "$0" "$1" --dir "$2" --as-of ${AS_OF} log lena-fischer Call`, process.execPath, TB, dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(nul.status).toBe(1);
    expect(nul.stderr).toMatch(/would not be readable \(binary file \(contains NUL bytes\)\)/);
    const ok = await tb(['--dir', dir, '--as-of', AS_OF, 'log', 'lena-fischer', 'Call', '--body', 'a\u0001b']);
    expect(ok.code).toBe(0); // other control characters are readable (and shown escaped)
    const add = await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Marker Person', '--body', '>>>>>>> theirs']);
    expect(add.code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'contacts/marker-person.md'))).toBe(false);
    expect(files(dir, 'interactions').length).toBe(before.length + 1);
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'check'])).stdout).not.toContain('skipped');
  });
});

describe('export -o is guarded like report --html (12)', () => {
  it('refuses record files, touchbase.yaml and .git; replaces an earlier export', async () => {
    const dir = committedExample();
    const yaml = read(dir, 'touchbase.yaml');
    for (const target of ['touchbase.yaml', 'contacts/lena-fischer.md', '.git/HEAD', '.touchbase/x.json']) {
      const r = await tb(['--dir', dir, '--as-of', AS_OF, 'export', 'json', '-o', target], { cwd: dir });
      expect(r.code, target).toBe(2);
      expect(r.stderr).toMatch(/refusing to (overwrite|write)/);
    }
    expect(read(dir, 'touchbase.yaml')).toBe(yaml);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    const notes = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(notes, 'my notes\n');
    expect((await tb(['--dir', dir, 'export', 'json', '-o', notes])).stderr).toContain('refusing to overwrite');
    const out = path.join(tempDir(), 'backup.json');
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'export', 'json', '-o', out])).code).toBe(0);
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'export', 'json', '-o', out])).code).toBe(0);
  });
});

describe('unreadable folders (13)', () => {
  // As root every folder is readable: the commands then run as an unprivileged user.
  const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const run = (dir: string, args: string[]) => {
    const [cmd, ...pre] = asUser.length ? asUser : [process.execPath];
    const argv = asUser.length ? [...pre, process.execPath, TB] : [TB];
    return spawnSync(cmd, [...argv, '--dir', dir, '--as-of', AS_OF, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HOME: dir } });
  };
  it.skipIf(asUser.length > 0 && spawnSync('setpriv', ['--version']).status !== 0)('an unreadable folder is reported by every read and fails check', async () => {
    const dir = exampleCopy();
    fs.chmodSync(dir, 0o777);
    for (const f of allFiles(dir)) fs.chmodSync(path.join(dir, f), fs.statSync(path.join(dir, f)).isDirectory() ? 0o777 : 0o666);
    fs.chmodSync(path.dirname(dir), 0o755);
    fs.chmodSync(path.join(dir, 'deals'), 0o000);
    const pipeline = run(dir, ['pipeline']);
    expect(pipeline.stderr.match(/deals: cannot read: permission denied/g)).toHaveLength(1);
    const check = run(dir, ['check']);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/deals.*cannot read: permission denied/);
    fs.chmodSync(path.join(dir, 'deals'), 0o777);
  });
});

describe('years 1000–9999 (14)', () => {
  it('--as-of outside the range is a clear error, never another century', async () => {
    const dir = exampleCopy();
    const early = await tb(['--dir', dir, '--as-of', '0099-06-15', 'remind', 'lena-fischer', '+1d', 'Call']);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("--as-of date '0099-06-15' is outside the years 1000–9999");
    const late = await tb(['--dir', dir, '--as-of', '9999-12-31', 'remind', 'lena-fischer', '+1d', 'Call']);
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('outside the years 1000–9999');
    const report = await tb(['--dir', dir, '--as-of', '9999-12-31', 'report']);
    expect(report.stderr).not.toContain('Invalid time value');
    const due = await tb(['--dir', dir, '--as-of', '9999-12-31', 'due']);
    expect(due.stderr).not.toContain('NaN');
  });

  it('a repeat from a due date in year 0026 never gives 1926', async () => {
    const dir = exampleCopy();
    put(dir, 'reminders/0026-01-01-old-aaaa.md', '---\ndue: 0026-01-01\ntext: Old\nstatus: open\nrepeat: 1y\n---\n');
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'done', '0026-01-01-old-aaaa']);
    expect(r.stdout).not.toContain('1926');
    expect(files(dir, 'reminders').some((f) => f.startsWith('1926') || f.startsWith('0027'))).toBe(false);
    const check = await tb(['--dir', dir, '--as-of', AS_OF, 'check']);
    expect(check.stdout).toContain("'due' has a year before 1000");
  });
});

describe('sync and JSON (16, 18)', () => {
  it('a modify/delete conflict says which side deleted, not "remove the markers"', async () => {
    const origin = committedExample();
    const bare = tempDir('tb-bare-');
    git(bare, 'init', '-q', '--bare', '-b', 'main');
    git(origin, 'remote', 'add', 'origin', bare);
    git(origin, 'push', '-q', '-u', 'origin', 'main');
    const mine = tempDir();
    git(mine, 'clone', '-q', bare, '.');
    fs.rmSync(path.join(origin, 'contacts/lena-fischer.md'));
    git(origin, 'commit', '-qam', 'delete lena');
    git(origin, 'push', '-q');
    fs.appendFileSync(path.join(mine, 'contacts/lena-fischer.md'), '\nMore notes.\n');
    git(mine, 'commit', '-qam', 'edit lena');
    const r = await tb(['--dir', mine, 'sync'], { env: { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('contacts/lena-fischer.md   (deleted in origin/main, changed by you)');
    expect(r.stderr).toContain('has no conflict markers: keep it (git add <file>) or delete it (git rm <file>)');
    expect(r.stderr).not.toContain('remove the conflict markers');
  });

  it('export json keeps a __proto__ key; import json refuses a date like ../../x', async () => {
    const dir = exampleCopy();
    put(dir, 'contacts/proto.md', '---\nname: Proto\n__proto__: kept\nnested:\n  __proto__: also\n---\n');
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'export', 'json', 'contacts', 'id:proto']);
    const [rec] = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(Object.hasOwn(rec, '__proto__')).toBe(true);
    expect(r.stdout).toContain('"__proto__": "kept"');
    expect(r.stdout).toContain('"__proto__": "also"');

    const other = exampleCopy();
    const input = path.join(tempDir(), 'in.json');
    fs.writeFileSync(input, JSON.stringify([
      { id: 'evil-date', type: 'interaction', date: '../../x', contacts: ['lena-fischer'], channel: 'call', summary: 'x' },
      { id: 'proto', type: 'contact', name: 'Proto', __proto__: 'kept' },
    ].map((o) => ({ ...o })), null, 2).replace('"name": "Proto"', '"name": "Proto", "__proto__": "kept"'));
    const imp = await tb(['--dir', other, '--as-of', AS_OF, 'import', 'json', input]);
    expect(imp.stderr).toMatch(/interaction 'evil-date': 'date' must be a date/);
    expect(allFiles(other).some((f) => f.includes('evil-date'))).toBe(false);
    expect(read(other, 'contacts/proto.md')).toContain('__proto__: kept');
    expect((await tb(['--dir', other, '--as-of', AS_OF, 'check'])).code).toBe(0);
  });
});
