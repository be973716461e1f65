/** tb rm / tb delete: refusal while referenced, --force, --cascade, --dry-run, git history kept. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, diffSnapshots, read, snapshot, tb, tempDir } from './helpers.js';

const FILES: Record<string, string> = {
  'touchbase.yaml': 'name: Rm test\ncurrency: EUR\n',
  'companies/acme.md': '---\nname: Acme GmbH\n---\n',
  'contacts/ada-lovelace.md': '---\nname: Ada Lovelace\ncompany: acme\nemails: [ada@acme.example]\n---\n',
  'contacts/grace-hopper.md': '---\nname: Grace Hopper\ncompany: acme\n---\n',
  'deals/acme-renewal.md': '---\ntitle: Acme renewal\ncompany: acme\ncontacts: [ada-lovelace]\nstage: lead\nvalue: 1000\n---\n',
  'interactions/2026/11/2026-11-02-ada-lovelace-call-abcd.md': '---\ndate: 2026-11-02\ncontacts: [ada-lovelace]\nchannel: call\nsummary: Call with Ada\n---\n',
  'interactions/2026/11/2026-11-03-ada-lovelace-meeting-efgh.md': '---\ndate: 2026-11-03\ncontacts: [ada-lovelace, grace-hopper]\nchannel: meeting\ndeal: acme-renewal\nsummary: Meeting with Ada and Grace\n---\n',
  'reminders/2026-11-30-ada-lovelace-send-quote-ijkl.md': '---\ndue: 2026-11-30\ncontact: ada-lovelace\ntext: Send the quote\nstatus: open\n---\n',
  'reminders/2026-12-01-acme-renewal-chase-mnop.md': '---\ndue: 2026-12-01\ndeal: acme-renewal\ntext: Chase the renewal\nstatus: open\n---\n',
};

function crm(): string {
  const dir = tempDir();
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('tb rm', () => {
  it('refuses while referenced, names the referrers, and changes nothing', async () => {
    const dir = crm();
    const before = snapshot(dir);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', 'ada']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ada-lovelace is still named by 4 records');
    expect(r.stderr).toContain('deals/acme-renewal.md (contacts)');
    expect(r.stderr).toContain('--cascade');
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('removes an unreferenced record; `delete` is the same command', async () => {
    const dir = crm();
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'delete', '2026-11-30-ada-lovelace-send-quote-ijkl']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'reminders/2026-11-30-ada-lovelace-send-quote-ijkl.md'))).toBe(false);
  });

  it('--dry-run lists what would go and what would dangle, writing nothing', async () => {
    const dir = crm();
    const before = snapshot(dir);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', 'ada', '--cascade', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dry_run).toBe(true);
    expect(out.removed.map((x: { path: string }) => x.path)).toEqual([
      'contacts/ada-lovelace.md',
      'interactions/2026/11/2026-11-02-ada-lovelace-call-abcd.md',
      'reminders/2026-11-30-ada-lovelace-send-quote-ijkl.md',
    ]);
    expect(out.unlinked).toEqual([{ path: 'interactions/2026/11/2026-11-03-ada-lovelace-meeting-efgh.md', key: 'contacts', before: ['ada-lovelace', 'grace-hopper'], after: ['grace-hopper'] }]);
    expect(out.dangling).toEqual([{ id: 'acme-renewal', type: 'deal', path: 'deals/acme-renewal.md', key: 'contacts' }]);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });

  it('--cascade --force removes own records, unlinks shared ones, leaves the deal dangling', async () => {
    const dir = crm();
    const before = snapshot(dir);
    const refused = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', 'ada', '--cascade']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('still named by 1 record: deals/acme-renewal.md');
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', 'ada', '--cascade', '--force']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Left dangling (1 record)');
    const d = diffSnapshots(before, snapshot(dir));
    expect(d.removed).toEqual(['contacts/ada-lovelace.md', 'interactions/2026/11/2026-11-02-ada-lovelace-call-abcd.md', 'reminders/2026-11-30-ada-lovelace-send-quote-ijkl.md']);
    expect(d.changed).toEqual(['interactions/2026/11/2026-11-03-ada-lovelace-meeting-efgh.md']);
    expect(read(dir, 'interactions/2026/11/2026-11-03-ada-lovelace-meeting-efgh.md')).toContain('contacts: [grace-hopper]');
  });

  it("a deal's --cascade removes its reminders and keeps its interactions without deal:", async () => {
    const dir = crm();
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', 'acme-renewal', '--cascade']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'reminders/2026-12-01-acme-renewal-chase-mnop.md'))).toBe(false);
    const meeting = read(dir, 'interactions/2026/11/2026-11-03-ada-lovelace-meeting-efgh.md');
    expect(meeting).not.toContain('deal:');
    expect(meeting).toContain('summary: Meeting with Ada and Grace');
  });

  it('a company is refused while contacts name it; --force removes only the company', async () => {
    const dir = crm();
    expect((await tb(['--dir', dir, 'rm', 'acme', '--cascade'])).code).toBe(1);
    const r = await tb(['--dir', dir, 'rm', 'acme', '--force']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Left dangling (3 records)');
    expect(fs.existsSync(path.join(dir, 'contacts/ada-lovelace.md'))).toBe(true);
  });

  it('with autocommit the removal is one commit and the file history remains', async () => {
    const dir = crm();
    fs.appendFileSync(path.join(dir, 'touchbase.yaml'), 'git: { autocommit: true }\n');
    git(dir, ['init', '-q']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'start']);
    const r = await tb(['--dir', dir, 'rm', '2026-12-01-acme-renewal-chase-mnop']);
    expect(r.code).toBe(0);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    expect(git(dir, ['log', '--format=%s'])).toMatch(/^rm: reminder 2026-12-01-acme-renewal-chase-mnop\nstart\n$/);
    expect(git(dir, ['log', '--format=%s', '--', 'reminders/2026-12-01-acme-renewal-chase-mnop.md']).split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('a contact named by a service case is refused; --force lists the case as dangling', async () => {
    const dir = crm();
    const opened = await tb(['--dir', dir, '--as-of', AS_OF, 'case', 'open', 'grace', 'Question']);
    expect(opened.code).toBe(0);
    const caseFile = fs.readdirSync(path.join(dir, 'cases'))[0];
    const refused = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', 'grace-hopper', '--cascade']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`cases/${caseFile} (contact)`);
    expect(fs.existsSync(path.join(dir, 'contacts/grace-hopper.md'))).toBe(true);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', 'grace-hopper', '--cascade', '--force']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`cases/${caseFile} (contact)`);
    expect(fs.existsSync(path.join(dir, 'cases', caseFile))).toBe(true);
  });

  it("a case named by interactions is refused; --cascade keeps them and takes case: off", async () => {
    const dir = crm();
    await tb(['--dir', dir, '--as-of', AS_OF, 'case', 'open', 'grace', 'Question']);
    const id = fs.readdirSync(path.join(dir, 'cases'))[0].replace(/\.md$/, '');
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'case', 'note', id, 'Looked into it'])).code).toBe(0);
    const before = snapshot(dir);
    const refused = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/still named by 1 record: interactions\/.*\(case\)/);
    expect(refused.stderr).toContain('--cascade takes case: off the 1 record naming it (they stay)');
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', id, '--cascade']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = diffSnapshots(before, snapshot(dir));
    expect(d.removed).toEqual([`cases/${id}.md`]);
    expect(d.changed).toHaveLength(1);
    expect(read(dir, d.changed[0])).not.toContain('case:');
    expect(read(dir, d.changed[0])).toContain('Looked into it');
    const check = await tb(['--dir', dir, '--as-of', AS_OF, 'check']);
    expect(check.stdout + check.stderr).not.toContain('unknown case');
  });

  it('says git keeps the history only of a file git tracks; an uncommitted one is said to be gone', async () => {
    const dir = crm();
    git(dir, ['init', '-q']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'start']);
    fs.writeFileSync(path.join(dir, 'contacts/new-person.md'), '---\nname: New Person\n---\n');
    const untracked = await tb(['--dir', dir, 'rm', 'new-person']);
    expect(untracked.code).toBe(0);
    expect(untracked.stdout).not.toContain('git keeps the history');
    expect(untracked.stdout).toContain('contacts/new-person.md was never committed to git: it is gone, no copy is kept.');
    const tracked = await tb(['--dir', dir, 'rm', '2026-12-01-acme-renewal-chase-mnop']);
    expect(tracked.code).toBe(0);
    expect(tracked.stdout).toContain('git keeps the history of reminders/2026-12-01-acme-renewal-chase-mnop.md');
    expect(tracked.stdout).not.toContain('never committed');
  });

  it('outside git the removed file is said to be gone', async () => {
    const dir = crm();
    const r = await tb(['--dir', dir, 'rm', '2026-12-01-acme-renewal-chase-mnop']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('this CRM is not in git, so it is gone and no copy is kept');
    expect(r.stdout).not.toContain('git keeps');
  });
  it('a campaign named by interactions (campaign:) is refused until --cascade or --force', async () => {
    const dir = crm();
    fs.mkdirSync(path.join(dir, 'campaigns'));
    fs.writeFileSync(path.join(dir, 'campaigns/winter-update.md'), '---\nname: Winter update\nstatus: sent\n---\nHello\n');
    const rel = 'interactions/2026/11/2026-11-02-ada-lovelace-call-abcd.md';
    fs.writeFileSync(path.join(dir, rel), read(dir, rel).replace('summary:', 'campaign: winter-update\nsummary:'));
    const refused = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', 'winter']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${rel} (campaign)`);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'rm', 'winter-update', '--cascade', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).unlinked).toEqual([{ path: rel, key: 'campaign', before: 'winter-update', after: null }]);
    expect(fs.existsSync(path.join(dir, rel))).toBe(true);
  });
});
