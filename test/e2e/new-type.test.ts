/**
 * docs/architecture.md's promise, "adding a type is one entry in SCHEMA": this file adds a
 * throw-away `product` type to SCHEMA (module mocking of core/schema.ts, whose tables are derived
 * again by core/schema-tables.ts for the longer schema) and runs the generic commands on it end to
 * end, in-process: list, show, set, check, export (and import json of the export), rm and merge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AS_OF, emptyCrm, read, snapshot, tb } from './helpers.js';

const { PRODUCT } = vi.hoisted(() => ({
  PRODUCT: {
    type: 'product',
    byName: true,
    folder: 'products',
    words: ['sku'],
    id: 'slug of the name',
    fields: [
      { name: 'name', kind: 'text', required: true },
      { name: 'price', kind: 'number', min: 0 },
      { name: 'contact', kind: 'ref', target: 'contact' },
      { name: 'tags', kind: 'list', loose: true, aliases: ['tag'] },
      { name: 'launched', kind: 'date' },
      { name: 'blurb', kind: 'text', searched: true },
    ],
    derived: [],
    list: { columns: ['id', 'name', 'price', 'contact'], sort: '-price' },
    loads: ['contact', 'product'],
  },
}));

vi.mock('../../src/core/schema.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/schema.js')>();
  const { schemaTables } = await import('../../src/core/schema-tables.js');
  const schema = [...real.SCHEMA, PRODUCT];
  return { ...real, SCHEMA: schema, ...schemaTables(schema) };
});

const run = async (dir: string, args: string[]) => await tb(['--dir', dir, '--as-of', AS_OF, ...args]);

async function productCrm(): Promise<string> {
  const dir = await emptyCrm();
  const w = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  w('contacts/jose-muller.md', '---\nname: José Müller\nemails: [jose@acme.example]\n---\n');
  w('contacts/jose-mueller.md', '---\nname: Jose Muller\nemails: [JOSE@acme.example]\n---\n');
  w('products/gizmo.md', '---\nname: Gizmo\nprice: 12.5\ncontact: jose-mueller\ntags: [hardware]\n---\n\nOur best seller.\n');
  w('products/widget.md', '---\nname: Widget\nprice: 40\n---\n');
  return dir;
}

describe('a type added to SCHEMA alone', () => {
  it('tb list lists it by its words, with its default columns and sort, and queries its fields and references', async () => {
    const dir = await productCrm();
    const table = await run(dir, ['list', 'products']);
    expect([table.code, table.stderr]).toEqual([0, '']);
    expect(table.stdout.split('\n')[0].split(/\s+/).filter(Boolean)).toEqual(['id', 'name', 'price', 'contact']);
    expect((await run(dir, ['list', 'sku', '--ids'])).stdout).toBe('widget\ngizmo\n');
    expect((await run(dir, ['list', 'product', 'price<20', 'tag:hardware', '--ids'])).stdout).toBe('gizmo\n');
    expect((await run(dir, ['list', 'products', 'contact.name:"Jose Muller"', '--ids'])).stdout).toBe('gizmo\n');
    const json = JSON.parse((await run(dir, ['list', 'products', '--format', 'json'])).stdout) as Array<Record<string, unknown>>;
    expect(json.map((r) => [r.id, r.type, r.price])).toEqual([['widget', 'product', 40], ['gizmo', 'product', 12.5]]);
  });

  it("a bare query word searches the fields it marks 'searched'", async () => {
    const dir = await productCrm();
    fs.writeFileSync(path.join(dir, 'products/sprocket.md'), '---\nname: Sprocket\nblurb: fits every bicycle\n---\n');
    expect((await run(dir, ['list', 'products', 'bicycle', '--ids'])).stdout).toBe('sprocket\n');
  });

  it('tb show finds it by name and prints its fields and body', async () => {
    const dir = await productCrm();
    const r = await run(dir, ['show', 'Gizmo']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('products/gizmo.md');
    expect(r.stdout).toContain('12.5');
    expect(r.stdout).toContain('Our best seller.');
  });

  it('tb set edits its fields and refuses what tb check would reject', async () => {
    const dir = await productCrm();
    const ok = await run(dir, ['set', 'gizmo', 'price=15', '+gadget', 'launched=2026-01-15']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(read(dir, 'products/gizmo.md')).toBe('---\nname: Gizmo\nprice: 15\ncontact: jose-mueller\ntags: [hardware, gadget]\nlaunched: 2026-01-15\n---\n\nOur best seller.\n');
    const before = snapshot(dir);
    const refusals: Array<[string, string]> = [
      ['price=-3', "'price' must be a number from 0"],
      ['launched=2026-13-40', "'launched' is not a real date"],
      ['contact=nobody', "no contact matches 'nobody'"],
      ['name=', "'name' is required"],
    ];
    for (const [edit, message] of refusals) {
      const r = await run(dir, ['set', 'gizmo', edit]);
      expect(r.code, edit).not.toBe(0);
      expect(r.stderr, edit).toContain(message);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('tb check passes on the products and reports a broken one with its file', async () => {
    const dir = await productCrm();
    const clean = await run(dir, ['check']);
    expect(clean.code).toBe(0);
    // Two contacts, two products and touchbase.yaml.
    expect(clean.stdout).toMatch(/^0 errors, 2 warnings in 5 files$/m);
    fs.writeFileSync(path.join(dir, 'products/broken.md'), '---\nprice: lots\ncontact: nobody\n---\n');
    const r = await run(dir, ['check']);
    expect(r.code).toBe(1);
    const problems = r.stdout.split('\n').filter((l) => l.startsWith('products/broken.md'));
    expect(problems.join('\n')).toMatch(/name/);
    expect(problems.join('\n')).toMatch(/price/);
    expect(problems.join('\n')).toMatch(/nobody/);
  });

  it("tb export json and csv carry it, csv in the schema's field order", async () => {
    const dir = await productCrm();
    const records = JSON.parse((await run(dir, ['export', 'json'])).stdout) as Array<Record<string, unknown>>;
    const products = records.filter((r) => r.type === 'product').map((r) => [r.id, r.path, r.price]);
    expect(products).toEqual([['gizmo', 'products/gizmo.md', 12.5], ['widget', 'products/widget.md', 40]]);
    const csv = await run(dir, ['export', 'csv', 'products']);
    expect(csv.code).toBe(0);
    const [header, ...rows] = csv.stdout.trim().split(/\r?\n/);
    // The columns the records use, in the schema's field order, then the body.
    expect(header).toBe('id,name,price,contact,tags,notes');
    expect(rows.map((l) => l.split(',')[0]).sort()).toEqual(['gizmo', 'widget']);
  });

  it('tb import json reads its own export back: the products come back as written', async () => {
    const dir = await productCrm();
    const file = path.join(dir, 'all.json');
    expect((await run(dir, ['export', 'json', '-o', file])).code).toBe(0);
    const fresh = await emptyCrm();
    const r = await run(fresh, ['import', 'json', file]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(read(fresh, 'products/gizmo.md')).toBe(read(dir, 'products/gizmo.md'));
    expect(read(fresh, 'products/widget.md')).toBe(read(dir, 'products/widget.md'));
  });

  it('tb rm refuses a contact a product names, then removes a product', async () => {
    const dir = await productCrm();
    const refused = await run(dir, ['rm', 'jose-mueller']);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('products/gizmo.md');
    expect(fs.existsSync(path.join(dir, 'contacts/jose-mueller.md'))).toBe(true);
    const removed = await run(dir, ['rm', 'widget']);
    expect([removed.code, removed.stderr]).toEqual([0, '']);
    expect(fs.existsSync(path.join(dir, 'products/widget.md'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'products/gizmo.md'))).toBe(true);
  });

  it('tb merge rewrites the contact a product names', async () => {
    const dir = await productCrm();
    const r = await run(dir, ['merge', 'jose-muller', 'jose-mueller']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('products/gizmo.md: contact jose-mueller → jose-muller');
    expect(read(dir, 'products/gizmo.md')).toContain('contact: jose-muller\n');
    expect(fs.existsSync(path.join(dir, 'contacts/jose-mueller.md'))).toBe(false);
    expect((await run(dir, ['check'])).code).toBe(0);
  });
});
