/**
 * `tb import maildir DIR` and `tb import eml DIR` remember, per machine, what they have read
 * (store/mail-state.ts, docs/mail.md): a re-run reads only new messages; and the hooks docs/mail.md
 * gives for mail clients pipe a message into `tb import eml -` through a real shell.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, REPO, TB, exampleCopy, tb, tempDir } from './helpers.js';
import { scanMailFolder } from '../../src/store/mail-state.js';

const FIX = path.join(REPO, 'test', 'fixtures', 'mail');
const fx = (name: string) => path.join(FIX, name);

/** The clock a few seconds ahead: folders written by the test are past the racy window. */
const ahead = () => new Date(Date.now() + 5000);
const run = async (dir: string, args: string[], now?: Date) => await tb(['--dir', dir, '--as-of', AS_OF, ...args], { now });
const json = async (dir: string, args: string[], now?: Date) => JSON.parse((await run(dir, [...args, '--json'], now)).stdout);

function maildir(): string {
  const md = tempDir('tb-maildir-');
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(md, sub));
  fs.copyFileSync(fx('gmail-attachment.eml'), path.join(md, 'cur', '1794996000.M101P2002.laptop,S=5132,W=5200:2,S'));
  fs.copyFileSync(fx('outlook-latin1.eml'), path.join(md, 'new', '1795082400.M202P3003.laptop'));
  return md;
}

describe('tb import maildir reads only what is new on this machine', () => {
  it('nothing new, a message moved to cur/ with flags, a new delivery, --dry-run, --rescan', async () => {
    const dir = await exampleCopy();
    const md = maildir();
    expect(await json(dir, ['import', 'maildir', md])).toMatchObject({ read: 2, created: 2, already_read: 0 });
    const again = await run(dir, ['import', 'maildir', md], ahead());
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${md}: nothing new (2 messages read before; --rescan reads them again)\n`);
    // The reader opened it: new/ → cur/ with flags. Same message, same key: not read again.
    fs.renameSync(path.join(md, 'new', '1795082400.M202P3003.laptop'), path.join(md, 'cur', '1795082400.M202P3003.laptop:2,RS'));
    expect(await json(dir, ['import', 'maildir', md])).toMatchObject({ read: 0, already_read: 2 });
    // A dry run reads the new message but does not remember it.
    fs.copyFileSync(fx('thunderbird-reply.eml'), path.join(md, 'new', '1795100000.M404P5005.laptop'));
    expect(await json(dir, ['import', 'maildir', md, '--dry-run'])).toMatchObject({ read: 1, already_read: 2 });
    expect(await json(dir, ['import', 'maildir', md])).toMatchObject({ read: 1, created: 1, already_read: 2 });
    expect(await json(dir, ['import', 'maildir', md], ahead())).toMatchObject({ read: 0, already_read: 3 });
    // --rescan reads everything; what was logged is skipped by Message-ID as always.
    expect(await json(dir, ['import', 'maildir', md, '--rescan'])).toMatchObject({ read: 3, created: 0, skipped: 3 });
    // The state is per machine: under .touchbase/, which git ignores.
    expect(fs.readdirSync(path.join(dir, '.touchbase', 'mail')).length).toBeGreaterThan(0);
  });

  it('other --since or --create-contacts options read the folder afresh', async () => {
    const dir = await exampleCopy();
    const md = maildir();
    await json(dir, ['import', 'maildir', md, '--since', '2026-11-19']);
    expect(await json(dir, ['import', 'maildir', md])).toMatchObject({ read: 2, already_read: 0 });
  });
});

describe('the per-machine state of a mail folder', () => {
  const later = () => Date.now() + 5000;

  it('an unchanged folder is answered from its signature without reading the names', () => {
    const root = tempDir('tb-state-');
    const md = maildir();
    const first = scanMailFolder(root, md, md, 'maildir', { mode: '', now: later });
    expect(first.fresh).toHaveLength(2);
    first.save();
    const names = fs.readdirSync(path.join(root, '.touchbase', 'mail')).find((f) => f.endsWith('.names'))!;
    fs.writeFileSync(path.join(root, '.touchbase', 'mail', names), 'another-id\n'); // would make every message new
    expect(scanMailFolder(root, md, md, 'maildir', { mode: '', now: later })).toMatchObject({ fresh: [], known: 2 });
  });

  it('a folder changed within the racy window is listed again, even with its mtime restored', () => {
    const root = tempDir('tb-state-');
    const md = maildir();
    const clock = Date.now();
    scanMailFolder(root, md, md, 'maildir', { mode: '', now: () => clock }).save(); // new/ and cur/ are racy now
    const newDir = path.join(md, 'new');
    const st = fs.statSync(newDir);
    fs.copyFileSync(fx('thunderbird-reply.eml'), path.join(newDir, '1795100000.M404P5005.laptop'));
    fs.utimesSync(newDir, st.atime, st.mtime);
    expect(scanMailFolder(root, md, md, 'maildir', { mode: '', now: later }).fresh.map((f) => f.shown)).toEqual([path.join(md, 'new', '1795100000.M404P5005.laptop')]);
  });
});

describe('tb import eml DIR: a folder of .eml files, incrementally', () => {
  it('imports the .eml files, then only new ones', async () => {
    const dir = await exampleCopy();
    const folder = tempDir('tb-emls-');
    fs.copyFileSync(fx('gmail-attachment.eml'), path.join(folder, 'a.eml'));
    fs.copyFileSync(fx('outlook-latin1.eml'), path.join(folder, 'b.EML'));
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not a message');
    expect(await json(dir, ['import', 'eml', folder])).toMatchObject({ read: 2, created: 2 });
    expect(await json(dir, ['import', 'eml', folder], ahead())).toMatchObject({ read: 0, already_read: 2 });
    fs.copyFileSync(fx('thunderbird-reply.eml'), path.join(folder, 'c.eml'));
    expect(await json(dir, ['import', 'eml', folder])).toMatchObject({ read: 1, created: 1, already_read: 2 });
  });
});

describe('the mail-client hooks of docs/mail.md, through a real shell', () => {
  /** Runs a shell line as a mail client does (sh -c, the message on stdin), `tb` on the PATH. */
  function shell(line: string, input?: Buffer): { stdout: string; stderr: string; code: number } {
    const bin = tempDir('tb-bin-');
    fs.writeFileSync(path.join(bin, 'tb'), `#!/bin/sh\nexec "${process.execPath}" "${TB}" "$@"\n`, { mode: 0o755 });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TOUCHBASE_')) env[k] = v;
    Object.assign(env, { NO_COLOR: '1', TZ: 'UTC', PATH: `${bin}:${process.env.PATH}` });
    const r = spawnSync('/bin/sh', ['-c', line], { input, env, encoding: 'utf8' });
    return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
  }

  it('mutt/neomutt/aerc: the open message piped into tb import eml -', async () => {
    const dir = await exampleCopy();
    const r = shell(`tb --dir '${dir}' --as-of ${AS_OF} import eml - --json`, fs.readFileSync(fx('gmail-attachment.eml')));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 1, created: 1 });
    const again = shell(`tb --dir '${dir}' --as-of ${AS_OF} import eml -`, fs.readFileSync(fx('gmail-attachment.eml')));
    expect(again.stdout).toMatch(/1 message read; 0 interactions created, 1 skipped \(1 already imported\)/);
  });

  it('notmuch post-new: the new messages\' files, NUL-separated, to tb import eml', async () => {
    const dir = await exampleCopy();
    const md = maildir();
    const files = ['cur/1794996000.M101P2002.laptop,S=5132,W=5200:2,S', 'new/1795082400.M202P3003.laptop'].map((f) => path.join(md, f));
    // What `notmuch search --output=files --format=text0 tag:new` prints, fed as the hook does.
    const r = shell(`xargs -0 -r tb --dir '${dir}' --as-of ${AS_OF} import eml --json --`, Buffer.from(files.map((f) => `${f}\0`).join('')));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, created: 2 });
  });
});
