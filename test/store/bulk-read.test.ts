/**
 * The bulk reader: what each kind of file comes back as, with the same messages as a direct read.
 * (Its second thread runs only from the compiled code: test/e2e/index.test.ts covers it.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRecordFile, readRecordFiles } from '../../src/store/bulk-read.js';
import { parseRecordFile } from '../../src/store/load.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bulk-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (rel: string, text: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};
const job = { root: dir, maxSize: 4096, follow: false };

describe('readRecordFile', () => {
  it('reads and parses, with the stat taken after the read', () => {
    write('contacts/ada.md', '---\nname: Ada\ntags: [vip]\n---\nNotes.\n');
    const r = readRecordFile(job, 'contacts/ada.md');
    const st = fs.statSync(path.join(dir, 'contacts/ada.md'));
    expect(r).toEqual({ data: { name: 'Ada', tags: ['vip'] }, stat: [st.size, st.mtimeMs, st.ctimeMs, st.ino] });
    expect(readRecordFile({ ...job, projection: ['tags'] }, 'contacts/ada.md')).toMatchObject({ data: { tags: ['vip'] } });
  });

  it('a missing file or folder is "missing"', () => {
    expect(readRecordFile(job, 'contacts/nobody.md')).toBe('missing');
    expect(readRecordFile(job, 'contacts/ada.md/x.md')).toBe('missing');
  });

  it('a symbolic link, a folder or a FIFO is "special" (never followed, never waited on)', () => {
    fs.symlinkSync('ada.md', path.join(dir, 'contacts/link.md'));
    fs.mkdirSync(path.join(dir, 'contacts/folder.md'));
    expect(readRecordFile(job, 'contacts/link.md')).toBe('special');
    expect(readRecordFile(job, 'contacts/folder.md')).toBe('special');
    expect(readRecordFile({ ...job, follow: true }, 'contacts/link.md')).toMatchObject({ data: { name: 'Ada' } });
    if (spawnSync('mkfifo', [path.join(dir, 'contacts/pipe.md')]).status === 0) {
      expect(readRecordFile(job, 'contacts/pipe.md')).toBe('special');
    }
  });

  it('problems carry the same line and message as a direct read', () => {
    const cases: Array<[string, string | Buffer]> = [
      ['contacts/broken.md', '---\nname: [oops\n---\n'],
      ['contacts/binary.md', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01])],
      ['contacts/latin1.md', Buffer.from('---\nname: Andr\xe9\n---\n', 'latin1')],
      ['contacts/big.md', `---\nname: Big\n---\n${'x'.repeat(5000)}\n`],
      ['contacts/huge.md', `---\nname: Huge\n---\n${'y'.repeat(200_000)}\n`],
    ];
    for (const [rel, text] of cases) {
      write(rel, text);
      const r = readRecordFile(job, rel);
      let expected: [number, string] | undefined;
      try {
        parseRecordFile(path.join(dir, rel), rel, 'contact', job.maxSize, false);
      } catch (err) {
        expected = [(err as { line: number }).line, (err as Error).message];
      }
      expect(expected, rel).toBeDefined();
      expect(r, rel).toMatchObject({ data: null, problem: expected });
    }
  });

  it('a file larger than one read buffer but under the limit is read whole', () => {
    const text = `---\nname: Long\n---\n${'z'.repeat(100_000)}\n`;
    write('contacts/long.md', text);
    expect(readRecordFile({ ...job, maxSize: 1_000_000 }, 'contacts/long.md')).toMatchObject({ data: { name: 'Long' } });
  });
});

describe('readRecordFiles', () => {
  it('returns one outcome per path, in the order asked', () => {
    const rels = Array.from({ length: 600 }, (_, i) => `many/${String(i).padStart(3, '0')}.md`);
    rels.forEach((rel, i) => write(rel, `---\nn: ${i}\n---\n`));
    const out = readRecordFiles({ ...job, rels: [...rels, 'many/none.md'] });
    expect(out).toHaveLength(601);
    expect(out.slice(0, 600).map((r) => (typeof r === 'object' ? r.data?.n : r))).toEqual(rels.map((_, i) => i));
    expect(out[600]).toBe('missing');
  });
});
