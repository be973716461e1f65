/**
 * Record locks (src/store/lock.ts): a writer queued behind others waits as long as the queue
 * moves, and gives up only on one holder that keeps the lock too long. The clock is injected: each
 * poll advances it a second, and the "other writers" are lock files rewritten between polls (held
 * by this test's parent pid, a process that runs), so nothing here waits in real time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setLockClock, withExistingRecords, withRecordLock } from '../../src/store/lock.js';
import { beginRun } from '../../src/store/session.js';

const REL = 'reminders/x.md';

function setup(): { root: string; lock: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-lock-'));
  const lock = path.join(root, '.touchbase', 'locks', 'reminders+x.md.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  return { root, lock };
}

/** A fake clock: every poll is one second; `onTick(second)` plays the other writers. */
function fakeClock(onTick: (second: number) => void): void {
  let ms = 0;
  setLockClock({
    now: () => ms,
    sleep: () => {
      ms += 1000;
      onTick(ms / 1000);
    },
  });
}

afterEach(() => {
  setLockClock();
  beginRun({});
});

describe('withRecordLock under a queue of writers', () => {
  it('waits through many holders in turn, however long the queue takes in all', () => {
    const { root, lock } = setup();
    // Eight other writers, each holding the lock 4 s: 32 s in all, far past one holder's 10 s.
    fs.writeFileSync(lock, `${process.ppid} holder-0`);
    fakeClock((second) => {
      if (second % 4 !== 0) return;
      if (second / 4 < 8) fs.writeFileSync(lock, `${process.ppid} holder-${second / 4}`);
      else fs.rmSync(lock, { force: true });
    });
    expect(withRecordLock(root, REL, () => 'written')).toBe('written');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('reports one live holder that keeps the lock past the wait', () => {
    const { root, lock } = setup();
    fs.writeFileSync(lock, `${process.ppid} stuck`);
    fakeClock(() => undefined);
    expect(() => withRecordLock(root, REL, () => 'written')).toThrow(/another tb is still writing reminders\/x\.md/);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.ppid} stuck`);
  });
});

describe('TOUCHBASE_LOCK_WAIT (seconds) raises the wait for one holder', () => {
  /** The fake seconds a writer waited on one live holder before it gave up. */
  function secondsWaited(env: Record<string, string>): number {
    const { root, lock } = setup();
    fs.writeFileSync(lock, `${process.ppid} stuck`);
    let waited = 0;
    fakeClock((second) => void (waited = second));
    beginRun(env);
    expect(() => withRecordLock(root, REL, () => 'written')).toThrow(/another tb is still writing/);
    return waited;
  }

  it('waits 10 s by default, as long as the command\'s environment asks when that is more, never less', () => {
    expect(secondsWaited({})).toBe(11);
    expect(secondsWaited({ TOUCHBASE_LOCK_WAIT: '30' })).toBe(31);
    expect(secondsWaited({ TOUCHBASE_LOCK_WAIT: '2' })).toBe(11);
    for (const bad of ['', 'soon', '-5', '0']) expect(secondsWaited({ TOUCHBASE_LOCK_WAIT: bad })).toBe(11);
    // Set per command: the next command without it waits the default again.
    expect(secondsWaited({})).toBe(11);
  });

  it('applies to tb merge waiting for shared holders (tb log) too', () => {
    const { root, lock } = setup();
    fs.mkdirSync(path.join(root, 'reminders'));
    fs.writeFileSync(path.join(root, REL), '---\ndue: 2026-11-20\ntext: x\n---\n');
    fs.writeFileSync(`${lock}.shared-${process.ppid}-m0`, '');
    let waited = 0;
    fakeClock((second) => void (waited = second));
    beginRun({ TOUCHBASE_LOCK_WAIT: '45' });
    expect(() => withExistingRecords(root, [REL], () => 'merged')).toThrow(/still writing a record that names/);
    expect(waited).toBe(46);
  });
});

describe('withExistingRecords (tb merge) waiting for shared holders (tb log)', () => {
  it('waits while the holders finish one by one, however long they take in all', () => {
    const { root, lock } = setup();
    fs.mkdirSync(path.join(root, 'reminders'));
    fs.writeFileSync(path.join(root, REL), '---\ndue: 2026-11-20\ntext: x\n---\n');
    // Five logs naming the record, each finishing 4 s after the one before: 20 s in all.
    const markers = Array.from({ length: 5 }, (_, i) => `${lock}.shared-${process.ppid}-m${i}`);
    for (const m of markers) fs.writeFileSync(m, '');
    fakeClock((second) => {
      if (second % 4 === 0) fs.rmSync(markers[second / 4 - 1], { force: true });
    });
    expect(withExistingRecords(root, [REL], () => 'merged')).toBe('merged');
  });
});
