import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../../src/core/progress.js';

function run(times: number[], updates: Array<[number, number]>): string[] {
  let i = 0;
  const clock = [0, ...times];
  const out: string[] = [];
  const line = new ProgressLine({ now: () => clock[Math.min(i++, clock.length - 1)], write: (t) => out.push(t) });
  for (const [done, total] of updates) line.update('reading records', done, total);
  line.finish();
  return out;
}

describe('ProgressLine', () => {
  it('stays silent for a run under a second', () => {
    expect(run([200, 400, 900], [[256, 768], [512, 768], [768, 768]])).toEqual([]);
  });

  it('shows after a second, throttled, and erases itself', () => {
    const out = run([500, 1000, 1050, 1200, 1210], [[256, 2000], [512, 2000], [768, 2000], [1024, 2000], [2000, 2000]]);
    expect(out).toEqual([
      '\r\x1b[Kreading records 512/2000 (25%)…',
      '\r\x1b[Kreading records 1024/2000 (51%)…',
      '\r\x1b[Kreading records 2000/2000 (100%)…',
      '\r\x1b[K',
    ]);
  });

  it('draws a step without a count (total 0) at once after the delay, unthrottled', () => {
    let i = 0;
    const clock = [0, 1500, 1510, 1520];
    const out: string[] = [];
    const line = new ProgressLine({ now: () => clock[Math.min(i++, clock.length - 1)], write: (t) => out.push(t) });
    line.update('reading records', 2000, 2000);
    line.update('writing the index', 0, 0);
    line.update('checking interactions', 0, 0);
    expect(out).toEqual(['\r\x1b[Kreading records 2000/2000 (100%)…', '\r\x1b[Kwriting the index…', '\r\x1b[Kchecking interactions…']);
  });
});
