/**
 * The index of interactions by contact on disk (store/index-refs.ts): a `tb log` rewrites only the
 * shards of the new interaction's keys, and a shard that does not match its manifest (another
 * writer, a kill between writing shards and the manifest) is never served: the lookup says it
 * cannot tell, and the next load builds the shards again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/store/load.js';
import { shardOf } from '../../src/core/interaction-refs.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The index's clock 1.1 s ahead: files written so far are past the racy window (no waiting). */
const later = (): number => Date.now() + 1100;
const touch = (day: string, who: string) => `---\ndate: 2026-11-${day}\ncontacts: [${who}]\nchannel: call\n---\n`;

function write(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-refs-'));
  dirs.push(dir);
  write(dir, 'touchbase.yaml', 'name: Test\n');
  for (const id of ['ada', 'bob']) write(dir, `contacts/${id}.md`, `---\nname: ${id}\n---\n`);
  write(dir, 'interactions/2026/11/2026-11-20-ada.md', touch('20', 'ada'));
  write(dir, 'interactions/2026/11/2026-11-21-bob.md', touch('21', 'bob'));
  return dir;
}

const refsOf = (dir: string) => loadDataset(dir, { types: ['contact', 'interaction'], interactionSummary: '2026-11-23', now: later }).interactionRefs!;
const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, '.touchbase/interaction.slim.refs.json'), 'utf8')) as { indexId: string; shards: string[] };
const shardFile = (dir: string, key: string) => path.join(dir, '.touchbase/interaction.slim.refs', `${shardOf(key)}.json`);

describe('the index of interactions by contact', () => {
  it('a new interaction rewrites only the shards of its keys', () => {
    const dir = fixture();
    refsOf(dir);
    const before = manifest(dir);
    write(dir, 'interactions/2026/11/2026-11-22-ada.md', touch('22', 'ada'));
    expect(refsOf(dir).paths(['c:ada'])).toEqual(['interactions/2026/11/2026-11-20-ada.md', 'interactions/2026/11/2026-11-22-ada.md']);
    const after = manifest(dir);
    expect(after.indexId).not.toBe(before.indexId);
    const touched = new Set(['c:ada', 'i:2026-11-22-ada'].map(shardOf));
    after.shards.forEach((id, n) => (touched.has(n) ? expect(id).not.toBe(before.shards[n]) : expect(id).toBe(before.shards[n])));
  });

  it('a shard rewritten behind the manifest (a kill before the manifest, a second writer) is not served, then rebuilt', () => {
    const dir = fixture();
    refsOf(dir);
    const file = shardFile(dir, 'c:ada');
    // What a writer killed after its shards and before its manifest leaves: a shard under another id.
    fs.writeFileSync(file, JSON.stringify({ id: 'someone-else', refs: { 'c:ada': ['interactions/wrong.md'] } }));
    expect(refsOf(dir).paths(['c:ada'])).toBeUndefined();
    expect(refsOf(dir).paths(['c:ada'])).toEqual(['interactions/2026/11/2026-11-20-ada.md']);
    // Torn or foreign content: the same.
    fs.writeFileSync(file, '{"id":');
    expect(refsOf(dir).paths(['c:ada'])).toBeUndefined();
    expect(refsOf(dir).paths(['c:bob', 'c:ada'])).toEqual(['interactions/2026/11/2026-11-20-ada.md', 'interactions/2026/11/2026-11-21-bob.md']);
  });

  it('a manifest of another index is not served', () => {
    const dir = fixture();
    refsOf(dir);
    const m = manifest(dir);
    fs.writeFileSync(path.join(dir, '.touchbase/interaction.slim.refs.json'), JSON.stringify({ ...m, indexId: 'other' }));
    expect(refsOf(dir).paths(['c:bob'])).toEqual(['interactions/2026/11/2026-11-21-bob.md']);
    expect(manifest(dir).indexId).not.toBe('other');
  });
});

describe('the index of interactions by contact after edits and removals', () => {
  it('an interaction handed to another contact and one removed: only their shards are rewritten, the answers follow', () => {
    const dir = fixture();
    write(dir, 'interactions/2026/11/2026-11-22-ada.md', touch('22', 'ada'));
    refsOf(dir);
    const before = manifest(dir);
    write(dir, 'interactions/2026/11/2026-11-20-ada.md', touch('20', 'bob'));
    fs.rmSync(path.join(dir, 'interactions/2026/11/2026-11-22-ada.md'));
    const refs = refsOf(dir);
    expect(refs.paths(['c:ada'])).toEqual([]);
    expect(refs.paths(['c:bob'])).toEqual(['interactions/2026/11/2026-11-20-ada.md', 'interactions/2026/11/2026-11-21-bob.md']);
    expect(refs.paths(['i:2026-11-22-ada'])).toEqual([]);
    const touched = new Set(['c:ada', 'c:bob', 'i:2026-11-20-ada', 'i:2026-11-22-ada'].map(shardOf));
    const after = manifest(dir);
    after.shards.forEach((id, n) => (touched.has(n) ? undefined : expect(id).toBe(before.shards[n])));
    // bob's other interaction sits in a shard nothing touched: kept as written (a rebuild would not).
    const untouched = shardOf('i:2026-11-21-bob');
    expect(touched.has(untouched)).toBe(false);
    expect(before.shards[untouched]).not.toBe('');
    expect(after.shards[untouched]).toBe(before.shards[untouched]);
  });
});
