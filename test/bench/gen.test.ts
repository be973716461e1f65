import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, parseGenArgs, SCALES } from '../../bench/gen.js';
import { checkDirectory, loadRecords, recordFiles } from '../../bench/lib/check.js';
import { scalar } from '../../bench/lib/yaml.js';
import { RECORD_TYPES } from '../../src/core/types.js';
import { UsageError } from '../../src/errors.js';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-gen-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** One hash over every path and its bytes, in sorted order. */
function treeHash(root: string): string {
  const hash = createHash('sha256');
  const files = ['touchbase.yaml', ...RECORD_TYPES.flatMap((t) => recordFiles(root, t))];
  for (const rel of files) hash.update(rel).update('\0').update(fs.readFileSync(path.join(root, rel))).update('\0');
  return hash.digest('hex');
}

describe('generate at scale XS', () => {
  let root: string;
  let result: { files: number; bytes: number };
  beforeAll(() => {
    root = tempDir();
    result = generate(root, { scale: 'XS', seed: 42 });
  });

  it.each([
    ['contact', SCALES.XS.contacts],
    ['company', SCALES.XS.companies],
    ['deal', SCALES.XS.deals],
    ['interaction', SCALES.XS.interactions],
    ['reminder', SCALES.XS.reminders],
  ] as const)('writes the right number of %s files', (type, count) => {
    expect(recordFiles(root, type)).toHaveLength(count);
  });

  it('reports the files and bytes it wrote', () => {
    const all = ['touchbase.yaml', ...RECORD_TYPES.flatMap((t) => recordFiles(root, t))];
    expect(result.files).toBe(all.length);
    expect(result.bytes).toBe(all.reduce((sum, rel) => sum + fs.statSync(path.join(root, rel)).size, 0));
  });

  it('writes files that parse and whose references all resolve', () => {
    expect(checkDirectory(root)).toEqual([]);
  });

  it('writes a config that parses with ten owners and the nps field', () => {
    const config = yaml.load(fs.readFileSync(path.join(root, 'touchbase.yaml'), 'utf8'), { schema: yaml.CORE_SCHEMA }) as Record<string, Record<string, unknown>>;
    expect(Object.keys(config.owners)).toHaveLength(10);
    expect(config.fields.nps).toEqual({ type: 'number', min: 0, max: 10, on: 'contacts' });
  });

  it('has a realistic mix: some vip contacts, bodies on about half the interactions, every deal stage', () => {
    const records = loadRecords(root);
    const interactions = records.filter((r) => r.type === 'interaction');
    const withBody = interactions.filter((r) => r.body.trim() !== '').length / interactions.length;
    expect(withBody).toBeGreaterThan(0.35);
    expect(withBody).toBeLessThan(0.65);
    const vips = records.filter((r) => r.type === 'contact' && Array.isArray(r.data.tags) && r.data.tags.includes('vip')).length;
    expect(vips).toBeGreaterThan(0);
    expect(vips).toBeLessThan(15);
    const stages = new Set(records.filter((r) => r.type === 'deal').map((r) => r.data.stage));
    expect([...stages].sort()).toEqual(['lead', 'lost', 'negotiation', 'proposal', 'qualified', 'won']);
    const dates = interactions.map((r) => String(r.data.date)).sort();
    expect(dates[0] >= '2023-11-21').toBe(true);
    expect(dates[dates.length - 1] <= '2026-11-20').toBe(true);
  });

  it('refuses a directory that is not empty', () => {
    expect(() => generate(root, { scale: 'XS', seed: 42 })).toThrow(UsageError);
  });
});

describe('checkDirectory', () => {
  it('reports a dangling reference, a misfiled interaction and an unknown owner', () => {
    const root = tempDir();
    generate(root, { scale: 'XS', seed: 3 });
    const rel = 'interactions/2026/01/2026-02-01-nobody-call-abcd.md';
    fs.mkdirSync(path.join(root, 'interactions/2026/01'), { recursive: true });
    fs.writeFileSync(path.join(root, rel), '---\ndate: 2026-02-01\ncontacts: [nobody]\nchannel: call\nsummary: x\nowner: zed\n---\n');
    expect(checkDirectory(root)).toEqual([
      `${rel}: contacts 'nobody' does not exist`,
      `${rel}: owner 'zed' is not in touchbase.yaml`,
      `${rel}: filed under the wrong date`,
    ]);
  });
});

describe('generate is deterministic', () => {
  it('gives byte-identical trees for the same seed and different ones for another seed', () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    generate(a, { scale: 'XS', seed: 7 });
    generate(b, { scale: 'XS', seed: 7 });
    generate(c, { scale: 'XS', seed: 8 });
    expect(treeHash(a)).toBe(treeHash(b));
    expect(treeHash(a)).not.toBe(treeHash(c));
  });
});

describe('parseGenArgs', () => {
  it.each([
    [['out'], { dir: 'out', scale: 'S', seed: 1 }],
    [['out', '--scale', 'xs', '--seed', '9'], { dir: 'out', scale: 'XS', seed: 9 }],
    [['--scale=M', 'out', '--seed=-3'], { dir: 'out', scale: 'M', seed: -3 }],
  ])('%j', (argv, expected) => {
    expect(parseGenArgs(argv)).toEqual(expected);
  });

  it.each([[[]], [['out', '--scale', 'XL']], [['out', '--seed', 'x']], [['out', '--seed']], [['a', 'b']], [['out', '--fast']]])(
    'rejects %j',
    (argv) => {
      expect(() => parseGenArgs(argv)).toThrow(UsageError);
    },
  );
});

describe('scalar', () => {
  // Each value must come back from the core schema as exactly the same string.
  it.each([
    'José Müller', 'yes', 'true', 'null', '~', '12', '+49 30 1234 567', '0.5', 'a: b', 'note #1', 'x #y',
    '[[ada-lovelace]]', '- item', 'ends with colon:', "O'Connor", 'say "hi"', '@handle', 'two, three', ' padded ',
    'multi\nline', '2026-11-20', '30d', '1m', '12e3', '0x1f', '.5', '',
  ])('%j round-trips as a string', (value) => {
    const text = `k: ${scalar(value)}\nl: [${scalar(value, true)}]\n`;
    expect(yaml.load(text, { schema: yaml.CORE_SCHEMA })).toEqual({ k: value, l: [value] });
  });
});

describe('examples/consultancy', () => {
  const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/consultancy');
  it.runIf(fs.existsSync(examples))('parses and every reference resolves', () => {
    expect(checkDirectory(examples)).toEqual([]);
  });
});
