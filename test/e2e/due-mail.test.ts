/**
 * `tb due --mail-to` (issue #32, docs/cron-and-digest.md): the digest as one MIME message with a
 * plain and an HTML part through the campaign transports; nothing sent when nothing is due.
 * Messages are parsed back with mailparser and with Python's email package.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, emptyCrm, exampleCopy, tb } from './helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const track = (d: string) => (dirs.push(d), d);
const due = (dir: string, ...args: string[]) => tb(['due', '--as-of', AS_OF, ...args], { cwd: dir, env: { TOUCHBASE_USER: 'sam' } });

describe('tb due --mail-to', () => {
  it('--out: one message with the digest as plain text and HTML, the same items as tb due prints', async () => {
    const dir = track(exampleCopy());
    const printed = (await due(dir)).stdout;
    expect(printed).toContain('Overdue');
    const r = await due(dir, '--mail-to', 'Sam Lee <sam@example.com>', '--out', 'outbox');
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const files = fs.readdirSync(path.join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    const raw = fs.readFileSync(path.join(dir, 'outbox', files[0]));
    const mail = await simpleParser(raw);
    const items = printed.split('\n').filter((l) => l.startsWith('  ')).length;
    expect(mail.subject).toMatch(new RegExp(`: due ${AS_OF} \\(${items} items\\)$`));
    expect((mail.to as { value: Array<{ address: string }> }).value[0].address).toBe('sam@example.com');
    expect(mail.text?.trim()).toBe(printed.trim());
    expect(mail.html).toContain('<h2>Overdue</h2>');
    expect(raw.toString()).toContain('Content-Type: multipart/alternative');
    // Python's email package reads the same two parts.
    const py = spawnSync('python3', ['-c', 'import sys,email;from email import policy;m=email.message_from_bytes(sys.stdin.buffer.read(),policy=policy.default);print(m["To"]);print(",".join(p.get_content_type() for p in m.iter_parts()))'], { input: raw, encoding: 'utf8' });
    if (py.status === 0) expect(py.stdout).toBe('Sam Lee <sam@example.com>\ntext/plain,text/html\n');
  });

  it('--sendmail: piped once to the command; --mbox appends; nothing is sent when nothing is due', async () => {
    const dir = track(exampleCopy());
    const log = path.join(dir, 'piped.log');
    const fake = path.join(dir, 'fake-sendmail.sh');
    fs.writeFileSync(fake, `#!/bin/sh\necho "args: $*" >> "${log}"; cat >> "${log}"\n`, { mode: 0o755 });
    expect((await due(dir, '--mail-to', 'sam@example.com', '--sendmail', `${fake} -t -i`)).code).toBe(0);
    const piped = fs.readFileSync(log, 'utf8');
    expect(piped.match(/^args: -t -i$/gm)).toHaveLength(1);
    expect((await simpleParser(piped.replace(/^args: .*\n/, ''))).html).toContain('<h2>');
    expect((await due(dir, '--mail-to', 'sam@example.com', '--mbox', 'digest.mbox')).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'digest.mbox'), 'utf8')).toMatch(/^From MAILER-DAEMON /);

    const empty = track(await emptyCrm());
    const nothing = await due(empty, '--mail-to', 'sam@example.com', '--out', 'outbox', '--exit-code');
    expect(nothing).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(fs.existsSync(path.join(empty, 'outbox'))).toBe(false);
  });

  it('refuses a wrong address, another --format, a transport without --mail-to and a link as --out', async () => {
    const dir = track(exampleCopy());
    expect((await due(dir, '--mail-to', 'not an address')).stderr).toContain("--mail-to 'not an address' is not an email address");
    expect((await due(dir, '--mail-to', 'sam@example.com', '--format', 'json')).stderr).toContain('leave out --format');
    expect((await due(dir, '--sendmail')).stderr).toContain('go with --mail-to ADDRESS');
    fs.symlinkSync('contacts', path.join(dir, 'outbox'));
    const link = await due(dir, '--mail-to', 'sam@example.com', '--out', 'outbox');
    expect(link.code).toBe(2);
    expect(link.stderr).toContain('outbox is a symbolic link');
  });
});
