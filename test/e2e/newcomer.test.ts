/** A newcomer's first hour: usage hints, surname hints, and the cosmetics of #20. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, EXAMPLE, emptyCrm, read, tb } from './helpers.js';

describe('helpful usage errors', () => {
  it('tb report --html without a file', async () => {
    const r = await tb(['--dir', EXAMPLE, '--as-of', AS_OF, 'report', '--html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tb: option '--html <file>' argument missing\ntb: hint: give the file to write: tb report --html report.html (then open it in a browser)\n");
  });

  it('tb add without a type', async () => {
    const r = await tb(['--dir', EXAMPLE, 'add']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tb: hint: say what to add: tb add contact "Ada Lovelace"');
  });

  it("a command's option before the command", async () => {
    const r = await tb(['--dir', EXAMPLE, '--as-of', AS_OF, '--exit-code', 'due']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tb: unknown option '--exit-code'\ntb: hint: --exit-code is an option of tb due: put it after the command, e.g. tb due --exit-code\n");
  });
});

describe('records a newcomer makes', () => {
  it('tb add of a second contact or company with the same name says so (it is still added)', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ada Lovelace', '--email', 'ada@acme.example']);
    const again = await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'ada lovelace', '--email', 'ada@other.example']);
    expect([again.code, again.stderr]).toEqual([0, "tb: warning: a contact named 'ada lovelace' already exists (ada-lovelace); this one is added as another record (tb merge ada-lovelace <new id> if they are the same)\n"]);
    expect(again.stdout).toContain('ada-lovelace-2');
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'company', 'Acme GmbH']);
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'company', 'Acme GmbH'])).stderr).toContain("tb: warning: a company named 'Acme GmbH' already exists (acme-gmbh)");
    expect((await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Grace Hopper'])).stderr).toBe('');
  });

  it('tb show <surname> names the candidates', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ana Torres']);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'torres']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("tb: no record matches 'torres'\ntb: hint: did you mean 'ana-torres' (Ana Torres)? a reference matches an id, an email or the start of a name\n");
  });

  it('removing the last tag leaves no tags: []', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ana Torres', '--tag', 'vip']);
    expect((await tb(['--dir', dir, 'set', 'ana', '-vip'])).code).toBe(0);
    expect(read(dir, 'contacts/ana-torres.md')).toBe('---\nname: Ana Torres\ncreated: 2026-11-23\n---\n');
  });

  it('tb set refuses near misses of schema fields, keeps new custom fields', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ivan Petrov']);
    const before = read(dir, 'contacts/ivan-petrov.md');
    for (const [change, meant] of [['email=x@y.org', 'emails'], ['emial=x@y.org', 'emails'], ['phone=+49 30 1234', 'phones'], ['tag+=vip', 'tags']]) {
      const r = await tb(['--dir', dir, 'set', 'ivan', change]);
      expect(r.code, change).toBe(2);
      expect(r.stderr, change).toContain(`did you mean '${meant}'?`);
    }
    expect(read(dir, 'contacts/ivan-petrov.md')).toBe(before);
    const ok = await tb(['--dir', dir, 'set', 'ivan', 'emails+=x@y.org', 'linkedin=https://example.com/ivan']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain("'linkedin' is a new custom field on ivan-petrov");
    expect(read(dir, 'contacts/ivan-petrov.md')).toContain('emails: [x@y.org]');
  });

  it('tb check warns about a stray singular key', async () => {
    const dir = await emptyCrm();
    fs.writeFileSync(path.join(dir, 'contacts/ivan-petrov.md'), '---\nname: Ivan Petrov\nemail: ivan@example.com\n---\n');
    const r = await tb(['--dir', dir, 'check']);
    expect(r.stdout).toContain("contacts/ivan-petrov.md:3: warning: 'email' is not a contact field; did you mean 'emails'? (rename the key)");
  });

  it('tb show aligns the timeline when one entry has a time', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', 'Ana Torres']);
    await tb(['--dir', dir, '--as-of', AS_OF, 'log', 'ana', 'Workshop', '--channel', 'meeting', '--date', '2026-11-20T14:30', '--body', '']);
    await tb(['--dir', dir, '--as-of', AS_OF, 'log', 'ana', 'Sent notes', '--channel', 'email', '--date', '2026-11-21', '--body', '']);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'show', 'ana']);
    const lines = r.stdout.split('\n').filter((l) => /Workshop|Sent notes/.test(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].indexOf('email')).toBe(lines[1].indexOf('meeting'));
  });

  it('CJK-only names are whole in piped tb list', async () => {
    const dir = await emptyCrm();
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', '王小明']);
    await tb(['--dir', dir, '--as-of', AS_OF, 'add', 'contact', '김민준']);
    const r = await tb(['--dir', dir, '--as-of', AS_OF, 'list', '--fields', 'id,name']);
    expect(r.stdout).toContain('王小明');
    expect(r.stdout).toContain('김민준');
  });
});
