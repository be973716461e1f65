/** The schema's promises end to end: derived names are never stored; import and dedupe agree on phones. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, exampleCopy, read, snapshot, tb } from './helpers.js';

const run = async (dir: string, args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, ...args]);

describe('derived field names are refused as stored keys', () => {
  it('tb set refuses them and writes nothing', async () => {
    const dir = await exampleCopy();
    const before = snapshot(dir);
    const r = await run(dir, ['set', 'amara', 'last_contact=2020-01-01', 'interactions=5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'last_contact' is a derived field (computed from other records) and cannot be stored");
    expect(snapshot(dir)).toEqual(before);
  });

  it('tb add --set refuses them', async () => {
    const dir = await exampleCopy();
    const r = await run(dir, ['add', 'contact', 'Zed Test', '--set', 'open_deals=4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("'open_deals' is a derived field");
    expect(fs.existsSync(path.join(dir, 'contacts', 'zed-test.md'))).toBe(false);
  });

  it('tb check reports a hand-written one', async () => {
    const dir = await exampleCopy();
    const file = path.join(dir, 'contacts', 'amara-okafor.md');
    fs.writeFileSync(file, read(dir, 'contacts/amara-okafor.md').replace('---\n', '---\ninteractions: 5\n'));
    const r = await run(dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("contacts/amara-okafor.md:2: error: 'interactions' is a derived field (computed from other records) and cannot be stored; remove it");
  });

  it('tb import drops derived columns', async () => {
    const dir = await exampleCopy();
    const csv = path.join(dir, 'people.csv');
    fs.writeFileSync(csv, 'Name,Email,Interactions\nBo Berg,bo@example.org,5\n');
    const r = await run(dir, ['import', 'csv', csv]);
    expect(r.code).toBe(0);
    expect(read(dir, 'contacts/bo-berg.md')).not.toContain('interactions');
  });
});

describe('import and dedupe agree on what is the same phone', () => {
  it('a national spelling of a stored international number updates that contact', async () => {
    const dir = await exampleCopy();
    // amara-okafor has +44 20 7946 0321.
    const csv = path.join(dir, 'people.csv');
    fs.writeFileSync(csv, 'Name,Phone,Location\nAmara Okafor,020 7946 0321,London\n');
    const r = await run(dir, ['import', 'csv', csv, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { created: number; updated: number; records: Array<{ id: string }> };
    expect({ created: report.created, updated: report.updated, ids: report.records.map((x) => x.id) }).toEqual({ created: 0, updated: 1, ids: ['amara-okafor'] });
    const dedupe = JSON.parse((await run(dir, ['dedupe', '--json'])).stdout) as unknown[];
    expect(JSON.stringify(dedupe)).not.toContain('same phone number');
  });
});

describe('tb segment list --format csv goes through the shared CSV writer', () => {
  it('has a header and quotes queries holding commas', async () => {
    const dir = await exampleCopy();
    expect((await run(dir, ['segment', 'save', 'big', 'stage:lead,proposal value>1000', '--type', 'deals'])).code).toBe(0);
    const r = await run(dir, ['segment', 'list', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('segment,type,query');
    expect(lines).toContain('big,deals,"stage:lead,proposal value>1000"');
  });
});

// Tables that were kept by hand beside SCHEMA and had fallen behind it (#28): they are derived now.
describe('required fields and references come from the schema, for every type', () => {
  const CASE = 'cases/2026-11-20-jose-muller-invoice-wrong-k3x9.md';
  const withCase = async () => {
    const dir = await exampleCopy();
    fs.mkdirSync(path.join(dir, 'cases'), { recursive: true });
    fs.writeFileSync(path.join(dir, CASE), '---\nsubject: Invoice wrong\ncontact: jose-muller\nstatus: open\nopened: 2026-11-20T09:00Z\n---\n');
    return dir;
  };

  it("tb set refuses to remove a case's subject, as it does a contact's name", async () => {
    const dir = await withCase();
    const before = snapshot(dir);
    const r = await run(dir, ['set', '2026-11-20-jose-muller-invoice-wrong-k3x9', 'subject=']);
    expect([r.code, r.stderr]).toEqual([2, "tb: 'subject' is required and cannot be removed\n"]);
    expect(snapshot(dir)).toEqual(before);
  });

  it("tb set resolves an interaction's case like any reference, and check --fix unlinks [[case]]", async () => {
    const dir = await withCase();
    const log = JSON.parse((await run(dir, ['--json', 'log', 'jose-muller', 'Called about the invoice'])).stdout) as { path: string; id: string };
    const set = await run(dir, ['set', log.id, 'case=2026-11-20-jose']);
    expect(set.code).toBe(0);
    expect(read(dir, log.path)).toContain('case: 2026-11-20-jose-muller-invoice-wrong-k3x9\n');
    fs.writeFileSync(path.join(dir, log.path), read(dir, log.path).replace('case: 2026-11-20-jose-muller-invoice-wrong-k3x9', 'case: "[[2026-11-20-jose-muller-invoice-wrong-k3x9]]"'));
    expect((await run(dir, ['check', '--fix'])).code).toBe(0);
    expect(read(dir, log.path)).toContain('case: 2026-11-20-jose-muller-invoice-wrong-k3x9\n');
  });
});
