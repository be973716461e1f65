/**
 * `tb campaign` and `tb report attribution` end to end, on a small CRM written here. Messages are
 * parsed back with a real MIME parser (mailparser); sendmail is a fake script.
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSnapshots, emptyCrm, snapshot, tb, tempDir } from './helpers.js';

const AS_OF = '2026-11-23';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function write(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

function contact(dir: string, id: string, fields: string): void {
  write(dir, `contacts/${id}.md`, `---\n${fields.trim()}\ncreated: 2026-01-10\n---\n`);
}

/*
 * Recipients of tag:client: ada (no company), jose (accents, company acme, title CTO),
 * li, maria, noor (plain). Left out: bob (no email), dora (do_not_contact), una (unsubscribed).
 * Not in the segment: zed.
 */
async function crm(extraConfig = ''): Promise<string> {
  const dir = await emptyCrm();
  dirs.push(dir);
  const cfg = fs.readFileSync(path.join(dir, 'touchbase.yaml'), 'utf8').replace(/^owners:.*$/m, 'owners:\n  sam: { name: Sam Lée, email: sam@example.com }');
  fs.writeFileSync(path.join(dir, 'touchbase.yaml'), `${cfg}\ncampaigns:\n  unsubscribed_tag: unsubscribed\n  list_unsubscribe: "<mailto:unsubscribe@example.com?subject=unsubscribe%20{{email}}>"\n${extraConfig}`);
  write(dir, 'companies/acme.md', '---\nname: Acme Straße GmbH\ndomain: acme.example\n---\n');
  contact(dir, 'ada-lovelace', 'name: Ada Lovelace\nemails: [ada@example.com]\ntags: [client]');
  contact(dir, 'jose-muller', 'name: José Müller\nemails: [jose@example.com]\ncompany: acme\ntitle: CTO\ntags: [client]');
  contact(dir, 'li-wei', 'name: Li Wei\nemails: [li@example.com]\ntags: [client]');
  contact(dir, 'maria-rossi', 'name: Maria Rossi\nemails: [maria@example.com]\ntags: [client]');
  contact(dir, 'noor-haddad', 'name: Noor Haddad\nemails: [noor@example.com]\ntags: [client]');
  contact(dir, 'bob-stone', 'name: Bob Stone\nphones: ["+44 20 7946 0000"]\ntags: [client]');
  contact(dir, 'dora-diaz', 'name: Dora Diaz\nemails: [dora@example.com]\ntags: [client]\ndo_not_contact: true');
  contact(dir, 'una-berg', 'name: Una Berg\nemails: [una@example.com]\ntags: [client, unsubscribed]');
  contact(dir, 'zed-ward', 'name: Zed Ward\nemails: [zed@example.com]\ntags: [prospect]');
  write(dir, 'winter.md', 'Hi {{first_name|there}},\n\nAs **{{title|a valued client}}** at {{company|your company}}, you get our winter notes first.\n\n— {{owner.name}}\n');
  const r = await tb(['campaign', 'new', 'Winter update', '--segment', 'tag:client', '--subject', 'Grüße für {{first_name}} — Winter', '--body-file', 'winter.md', '--as-of', AS_OF], { cwd: dir, env: { TOUCHBASE_USER: 'sam' } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return dir;
}

const ALL = ['ada-lovelace', 'jose-muller', 'li-wei', 'maria-rossi', 'noor-haddad'];

function campaignInteractions(dir: string): Array<{ contact: string; text: string }> {
  const out: Array<{ contact: string; text: string }> = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const text = fs.readFileSync(p, 'utf8');
        if (text.includes('campaign: winter-update')) out.push({ contact: /contacts: \[([^\]]+)\]/.exec(text)![1], text });
      }
    }
  };
  walk(path.join(dir, 'interactions'));
  return out.sort((a, b) => (a.contact < b.contact ? -1 : 1));
}

const addr = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

describe('tb campaign preview', () => {
  it('lists recipients, who is left out and why, and renders the first message', async () => {
    const dir = await crm();
    const r = await tb(['campaign', 'preview', 'winter', '--limit', '2', '--json', '--as-of', AS_OF], { cwd: dir });
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.segment).toEqual({ query: 'tag:client', members: 8 });
    expect(p.from).toEqual({ name: 'Sam Lée', address: 'sam@example.com' });
    expect(p.recipients.map((x: { id: string }) => x.id)).toEqual(ALL);
    expect(p.skipped).toEqual([
      { id: 'bob-stone', name: 'Bob Stone', reason: 'no email' },
      { id: 'dora-diaz', name: 'Dora Diaz', reason: 'do_not_contact' },
      { id: 'una-berg', name: 'Una Berg', reason: 'unsubscribed', detail: 'tag unsubscribed' },
    ]);
    expect(p.missing).toEqual([]);
    expect(p.messages).toHaveLength(2);
    expect(p.messages[1]).toEqual({
      to: { name: 'José Müller', address: 'jose@example.com' },
      subject: 'Grüße für José — Winter',
      text: 'Hi José,\n\nAs **CTO** at Acme Straße GmbH, you get our winter notes first.\n\n— Sam Lée\n',
      list_unsubscribe: '<mailto:unsubscribe@example.com?subject=unsubscribe%20jose@example.com>',
    });
    // `tb add campaign` is `tb campaign new`; `tb campaign list` shows both.
    const add = await tb(['add', 'campaign', 'Spring invite', '--segment', 'tag:prospect', '--subject', 'Hello {{first_name}}', '--body', 'Come by, {{first_name}}!', '--as-of', AS_OF], { cwd: dir, env: { TOUCHBASE_USER: 'sam' } });
    expect(add.stdout).toBe('Added campaign spring-invite (campaigns/spring-invite.md)\n');
    const bad = await tb(['campaign', 'new', 'Broken', '--segment', 'tag:client', '--subject', 'Hi {{first_name', '--as-of', AS_OF], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--subject: '{{' without a closing '}}' (line 1, column 4)");
    // A subject is one header line: CR LF would smuggle in headers (Bcc:) or be rewritten silently.
    const injected = await tb(['campaign', 'new', 'Inject', '--segment', 'tag:client', '--subject', 'Hi\r\nBcc: evil@x.example', '--as-of', AS_OF], { cwd: dir });
    expect(injected).toMatchObject({ code: 2, stderr: 'tb: --subject must be one line of text without control characters (CR, LF, ESC …)\n' });
    expect(fs.existsSync(path.join(dir, 'campaigns', 'inject.md'))).toBe(false);
    const list = await tb(['campaign', 'list', '--json'], { cwd: dir });
    expect(JSON.parse(list.stdout).map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([['spring-invite', 'draft'], ['winter-update', 'draft']]);
    const text = await tb(['campaign', 'preview', 'winter', '--as-of', AS_OF], { cwd: dir });
    expect(text.stdout).toContain('dora-diaz  do_not_contact: true');
    expect(text.stdout).toContain('Hi Ada,\n\nAs **a valued client** at your company');
  });
});

describe('tb campaign send --out', () => {
  let dir = '';
  let out = '';
  let dry: Awaited<ReturnType<typeof tb>>;
  let sent: Awaited<ReturnType<typeof tb>>;
  let outboxAfterDryRun = true;
  beforeAll(async () => {
    dir = await crm();
    out = path.join(dir, '..', `${path.basename(dir)}-outbox`);
    dirs.push(out, `${out}-2`);
    dry = await tb(['campaign', 'send', 'winter-update', '--out', out, '--dry-run', '--as-of', AS_OF], { cwd: dir });
    outboxAfterDryRun = fs.existsSync(out);
    sent = await tb(['campaign', 'send', 'winter-update', '--out', out, '--json', '--as-of', AS_OF], { cwd: dir });
  });

  it('writes one correct MIME message per recipient (after a dry run that wrote nothing)', async () => {
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Would send 5 messages');
    expect(outboxAfterDryRun).toBe(false);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(ALL.map((id) => `${id}.eml`));

    const mail: ParsedMail = await simpleParser(fs.readFileSync(path.join(out, 'jose-muller.eml')));
    expect(addr(mail.from)).toEqual({ name: 'Sam Lée', address: 'sam@example.com' });
    expect(addr(mail.to)).toEqual({ name: 'José Müller', address: 'jose@example.com' });
    expect(mail.subject).toBe('Grüße für José — Winter');
    expect(mail.messageId).toMatch(/^<winter-update\.jose-muller\.[a-z0-9]+@example\.com>$/);
    expect(mail.date).toBeInstanceOf(Date);
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line.replace(/\r?\n[ \t]+/g, ' ')).toBe('List-Unsubscribe: <mailto:unsubscribe@example.com?subject=unsubscribe%20jose@example.com>');
    expect(mail.text).toBe('Hi José,\n\nAs **CTO** at Acme Straße GmbH, you get our winter notes first.\n\n— Sam Lée\n');
    expect(mail.html).toContain('<p>As <strong>CTO</strong> at Acme Straße GmbH, you get our winter notes first.</p>');
    // Headers really are RFC 2047 encoded on the wire, and both parts are UTF-8.
    const raw = fs.readFileSync(path.join(out, 'jose-muller.eml'), 'utf8');
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);
    expect(raw).toMatch(/^To: =\?UTF-8\?[QB]\?.*<jose@example\.com>/m);
    expect(raw).toContain('Content-Type: multipart/alternative');
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(raw).toContain('Content-Type: text/html; charset=utf-8');

    // Each recipient has an interaction naming the campaign and the Message-ID it was sent with.
    const recorded = campaignInteractions(dir);
    expect(recorded.map((x) => x.contact)).toEqual(ALL);
    const jose = recorded.find((x) => x.contact === 'jose-muller')!.text;
    expect(jose).toContain(`date: ${AS_OF}\n`);
    expect(jose).toContain('channel: email\ndirection: out\n');
    expect(jose).toContain(`message_id: ${mail.messageId}\n`);
    expect(jose).toContain('campaign: winter-update\n');
    const campaign = fs.readFileSync(path.join(dir, 'campaigns/winter-update.md'), 'utf8');
    expect(campaign).toContain('status: sent\n');
    expect(campaign).toContain(`sent: ${AS_OF}\n`);
    expect((await tb(['check'], { cwd: dir })).code).toBe(0);
  });

  it('refuses a second full send; --new-only sends only to who joined the segment since', async () => {
    const before = snapshot(dir);
    const again = await tb(['campaign', 'send', 'winter-update', '--out', `${out}-2`, '--as-of', AS_OF], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already sent on 2026-11-23; refusing/);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });

    contact(dir, 'zoe-new', 'name: Zoë New\nemails: [zoe@example.com]\ntags: [client]');
    const more = await tb(['campaign', 'send', 'winter-update', '--out', `${out}-2`, '--new-only', '--as-of', '2026-11-30'], { cwd: dir });
    expect(more.code).toBe(0);
    expect(fs.readdirSync(`${out}-2`)).toEqual(['zoe-new.eml']);
    expect(campaignInteractions(dir).map((x) => x.contact)).toEqual([...ALL, 'zoe-new']);
    // The first send date stays.
    expect(fs.readFileSync(path.join(dir, 'campaigns/winter-update.md'), 'utf8')).toContain(`sent: ${AS_OF}\n`);
  });

  it('a misspelt placeholder names the one meant (a newcomer pass)', async () => {
    const dir = await crm();
    write(dir, 'campaigns/winter-update.md', fs.readFileSync(path.join(dir, 'campaigns/winter-update.md'), 'utf8').replace('{{title|a valued client}}', '{{frist_name}}'));
    const r = await tb(['campaign', 'preview', 'winter-update', '--as-of', AS_OF], { cwd: dir });
    expect(r.stdout + r.stderr).toContain('{{frist_name}} (did you mean {{first_name}}?) cannot be filled for ');
  });

  it('a placeholder a recipient cannot fill stops the send before anything is sent, naming them', async () => {
    const dir = await crm();
    write(dir, 'campaigns/winter-update.md', fs.readFileSync(path.join(dir, 'campaigns/winter-update.md'), 'utf8').replace('{{title|a valued client}}', '{{title}}'));
    const before = snapshot(dir);
    const out = tempDir();
    dirs.push(out);
    const r = await tb(['campaign', 'send', 'winter-update', '--out', out, '--as-of', AS_OF], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('{{title}} cannot be filled for 4 recipients: ada-lovelace, li-wei, maria-rossi, noor-haddad; nothing was sent');
    expect(fs.readdirSync(out)).toEqual([]);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('tb campaign send --sendmail', () => {
  it('a transport failing on the 3rd message: the first two are recorded, a re-run sends the rest, nobody twice', async () => {
    const dir = await crm();
    // A fake sendmail: keeps every message it accepts in a log; the 3rd call fails (exit 75, EX_TEMPFAIL).
    const fake = path.join(dir, '..', `${path.basename(dir)}-sendmail.sh`);
    const log = `${fake}.log`;
    dirs.push(fake, log, `${fake}.count`);
    fs.writeFileSync(fake, `#!/bin/sh
n=$(cat "${fake}.count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${fake}.count"
[ "$1 $2" = "-t -i" ] || { echo "expected -t -i, got $*" >&2; exit 64; }
if [ $n -eq 3 ]; then echo "sendmail: connection refused" >&2; exit 75; fi
cat >> "${log}"; echo "=== end" >> "${log}"
`, { mode: 0o755 });
    const first = await tb(['campaign', 'send', 'winter-update', '--sendmail', `${fake} -t -i`, '--as-of', AS_OF], { cwd: dir });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('failed for li-wei (exit 75): sendmail: connection refused; run the same command again to send the remaining 3');
    expect(campaignInteractions(dir).map((x) => x.contact)).toEqual(['ada-lovelace', 'jose-muller']);
    expect(fs.readFileSync(path.join(dir, 'campaigns/winter-update.md'), 'utf8')).toContain('status: sending\n');

    const second = await tb(['campaign', 'send', 'winter-update', '--sendmail', `${fake} -t -i`, '--as-of', AS_OF], { cwd: dir });
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Sent 3 messages');
    expect(campaignInteractions(dir).map((x) => x.contact)).toEqual(ALL);
    // What the MTA accepted, in order: each recipient exactly once, LF line ends, To: for -t.
    const accepted = fs.readFileSync(log, 'utf8').split('=== end\n').filter(Boolean);
    const to = await Promise.all(accepted.map(async (m) => addr((await simpleParser(m)).to)!.address));
    expect(to).toEqual(['ada@example.com', 'jose@example.com', 'li@example.com', 'maria@example.com', 'noor@example.com']);
    expect(accepted[0]).not.toContain('\r\n');
    expect(fs.readFileSync(path.join(dir, 'campaigns/winter-update.md'), 'utf8')).toContain('status: sent\n');
  });
});

describe('tb campaign send --mbox', () => {
  it('appends every message to one mbox that a mail reader can split and parse', async () => {
    const dir = await crm();
    const mbox = path.join(tempDir(), 'winter.mbox');
    dirs.push(path.dirname(mbox));
    const r = await tb(['campaign', 'send', 'winter-update', '--mbox', mbox, '--as-of', AS_OF], { cwd: dir });
    expect(r.code).toBe(0);
    const text = fs.readFileSync(mbox, 'utf8');
    const messages = text.split(/^From MAILER-DAEMON .*\n/m).filter(Boolean);
    expect(messages).toHaveLength(5);
    const parsed = await Promise.all(messages.map((m) => simpleParser(m)));
    expect(parsed.map((m) => addr(m.to)!.address)).toEqual(ALL.map((id) => `${id.split('-')[0]}@example.com`));
    expect(parsed[1].subject).toBe('Grüße für José — Winter');
  });
});

describe('campaign touches, report and attribution', () => {
  /*
   * Sent 2026-11-02 to the five recipients. Within 14 days: jose replies (11-03) and meets (11-10);
   * li replies on day 20 (outside). A deal with jose created 11-05 is won at 9,000 (closed 11-20);
   * one with li created 11-25 is outside. ada had a call on 10-01.
   */
  let dir = '';
  let out = '';
  beforeAll(async () => {
    dir = await crm();
    out = tempDir();
    dirs.push(out);
    expect((await tb(['campaign', 'send', 'winter-update', '--out', out, '--as-of', '2026-11-02'], { cwd: dir })).code).toBe(0);
    write(dir, 'interactions/2026/10/2026-10-01-ada-lovelace-call-a1b2.md', '---\ndate: 2026-10-01\ncontacts: [ada-lovelace]\nchannel: call\ndirection: out\nsummary: Catch-up\n---\n');
    write(dir, 'interactions/2026/11/2026-11-03-jose-muller-email-r1r1.md', '---\ndate: 2026-11-03T09:12\ncontacts: [jose-muller]\nchannel: email\ndirection: in\nsummary: "Re: Winter"\n---\n');
    write(dir, 'interactions/2026/11/2026-11-10-jose-muller-meeting-m1m1.md', '---\ndate: 2026-11-10\ncontacts: [jose-muller]\nchannel: meeting\ndirection: out\nsummary: Coffee\n---\n');
    write(dir, 'interactions/2026/11/2026-11-22-li-wei-email-r2r2.md', '---\ndate: 2026-11-22\ncontacts: [li-wei]\nchannel: email\ndirection: in\nsummary: Late reply\n---\n');
    write(dir, 'deals/acme-winter-audit.md', '---\ntitle: Acme winter audit\ncompany: acme\ncontacts: [jose-muller]\nstage: won\nvalue: 9000\ncreated: 2026-11-05\nclosed: 2026-11-20\nhistory:\n  - { date: 2026-11-05, stage: proposal }\n  - { date: 2026-11-20, stage: won }\n---\n');
    write(dir, 'deals/li-later.md', '---\ntitle: Li later\ncontacts: [li-wei]\nstage: proposal\nvalue: 500\ncreated: 2026-11-25\n---\n');
  });

  it('the campaign report counts replies, meetings and deals within the window', async () => {
    const rep = await tb(['campaign', 'report', '--window', '14d', '--json', '--as-of', '2026-11-30'], { cwd: dir });
    expect(rep.code).toBe(0);
    expect(JSON.parse(rep.stdout)).toEqual({
      window_days: 14,
      campaigns: [{ id: 'winter-update', name: 'Winter update', status: 'sent', sent: '2026-11-02', window_end: '2026-11-16', recipients: 5, replies: 1, reply_rate: 0.2, meetings: 1, deals: 1, won_value: [{ currency: 'EUR', value: 9000 }] }],
    });
    const md = await tb(['campaign', 'report', '--format', 'md', '--as-of', '2026-11-30'], { cwd: dir });
    expect(md.stdout).toContain('| winter-update | Winter update | 2026-11-02 | 5 | 1 | 20% | 1 | 1 | 9000 EUR |');
    const html = path.join(out, 'report.html');
    expect((await tb(['report', '--since', '2026-11-01', '--html', html, '--as-of', '2026-11-30'], { cwd: dir })).code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toContain('<h2>Campaigns (14 days after each send)</h2>');
  });

  it('attribution shares the won deal among its touches, the campaign mail among them', async () => {
    // The 9,000 (closed 11-20; touches of jose: mail 11-02, reply 11-03, meeting 11-10):
    // linear → 3000 each; by campaign: winter-update 3000, (none) 6000.
    const att = await tb(['report', 'attribution', '--model', 'linear', '--by', 'campaign', '--json', '--as-of', '2026-11-30'], { cwd: dir });
    expect(att.stderr).toBe('');
    const a = JSON.parse(att.stdout);
    expect(a.groups).toEqual([
      { group: '(none)', currency: 'EUR', value: 6000, touches: 2, deals: 1 },
      { group: 'winter-update', currency: 'EUR', value: 3000, touches: 1, deals: 1 },
    ]);
    expect(a.totals).toEqual([{ currency: 'EUR', won: 9000, attributed: 9000, unattributed: 0 }]);
    const first = await tb(['report', 'attribution', '--model', 'first', '--by', 'channel', '--format', 'csv', '--as-of', '2026-11-30'], { cwd: dir });
    expect(first.stdout).toBe('channel,value,currency,share,touches,deals\r\nemail,9000.00,EUR,100.0%,2,1\r\nmeeting,0.00,EUR,0.0%,1,0\r\n');
  });

  it('a campaign mail does not restart cadences unless campaigns.counts_as_touch', async () => {
    const lastContact = async () => {
      const r = await tb(['list', 'contacts', 'tag:client', 'has:email', '--json', '--as-of', AS_OF], { cwd: dir });
      return Object.fromEntries(JSON.parse(r.stdout).map((c: { id: string; derived: { last_contact?: string } }) => [c.id, c.derived.last_contact ?? null]));
    };
    expect(await lastContact()).toMatchObject({ 'ada-lovelace': '2026-10-01', 'li-wei': '2026-11-22', 'maria-rossi': null });
    const cfg = path.join(dir, 'touchbase.yaml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('campaigns:\n', 'campaigns:\n  counts_as_touch: true\n'));
    expect(await lastContact()).toMatchObject({ 'ada-lovelace': '2026-11-02', 'li-wei': '2026-11-22', 'maria-rossi': '2026-11-02' });
  });
});

describe('generic commands find campaigns', () => {
  it('tb show, set, history and rm resolve a campaign by id prefix and by name', async () => {
    const dir = await crm();
    const show = await tb(['show', 'winter', '--as-of', AS_OF], { cwd: dir });
    expect(show.stderr).toBe('');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Winter update');
    expect(show.stdout).toContain('tag:client');
    expect(show.stdout).toContain('you get our winter notes first');
    const json = JSON.parse((await tb(['show', 'Winter update', '--json', '--as-of', AS_OF], { cwd: dir })).stdout);
    expect(json.id).toBe('winter-update');
    const set = await tb(['set', 'winter', 'owner=sam', '--as-of', AS_OF], { cwd: dir });
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'campaigns/winter-update.md'), 'utf8')).toContain('owner: sam');
    const history = await tb(['history', 'winter', '--as-of', AS_OF], { cwd: dir });
    expect(history.stderr).not.toContain('no record matches');
    // A company of the same name gets another id, so `tb show winter-update` stays unambiguous.
    const company = await tb(['add', 'company', 'Winter update', '--as-of', AS_OF], { cwd: dir });
    expect(company.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'companies/winter-update-2.md'))).toBe(true);
    expect((await tb(['show', 'winter-update', '--json', '--as-of', AS_OF], { cwd: dir })).code).toBe(0);
    const rm = await tb(['rm', 'winter-update', '--as-of', AS_OF], { cwd: dir });
    expect(rm.stderr).toBe('');
    expect(rm.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'campaigns/winter-update.md'))).toBe(false);
  });
});

describe('tb campaign new with a name already used', () => {
  it('creates it with a new id and warns on stderr, naming the existing campaign', async () => {
    const dir = await crm();
    const r = await tb(['campaign', 'new', 'winter UPDATE', '--segment', 'tag:client', '--subject', 'Again', '--as-of', AS_OF], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("tb: warning: a campaign named 'winter UPDATE' already exists: winter-update; this one is winter-update-2 (tb rm winter-update-2 if it was a slip)\n");
    expect(r.stdout).toContain('Added campaign winter-update-2');
    expect(fs.existsSync(path.join(dir, 'campaigns/winter-update-2.md'))).toBe(true);
  });
});
