/** Campaign results by time (docs/campaigns.md, "Report"): a send records its time; what came before it is not credited. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyCrm, tb } from './helpers.js';

const write = (dir: string, rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};

describe('campaign report by time', () => {
  it('records the time of sending and credits only what happened after it', async () => {
    const dir = await emptyCrm();
    const cfg = path.join(dir, 'touchbase.yaml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace(/^owners:.*$/m, 'owners:\n  sam: { name: Sam Lee, email: sam@example.com }'));
    write(dir, 'contacts/ann-berg.md', '---\nname: Ann Berg\nemails: [ann@example.com]\ntags: [client]\ncreated: 2026-01-01\n---\n');
    const env = { TOUCHBASE_USER: 'sam' };
    const now = new Date('2026-03-02T10:00:00Z');
    expect((await tb(['campaign', 'new', 'Spring', '--segment', 'tag:client', '--subject', 'Hello', '--body', 'Hi'], { cwd: dir, env, now })).code).toBe(0);
    const out = path.join(dir, 'outbox');
    const sent = await tb(['campaign', 'send', 'spring', '--out', out], { cwd: dir, env, now });
    expect(sent.stderr).toBe('');
    const files = fs.readdirSync(path.join(dir, 'interactions/2026/03'));
    expect(fs.readFileSync(path.join(dir, 'interactions/2026/03', files[0]), 'utf8')).toMatch(/^date: 2026-03-02T10:00$/m);
    write(dir, 'interactions/2026/03/2026-03-02-ann-berg-meeting-m1.md', '---\ndate: 2026-03-02T09:00\ncontacts: [ann-berg]\nchannel: meeting\ndirection: out\nsummary: Breakfast\n---\n');
    write(dir, 'deals/ann-audit.md', '---\ntitle: Ann audit\ncontacts: [ann-berg]\nstage: won\nvalue: 6000\ncreated: 2026-03-02\nclosed: 2026-03-05\n---\n');
    write(dir, 'interactions/2026/03/2026-03-02-ann-berg-email-r1.md', '---\ndate: 2026-03-02T14:30\ncontacts: [ann-berg]\nchannel: email\ndirection: in\nsummary: "Re: Hello"\n---\n');
    const rep = await tb(['campaign', 'report', '--json', '--as-of', '2026-03-20'], { cwd: dir, env });
    expect(rep.stderr).toBe('');
    expect(JSON.parse(rep.stdout).campaigns[0]).toMatchObject({ id: 'spring', recipients: 1, replies: 1, meetings: 0, deals: 0, won_value: [] });
    expect((await tb(['check'], { cwd: dir })).code).toBe(0);
  });
});
