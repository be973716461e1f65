import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, REPO, diffSnapshots, exampleCopy, snapshot, tb, tempDir } from './helpers.js';

const BULK = path.join(REPO, 'test', 'fixtures', 'mail', 'bulk.mbox');
const run = async (dir: string, args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, ...args]);
const config = (dir: string, text: string) => fs.appendFileSync(path.join(dir, 'touchbase.yaml'), `\n${text}`);

describe('tb import: selective by default (#32)', () => {
  it('list, bulk and automated mail (Mailchimp, GitHub, an Exchange auto-reply, a no-reply sender) is skipped and counted; the real reply is logged', async () => {
    const dir = exampleCopy();
    const r = await run(dir, ['import', 'mbox', BULK, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ read: 6, created: 2, skipped: 4 });
    expect(report.skipped_by_reason).toMatchObject({ 'mailing list': 2, 'bulk mail': 0, automated: 2, 'ignored address': 0, 'skipped folder': 0 });
    expect(report.unknown_correspondents.map((u: { address: string }) => u.address)).toEqual(['alerts@bank.example']);
    const text = await run(dir, ['import', 'mbox', BULK, '--dry-run']);
    expect(text.stdout).toContain('6 messages read; 0 interactions created, 6 skipped (2 already imported, 2 from mailing lists, 2 automated)');
    expect(text.stdout).toContain('(4 list, bulk or automated messages not logged: --include-bulk logs them)');
  });

  it('--include-bulk (or mail: include_bulk: true) logs them too', async () => {
    const dir = exampleCopy();
    expect(JSON.parse((await run(dir, ['import', 'mbox', BULK, '--include-bulk', '--json'])).stdout)).toMatchObject({ created: 6 });
    const other = exampleCopy();
    config(other, 'mail:\n  include_bulk: true\n');
    expect(JSON.parse((await run(other, ['import', 'mbox', BULK, '--json'])).stdout)).toMatchObject({ created: 6 });
  });

  it('mail: ignore takes domains (and their subdomains) and addresses; ignored senders are counted, ignored recipients never listed', async () => {
    const dir = exampleCopy();
    config(dir, 'mail:\n  ignore: [bank.example, dana@fbi-consulting.example]\n');
    const report = JSON.parse((await run(dir, ['import', 'mbox', BULK, '--json'])).stdout);
    expect(report.skipped_by_reason).toMatchObject({ 'ignored address': 1 });
    expect(report.unknown_correspondents).toEqual([]);
    const sent = JSON.parse((await run(dir, ['import', 'mbox', path.join(REPO, 'test', 'fixtures', 'mail', 'sent.mbox'), '--json'])).stdout);
    expect(sent.unknown_correspondents.map((u: { address: string }) => u.address)).not.toContain('dana@fbi-consulting.example');
    expect((await run(dir, ['check'])).code).toBe(0);
  });

  it('mail: skip_folders skips a Maildir (or Maildir++ folder) by name, counted', async () => {
    const dir = exampleCopy();
    config(dir, 'mail:\n  skip_folders: [Spam, Trash]\n');
    const md = path.join(tempDir('tb-md-'), '.INBOX.Spam');
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(md, sub), { recursive: true });
    fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'mail', 'outlook-latin1.eml'), path.join(md, 'cur', '1795082400.M1P1.host:2,S'));
    const r = await run(dir, ['import', 'maildir', md, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ read: 1, created: 0, skipped_by_reason: { 'skipped folder': 1 } });
  });

  it('a mistake in mail: is reported by tb check, and tb import refuses to run with it, writing nothing', async () => {
    const dir = exampleCopy();
    config(dir, 'mail:\n  legacy_charset: klingon\n  skip_folder: [Spam]\n');
    const r = await run(dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/legacy_charset 'klingon' is not a charset tb knows/);
    expect(r.stdout + r.stderr).toMatch(/mail: unknown setting 'skip_folder'/);
    const before = snapshot(dir);
    const imp = await run(dir, ['import', 'mbox', BULK]);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toMatch(/^tb: touchbase\.yaml: mail: unknown setting 'skip_folder'/);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});
