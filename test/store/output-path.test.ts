import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guardOutputPath, makeOutputFolder, openForAppend } from '../../src/store/output-path.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-outpath-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('output path guard', () => {
  it('a link planted after the check is still not followed by the append (O_NOFOLLOW)', () => {
    const target = path.join(base, 'victim.txt');
    const abs = guardOutputPath(base, base, 'late.mbox', { option: '--mbox', what: 'the mbox', example: 'x.mbox', kind: 'file' });
    fs.symlinkSync(target, abs);
    expect(() => openForAppend(abs)).toThrow(/symbolic link/);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('makeOutputFolder refuses a link planted as a parent', () => {
    fs.mkdirSync(path.join(base, 'real'));
    fs.symlinkSync(path.join(base, 'real'), path.join(base, 'via'));
    expect(() => makeOutputFolder(path.join(base, 'via', 'sub'), 'via/sub', '--out')).toThrow(/via is a symbolic link/);
    expect(fs.readdirSync(path.join(base, 'real'))).toEqual([]);
  });

  it('an existing file of another kind is not replaced', () => {
    fs.writeFileSync(path.join(base, 'notes.txt'), 'mine');
    expect(() => guardOutputPath(base, base, 'notes.txt', { option: '--mbox', what: 'the mbox', example: 'x.mbox', kind: 'file', accepts: (h) => h.startsWith('From ') })).toThrow(/not an earlier mbox/);
  });
});
