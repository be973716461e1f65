import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, exampleCopy, read, tb, tempDir } from './helpers.js';

const run = async (dir: string, args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, ...args]);

const msg = (n: number, extra = '', body = 'fine', date = `Mon, 16 Nov 2026 09:0${n}:00 +0000`) =>
  `From carmen.vidal@mercadoverde.es Mon Nov 16 09:00:00 2026\nFrom: Carmen Vidal <carmen.vidal@mercadoverde.es>\nTo: sam@kestrelfinch.eu\nSubject: message ${n}\nDate: ${date}\nMessage-ID: <iso-${n}@x>\n${extra}\n${body}\n\n`;

interface Report { read: number; created: number; issues: { where: string; message: string; message_number?: number; line?: number }[]; records: { path: string }[] }

describe('tb import: one message never stops a mailbox', () => {
  it('a body line starting <<<<<<< and a body decoding to NUL are stored readable; tb check passes; a re-run is a no-op', async () => {
    const dir = exampleCopy();
    const box = path.join(tempDir('tb-mbox-'), 'conflict.mbox');
    fs.writeFileSync(box, [
      msg(1),
      msg(2, '', 'see the diff:\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\nwhich one?'),
      msg(3, 'Content-Transfer-Encoding: base64\n', Buffer.from('before\0after').toString('base64')),
      msg(4),
    ].join(''));
    const r = await run(dir, ['import', 'mbox', box, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ read: 4, created: 4, issues: [] });
    const bodies = report.records.map((x) => read(dir, x.path));
    expect(bodies[1]).toContain('\n\\<<<<<<< HEAD\nours\n\\=======\ntheirs\n\\>>>>>>> branch\nwhich one?\n');
    expect(bodies[2]).toContain('\nbeforeafter\n');
    expect((await run(dir, ['check'])).code).toBe(0);
    const again = await run(dir, ['import', 'mbox', box, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ read: 4, created: 0 });
  });

  it('a message that cannot be stored is one problem naming file:line and message number; the rest imports and re-runs go past it', async () => {
    const dir = exampleCopy();
    // March 2024's interactions folder is a file: message 2 (of that month) cannot be written.
    fs.mkdirSync(path.join(dir, 'interactions', '2024'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'interactions', '2024', '03'), 'not a folder\n');
    const box = path.join(tempDir('tb-mbox-'), 'blocked.mbox');
    fs.writeFileSync(box, [msg(1), msg(2, '', 'fine', 'Sat, 16 Mar 2024 09:00:00 +0000'), msg(3)].join(''));
    for (let pass = 0; pass < 2; pass++) {
      const r = await run(dir, ['import', 'mbox', box, '--json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      expect(report).toMatchObject({ read: 3, created: pass === 0 ? 2 : 0 });
      expect(report.issues).toEqual([expect.objectContaining({ where: `${box}:10`, line: 10, message_number: 2, message: expect.stringMatching(/^message 2: .*; skipped$/) })]);
    }
  });

  it('a month folder that is a symbolic link is refused for each message filed there, after and between messages written in checked folders', async () => {
    const dir = exampleCopy();
    const elsewhere = tempDir('tb-elsewhere-');
    fs.mkdirSync(path.join(dir, 'interactions', '2024'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(dir, 'interactions', '2024', '03'));
    const march = (n: number) => msg(n, '', 'fine', `Sat, 16 Mar 2024 09:0${n}:00 +0000`);
    const box = path.join(tempDir('tb-mbox-'), 'linked.mbox');
    fs.writeFileSync(box, [msg(1), march(2), msg(3), march(4)].join(''));
    const r = await run(dir, ['import', 'mbox', box, '--json']);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ read: 4, created: 2 });
    expect(report.issues.map((i) => [i.message_number, i.message])).toEqual([2, 4].map((n) => [n, expect.stringMatching(new RegExp(`^message ${n}: refusing to write .*interactions/2024/03 is a symbolic link; skipped$`))]));
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('ESC, NUL and bidi overrides are dropped from display names and subjects', async () => {
    const dir = exampleCopy();
    const eml = path.join(tempDir('tb-eml-'), 'esc.eml');
    fs.writeFileSync(eml, 'From: "Evil\x1b[2J\x1b]0;pwned\x07 Name" <evil@unknown.example>\nTo: sam@kestrelfinch.eu, carmen.vidal@mercadoverde.es\nSubject: =?utf-8?q?Hi=1B=5B2J_there=00=E2=80=AE?=\nDate: Mon, 16 Nov 2026 09:00:00 +0000\nMessage-ID: <esc@x>\n\nbody\n');
    const r = await run(dir, ['import', 'eml', eml, '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.unknown_correspondents).toEqual([{ address: 'evil@unknown.example', name: 'Evil[2J]0;pwned Name', count: 1 }]);
    const text = read(dir, report.records[0].path);
    expect(text).toContain('summary: Hi[2J there\n');
    expect(text).not.toMatch(/[\u0000-\u0008\u001b\u202e]/);
    const plain = await run(dir, ['import', 'eml', eml]);
    expect(plain.stdout).not.toContain('\x1b');
  });
});

describe('tb import maildir: file names that are not UTF-8', () => {
  it('reads a message whose file name holds Latin-1 bytes and names it with \\xNN in reports', async () => {
    const dir = exampleCopy();
    const md = tempDir('tb-maildir-');
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(md, sub));
    // A real non-UTF-8 name: "1794996000.M1P2.café:2,S" with é as the Latin-1 byte 0xE9.
    const name = Buffer.concat([Buffer.from(`${md}/cur/1794996000.M1P2.caf`), Buffer.from([0xe9]), Buffer.from(':2,S')]);
    fs.writeFileSync(name, msg(1).replace(/^From .*\n/, ''));
    const bad = Buffer.concat([Buffer.from(`${md}/new/1794996100.M1P3.x`), Buffer.from([0xff])]);
    fs.writeFileSync(bad, 'no header here\n');
    const r = await run(dir, ['import', 'maildir', md, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ read: 2, created: 1 });
    expect(report.issues).toEqual([expect.objectContaining({ where: path.join(md, 'new', '1794996100.M1P3.x\\xFF'), message: expect.stringMatching(/not an e-mail message/) })]);
    // Read again (--rescan: the folder is otherwise known on this machine), nothing is doubled.
    expect(JSON.parse((await run(dir, ['import', 'maildir', md, '--json', '--rescan'])).stdout)).toMatchObject({ read: 2, created: 0 });
    expect(JSON.parse((await run(dir, ['import', 'maildir', md, '--json'])).stdout)).toMatchObject({ read: 0, already_read: 2 });
  });
});

describe('tb import: reports never carry terminal escapes from the message', () => {
  it('a From header of ESC sequences and no address is noted without its ESC', async () => {
    const dir = exampleCopy();
    const eml = path.join(tempDir('tb-eml-'), 'esc-note.eml');
    fs.writeFileSync(eml, 'From: \x1b[2J\x1b]0;owned\x07\nTo: sam@kestrelfinch.eu\nSubject: x\nDate: Mon, 16 Nov 2026 09:00:00 +0000\nMessage-ID: <escnote@x>\n\nbody\n');
    const r = await run(dir, ['import', 'eml', eml]);
    expect(r.stderr).toContain("note: From: '[2J]0' has no address; left out");
    expect(r.stderr).not.toMatch(/[\x00-\x08\x1b]/);
  });
});
