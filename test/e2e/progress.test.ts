/**
 * The progress line of a slow load (docs/performance.md): on a terminal, a command that builds the
 * index says what it is doing on stderr — the steps, the count of records read, the index being
 * written — and erases the line before its output; off a terminal it prints nothing of it. The
 * clock is injected and steps 300 ms per reading, so "slow" is decided without waiting.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, GEN_TODAY } from '../../bench/gen.js';
import { run } from '../../src/cli.js';
import { bodyFromBytes } from '../../src/store/terminal.js';
import { tb, tempDir } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = path.join(tempDir('tb-progress-'), 'crm');
  // 1,000 interactions: more than one chunk of reads, so the count is reported.
  generate(dir, { scale: 'XS', seed: 7 });
});
afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

const dropIndex = () => fs.rmSync(path.join(dir, '.touchbase'), { recursive: true, force: true });

/** `tb due` with a cold index and stderr on a terminal, under a clock that moves 300 ms per reading. */
async function coldOnTerminal(): Promise<{ stdout: string; stderr: string; code: number }> {
  dropIndex();
  let t = 0;
  let stdout = '';
  let stderr = '';
  const code = await run(['--as-of', GEN_TODAY, 'due'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', TOUCHBASE_DIR: undefined, TOUCHBASE_USER: undefined },
    stdoutIsTTY: false,
    stdinIsTTY: false,
    stderrIsTTY: true,
    now: new Date(),
    clock: () => (t += 300),
    write: (s) => void (stdout += s),
    writeErr: (s) => void (stderr += s),
    readStdin: (max) => bodyFromBytes(undefined, max),
  });
  return { stdout, stderr, code };
}

describe('progress of a cold load', () => {
  it('on a terminal: the steps, the records counted to the end, the index written, then erased', async () => {
    const r = await coldOnTerminal();
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\r\x1b[K').filter(Boolean);
    expect(lines).toContain('checking interactions…');
    expect(lines).toContain('reading records 1000/1000 (100%)…');
    expect(lines).toContain('writing the index…');
    // Counted to the end before the index is written, never left on a partial count.
    expect(lines.indexOf('reading records 1000/1000 (100%)…')).toBeLessThan(lines.lastIndexOf('writing the index…'));
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
    // The answer is the one a run without a terminal gives.
    dropIndex();
    const plain = await tb(['--as-of', GEN_TODAY, 'due'], { cwd: dir });
    expect(r.stdout).toBe(plain.stdout);
  });

  it('off a terminal: nothing but the answer', async () => {
    dropIndex();
    const r = await tb(['--as-of', GEN_TODAY, 'due'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toBe('');
  });
});
