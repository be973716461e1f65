/**
 * One source of truth: every command of the registry is in README's command table, in `tb help`
 * and in the man page; every docs/ page is a `tb help` topic and a man page section.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tb } from './helpers.js';
import { COMMANDS } from '../../src/commands/registry.js';

const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const man = fs.readFileSync(path.join(REPO, 'dist/man/tb.1'), 'utf8');
const topics = fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));

describe('README, tb help and man tb agree', () => {
  const table = readme.slice(readme.indexOf('## Commands'), readme.indexOf('## Documentation'));

  it.each(COMMANDS.map((c) => [c.name]))('tb %s is in all three', async (name) => {
    expect(table).toContain(`| \`tb ${name}\` |`);
    const help = await tb(['help']);
    expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(man).toContain(`.B tb ${name}`);
  });

  it('README stays under 20 KB and links every docs page', () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(20 * 1024);
    for (const t of topics) expect(readme).toContain(`(docs/${t}.md)`);
  });

  it("README's Install says how to run tb without npx, through the launcher package.json names", () => {
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## A five-minute tour'));
    const bin = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.tb;
    expect(install).toContain(`alias tb="node $PWD/${bin}"`);
    expect(install).toContain('npm link');
  });

  it('tb help lists every docs page as a topic, and the man page has it', async () => {
    const help = await tb(['help']);
    expect(help.code).toBe(0);
    for (const t of topics) {
      expect(help.stdout).toMatch(new RegExp(`^  ${t} `, 'm'));
      expect(man).toContain(`.\\" topic: ${t}`);
    }
  });
});

describe('tb help <topic>', () => {
  it('prints the docs page as plain text', async () => {
    const r = await tb(['help', 'query']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('QUERY LANGUAGE');
    expect(r.stdout).toContain('tag:vip OR tag:partner');
    expect(r.stdout).not.toContain('```');
    expect(r.stdout).not.toMatch(/\]\(/);
  });

  it.each([['dates', 'end of month'], ['config', 'max_file_size'], ['formats', '"derived"'], ['removing', '--cascade']])('tb help %s', async (topic, text) => {
    const r = await tb(['help', topic]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(text);
  });

  it('a command still gets its own help', async () => {
    const r = await tb(['help', 'delete']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: tb rm|delete');
  });

  it('an unknown topic is exit 2 with did-you-mean', async () => {
    const r = await tb(['help', 'quer']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("tb: no command or help topic 'quer'\ntb: hint: did you mean 'query'?\n");
  });
});

describe('a topic named like a command', () => {
  it('tb help vdir is the command\'s help and names its page; tb help topic vdir prints the page', async () => {
    const cmd = await tb(['help', 'vdir']);
    expect(cmd.code).toBe(0);
    expect(cmd.stdout).toContain('The reference page: tb help topic vdir');
    const page = await tb(['help', 'topic', 'vdir']);
    expect(page.code).toBe(0);
    expect(page.stdout).toMatch(/KEEPING CONTACTS IN STEP WITH YOUR ADDRESS BOOK/);
  });
});
