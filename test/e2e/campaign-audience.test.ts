/**
 * do_not_contact and unsubscribed as typed booleans (issue #27): every spelling is honoured by
 * campaigns, written as true/false by set and import, and anything else is an error in tb check,
 * tb set and tb import. Exclusion is by address too, and an address is mailed once per campaign.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, tb } from './helpers.js';
import { samCrm } from './campaign-helpers.js';

const AS_OF = '2026-11-23';
const crm = samCrm;

function contact(dir: string, id: string, fields: string): void {
  fs.writeFileSync(path.join(dir, 'contacts', `${id}.md`), `---\nname: ${id}\n${fields.trim()}\ncreated: 2026-01-10\n---\n`);
}

const run = (dir: string, ...args: string[]) => tb([...args, '--as-of', AS_OF], { cwd: dir, env: { TOUCHBASE_USER: 'sam' } });

describe('do_not_contact and unsubscribed are booleans', () => {
  it('tb check: yes/1/on are read (a warning says to write true); maybe is an error naming file and line', async () => {
    const dir = await crm();
    contact(dir, 'ada', 'emails: [ada@example.com]\ndo_not_contact: 1');
    contact(dir, 'bob', 'emails: [bob@example.com]\nunsubscribed: maybe');
    const r = await run(dir, 'check');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/contacts\/bob\.md:4: .*'unsubscribed' must be true\/false \(also yes\/no, y\/n, 1\/0, on\/off\), got 'maybe'/);
    expect(r.stdout).toMatch(/contacts\/ada\.md:4: .*'do_not_contact' is read as true; write do_not_contact: true/);
  });

  it('tb set writes yes as true and refuses maybe, leaving the file as it was', async () => {
    const dir = await crm();
    contact(dir, 'ada', 'emails: [ada@example.com]');
    expect((await run(dir, 'set', 'ada', 'do_not_contact=Yes')).code).toBe(0);
    expect(read(dir, 'contacts/ada.md')).toContain('do_not_contact: true\n');
    const before = read(dir, 'contacts/ada.md');
    const bad = await run(dir, 'set', 'ada', 'unsubscribed=maybe');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("'unsubscribed' must be true/false");
    expect(read(dir, 'contacts/ada.md')).toBe(before);
    expect((await run(dir, 'check')).code).toBe(0);
  });

  it('tb import csv normalises 1/Y to true (never mailed) and reports anything else at its line', async () => {
    const dir = await crm();
    fs.writeFileSync(path.join(dir, 'people.csv'), 'name,email,do_not_contact,tags\nAda,ada@example.com,1,client\nBob,bob@example.com,Y,client\nCy,cy@example.com,maybe,client\nDee,dee@example.com,no,client\n');
    const imp = await run(dir, 'import', 'csv', 'people.csv');
    expect(imp.stderr).toMatch(/people\.csv:4: .*do_not_contact "maybe" would fail tb check/);
    expect(read(dir, 'contacts/ada.md')).toContain('do_not_contact: true\n');
    expect(read(dir, 'contacts/bob.md')).toContain('do_not_contact: true\n');
    expect(read(dir, 'contacts/dee.md')).toContain('do_not_contact: false\n');
    expect((await run(dir, 'campaign', 'new', 'Note', '--segment', 'tag:client', '--subject', 'Hi', '--body', 'Hello')).code).toBe(0);
    const preview = JSON.parse((await run(dir, 'campaign', 'preview', 'note', '--json')).stdout) as { recipients: Array<{ id: string }> };
    // Cy's unreadable value is kept aside as imported_do_not_contact: when in doubt, not mailed.
    expect(preview.recipients.map((r) => r.id).sort()).toEqual(['dee']);
  });

  it('a do_not_contact address is not mailed through a second contact; an address goes out once per campaign', async () => {
    const dir = await crm();
    contact(dir, 'ann-old', 'emails: [ann@example.com]\ndo_not_contact: true');
    contact(dir, 'ann-new', 'emails: [ANN@example.com]\ntags: [client]');
    contact(dir, 'bo', 'emails: [team@example.com]\ntags: [client]');
    contact(dir, 'bo-desk', 'emails: [team@example.com]\ntags: [client]');
    expect((await run(dir, 'campaign', 'new', 'Note', '--segment', 'tag:client', '--subject', 'Hi', '--body', 'Hello')).code).toBe(0);
    const send = await run(dir, 'campaign', 'send', 'note', '--out', 'outbox', '--json');
    expect(send.code).toBe(0);
    const out = JSON.parse(send.stdout) as { recipients: Array<{ id: string }>; skipped: Array<{ id: string; reason: string }> };
    expect(out.recipients.map((r) => r.id)).toEqual(['bo']);
    expect(out.skipped).toEqual([
      { id: 'ann-new', name: 'ann-new', reason: 'do_not_contact', detail: 'ann@example.com is marked do_not_contact on ann-old' },
      { id: 'bo-desk', name: 'bo-desk', reason: 'duplicate address', detail: 'team@example.com is mailed to bo' },
    ]);
    expect(fs.readdirSync(path.join(dir, 'outbox'))).toEqual(['bo.eml']);
  });
});
