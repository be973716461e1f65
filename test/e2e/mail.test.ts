import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { AS_OF, REPO, TB, diffSnapshots, exampleCopy, read, snapshot, tb, tempDir } from './helpers.js';

const FIX = path.join(REPO, 'test', 'fixtures', 'mail');
const fx = (name: string) => path.join(FIX, name);
const EMLS = ['thunderbird-reply.eml', 'gmail-attachment.eml', 'outlook-latin1.eml', 'applemail-forward.eml', 'mutt-shiftjis.eml'];

/** Runs tb against `dir` with --as-of and TZ=UTC (the helper's), so local time is UTC. */
const run = async (dir: string, args: string[], input?: string) => await tb(['--dir', dir, '--as-of', AS_OF, ...args], { input });

/**
 * `tb import eml -` as a real process with a real pipe (bytes, any charset): what a mail client
 * does. Stdin is the process's, so this never runs in-process.
 */
function pipeInto(dir: string, args: string[], input: Buffer | string): { stdout: string; stderr: string; code: number } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TOUCHBASE_')) env[k] = v;
  Object.assign(env, { NO_COLOR: '1', TZ: 'UTC' });
  const r = spawnSync(process.execPath, [TB, '--dir', dir, '--as-of', AS_OF, ...args], { input, env, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

function frontMatter(dir: string, rel: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(read(dir, rel));
  if (!m) throw new Error(`no front matter in ${rel}`);
  return yaml.load(m[1], { schema: yaml.CORE_SCHEMA }) as Record<string, unknown>;
}

/** Interaction files added since `before`. */
function added(dir: string, before: Map<string, string>): string[] {
  return diffSnapshots(before, snapshot(dir)).added.filter((f) => f.startsWith('interactions/'));
}

/** Copies of the .eml fixtures; the mutt one (no usable Date) gets a known file time. */
function emlCopies(): string[] {
  const dir = tempDir('tb-mail-');
  const out = EMLS.map((name) => {
    const to = path.join(dir, name);
    fs.copyFileSync(fx(name), to);
    return to;
  });
  const t = new Date('2026-11-17T12:30:00Z');
  fs.utimesSync(out[4], t, t);
  return out;
}

describe('tb import eml', () => {
  it('logs each message for the contacts it names, in the right direction, and says what it did', async () => {
    const dir = await exampleCopy();
    const before = snapshot(dir);
    const r = await run(dir, ['import', 'eml', ...emlCopies()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^5 files: 5 messages read; 5 interactions created, 0 skipped\n/);
    expect(r.stdout).toMatch(/Unknown correspondents \(1\).*\n\s+1 {2}finance@brotundbutter\.de {2}Finance Team {2}at brot-und-butter\?/);
    expect(r.stderr).toMatch(/mutt-shiftjis\.eml: note: Date header 'Dienstag, 17\. November 2026' is not a date; dated by the file's modification time/);
    const files = added(dir, before);
    expect(files).toHaveLength(5);
    const byContact = (id: string) => files.find((f) => f.includes(`-${id}-email-`))!;

    const gmail = byContact('carmen-vidal');
    expect(frontMatter(dir, gmail)).toEqual({
      date: '2026-11-18T13:03', contacts: ['carmen-vidal'], channel: 'email', direction: 'in', summary: 'Propuesta revisada – Mercado Verde',
      owner: 'sam', message_id: 'CAJx7Kq2V9mDp0rT5uNzY3hLw8e+Fg@mail.gmail.com', thread: '0a1b2c3d@kestrelfinch.eu', attachments: [{ name: 'Propuesta 2027.pdf', size: 2179 }],
    });
    expect(read(dir, gmail)).toMatch(/---\n\nHola Sam,\n\nte adjunto la propuesta revisada con los precios para 2027\.\n¿Podemos hablar el jueves\?\n\nSaludos,\nCarmen\n$/);

    const thunderbird = frontMatter(dir, byContact('chiara-rossi'));
    expect(thunderbird).toMatchObject({ date: '2026-11-17T09:42', contacts: ['chiara-rossi', 'greta-schafer'], direction: 'out', summary: 'Re: Kassensystem: nächste Schritte', thread: 'CAF3x9Qm=root@mail.gmail.com' });
    expect(read(dir, byContact('chiara-rossi'))).not.toMatch(/Guten Abend|-- /);
    expect(frontMatter(dir, byContact('elodie-moreau'))).toMatchObject({ direction: 'in', summary: 'Réunion de suivi – données cliniques' });
    expect(read(dir, byContact('jose-muller'))).toMatch(/can you check the € amount\?[\s\S]*Invoice 7781 shows EUR 1,200/);
    expect(frontMatter(dir, byContact('mei-tanaka'))).toMatchObject({ date: '2026-11-17T12:30', summary: '打ち合わせの件', message_id: expect.stringMatching(/^hash:[0-9a-f]{16}$/) });
    expect((await run(dir, ['check'])).code).toBe(0);
  });

  it('is a no-op the second time (Message-ID, or the header hash without one)', async () => {
    const dir = await exampleCopy();
    const copies = emlCopies();
    await run(dir, ['import', 'eml', ...copies]);
    const before = snapshot(dir);
    const r = await run(dir, ['import', 'eml', ...copies, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ format: 'eml', dry_run: false, read: 5, created: 0, updated: 0, skipped: 5, skipped_by_reason: { 'already imported': 5 }, contacts_created: 0, records: [], issues: [] });
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('reads one message piped on stdin (a mail client macro)', async () => {
    const dir = await exampleCopy();
    const received = 'Received: from mail.paylane.io (mail.paylane.io [203.0.113.7])\n\tby mx.kestrelfinch.eu (Postfix) with ESMTPS id 4Xk2p;\n\tTue, 17 Nov 2026 10:05:31 +0100 (CET)\n';
    const r = pipeInto(dir, ['import', 'eml', '-', '--json'], Buffer.concat([Buffer.from(received), fs.readFileSync(fx('mutt-shiftjis.eml'))]));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // Shift_JIS bytes come through the pipe intact; no usable Date: dated by the Received header.
    expect(report).toMatchObject({ file: '-', created: 1, records: [{ op: 'create', type: 'interaction', id: expect.stringMatching(/^2026-11-17-mei-tanaka-email-[a-z0-9]{4}$/) }] });
    expect(report.notes).toEqual([{ where: '-', message: "Date header 'Dienstag, 17. November 2026' is not a date; dated by its Received header" }]);
    expect(frontMatter(dir, report.records[0].path)).toMatchObject({ date: '2026-11-17T09:05' });
    expect(read(dir, report.records[0].path)).toContain('来週の打ち合わせ、火曜日の午後はいかがでしょうか。');
  });

  it('dates a message in the local time zone (TZ)', async () => {
    const dir = await exampleCopy();
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'import', 'eml', fx('gmail-attachment.eml'), '--json'], { env: { TZ: 'Europe/Berlin' } });
    const report = JSON.parse(r.stdout);
    expect(frontMatter(dir, report.records[0].path)).toMatchObject({ date: '2026-11-18T14:03' });
  });

  it('--dry-run writes nothing and reports the same', async () => {
    const dir = await exampleCopy();
    const before = snapshot(dir);
    const r = await run(dir, ['import', 'eml', ...emlCopies(), '--dry-run']);
    expect(r.stdout).toMatch(/5 interactions created[\s\S]*Dry run: nothing was written\./);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('goes on past a file that cannot be read', async () => {
    const dir = await exampleCopy();
    const r = await run(dir, ['import', 'eml', path.join(dir, 'no-such.eml'), fx('gmail-attachment.eml'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 2, created: 1, issues: [{ where: path.join(dir, 'no-such.eml'), message: expect.stringMatching(/^no such file: .*no-such\.eml; skipped$/) }] });
  });

  it('fails (exit 1) when the only message cannot be read, naming why', async () => {
    const dir = await exampleCopy();
    const r = pipeInto(dir, ['import', 'eml', '-'], 'this is not a message\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^-: not an e-mail message \(no header lines\); skipped\ntb: nothing could be imported from -/);
  });
});

describe('tb import mbox', () => {
  it('splits the mailbox, unescapes >From, dates a message without Date by its From_ line, lists unknown correspondents', async () => {
    const dir = await exampleCopy();
    const before = snapshot(dir);
    const r = await run(dir, ['import', 'mbox', fx('sent.mbox')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sent.mbox: 4 messages read; 2 interactions created, 2 skipped (1 with no known contact, 1 automated)');
    expect(r.stdout).toMatch(/dana@fbi-consulting\.example +Dana Scully\n/);
    expect(r.stdout).toMatch(/pablo\.new@mercadoverde\.es +Pablo {2}at mercado-verde\?/);
    expect(r.stdout).not.toContain('mailer-daemon');
    expect(r.stderr).toBe(`${fx('sent.mbox')}:31: note: message 3: no Date header; dated by the mbox From_ line's time\n`);
    const files = added(dir, before);
    expect(files).toHaveLength(2);
    const carmen = files.find((f) => f.includes('carmen-vidal'))!;
    expect(read(dir, carmen)).toContain('\nFrom our side the budget is approved.\n');
    expect(frontMatter(dir, files.find((f) => f.includes('chiara-rossi'))!)).toMatchObject({ date: '2026-11-18T11:00', direction: 'out' });
  });

  it('--create-contacts makes the unknown correspondents contacts and logs their messages', async () => {
    const dir = await exampleCopy();
    const r = await run(dir, ['import', 'mbox', fx('sent.mbox'), '--create-contacts', '--json']);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ created: 3, contacts_created: 3 });
    expect(report.unknown_correspondents).toEqual([
      { address: 'dana@fbi-consulting.example', name: 'Dana Scully', count: 1, created: 'dana-scully' },
      { address: 'newsletter@unknown-vendor.example', count: 1, created: 'newsletter' },
      { address: 'pablo.new@mercadoverde.es', name: 'Pablo', count: 1, company: 'mercado-verde', created: 'pablo' },
    ]);
    expect(frontMatter(dir, 'contacts/pablo.md')).toEqual({ name: 'Pablo', emails: ['pablo.new@mercadoverde.es'], company: 'mercado-verde', stage: 'lead', source: 'email', created: AS_OF });
    expect((await run(dir, ['check'])).code).toBe(0);
  });

  it('--since leaves out older messages', async () => {
    const dir = await exampleCopy();
    const r = await run(dir, ['import', 'mbox', fx('sent.mbox'), '--since', '2026-11-17', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 1, skipped_by_reason: { 'before --since': 1 } });
  });

  it('hostile messages each give one problem; the rest imports', async () => {
    const dir = await exampleCopy();
    const box = path.join(tempDir('tb-mbox-'), 'hostile.mbox');
    const good = (n: number) => `From carmen.vidal@mercadoverde.es Mon Nov 16 09:00:00 2026\nFrom: carmen.vidal@mercadoverde.es\nTo: sam@kestrelfinch.eu\nSubject: good ${n}\nDate: Mon, 16 Nov 2026 09:0${n}:00 +0000\nMessage-ID: <good-${n}@x>\n\nfine\n\n`;
    const head = 'From x@y Mon Nov 16 09:00:00 2026\nFrom: carmen.vidal@mercadoverde.es\nTo: sam@kestrelfinch.eu\nDate: Mon, 16 Nov 2026 10:00:00 +0000\n';
    let bomb = 'leaf\n';
    for (let i = 100; i > 0; i--) bomb = `Content-Type: multipart/mixed; boundary="b${i}"\n\n--b${i}\n${bomb}\n--b${i}--\n`;
    const fd = fs.openSync(box, 'w');
    fs.writeSync(fd, good(1));
    // A 100 MB message: base64 lines, as an attachment would be.
    fs.writeSync(fd, `${head}Subject: huge\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n`);
    const line = `${'QUJD'.repeat(19)}\n`.repeat(13_700);
    for (let i = 0; i < 100; i++) fs.writeSync(fd, line);
    fs.writeSync(fd, '\n');
    fs.writeSync(fd, `${head}Subject: bomb\n${bomb}\n`);
    fs.writeSync(fd, `${head}Subject: long header\nX-Junk: ${'a'.repeat(1024 * 1024)}\n\nbody\n\n`);
    fs.writeSync(fd, `${head}Subject: bad charset\nMessage-ID: <charset@x>\nContent-Type: text/plain; charset=x-klingon\n\nqapla\n\n`);
    fs.writeSync(fd, good(2));
    fs.closeSync(fd);
    const r = await run(dir, ['import', 'mbox', box, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ read: 6, created: 3 });
    expect(report.issues.map((i: { message: string }) => i.message)).toEqual([
      expect.stringMatching(/^message 2: the message is 100\.\d MB, over the 64\.0 MB limit; skipped$/),
      expect.stringMatching(/^message 3: cannot be read as MIME: Maximum MIME nesting depth of 32 levels exceeded; skipped$/),
      'message 4: the header is over 256 KB (limit); skipped',
    ]);
    expect(report.issues[0]).toMatchObject({ where: expect.stringMatching(/hostile\.mbox:10$/), line: 10, message_number: 2 });
    expect(report.notes).toEqual([expect.objectContaining({ message: "message 5: unknown charset 'x-klingon'; its text was read as windows-1252", message_number: 5 })]);
  });

  it('refuses a file that is not an mbox (a CSV, one message), writing nothing', async () => {
    const dir = await exampleCopy();
    const csv = path.join(tempDir('tb-csv-'), 'Connections.csv');
    fs.writeFileSync(csv, 'First Name,Last Name,Email Address\nAda,Lovelace,ada@example.org\n');
    const before = snapshot(dir);
    for (const file of [csv, fx('thunderbird-reply.eml')]) {
      const r = await run(dir, ['import', 'mbox', file]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`tb: ${file}: not an mbox (it does not start with a 'From ' line)\ntb: hint: for one message use: tb import eml FILE\n`);
    }
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('tb import maildir', () => {
  it('reads cur/ and new/, oldest first, and re-imports nothing', async () => {
    const dir = await exampleCopy();
    const md = tempDir('tb-maildir-');
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(md, sub));
    fs.copyFileSync(fx('gmail-attachment.eml'), path.join(md, 'cur', '1794996000.M101P2002.laptop,S=5132,W=5200:2,S'));
    fs.copyFileSync(fx('outlook-latin1.eml'), path.join(md, 'new', '1795082400.M202P3003.laptop'));
    fs.copyFileSync(fx('mutt-shiftjis.eml'), path.join(md, 'cur', '1794915960.M303P4004.laptop:2,RS'));
    fs.writeFileSync(path.join(md, 'tmp', '1763999999.partial'), 'From: half');
    const r = await run(dir, ['import', 'maildir', md, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ read: 3, created: 3 });
    // Sorted by delivery time: the mutt message (no usable Date) is dated by its file name.
    expect(report.records.map((x: { id: string }) => x.id.replace(/-[a-z0-9]{4}$/, ''))).toEqual(['2026-11-17-mei-tanaka-email', '2026-11-18-carmen-vidal-email', '2026-11-19-elodie-moreau-email']);
    expect(frontMatter(dir, report.records[0].path)).toMatchObject({ date: '2026-11-17T11:46' });
    expect(report.notes[0].message).toMatch(/^message 1: Date header .* dated by the Maildir file name's delivery time$/);
    const again = JSON.parse((await run(dir, ['import', 'maildir', md, '--rescan', '--json'])).stdout);
    expect(again).toMatchObject({ created: 0, skipped: 3 });
  });

  it('refuses a folder that is not a Maildir', async () => {
    const dir = await exampleCopy();
    const r = await run(dir, ['import', 'maildir', tempDir('tb-empty-')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a Maildir \(it has no cur\/ or new\/ folder\)/);
  });
});

describe('tb import ics', () => {
  it('logs past meetings with contacts, recurring ones expanded up to --as-of, once', async () => {
    const dir = await exampleCopy();
    const before = snapshot(dir);
    const r = await run(dir, ['import', 'ics', fx('google.ics')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/google\.ics: 7 meetings read; 7 interactions created, 0 skipped/);
    expect(r.stdout).toMatch(/luca\.bianchi@brotundbutter\.de {2}Luca Bianchi {2}at brot-und-butter\?/);
    const files = added(dir, before);
    expect(files.filter((f) => f.includes('mei-tanaka-meeting')).map((f) => frontMatter(dir, f).date)).toEqual(['2026-10-06T08:00', '2026-10-13T08:00', '2026-10-27T09:00', '2026-11-04T14:00', '2026-11-10T09:00', '2026-11-17T09:00']);
    const workshop = files.find((f) => f.includes('chiara-rossi-meeting'))!;
    expect(frontMatter(dir, workshop)).toEqual({ date: '2026-11-12', contacts: ['chiara-rossi'], channel: 'meeting', direction: 'in', summary: 'Workshop at Brot und Butter', owner: 'sam', uid: '7h3j5k7l9m1n3p5q@google.com' });
    const again = await run(dir, ['import', 'ics', fx('google.ics')]);
    expect(again.stdout).toMatch(/0 interactions created, 7 skipped \(7 already imported\)/);
    const outlook = await run(dir, ['import', 'ics', fx('outlook.ics'), '--json']);
    expect(JSON.parse(outlook.stdout)).toMatchObject({ created: 1 });
    expect((await run(dir, ['check'])).code).toBe(0);
  });

  it('without --as-of, leaves out a meeting later today until it has started (the real clock)', async () => {
    const dir = await exampleCopy();
    const meiDates = (before: Map<string, string>) => added(dir, before).filter((f) => f.includes('mei-tanaka-meeting')).map((f) => frontMatter(dir, f).date).sort();
    // The weekly sync is at 10:00 Berlin (09:00 UTC) on Tuesday 2026-11-17; it is 07:56 UTC.
    let before = snapshot(dir);
    const early = await tb(['--dir', dir, 'import', 'ics', fx('google.ics')], { now: new Date('2026-11-17T07:56:00Z') });
    expect(early.code).toBe(0);
    expect(early.stdout).toMatch(/1 not started yet/);
    expect(meiDates(before)).not.toContain('2026-11-17T09:00');
    before = snapshot(dir);
    const later = await tb(['--dir', dir, 'import', 'ics', fx('google.ics')], { now: new Date('2026-11-17T09:01:00Z') });
    expect(later.code).toBe(0);
    expect(meiDates(before)).toEqual(['2026-11-17T09:00']);
  });

  it('dates a meeting by the same rule as mail: the local time zone (TZ) of the machine', async () => {
    const dir = await exampleCopy();
    const before = snapshot(dir);
    await tb(['--dir', dir, '--as-of', AS_OF, 'import', 'ics', fx('google.ics')], { env: { TZ: 'Europe/Berlin' } });
    const berlin = added(dir, before).filter((f) => f.includes('mei-tanaka-meeting')).map((f) => frontMatter(dir, f).date).sort();
    // 10:00 Europe/Berlin stays 10:00 in Berlin (it is 09:00 on a machine in UTC, the test above).
    expect(berlin).toEqual(['2026-10-06T10:00', '2026-10-13T10:00', '2026-10-27T10:00', '2026-11-04T15:00', '2026-11-10T10:00', '2026-11-17T10:00']);
  });

  it('reports a file that is not iCalendar', async () => {
    const dir = await exampleCopy();
    const r = await run(dir, ['import', 'ics', fx('sent.mbox')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sent\.mbox: not an iCalendar file \(it does not start with a BEGIN:VCALENDAR line\)\n/);
  });

  it('refuses an e-mail plainly (not an internal parser error), writing nothing', async () => {
    const dir = await exampleCopy();
    const before = snapshot(dir);
    const r = await run(dir, ['import', 'ics', fx('thunderbird-reply.eml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tb: .*thunderbird-reply\.eml: not an iCalendar file \(it does not start with a BEGIN:VCALENDAR line\)\n/);
    expect(r.stderr).not.toContain('propertyGroups');
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('tb show groups a mail thread', () => {
  it('shows the reply and the message it answers together', async () => {
    const dir = await exampleCopy();
    await run(dir, ['import', 'mbox', fx('sent.mbox')]);
    await run(dir, ['import', 'eml', fx('gmail-attachment.eml')]);
    await run(dir, ['log', 'carmen-vidal', 'Call about pricing', '-c', 'call', '--date', '2026-11-17']);
    const r = await run(dir, ['show', 'carmen-vidal']);
    expect(r.stdout).toMatch(/2026-11-18 13:03 +email +in +Propuesta revisada – Mercado Verde\n +2026-11-16 08:12 +email +out +↳ Revised proposal\?\n +2026-11-17 +call/);
  });
});

describe('tb import: mail usage errors', () => {
  const cases: Array<[string[], RegExp]> = [
    [['import', 'mbox', 'a.mbox', 'b.mbox'], /tb import mbox takes one file, got 2/],
    [['import', 'csv', 'x.csv', '--since', '2026-01-01'], /--since applies to eml, mbox, maildir and ics imports only/],
    [['import', 'eml', 'x.eml', '--me', 'not-an-address'], /--me expects an e-mail address/],
    [['import', 'mbox', 'x.mbox', '--tag', 'a'], /--map, --type and --tag apply to csv, vcard and json imports/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const dir = await exampleCopy();
      const r = await run(dir, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }
});
