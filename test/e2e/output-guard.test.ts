/**
 * The one output guard (store/output-path.ts, docs/reliability.md "Files tb writes on request"):
 * every path tb writes because the user named it refuses a symbolic link at any component and the
 * CRM's own folders — the attacks of issue #27 through a teammate's committed links.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tb, tempDir } from './helpers.js';
import { samCrm } from './campaign-helpers.js';

const AS_OF = '2026-11-23';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function crm(): Promise<string> {
  const dir = await samCrm();
  for (const n of ['ada', 'li']) fs.writeFileSync(path.join(dir, 'contacts', `${n}.md`), `---\nname: ${n}\nemails: [${n}@example.com]\ntags: [client]\ncreated: 2026-01-10\n---\n`);
  const r = await tb(['campaign', 'new', 'Note', '--segment', 'tag:client', '--subject', 'Hi', '--body', 'import os; os.system("touch /tmp/pwned")', '--as-of', AS_OF], { cwd: dir, env: { TOUCHBASE_USER: 'sam' } });
  expect(r.code).toBe(0);
  return dir;
}

const interactionFiles = (dir: string) => (fs.readdirSync(path.join(dir, 'interactions'), { recursive: true }) as string[]).filter((f) => f.endsWith('.md'));

const send = (dir: string, ...args: string[]) => tb(['campaign', 'send', 'note', ...args, '--as-of', AS_OF], { cwd: dir });

describe('campaign send output through links', () => {
  it('a committed outbox -> contacts is refused: no .eml among the contacts, nothing sent', async () => {
    const dir = await crm();
    fs.symlinkSync('contacts', path.join(dir, 'outbox'));
    const r = await send(dir, '--out', 'outbox');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'outbox')} is a symbolic link (tb never writes through links)`);
    expect(fs.readdirSync(path.join(dir, 'contacts')).sort()).toEqual(['ada.md', 'li.md']);
    expect(interactionFiles(dir)).toEqual([]);
  });

  it('a dangling sent.mbox -> companies/x.md is refused: no company is created', async () => {
    const dir = await crm();
    fs.symlinkSync('companies/x.md', path.join(dir, 'sent.mbox'));
    const r = await send(dir, '--mbox', 'sent.mbox');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sent.mbox is a symbolic link');
    expect(fs.existsSync(path.join(dir, 'companies', 'x.md'))).toBe(false);
    expect(interactionFiles(dir)).toEqual([]);
  });

  it('a link to a .pth file outside is refused by --mbox, export -o and report --html alike', async () => {
    const dir = await crm();
    const site = tempDir('tb-site-');
    dirs.push(site);
    const pth = path.join(site, 'news.pth');
    fs.symlinkSync(pth, path.join(dir, 'sent.mbox'));
    fs.symlinkSync(pth, path.join(dir, 'backup.json'));
    fs.symlinkSync(pth, path.join(dir, 'kpi.html'));
    expect((await send(dir, '--mbox', 'sent.mbox')).stderr).toContain('sent.mbox is a symbolic link');
    const exp = await tb(['export', 'json', '-o', 'backup.json'], { cwd: dir });
    expect(exp.code).toBe(2);
    expect(exp.stderr).toContain('backup.json is a symbolic link');
    const rep = await tb(['report', '--html', 'kpi.html', '--as-of', AS_OF], { cwd: dir });
    expect(rep.code).toBe(2);
    expect(rep.stderr).toContain('kpi.html is a symbolic link');
    expect(fs.existsSync(pth)).toBe(false);
  });

  it('a link as an intermediate folder is refused for --out, --mbox and -o', async () => {
    const dir = await crm();
    const elsewhere = tempDir('tb-elsewhere-');
    dirs.push(elsewhere);
    fs.symlinkSync(elsewhere, path.join(dir, 'mail'));
    expect((await send(dir, '--out', 'mail/outbox')).stderr).toContain('mail is a symbolic link');
    expect((await send(dir, '--mbox', 'mail/sent.mbox')).stderr).toContain('mail is a symbolic link');
    expect((await tb(['export', 'csv', '-o', 'mail/x.csv'], { cwd: dir })).stderr).toContain('mail is a symbolic link');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('record folders, .git and .touchbase are refused; a plain folder next to them works', async () => {
    const dir = await crm();
    for (const target of ['contacts/outbox', '.git/x', '.touchbase/out', 'campaigns']) {
      const r = await send(dir, '--out', target);
      expect(r.code, target).toBe(2);
      expect(r.stderr, target).toMatch(/refusing to (write|overwrite)/);
    }
    expect((await send(dir, '--mbox', 'contacts/ada.md')).code).toBe(2);
    const ok = await send(dir, '--out', 'outbox/nov');
    expect(ok.stderr).toBe('');
    expect(fs.readdirSync(path.join(dir, 'outbox', 'nov')).sort()).toEqual(['ada.eml', 'li.eml']);
  });
});

describe('reports escape control characters for the terminal', () => {
  it('Unknown correspondents: an ESC or OSC sequence in a sender name never reaches the terminal raw', async () => {
    const dir = await crm();
    const evil = Buffer.from('Mallory \u001b[2J\u001b]0;pwned\u0007 Ltd').toString('base64');
    const mbox = `From mallory@example.org Mon Nov 23 09:00:00 2026\nFrom: =?utf-8?b?${evil}?= <mallory@example.org>\nTo: sam@example.com\nSubject: Hello\nDate: Mon, 23 Nov 2026 09:00:00 +0000\nMessage-ID: <evil-1@example.org>\n\nHi\n`;
    fs.writeFileSync(path.join(dir, 'in.mbox'), mbox);
    const r = await tb(['import', 'mbox', 'in.mbox', '--as-of', AS_OF], { cwd: dir, env: { TOUCHBASE_USER: 'sam' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Unknown correspondents (1)');
    expect(r.stdout).toContain('mallory@example.org');
    expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});
