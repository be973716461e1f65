/**
 * Mail written by a real mail tool: notmuch delivers messages into a Maildir (`notmuch insert`, as
 * a mail hook does) and hands one back raw (`notmuch show --format=raw`, what a post-new hook or a
 * mutt binding pipes); tb imports both, once each.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TB, tb } from '../e2e/helpers.js';
import { missing, run } from './peers.js';

const absent = missing('notmuch');
if (absent.length) console.warn(`test/peers/notmuch.test.ts skipped: ${absent.join(', ')} not installed (apt-get install notmuch)`);

function message(n: number, from: string, subject: string): string {
  return [`From: ${from}`, 'To: Me <me@consult.example>', `Subject: ${subject}`, `Date: Mon, ${16 + n} Nov 2026 10:00:00 +0000`,
    `Message-ID: <msg-${n}@acme.example>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', `Message ${n}.`, ''].join('\r\n');
}

describe.skipIf(absent.length > 0)('a Maildir written by notmuch', () => {
  let work: string;
  let crm: string;
  let env: NodeJS.ProcessEnv;
  const notmuch = (args: string[], input = '') => run('notmuch', args, { env, input });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-notmuch-'));
    crm = path.join(work, 'crm');
    fs.mkdirSync(path.join(work, 'mail'));
    fs.writeFileSync(path.join(work, 'notmuch-config'), `[database]\npath=${path.join(work, 'mail')}\n[user]\nname=Me\nprimary_email=me@consult.example\n[new]\ntags=unread;inbox;\n`);
    env = { NOTMUCH_CONFIG: path.join(work, 'notmuch-config') };
    notmuch(['new']);
    expect((await tb(['init', crm, '--no-git'])).code).toBe(0);
    expect((await tb(['add', 'contact', 'Ada Lovelace', '--email', 'ada@acme.example'], { cwd: crm })).code).toBe(0);
  });

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const logged = () => fs.readdirSync(path.join(crm, 'interactions'), { recursive: true }).filter((f) => String(f).endsWith('.md'));

  test('messages delivered by notmuch insert are imported once', async () => {
    notmuch(['insert', '--folder=INBOX', '--create-folder', '+inbox'], message(1, 'Ada Lovelace <ada@acme.example>', 'Renewal'));
    notmuch(['insert', '--folder=INBOX', '+inbox'], message(2, 'Stranger <who@else.example>', 'Hello'));
    const inbox = path.join(work, 'mail', 'INBOX');
    const r = await tb(['import', 'maildir', inbox, '--me', 'me@consult.example'], { cwd: crm });
    expect(r.code, r.stderr).toBe(0);
    expect(logged()).toHaveLength(1);
    const text = fs.readFileSync(path.join(crm, 'interactions', String(logged()[0])), 'utf8');
    expect(text).toMatch(/message_id: msg-1@acme\.example|message_id: <msg-1@acme\.example>/);
    expect(text).toMatch(/direction: in/);
    // A third message arrives; the re-run logs only it.
    notmuch(['insert', '--folder=INBOX', '+inbox'], message(3, 'Ada Lovelace <ada@acme.example>', 'Re: Renewal'));
    expect((await tb(['import', 'maildir', inbox, '--me', 'me@consult.example'], { cwd: crm })).code).toBe(0);
    expect(logged()).toHaveLength(2);
    expect((await tb(['check'], { cwd: crm })).code).toBe(0);
  });

  test('notmuch show --format=raw piped into tb import eml - (a post-new hook, a mutt binding)', async () => {
    notmuch(['insert', '--folder=INBOX', '+inbox'], message(4, 'Ada Lovelace <ada@acme.example>', 'Contract'));
    const pipe = `notmuch show --format=raw id:msg-4@acme.example | node ${JSON.stringify(TB)} import eml - --me me@consult.example`;
    const first = spawnSync('sh', ['-c', pipe], { cwd: crm, env: { ...process.env, ...env, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(0);
    expect(logged()).toHaveLength(3);
    // The same message again (the hook runs twice, or the Maildir import sees it later): no duplicate.
    const again = spawnSync('sh', ['-c', pipe], { cwd: crm, env: { ...process.env, ...env, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect((await tb(['import', 'maildir', path.join(work, 'mail', 'INBOX'), '--me', 'me@consult.example'], { cwd: crm })).code).toBe(0);
    expect(logged()).toHaveLength(3);
  });
});
