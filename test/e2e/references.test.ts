/** References in queries and in --company/--contact/--deal resolve like command arguments (docs/query.md, "References"). */
import { beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, emptyCrm, tb } from './helpers.js';

let dir: string;
const at = async (args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, ...args]);

beforeAll(async () => {
  dir = await emptyCrm();
  for (const args of [
    ['add', 'company', 'Acme GmbH', '--industry', 'Fintech'],
    ['add', 'company', 'Globex'],
    ['add', 'contact', 'Ada Lovelace', '--email', 'ada@acme.example', '--company', 'acme'],
    ['add', 'contact', 'Grace Hopper', '--company', 'Globex'],
    ['add', 'deal', 'Acme renewal', '--company', 'Acme GmbH', '--contact', 'ada', '--value', '500'],
    ['log', 'ada', 'Renewal call', '--deal', 'acme ren'],
    ['remind', 'grace', '+2d', 'Send the pilot plan', '--deal', 'acme'],
  ]) {
    const r = await at(args);
    expect(r.stderr, args.join(' ')).not.toMatch(/error/);
    expect(r.code, args.join(' ')).toBe(0);
  }
});

const ids = async (args: string[]) => {
  const r = await at([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as Array<{ id: string }>).map((x) => x.id);
};

describe('references in queries', () => {
  it.each([
    ['company:acme'],
    ['company:"Acme GmbH"'],
    ['company:acme-gmbh'],
    ['company=acme'],
  ])('tb list contacts %s finds the contacts of Acme GmbH', async (q) => {
    expect(await ids(['list', 'contacts', q])).toEqual(['ada-lovelace']);
  });

  it('any-of alternatives resolve each reference', async () => {
    expect((await ids(['list', 'contacts', 'company:acme,glob'])).sort()).toEqual(['ada-lovelace', 'grace-hopper']);
  });

  it('contacts: and dotted references resolve too', async () => {
    expect(await ids(['list', 'deals', 'contacts:ada'])).toEqual(['acme-renewal']);
    expect(await ids(['list', 'deals', 'contact:ada@acme.example'])).toEqual(['acme-renewal']);
    expect(await ids(['list', 'interactions', 'deal.company:acme'])).toHaveLength(1);
    expect(await ids(['list', 'interactions', 'contacts.company:acme'])).toHaveLength(1);
    expect(await ids(['list', 'contacts', 'company.industry:fintech'])).toEqual(['ada-lovelace']);
    expect(await ids(['list', 'contacts', '-company:acme'])).toEqual(['grace-hopper']);
  });

  it('a reference that names nothing is an error with did-you-mean, not "no matches"', async () => {
    const r = await at(['list', 'contacts', 'company:acne']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no company matches 'acne'");
    expect(r.stderr).toContain("did you mean 'acme-gmbh'");
    const deal = await at(['list', 'interactions', 'deal.company:nowhere']);
    expect(deal.code).toBe(2);
    expect(deal.stderr).toContain("no company matches 'nowhere'");
  });

  it('wildcards are kept as typed', async () => {
    expect(await ids(['list', 'contacts', 'company:acme*'])).toEqual(['ada-lovelace']);
  });
});

describe('owner: in queries', () => {
  it('an owner name or unique prefix stands for the owner id', async () => {
    const own = await emptyCrm();
    const cfg = `${own}/touchbase.yaml`;
    const fs = await import('node:fs');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace(/^owners:.*$/m, 'owners:\n  mara: { name: Mara Schmidt, email: mara@example.com }\n  sam: { name: Sam Lee }'));
    const add = await tb(['--dir', own, 'add', 'contact', 'Ada Lovelace', '--owner', 'mara']);
    expect(add.code, add.stderr).toBe(0);
    for (const q of ['owner:mara', 'owner:"Mara Schmidt"', 'owner:Mar']) {
      const r = await tb(['--dir', own, 'list', 'contacts', q, '--json']);
      expect(r.stderr, q).toBe('');
      expect(JSON.parse(r.stdout).map((x: { id: string }) => x.id), q).toEqual(['ada-lovelace']);
    }
  });
});

describe('--company, --contact and --deal resolve by id, name or unique prefix', () => {
  it('on add, log and remind (set up above) the references were resolved', async () => {
    const deal = JSON.parse((await at(['show', 'acme-renewal', '--json'])).stdout);
    expect(deal.company).toBe('acme-gmbh');
    expect(deal.contacts).toEqual(['ada-lovelace']);
    expect(await ids(['list', 'interactions', 'deal:acme-renewal'])).toHaveLength(1);
    expect(await ids(['list', 'reminders', 'deal:acme'])).toHaveLength(1);
  });

  it('on case open', async () => {
    const r = await at(['case', 'open', 'ada', 'Invoice wrong', '--company', 'acme', '--deal', 'Acme renewal']);
    expect(r.code, r.stderr).toBe(0);
    expect(await ids(['list', 'cases', 'company:acme', 'deal:acme'])).toHaveLength(1);
  });

  it.each([
    [['add', 'contact', 'Zed', '--company', 'acne']],
    [['add', 'deal', 'X', '--contact', 'nobody-here']],
    [['log', 'ada', 'x', '--deal', 'nodeal']],
  ])('%j names nothing: exit 1 with a hint', async (args) => {
    const r = await at(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no (company|contact|deal) matches/);
  });
});
