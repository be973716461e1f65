/**
 * `tb check`: every data problem class with its exact path:line and the exit code, the output
 * formats, --fix, and the example directory passing. File-level hostile input is in hostile.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, diffSnapshots, exampleCopy, read, snapshot, tb, tempDir } from './helpers.js';
import type { RunResult } from './helpers.js';

function put(dir: string, rel: string, text: string | Buffer): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

const fm = (...lines: string[]) => ['---', ...lines, '---', ''].join('\n');

/** A CRM with a hand-written config (so every line number below is known). */
function crm(config: string): string {
  const dir = tempDir();
  put(dir, 'touchbase.yaml', config);
  for (const f of ['contacts', 'companies', 'deals', 'interactions', 'reminders']) fs.mkdirSync(path.join(dir, f), { recursive: true });
  return dir;
}

const CONFIG = [
  'name: Test',
  'owners:',
  '  sam: { name: Sam }',
  '  ria: { name: Ria }',
  'fields:',
  '  nps: { type: number, min: 0, max: 10, on: contacts }',
  '  tier: { type: string, values: [gold, silver], on: companies }',
  '',
].join('\n');

const check = async (dir: string, ...args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, 'check', ...args]);

describe('tb check: data problems', () => {
  let dir: string;
  let r: RunResult;
  let lines: string[];
  beforeAll(async () => {
    dir = crm(CONFIG);
    put(dir, 'companies/acme.md', fm('name: Acme', 'tier: gold'));
    put(dir, 'companies/globex.md', fm('name: Globex', 'tier: bronze'));
    put(dir, 'contacts/ada-lovelace.md', fm('name: Ada Lovelace', 'emails: [ada@example.com]', 'company: acme', 'stage: customer', 'owner: sam', 'nps: 9'));
    put(dir, 'contacts/ada-l.md', fm('name: Ada L', 'emails: [ADA@example.com]'));
    put(dir, 'contacts/no-name.md', fm('emails: [nobody@example.com]'));
    put(dir, 'contacts/wrong.md', fm('name: Wrong', 'stage: customr', 'owner: bob', 'nps: 11', 'created: 2026-13-01', 'birthday: someday'));
    put(dir, 'contacts/Bad_Name.md', fm('name: Bad Name'));
    put(dir, 'contacts/acme.md', fm('name: Acme Person'));
    put(dir, 'contacts/renewal.md', fm('title: Renewal', 'stage: negotiation', 'value: 5000'));
    put(dir, 'deals/big-deal.md', fm('title: Big Deal', 'company: acme-corp', 'contacts: [ada-lovelace, grace]', 'stage: proposl', 'value: lots', 'probability: 1.5', 'expected_close: soon', 'currency: euro'));
    put(dir, 'deals/solo.md', fm('title: Solo', 'contacts: ada-lovelace', 'stage: lead'));
    put(dir, 'interactions/2026/11/2026-11-20-ada-lovelace-call-abcd.md', fm('date: 2026-11-20', 'contacts: [ada-lovelace]', 'channel: pigeon', 'direction: sideways', 'summary: hi', 'deal: nodeal'));
    put(dir, 'interactions/2026/10/2026-11-21-ada-lovelace-call-efgh.md', fm('date: 2026-11-21', 'contacts: [ada-lovelace]', 'channel: call', 'summary: filed in the wrong month'));
    put(dir, 'reminders/2026-11-30-grace-call-wxyz.md', fm('due: 2026-11-30', 'text: Call Grace', 'contact: grace', 'deal: ghost', 'repeat: often'));
    put(dir, 'reminders/2026-11-31-ada-lovelace-x-k2k2.md', fm('due: 2026-11-31', 'text: Impossible'));
    // Left by a crashed write; a misnamed record; an attachment (ignored silently).
    put(dir, 'contacts/.ada-lovelace.md.tmp-4242-k3x9q1', 'half a fi');
    put(dir, 'contacts/notes.MD', fm('name: Shouting'));
    put(dir, 'contacts/photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    r = await check(dir);
    lines = r.stdout.trimEnd().split('\n');
  });

  it('exits 1 with the summary on stderr', () => {
    expect(r.code).toBe(1);
    // 15 record files + touchbase.yaml.
    expect(r.stderr).toBe('tb: 27 errors, 6 warnings in 16 files\n');
  });

  it('prints every problem sorted by path then line, whole-file problems first', () => {
    expect(lines).toEqual([
      "companies/acme.md: error: duplicate id 'acme': also used by contacts/acme.md",
      "companies/globex.md:3: error: 'tier' value 'bronze' is not one of: gold, silver",
      'contacts/.ada-lovelace.md.tmp-4242-k3x9q1: warning: temporary file left by an interrupted write; delete it once no tb command is running',
      "contacts/Bad_Name.md: error: file name 'Bad_Name' is not a valid id (lowercase letters, digits and single hyphens); rename it to 'bad-name.md'",
      "contacts/acme.md: error: duplicate id 'acme': also used by companies/acme.md",
      "contacts/ada-l.md:3: warning: email 'ada@example.com' is also on contacts/ada-lovelace.md; possible duplicate (see tb dedupe)",
      "contacts/ada-lovelace.md:3: warning: email 'ada@example.com' is also on contacts/ada-l.md; possible duplicate (see tb dedupe)",
      "contacts/no-name.md:1: error: missing required field 'name'",
      'contacts/notes.MD: warning: not read as a record: record files must end in .md (lowercase)',
      "contacts/renewal.md: warning: looks like a deal, not a contact (no 'name'); move it to deals/",
      "contacts/renewal.md:1: error: missing required field 'name'",
      "contacts/renewal.md:3: error: lifecycle stage 'negotiation' is not one of: lead, prospect, customer, churned",
      "contacts/wrong.md:3: error: lifecycle stage 'customr' is not one of: lead, prospect, customer, churned; did you mean 'customer'?",
      "contacts/wrong.md:4: error: owner 'bob' is not one of: sam, ria",
      "contacts/wrong.md:5: error: 'nps' must be at most 10, got 11",
      "contacts/wrong.md:6: error: 'created' is not a real date: '2026-13-01'",
      "contacts/wrong.md:7: error: 'birthday' must be a date YYYY-MM-DD or --MM-DD, got 'someday'",
      "deals/big-deal.md:3: error: unknown company 'acme-corp'",
      "deals/big-deal.md:4: error: unknown contact 'grace'",
      "deals/big-deal.md:5: error: stage 'proposl' is not one of: lead, qualified, proposal, negotiation, won, lost; did you mean 'proposal'?",
      "deals/big-deal.md:6: error: 'value' must be a number, got 'lots'",
      "deals/big-deal.md:7: error: 'probability' must be a number from 0 to 1, got '1.5'",
      "deals/big-deal.md:8: error: 'expected_close' must be a date YYYY-MM-DD, got 'soon'",
      "deals/big-deal.md:9: error: 'currency' must be a 3-letter code such as EUR, got 'euro'",
      "deals/solo.md:3: error: 'contacts' must be a list, got 'ada-lovelace'",
      'interactions/2026/10/2026-11-21-ada-lovelace-call-efgh.md:2: warning: dated 2026-11-21 but not filed under interactions/2026/11/; expected interactions/2026/11/2026-11-21-ada-lovelace-call-efgh.md',
      "interactions/2026/11/2026-11-20-ada-lovelace-call-abcd.md:4: error: channel 'pigeon' is not one of: email, call, meeting, message, note",
      "interactions/2026/11/2026-11-20-ada-lovelace-call-abcd.md:5: error: direction 'sideways' is not one of: in, out",
      "interactions/2026/11/2026-11-20-ada-lovelace-call-abcd.md:7: error: unknown deal 'nodeal'",
      "reminders/2026-11-30-grace-call-wxyz.md:4: error: unknown contact 'grace'",
      "reminders/2026-11-30-grace-call-wxyz.md:5: error: unknown deal 'ghost'",
      "reminders/2026-11-30-grace-call-wxyz.md:6: error: 'repeat' must be an interval like 30d, 2w, 3m or 1y, got 'often'",
      "reminders/2026-11-31-ada-lovelace-x-k2k2.md:2: error: 'due' is not a real date: '2026-11-31'",
    ]);
  });

  it('ignores non-Markdown files in record folders silently', () => {
    expect(r.stdout).not.toContain('photo.png');
  });

  it('--format json: an array of {path, line, severity, message}; line null for the whole file', async () => {
    const j = await check(dir, '--format', 'json');
    expect(j.code).toBe(1);
    expect(j.stderr).toBe('tb: 27 errors, 6 warnings in 16 files\n');
    const arr = JSON.parse(j.stdout) as Array<Record<string, unknown>>;
    expect(arr).toHaveLength(33);
    expect(arr[0]).toEqual({ path: 'companies/acme.md', line: null, severity: 'error', message: "duplicate id 'acme': also used by contacts/acme.md" });
    expect(arr[1]).toEqual({ path: 'companies/globex.md', line: 3, severity: 'error', message: "'tier' value 'bronze' is not one of: gold, silver" });
    expect(Object.keys(arr[5])).toEqual(['path', 'line', 'severity', 'message']);
  });

  it('changes nothing on disk', async () => {
    const before = snapshot(dir);
    await check(dir);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('tb check: configuration', () => {
  it('reports a pipeline probability of 2 at its touchbase.yaml line', async () => {
    const dir = crm([
      'name: Test', // 1
      'pipeline:', // 2
      '  - { id: lead, probability: 0.1 }', // 3
      '  - { id: won, probability: 2, closed: won }', // 4
      '  - { id: lost, probability: 0, closed: lost }', // 5
      'stale_after: soon', // 6
      '',
    ].join('\n'));
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe([
      "touchbase.yaml:4: error: pipeline stage 'won': probability must be a number from 0 to 1, got '2'",
      "touchbase.yaml:6: error: stale_after 'soon' is not an interval like 21d",
      '',
    ].join('\n'));
    expect(r.stderr).toBe('tb: 2 errors, 0 warnings in 1 file\n');
  });

  it('reports a touchbase.yaml that is not YAML and stops there', async () => {
    const dir = crm('name: Test\nlifecycle: [lead, prospect\n');
    put(dir, 'contacts/ada.md', fm('name: Ada', 'stage: nonsense'));
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^touchbase\.yaml:3: error: invalid YAML: .+\n$/);
    expect(r.stderr).toBe('tb: 1 error, 0 warnings in 1 file\n');
  });
});

describe('tb check: passing', () => {
  it('passes on examples/consultancy', async () => {
    const dir = exampleCopy();
    const r = await check(dir);
    expect(r).toEqual({ code: 0, stdout: 'no problems in 397 files\n', stderr: '' });
  });

  it('exits 0 when there are only warnings, and says so', async () => {
    const dir = crm(CONFIG);
    put(dir, 'contacts/ada.md', fm('name: Ada', 'tags: vip'));
    const r = await check(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("contacts/ada.md:3: warning: 'tags' should be a list, e.g. tags: [vip]\n0 errors, 1 warning in 2 files\n");
    expect(r.stderr).toBe('');
  });

  it('--quiet prints problems but no summary', async () => {
    const dir = crm(CONFIG);
    put(dir, 'contacts/ada.md', fm('name: Ada'));
    expect(await tb(['--dir', dir, '--quiet', 'check'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('--format csv is a usage error', async () => {
    const dir = crm(CONFIG);
    const r = await check(dir, '--format', 'csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tb: unsupported --format 'csv' for this command\ntb: hint: use one of: text, json\n");
  });
});

describe('tb check --fix', () => {
  it('normalises [[links]] and trailing blanks, says what it did, leaves broken files alone, re-checks', async () => {
    const dir = crm(CONFIG);
    put(dir, 'companies/acme.md', fm('name: Acme'));
    const ada = ['---', 'name: Ada   ', '# her company', 'company: "[[acme]]"  # linked', 'tags: [vip]', '---', '', 'Body line with trailing blanks   ', ''].join('\n');
    put(dir, 'contacts/ada.md', ada);
    put(dir, 'deals/pilot.md', fm('title: Pilot', 'company: acme', 'contacts: ["[[ada]]", ada]'));
    put(dir, 'contacts/broken.md', '---\nname: [unclosed\n---\n');
    const before = snapshot(dir);
    const r = await check(dir, '--fix');
    expect(r.stdout).toBe([
      'contacts/ada.md: fixed: line 2: removed trailing whitespace',
      'contacts/ada.md: fixed: company: [[acme]] → acme',
      'deals/pilot.md: fixed: contacts: [[ada]] → ada',
      'fixed 2 files; checking again',
      'contacts/broken.md:3: error: invalid YAML: unexpected end of the stream within a flow collection',
      '',
    ].join('\n'));
    expect(r.stderr).toBe('tb: 1 error, 0 warnings in 5 files\n');
    expect(r.code).toBe(1);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: ['contacts/ada.md', 'deals/pilot.md'] });
    // Comment, key order and body are kept byte for byte.
    expect(read(dir, 'contacts/ada.md')).toBe(['---', 'name: Ada', '# her company', 'company: acme  # linked', 'tags: [vip]', '---', '', 'Body line with trailing blanks   ', ''].join('\n'));
    expect(read(dir, 'deals/pilot.md')).toBe(fm('title: Pilot', 'company: acme', 'contacts: [ada, ada]'));
    expect(fs.readdirSync(path.join(dir, 'contacts')).sort()).toEqual(['ada.md', 'broken.md']);
    // A second run has nothing left to do.
    const again = await check(dir, '--fix');
    expect(again.stdout.split('\n')[0]).toBe('nothing to fix');
  });

  it('with --format json tells the repairs on stderr and keeps stdout an array', async () => {
    const dir = crm(CONFIG);
    put(dir, 'companies/acme.md', fm('name: Acme'));
    put(dir, 'contacts/ada.md', fm('name: Ada', 'company: "[[acme]]"'));
    const r = await check(dir, '--fix', '--format', 'json');
    expect(r).toEqual({ code: 0, stdout: '[]\n', stderr: 'contacts/ada.md: fixed: company: [[acme]] → acme\nfixed 1 file; checking again\n' });
  });
});

describe('tb check: settings and segments', () => {
  it('reports a broken segment, an @reference to nothing, and a misspelt setting', async () => {
    const dir = exampleCopy();
    const file = path.join(dir, 'touchbase.yaml');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/  vip-fintech: .*\n/, '  vip-fintech: "tag:vip (x"\n  b: "@nope"\n') + 'curency: USD\n');
    const r = await tb(['--dir', dir, 'check']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain("touchbase.yaml:50: error: segment @vip-fintech: unclosed parenthesis at column 9");
    expect(lines).toContain("touchbase.yaml:51: error: segment @b uses @nope, which is not a saved segment");
    expect(lines.some((l) => /^touchbase\.yaml:\d+: warning: unknown setting 'curency'; did you mean 'currency'\?$/.test(l))).toBe(true);
  });
});
