/**
 * Soak (issue #19, docs/reliability.md): random concurrent writers and random `kill -9` against one
 * directory, as real subprocesses. Afterwards `tb check` finds no error, no temp file of a writer
 * that finished remains (those of killed ones are removed by the next write or `tb check --fix`),
 * and every command that reported success is in the files.
 *
 * Bounded by counts (rounds × writers), with a seeded choice of operations and kill times so a
 * failure can be replayed (SOAK_SEED). The time budget only limits how many rounds run; nothing
 * asserts how long anything took, so a slow machine runs fewer rounds, never fails.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, TB, exampleCopy, read } from './helpers.js';
import { campaignCrm, mboxRecipients, recorded } from './campaign-helpers.js';
import { mulberry32 } from '../../bench/lib/prng.js';

const ROUNDS = 4;
const WRITERS = 6;
const BUDGET_MS = 20_000;
/** Fresh directories tried until a kill lands inside a run (see below). */
const ATTEMPTS = 5;
const SEED = Number(process.env.SOAK_SEED ?? 19);
const CONTACTS = ['lena-fischer', 'jose-muller', 'amara-okafor', 'mei-tanaka'];
/** A monthly reminder of the example: completing it (once) makes exactly one next occurrence. */
const REPEATING = '2026-12-01-jose-muller-send-monthly-retainer-report-to-paylane-ngqh';
const nextOccurrences = (dir: string) => fs.readdirSync(path.join(dir, 'reminders')).filter((f) => f.startsWith('2027-01-01-jose-muller-send-monthly'));

/** mulberry32 (bench/lib/prng.ts): the same seed, the same soak. */
const prng = mulberry32;

interface Op {
  args: string[];
  /** Whether the files show this operation's effect. */
  landed: (dir: string) => boolean;
}

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.name === '.git' || e.name === '.touchbase') continue;
    if (e.isDirectory()) out.push(...walk(dir, r));
    else out.push(r);
  }
  return out;
}

const recordsHolding = (dir: string, folder: string, text: string) => walk(dir).filter((f) => f.startsWith(`${folder}/`) && f.endsWith('.md') && read(dir, f).includes(text));

function makeOp(kind: number, uid: string, random: () => number): Op {
  const contact = CONTACTS[Math.floor(random() * CONTACTS.length)];
  switch (kind) {
    case 0:
      return { args: ['log', contact, `Soak call ${uid}`], landed: (d) => recordsHolding(d, 'interactions', `Soak call ${uid}`).length === 1 };
    case 1:
      return { args: ['set', contact, `+soak${uid}`], landed: (d) => read(d, `contacts/${contact}.md`).includes(`soak${uid}`) };
    case 2:
      return { args: ['segment', 'save', `soak-${uid}`, `tag:soak${uid}`], landed: (d) => read(d, 'touchbase.yaml').includes(`soak-${uid}:`) };
    case 4:
      return { args: ['done', REPEATING], landed: (d) => read(d, `reminders/${REPEATING}.md`).includes('status: done') && nextOccurrences(d).length === 1 };
    default:
      return { args: ['remind', contact, '+3d', `Soak reminder ${uid}`], landed: (d) => recordsHolding(d, 'reminders', `Soak reminder ${uid}`).length === 1 };
  }
}

interface Outcome {
  op: Op;
  code: number | null;
  killed: boolean;
  pid: number;
}

function run(dir: string, op: Op, killAfterMs: number | undefined): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TB, '--dir', dir, '--as-of', AS_OF, '--no-input', ...op.args], {
      env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', TOUCHBASE_USER: 'sam' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let killed = false;
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => {
      killed = child.kill('SIGKILL');
    }, killAfterMs);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ op, code, killed: killed && code !== 0, pid: child.pid ?? 0 });
    });
  });
}

function tbSync(dir: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TB, '--dir', dir, '--as-of', AS_OF, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('soak: concurrent writers and kill -9', () => {
  it('leaves a clean directory with every reported success in the files', async () => {
    const dir = exampleCopy();
    const random = prng(SEED);
    const started = Date.now();
    const outcomes: Outcome[] = [];
    let n = 0;
    for (let round = 0; round < ROUNDS && Date.now() - started < BUDGET_MS; round++) {
      const batch = Array.from({ length: WRITERS }, () => {
        const op = makeOp(Math.floor(random() * 5), `${round}x${n++}`, random);
        // About a third are killed at a random moment of their run (most of which is start-up).
        const kill = random() < 0.35 ? Math.floor(random() * 1500) : undefined;
        return run(dir, op, kill);
      });
      outcomes.push(...(await Promise.all(batch)));
    }
    const succeeded = outcomes.filter((o) => o.code === 0);
    expect(succeeded.length).toBeGreaterThan(0);
    for (const o of succeeded) expect(o.op.landed(dir), `tb ${o.op.args.join(' ')} reported success`).toBe(true);
    // However many tried, killed or not, the repeating reminder has at most one next occurrence.
    expect(nextOccurrences(dir).length).toBeLessThanOrEqual(1);
    expect(outcomes.filter((o) => o.code === 0 && o.op.args[0] === 'done').length).toBeLessThanOrEqual(1);
    // A command that ended on its own (success or a clean error) never leaves a temp file.
    // (A pid of a killed writer that a later, finished one got again, on a busy machine whose pids
    // wrapped meanwhile, says nothing either way.)
    const killedPids = new Set(outcomes.filter((o) => o.killed).map((o) => o.pid));
    const finishedPids = new Set(outcomes.filter((o) => !o.killed && !killedPids.has(o.pid)).map((o) => o.pid));
    const temps = walk(dir).filter((f) => /\.tmp-\d+-/.test(f));
    for (const t of temps) expect(finishedPids.has(Number(/\.tmp-(\d+)-/.exec(t)![1])), t).toBe(false);
    // Those of killed writers are garbage that check --fix removes; then the directory is clean.
    await tbSync(dir, ['check', '--fix']);
    expect(walk(dir).filter((f) => /\.tmp-\d+-/.test(f))).toEqual([]);
    const check = await tbSync(dir, ['--json', 'check']);
    const errors = (JSON.parse(check.stdout) as Array<{ severity: string }>).filter((p) => p.severity === 'error');
    expect(errors).toEqual([]);
    expect(check.code).toBe(0);
  });
});

/** Lines of the campaign's send journal so far: two or three per recipient (claim, sent). */
function journalLines(dir: string): number {
  try {
    return fs.readFileSync(path.join(dir, '.touchbase', 'sends', 'note.jsonl'), 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/**
 * One `tb campaign send`, killed with SIGKILL once its journal has `killAtLine` lines (when given):
 * the kill lands inside the send, at a point chosen by the seed, whatever the machine's speed.
 */
function sendOnce(dir: string, transport: string[], killAtLine: number | undefined): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TB, '--dir', dir, '--as-of', AS_OF, 'campaign', 'send', 'note', ...transport], { cwd: dir, env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, stdio: 'ignore' });
    const watch = killAtLine === undefined ? undefined : setInterval(() => {
      if (journalLines(dir) >= killAtLine) child.kill('SIGKILL');
    }, 2);
    child.on('close', (code) => {
      if (watch) clearInterval(watch);
      resolve(code);
    });
  });
}

describe('soak: campaign sends killed at random, then run again', () => {
  const people = Array.from({ length: 60 }, (_, i) => `p${String(i).padStart(2, '0')}`);
  for (const [name, transport] of [['--out', ['--out', 'outbox']], ['--mbox', ['--mbox', 'sent.mbox']]] as const) {
    it(`${name}: every recipient exactly once, in the output and in the records`, async () => {
      const random = prng(SEED + name.length);
      let dir = '';
      let finished = false;
      let kills = 0;
      // A kill needs this test to see the journal grow: on a busy machine it may be held back until
      // a send has ended; then a new directory, until some kill has landed inside a send.
      for (let attempt = 0; attempt < ATTEMPTS && kills === 0; attempt++) {
        dir = await campaignCrm(people);
        finished = false;
        for (let round = 0; round < 8 && !finished; round++) {
          finished = (await sendOnce(dir, [...transport], journalLines(dir) + 1 + Math.floor(random() * 40))) === 0;
          if (!finished) kills++;
        }
      }
      // The kills landed inside sends (the journal grew between them), not before they began.
      expect(kills).toBeGreaterThan(0);
      if (!finished) expect(await sendOnce(dir, [...transport], undefined)).toBe(0);
      const delivered = name === '--out' ? fs.readdirSync(path.join(dir, 'outbox')).filter((f) => f.endsWith('.eml')).map((f) => f.slice(0, -4)).sort() : await mboxRecipients(path.join(dir, 'sent.mbox'));
      expect(delivered).toEqual(people);
      expect(recorded(dir)).toEqual(people);
      const check = await tbSync(dir, ['--json', 'check']);
      expect((JSON.parse(check.stdout) as Array<{ severity: string }>).filter((p) => p.severity === 'error')).toEqual([]);
    });
  }
});

/** Interaction files written so far (every message logged is one). */
function interactionFiles(dir: string): string[] {
  const root = path.join(dir, 'interactions');
  return fs.existsSync(root) ? (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')) : [];
}

/** One `tb import maildir`, killed with SIGKILL once `killAt` interactions exist (when given). */
function importOnce(dir: string, maildir: string, killAt: number | undefined): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TB, '--dir', dir, '--as-of', AS_OF, 'import', 'maildir', maildir, '--me', 'me@consult.example'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', TZ: 'UTC' }, stdio: 'ignore' });
    const watch = killAt === undefined ? undefined : setInterval(() => {
      if (interactionFiles(dir).length >= killAt) child.kill('SIGKILL');
    }, 2);
    child.on('close', (code) => {
      if (watch) clearInterval(watch);
      resolve(code);
    });
  });
}

describe('soak: a Maildir import killed at random, then run again', () => {
  it('logs every message exactly once', async () => {
    const random = prng(SEED + 7);
    let dir = '';
    let maildir = '';
    let finished = false;
    let kills = 0;
    const total = 240;
    // As above: a new directory when this test was held back until an import had ended.
    for (let attempt = 0; attempt < ATTEMPTS && kills === 0; attempt++) {
      ({ dir, maildir } = await maildirCrm(total));
      finished = false;
      for (let round = 0; round < 8 && !finished; round++) {
        finished = (await importOnce(dir, maildir, interactionFiles(dir).length + 1 + Math.floor(random() * 60))) === 0;
        if (!finished) kills++;
      }
    }
    expect(kills).toBeGreaterThan(0);
    if (!finished) expect(await importOnce(dir, maildir, undefined)).toBe(0);
    // Once more: nothing new, nothing doubled.
    expect(await importOnce(dir, maildir, undefined)).toBe(0);
    const ids = interactionFiles(dir).map((f) => /message_id: (.*)/.exec(fs.readFileSync(path.join(dir, 'interactions', f), 'utf8'))?.[1]);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
    const check = await tbSync(dir, ['--json', 'check']);
    expect((JSON.parse(check.stdout) as Array<{ severity: string }>).filter((p) => p.severity === 'error')).toEqual([]);
    fs.rmSync(maildir, { recursive: true, force: true });
  });
});

/** A CRM of four contacts and a Maildir of `total` messages from them. */
async function maildirCrm(total: number): Promise<{ dir: string; maildir: string }> {
  const dir = await campaignCrm(['ada', 'bo', 'cy', 'dee']);
  const maildir = path.join(dir, '..', `${path.basename(dir)}-Maildir`);
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(maildir, sub), { recursive: true });
  for (let i = 0; i < total; i++) {
    const who = ['ada', 'bo', 'cy', 'dee'][i % 4];
    const day = String(1 + (i % 20)).padStart(2, '0');
    const msg = [`From: ${who} <${who}@example.com>`, 'To: Me <me@consult.example>', `Subject: Message ${i}`, `Date: Mon, ${day} Nov 2026 10:00:00 +0000`, `Message-ID: <soak-${i}@example.com>`, '', `Body ${i}`, ''].join('\r\n');
    fs.writeFileSync(path.join(maildir, i % 2 ? 'cur' : 'new', `${1_790_000_000 + i}.M${i}P1.host${i % 2 ? ':2,S' : ''}`), msg);
  }
  return { dir, maildir };
}
