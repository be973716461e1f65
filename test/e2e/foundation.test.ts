import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { AS_OF, EXAMPLE, REPO, diffSnapshots, emptyCrm, read, snapshot, tb, tempDir } from './helpers.js';

describe('tb init', () => {
  it('creates config, folders, .gitignore and a git repo', async () => {
    const dir = path.join(tempDir(), 'crm');
    const r = await tb(['init', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Created touchbase directory ${dir}`);
    for (const f of ['contacts', 'companies', 'deals', 'interactions', 'reminders']) expect(fs.statSync(path.join(dir, f)).isDirectory()).toBe(true);
    // Without a trailing slash: it also keeps a file or link named .touchbase out of git (docs/reliability.md).
    expect(read(dir, '.gitignore')).toMatch(/^\.touchbase$/m);
    expect(read(dir, 'touchbase.yaml')).toContain('# touchbase configuration');
    expect(fs.existsSync(path.join(dir, '.git'))).toBe(true);
  });

  it('refuses to initialise twice and changes nothing', async () => {
    const dir = await emptyCrm();
    const before = snapshot(dir);
    const r = await tb(['init', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tb: .* is already a touchbase directory/);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('tb add', () => {
  it('creates a contact from flags with a transliterated slug', async () => {
    const dir = await emptyCrm();
    expect((await tb(['--dir', dir, 'add', 'company', 'Acme Corp', '--domain', 'acme.com', '--industry', 'fintech', '--as-of', AS_OF])).code).toBe(0);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'José Müller', '--email', 'jose@acme.com', '--email', 'j@home.example', '--company', 'acme', '--tag', 'vip', '--stage', 'customer', '--set', 'nps=9']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('Added contact jose-muller (contacts/jose-muller.md)');
    expect(read(dir, 'contacts/jose-muller.md')).toBe(
      ['---', 'name: José Müller', 'emails: [jose@acme.com, j@home.example]', 'company: acme-corp', 'tags: [vip]', 'stage: customer', `created: ${AS_OF}`, 'nps: 9', '---', ''].join('\n'),
    );
  });

  it('appends -2 on a name collision and never overwrites', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace', '--email', 'a@x.org']);
    const r = await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('contacts/ada-lovelace-2.md');
    expect(read(dir, 'contacts/ada-lovelace.md')).toContain('a@x.org');
  });

  it('makes hostile names safe: no path escapes, emoji-only gets a fallback', async () => {
    const dir = await emptyCrm();
    expect((await tb(['--dir', dir, 'add', 'contact', '../../etc/passwd'])).stdout).toContain('contacts/etc-passwd.md');
    expect((await tb(['--dir', dir, 'add', 'contact', '🦄🦄'])).stdout).toContain('contacts/contact.md');
    expect((await tb(['--dir', dir, 'add', 'company', 'CON'])).stdout).toContain('companies/con-1.md');
    expect(fs.readdirSync(path.dirname(dir)).includes('etc')).toBe(false);
  });

  it('fails cleanly without a name when it cannot prompt', async () => {
    const dir = await emptyCrm();
    const r = await tb(['--dir', dir, 'add', 'contact']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^tb: missing the name/);
  });

  it('rejects an unknown type with did-you-mean', async () => {
    const dir = await emptyCrm();
    const r = await tb(['--dir', dir, 'add', 'contcat', 'X']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown record type 'contcat'");
    expect(r.stderr).toContain("did you mean 'contact'");
  });

  it('prints the new record as JSON with --json', async () => {
    const dir = await emptyCrm();
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'deal', 'Big deal', '--value', '12,500', '--stage', 'proposal', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ id: 'big-deal', type: 'deal', title: 'Big deal', value: 12500, stage: 'proposal', history: [{ date: AS_OF, stage: 'proposal' }] });
  });
});

describe('tb log', () => {
  async function crmWithAda(): string {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace', '--email', 'ada@example.com', '--channel', 'call']);
    await tb(['--dir', dir, 'add', 'contact', 'Grace Hopper']);
    return dir;
  }

  it('logs a touchpoint with a relative date, files it by month, body from --body', async () => {
    const dir = await crmWithAda();
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'log', 'ada', 'grace', 'Kick-off workshop', '--channel', 'meeting', '--date', 'yesterday', '--body', 'Agreed on scope.']);
    expect(r.code).toBe(0);
    const m = /\((interactions\/2026\/11\/2026-11-22-ada-lovelace-meeting-[a-z2-9]{4}\.md)\)/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(read(dir, m![1])).toBe(
      ['---', 'date: 2026-11-22', 'contacts: [ada-lovelace, grace-hopper]', 'channel: meeting', 'direction: out', 'summary: Kick-off workshop', '---', '', 'Agreed on scope.', ''].join('\n'),
    );
  });

  it('uses the contact preferred channel, reads the body from a pipe, creates a follow-up', async () => {
    const dir = await crmWithAda();
    const sh = spawnShell(`echo "Notes from a pipe" | node bin/tb.js --dir "${dir}" --as-of ${AS_OF} log ada@example.com -m "Intro call" --follow-up "next friday"`);
    expect(sh.code).toBe(0);
    expect(sh.stdout).toMatch(/Logged call with ada-lovelace on 2026-11-23/);
    expect(sh.stdout).toMatch(/Follow-up due 2026-11-27 \(reminders\/2026-11-27-ada-lovelace-follow-up-intro-call-[a-z2-9]{4}\.md\)/);
    const files = fs.readdirSync(path.join(dir, 'interactions/2026/11'));
    expect(files).toHaveLength(1);
    expect(read(dir, `interactions/2026/11/${files[0]}`)).toContain('Notes from a pipe');
  });

  it('fails with a clear message for an unknown contact and writes nothing', async () => {
    const dir = await crmWithAda();
    const before = snapshot(dir);
    const r = await tb(['--dir', dir, 'log', 'nobody', 'hello']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("tb: no contact matches 'nobody'");
    expect(diffSnapshots(before, snapshot(dir)).added).toEqual([]);
  });

  it('rejects an unknown channel with did-you-mean', async () => {
    const dir = await crmWithAda();
    const r = await tb(['--dir', dir, 'log', 'ada', 'x', '--channel', 'emial']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean 'email'");
  });

  it('rejects an unparseable date listing what is accepted', async () => {
    const dir = await crmWithAda();
    const r = await tb(['--dir', dir, 'log', 'ada', 'x', '--date', 'someday']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot understand --date 'someday'");
    expect(r.stderr).toContain('next friday');
  });
});

function spawnShell(cmd: string) {
  const r = spawnSync('sh', ['-c', cmd], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' } });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

describe('tb set', () => {
  const handWritten = [
    '---',
    '# hand-written, keep this comment',
    'name: Ada Lovelace   # countess',
    'emails:',
    '  - ada@example.com',
    'tags: [vip,  math]',
    'custom_score: 7',
    'stage: lead',
    '---',
    '',
    '# Notes',
    '',
    'Met at the *Analytical Engine* meetup.   ',
    '',
  ].join('\n');

  it('changes only the touched key: comments, custom keys, order and body stay byte-identical', async () => {
    const dir = await emptyCrm();
    fs.writeFileSync(path.join(dir, 'contacts/ada-lovelace.md'), handWritten);
    const r = await tb(['--dir', dir, 'set', 'ada', 'stage=customer']);
    expect(r.code).toBe(0);
    expect(read(dir, 'contacts/ada-lovelace.md')).toBe(handWritten.replace('stage: lead', 'stage: customer'));
  });

  it('adds and removes tags, removes a key with key=, adds a new key at the end', async () => {
    const dir = await emptyCrm();
    fs.writeFileSync(path.join(dir, 'contacts/ada-lovelace.md'), handWritten);
    const r = await tb(['--dir', dir, 'set', 'ada', '+partner', '-math', 'custom_score=', 'nps=9']);
    expect(r.code).toBe(0);
    const text = read(dir, 'contacts/ada-lovelace.md');
    expect(text).toContain('tags: [vip, partner]');
    expect(text).not.toContain('custom_score');
    expect(text).toContain('stage: lead\nnps: 9\n---');
    expect(text).toContain('# hand-written, keep this comment\nname: Ada Lovelace   # countess');
    expect(text.endsWith('Met at the *Analytical Engine* meetup.   \n')).toBe(true);
  });

  it('refuses to edit a file it cannot parse and leaves it alone', async () => {
    const dir = await emptyCrm();
    const broken = '---\nname: Bad\ntags: [unclosed\n---\n';
    fs.writeFileSync(path.join(dir, 'contacts/bad.md'), broken);
    const r = await tb(['--dir', dir, 'set', 'bad', 'stage=lead']);
    expect(r.code).toBe(1);
    expect(read(dir, 'contacts/bad.md')).toBe(broken);
  });

  it('records a deal stage change in history', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, '--as-of', '2026-11-01', 'add', 'deal', 'Acme renewal', '--stage', 'lead']);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'set', 'acme-renewal', 'stage=proposal']);
    expect(r.code).toBe(0);
    expect(read(dir, 'deals/acme-renewal.md')).toContain('history:\n  - date: 2026-11-01\n    stage: lead\n  - date: 2026-11-23\n    stage: proposal\n');
  });
});

describe('tb show and references', () => {
  async function crm(): string {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'company', 'Acme Corp']);
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace', '--email', 'ada@example.com', '--company', 'acme-corp']);
    await tb(['--dir', dir, 'add', 'contact', 'Adam Smith']);
    await tb(['--dir', dir, '--as-of', '2026-11-20', 'log', 'ada-lovelace', 'First call', '-c', 'call']);
    await tb(['--dir', dir, '--as-of', '2026-11-21', 'log', 'ada-lovelace', 'Second call', '-c', 'call']);
    return dir;
  }

  it('shows fields, company and the timeline newest first', async () => {
    const dir = await crm();
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'ada@example.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Ada Lovelace  contact ada-lovelace · contacts/ada-lovelace.md');
    expect(r.stdout).toContain('last contact 2026-11-21 (2 days ago) · 2 interactions');
    expect(r.stdout.indexOf('Second call')).toBeLessThan(r.stdout.indexOf('First call'));
    expect(r.stdout).toContain('acme-corp  Acme Corp');
  });

  it('exits 1 for nobody, with a one-line error', async () => {
    const dir = await crm();
    const r = await tb(['--dir', dir, 'show', 'nobody']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("tb: no record matches 'nobody'");
    expect(r.stderr).not.toContain('    at ');
  });

  it('an ambiguous prefix exits 1 and lists the candidates', async () => {
    const dir = await crm();
    const r = await tb(['--dir', dir, 'show', 'ada']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("tb: 'ada' matches 2 records");
    expect(r.stderr).toContain('ada-lovelace (Ada Lovelace)');
    expect(r.stderr).toContain('adam-smith (Adam Smith)');
  });

  it('a broken file is reported with path and line and skipped', async () => {
    const dir = await crm();
    fs.writeFileSync(path.join(dir, 'contacts/broken.md'), '---\nname: Broken\nemails: [a@b\n---\n');
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'ada-lovelace']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^tb: warning: contacts\/broken\.md:\d+: invalid YAML/);
  });

  it('show --json has the record, derived fields and related records', async () => {
    const dir = await crm();
    const j = JSON.parse((await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'ada-lovelace', '--json'])).stdout);
    expect(j.id).toBe('ada-lovelace');
    expect(j.derived).toMatchObject({ last_contact: '2026-11-21', interactions: 2 });
    expect(j.related.company.id).toBe('acme-corp');
    expect(j.related.interactions.map((i: { summary: string }) => i.summary)).toEqual(['Second call', 'First call']);
  });
});

describe('global behaviour', () => {
  it('an empty --as-of is refused, not ignored', async () => {
    expect(await tb(['--dir', EXAMPLE, '--as-of', '', 'due'])).toEqual({ code: 2, stdout: '', stderr: 'tb: --as-of needs a date, e.g. --as-of 2026-11-23\n' });
  });

  it('--version prints the version', async () => {
    const r = await tb(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('a typo in a command gets did-you-mean and exit 2', async () => {
    const r = await tb(['shwo', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'shwo'");
    expect(r.stderr).toContain('show');
  });

  it('a typo in an option gets did-you-mean and exit 2', async () => {
    const dir = await emptyCrm();
    const r = await tb(['--dir', dir, 'add', 'contact', 'X', '--emial', 'x@y.z']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--emial'");
    expect(r.stderr).toContain('--email');
  });

  it('no touchbase directory names tb init', async () => {
    const r = await tb(['show', 'x'], { cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not inside a touchbase directory');
    expect(r.stderr).toContain('tb init');
  });

  it('every command has --help with examples', async () => {
    for (const cmd of ['init', 'add', 'log', 'show', 'list', 'set', 'edit', 'completion']) {
      const r = await tb([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain('Examples:');
    }
  });
});

describe('tb edit', () => {
  it('saves a valid edit made by $EDITOR', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    const editor = `sed -i 's/^name: Ada Lovelace$/name: Ada King/'`;
    const r = await tb(['--dir', dir, 'edit', 'ada'], { env: { EDITOR: editor } });
    expect(r.code).toBe(0);
    expect(read(dir, 'contacts/ada-lovelace.md')).toContain('name: Ada King');
  });

  it('refuses an edit that breaks the YAML and keeps the file', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    const before = read(dir, 'contacts/ada-lovelace.md');
    const r = await tb(['--dir', dir, 'edit', 'ada'], { env: { EDITOR: `sed -i 's/^name: .*/name: [broken/'` } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tb: your edit was not saved: invalid YAML/);
    const rescue = /your version is in (\S+)/.exec(r.stderr)![1];
    expect(fs.readFileSync(rescue, 'utf8')).toContain('name: [broken');
    expect(read(dir, 'contacts/ada-lovelace.md')).toBe(before);
  });

  it('refuses an edit that makes the file larger than max_file_size, keeping a rescue copy', async () => {
    const dir = await emptyCrm();
    fs.appendFileSync(path.join(dir, 'touchbase.yaml'), '\nmax_file_size: 2000\n');
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    const before = read(dir, 'contacts/ada-lovelace.md');
    const r = await tb(['--dir', dir, 'edit', 'ada'], { env: { EDITOR: `sh -c 'head -c 3000 /dev/zero | tr "\\\\0" x >> "$1"' tb-test` } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tb: your edit was not saved: contacts\/ada-lovelace\.md would be \d+ bytes, over the 2000-byte limit/);
    expect(fs.readFileSync(/your version is in (\S+)/.exec(r.stderr)![1], 'utf8')).toContain('xxxx');
    expect(read(dir, 'contacts/ada-lovelace.md')).toBe(before);
  });

  it('refuses an edit that tb check would reject (a missing name)', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    const before = read(dir, 'contacts/ada-lovelace.md');
    const r = await tb(['--dir', dir, 'edit', 'ada'], { env: { EDITOR: `sed -i '/^name:/d'` } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("missing required field 'name'");
    expect(read(dir, 'contacts/ada-lovelace.md')).toBe(before);
  });
});

describe('tb completion', () => {
  it('prints scripts and completes commands and ids', async () => {
    expect((await tb(['completion', 'bash'])).stdout).toContain('complete -o default -F _tb_complete tb');
    expect((await tb(['completion', 'zsh'])).stdout).toContain('#compdef tb');
    expect((await tb(['completion', 'fish'])).stdout).toContain('complete -c tb');
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    expect((await tb(['completion', '--complete', '1', '--', 'tb', 'sh'])).stdout.trim()).toBe('show');
    expect((await tb(['completion', '--complete', '2', '--', 'tb', 'show', 'ad'], { env: { TOUCHBASE_DIR: dir } })).stdout.trim()).toBe('ada-lovelace');
    expect((await tb(['completion', '--complete', '2', '--', 'tb', 'log', '--ch'])).stdout).toContain('--channel');
  });
});

describe('usage errors leave no file behind', () => {
  it('a bad --follow-up date or --format fails before anything is written', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    const before = snapshot(dir);
    expect((await tb(['--dir', dir, 'log', 'ada', 'Call', '--follow-up', 'blahday'])).code).toBe(2);
    expect((await tb(['--dir', dir, 'set', 'ada', 'title=CEO', '--format', 'csv'])).code).toBe(2);
    expect((await tb(['--dir', dir, 'add', 'contact', 'Bob', '--format', 'csv'])).code).toBe(2);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('tb set on reference fields', () => {
  it('resolves a company by name or [[link]] to its id, and refuses an unknown one', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'company', 'Acme Corp']);
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    expect((await tb(['--dir', dir, 'set', 'ada', 'company=Acme Corp'])).code).toBe(0);
    expect(read(dir, 'contacts/ada-lovelace.md')).toContain('company: acme-corp\n');
    expect((await tb(['--dir', dir, 'set', 'ada', 'company=[[acme-corp]]'])).code).toBe(0);
    const r = await tb(['--dir', dir, 'set', 'ada', 'company=Acme Crop']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("tb: no company matches 'Acme Crop'");
    expect(read(dir, 'contacts/ada-lovelace.md')).toContain('company: acme-corp\n');
  });
});

describe('writes never save what tb check rejects', () => {
  it.each([
    [['set', 'big-deal', 'probability=7']],
    [['set', 'big-deal', 'expected_close=next friday']],
    [['add', 'contact', 'X', '--email', 'nope']],
    [['add', 'contact', 'Y', '--cadence', 'weekly']],
    [['set', 'ada', 'created=yesterday']],
  ])('%j', async (args) => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    await tb(['--dir', dir, 'add', 'deal', 'Big deal', '--value', '100']);
    const before = snapshot(dir);
    const r = await tb(['--dir', dir, ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tb: refusing to save /);
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('log and remind refuse an owner tb check would reject', () => {
  it.each([
    [['log', 'ada-lovelace', 'Call', '--owner', 'bob']],
    [['log', 'ada-lovelace', 'Call', '--follow-up', '+3d', '--owner', 'bob']],
    [['remind', 'ada-lovelace', 'tomorrow', 'Call back', '--owner', 'bob']],
  ])('%j', async (args) => {
    const dir = await emptyCrm();
    const config = path.join(dir, 'touchbase.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('owners: {}', 'owners: { sam: { name: Sam } }'));
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    const before = snapshot(dir);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, ...args]);
    // --owner is checked against owners: before anything is read or written (core/owners.ts).
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tb: unknown owner 'bob' in --owner\ntb: hint: owners: sam (or me)\n");
    expect(diffSnapshots(before, snapshot(dir))).toEqual({ added: [], removed: [], changed: [] });
    expect((await tb(['--dir', dir, '--as-of', AS_OF, ...args.slice(0, -1), 'sam'])).code).toBe(0);
  });
});

describe('tb log reads only what it names', () => {
  it('exact ids work even when another contact file is broken; a name as the last word is the summary', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, 'add', 'contact', 'Ada Lovelace']);
    await tb(['--dir', dir, 'add', 'contact', 'Grace Hopper']);
    fs.writeFileSync(path.join(dir, 'contacts/broken.md'), '---\nname: [x\n---\n');
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'log', 'ada-lovelace', 'grace-hopper', 'Grace Hopper', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(j.contacts).toEqual(['ada-lovelace', 'grace-hopper']);
    expect(j.summary).toBe('Grace Hopper');
  });
});

describe('tb completion of values', () => {
  it('completes channels, stages, owners and subcommands from touchbase.yaml', async () => {
    const env = { TOUCHBASE_DIR: EXAMPLE };
    const complete = async (...words: string[]) => (await tb(['completion', '--complete', String(words.length - 1), '--', ...words], { env })).stdout.trim().split('\n');
    expect(await complete('tb', 'log', 'jose', '--channel', 'm')).toEqual(['meeting', 'message']);
    expect(await complete('tb', 'deal', 'move', 'paylane-pci-audit-2027', 'n')).toEqual(['negotiation']);
    expect(await complete('tb', 'deal', '')).toEqual(['move', 'won', 'lost', 'reopen']);
    expect(await complete('tb', 'due', '--owner', '')).toEqual(['me', 'all', 'sam', 'ria']);
  });

  // Read from the command tree and the schema: a new command, subcommand, option, type or format
  // is offered without another list to keep (#28: campaigns, cases and mail imports were missing).
  it('completes every command, subcommand, option, type word and format there is', async () => {
    const env = { TOUCHBASE_DIR: EXAMPLE };
    const complete = async (...words: string[]) => (await tb(['completion', '--complete', String(words.length - 1), '--', ...words], { env })).stdout.trim().split('\n');
    expect(await complete('tb', 'ca')).toEqual(['cancel', 'case', 'campaign']);
    expect(await complete('tb', 'campaign', '')).toEqual(['new', 'list', 'preview', 'send', 'report']);
    expect(await complete('tb', 'case', '')).toEqual(['open', 'reply', 'note', 'resolve', 'reopen', 'close', 'list']);
    expect(await complete('tb', 'campaign', 'send', '--o')).toContain('--out');
    expect(await complete('tb', 'list', '')).toEqual(['contacts', 'companies', 'deals', 'interactions', 'reminders', 'cases', 'campaigns']);
    expect(await complete('tb', 'import', '')).toEqual(['csv', 'vcard', 'json', 'eml', 'mbox', 'maildir', 'ics']);
    expect(await complete('tb', 'export', 'csv', 'ca')).toEqual(['cases', 'campaigns']);
    expect(await complete('tb', 'add', '')).toEqual(['contact', 'company', 'deal', 'campaign']);
    expect(await complete('tb', 'case', 'open', 'jose')).toEqual(['jose-muller']);
  });
});

describe('odd input to init and add', () => {
  it('warns about a nested directory, names a missing --dir, refuses control characters and --set name', async () => {
    const dir = await emptyCrm();
    const nested = await tb(['init', path.join(dir, 'sub'), '--no-git']);
    expect(nested.code).toBe(0);
    expect(nested.stderr).toContain('tb: warning: creating a touchbase directory inside another one');
    const missing = await tb(['--dir', path.join(dir, 'nope'), 'list']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe(`tb: ${path.join(dir, 'nope')} does not exist`);
    expect((await tb(['--dir', dir, 'add', 'contact', 'A\nB'])).stderr).toContain('cannot contain line breaks');
    expect((await tb(['--dir', dir, 'add', 'contact', 'X', '--set', 'name=Y'])).code).toBe(2);
  });
});

describe('tb init --example', () => {
  it('copies the sample records but never its local index', async () => {
    await tb(['--dir', EXAMPLE, 'list', '--count']);
    const dir = path.join(tempDir(), 'crm');
    const r = await tb(['init', dir, '--example', '--no-git']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, '.touchbase'))).toBe(false);
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'list', '--count'])).stdout.trim()).toBe('30');
    expect((await tb(['--dir', dir, 'check'])).code).toBe(0);
  });
});
