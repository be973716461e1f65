/**
 * Reading the message files of a Maildir or .eml folder ahead of their turn: the same messages in
 * the same order as one at a time, each file's problem in its place, a large file read in its turn.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.js';
import { readMessageFile, readMessageFiles } from '../../src/store/mailbox.js';
import type { ReadResult } from '../../src/store/mailbox.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-mailbox-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.mkdirSync(path.join(dir, 'md', 'cur'), { recursive: true });
const message = (i: number) => `From: a${i}@example.com\nSubject: ${i}\n\nText ${i}\n`;

async function all(files: string[], maxBytes: number, ahead?: number): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for await (const r of readMessageFiles(dir, files, maxBytes, ahead)) out.push(r);
  return out;
}

describe('readMessageFiles', () => {
  it('gives every message in order with its number, as reading each file in turn does', async () => {
    const files = Array.from({ length: 25 }, (_, i) => {
      const name = `md/cur/${1700000000 + i}.M${i}P1.host:2,S`;
      fs.writeFileSync(path.join(dir, name), message(i));
      return name;
    });
    const got = await all(files, 64 * 1024 * 1024, 4);
    expect(got.map((r) => ('raw' in r ? r.raw : r.error))).toEqual(files.map((f, i) => readMessageFile(dir, f, i + 1, 64 * 1024 * 1024)));
  });

  it('a file gone or a folder in the list is a problem in its own place, the others still read', async () => {
    fs.writeFileSync(path.join(dir, 'a.eml'), message(1));
    fs.mkdirSync(path.join(dir, 'folder.eml'));
    fs.writeFileSync(path.join(dir, 'c.eml'), message(3));
    const got = await all(['a.eml', 'gone.eml', 'folder.eml', 'c.eml'], 1024);
    expect(got.map((r) => ('raw' in r ? r.raw.bytes?.toString() : (r.error as Error).message))).toEqual([
      message(1), 'no such file: gone.eml', 'folder.eml is a directory', message(3),
    ]);
    expect(got.map((r) => ('error' in r ? r.error instanceof NotFoundError : null))).toEqual([null, true, false, null]);
  });

  it('a file over the read-ahead size is read in its turn; one over the limit is not read at all', async () => {
    const big = `From: b@example.com\nSubject: big\n\n${'x'.repeat(1024 * 1024 + 10)}\n`;
    fs.writeFileSync(path.join(dir, 'big.eml'), big);
    const [underLimit] = await all(['big.eml'], 64 * 1024 * 1024);
    expect('raw' in underLimit && underLimit.raw.bytes?.length).toBe(Buffer.byteLength(big));
    const [overLimit] = await all(['big.eml'], 1024);
    expect('raw' in overLimit && { bytes: overLimit.raw.bytes, size: overLimit.raw.size }).toEqual({ bytes: null, size: Buffer.byteLength(big) });
  });
});
