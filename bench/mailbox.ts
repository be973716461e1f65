/**
 * The mailbox rows of the benchmark (docs/performance.md): each read command as a ratio to
 * `git status --porcelain` (the floor: change detection over every file) and to `grep -rl`, both
 * measured in the same rounds, with peak RSS; the first command after a one-file commit; and a
 * 10,000-message Maildir imported by `tb import maildir` against `notmuch new`, the first time and
 * when nothing is new.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeMaildir } from './lib/mbox.js';

export interface Timing {
  ms: number;
  rssKb?: number;
  /** User + system CPU time (ms): steadier than wall time on a shared machine. */
  cpuMs?: number;
}

export interface Row {
  name: string;
  ms: number;
  rssKb: number;
  cpuMs: number;
}

export interface Task {
  name: string;
  once: () => Timing;
  before?: () => void;
}

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command once: wall time, and with /usr/bin/time peak RSS and CPU time. */
export function runTimed(cmd: string, args: string[], cwd: string, okStatus: number[] = [0], env: NodeJS.ProcessEnv = {}): Timing {
  const out = path.join(os.tmpdir(), `tb-bench-time-${process.pid}`);
  const [file, argv] = TIME ? [TIME, ['-f', '%M %U %S', '-o', out, cmd, ...args]] : [cmd, args];
  const t = performance.now();
  const r = spawnSync(file, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  const ms = performance.now() - t;
  if (!okStatus.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (!TIME) return { ms };
  const [rss, user, sys] = fs.readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  fs.rmSync(out, { force: true });
  return { ms, rssKb: rss, cpuMs: (user + sys) * 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Each task once per round, in order; medians of time and CPU, the highest RSS. */
export function rounds(runs: number, tasks: Task[]): Row[] {
  const ms = tasks.map(() => [] as number[]);
  const cpu = tasks.map(() => [] as number[]);
  const rss = tasks.map(() => 0);
  for (let i = 0; i < runs; i++) {
    tasks.forEach((task, k) => {
      task.before?.();
      const t = task.once();
      // Each figure as it comes: a round at a million interactions takes minutes.
      process.stderr.write(`bench: round ${i + 1}/${runs}: ${task.name}: ${t.ms.toFixed(0)} ms (${(t.cpuMs ?? 0).toFixed(0)} ms CPU, ${((t.rssKb ?? 0) / 1024).toFixed(0)} MB)\n`);
      ms[k].push(t.ms);
      cpu[k].push(t.cpuMs ?? 0);
      rss[k] = Math.max(rss[k], t.rssKb ?? 0);
    });
  }
  return tasks.map((task, k) => {
    const row = { name: task.name, ms: median(ms[k]), cpuMs: median(cpu[k]), rssKb: rss[k] };
    process.stderr.write(`bench: ${row.name}: ${row.ms.toFixed(0)} ms (${row.cpuMs.toFixed(0)} ms CPU, ${(row.rssKb / 1024).toFixed(0)} MB)\n`);
    return row;
  });
}

function git(cwd: string, args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
}

export interface MailboxContext {
  dir: string;
  runs: number;
  tbArgs: (...args: string[]) => string[];
  contact: string;
  logArgs: string[];
  undoLog: () => void;
  dataDir: string;
  me: string;
  today: string;
  /** The Maildir rows (import against notmuch); --no-maildir leaves them out. */
  maildir: boolean;
}

/**
 * `git status` without git's untracked cache (core.untrackedCache=false), on a copy of git's
 * index: git drops the cache from an index it writes under that setting, and the real index
 * must keep it for the other rows. The copy is made (and stripped once) before the rounds.
 */
function statusWithoutUntrackedCache(dir: string): Task {
  const copy = path.join(os.tmpdir(), `tb-bench-index-${process.pid}`);
  fs.copyFileSync(path.join(dir, '.git', 'index'), copy);
  const env = { GIT_INDEX_FILE: copy };
  const args = ['-c', 'core.untrackedCache=false', 'status', '--porcelain'];
  runTimed('git', args, dir, [0], env);
  process.on('exit', () => fs.rmSync(copy, { force: true }));
  return { name: 'git status --porcelain (core.untrackedCache=false)', once: () => runTimed('git', args, dir, [0], env) };
}

/** The rows against git status and grep, then the Maildir rows. */
export function measureMailbox(ctx: MailboxContext): string[] {
  const { dir, runs } = ctx;
  const node = process.execPath;
  const tb = (...args: string[]) => () => runTimed(node, ctx.tbArgs(...args), dir);
  const status: Task = { name: 'git status --porcelain', once: () => runTimed('git', ['status', '--porcelain'], dir) };
  const untrackedCache = spawnSync('git', ['config', '--bool', 'core.untrackedCache'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
  if (untrackedCache === 'true') status.name += ' (core.untrackedCache=true)';
  const grep: Task = { name: 'grep -rl vip', once: () => runTimed('grep', ['-rl', '--exclude-dir=.git', '--exclude-dir=.touchbase', 'vip', '.'], dir, [0, 1]) };
  const query = ['list', 'contacts', 'tag:vip last_contact<-90d'];
  // The first `git status` after a commit rewrites git's index (it refreshes the untracked cache),
  // and tb's next command then checks git's index again: run it before warming, so the warm rows
  // are warm and not "first after git status".
  const settle = () => void spawnSync('git', ['status', '--porcelain'], { cwd: dir, stdio: 'ignore' });
  settle();
  tb('due')();
  tb(...query)();
  tb('show', ctx.contact)();
  const afterCommit: Task = {
    name: 'tb due (first after a one-file commit)',
    before: () => {
      spawnSync(node, ctx.tbArgs(...ctx.logArgs), { cwd: dir, stdio: 'ignore' });
      git(dir, ['add', '-A', 'interactions']);
      git(dir, ['commit', '-qm', 'bench: one touchpoint']);
    },
    once: () => {
      const t = tb('due')();
      git(dir, ['reset', '-q', '--hard', 'HEAD~1']);
      ctx.undoLog();
      settle();
      tb('due')(); // warm again for the next round
      return t;
    },
  };
  const cold: Task = {
    name: 'tb due (cold: no index)',
    before: () => fs.rmSync(path.join(dir, '.touchbase'), { recursive: true, force: true }),
    once: tb('due'),
  };
  const rows = rounds(runs, [
    status,
    grep,
    ...(untrackedCache === 'true' ? [statusWithoutUntrackedCache(dir)] : []),
    { name: 'tb due (warm)', once: tb('due') },
    { name: `tb ${query.join(' ')} (warm)`, once: tb(...query) },
    { name: `tb show ${ctx.contact} (warm)`, once: tb('show', ctx.contact) },
    afterCommit,
    cold,
    // Warm again for whatever runs next (not shown).
    { name: 'tb due (index rebuilt, not shown)', once: tb('due') },
  ]).slice(0, -1);
  const [st, gr] = rows;
  const lines = [
    '| operation | ms | × git status | × grep | CPU ms | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| \`${r.name}\` | ${fmt(r.ms)} | ${(r.ms / st.ms).toFixed(2)} | ${(r.ms / gr.ms).toFixed(2)} | ${fmt(r.cpuMs)} | ${(r.rssKb / 1024).toFixed(0)} |`),
  ];
  return ctx.maildir ? [...lines, '', ...measureMaildir(ctx)] : lines;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** 10,000 messages in a Maildir: tb import maildir and notmuch new, first time and nothing new. */
function measureMaildir(ctx: MailboxContext): string[] {
  const { dir, dataDir } = ctx;
  const md = path.join(dataDir, 'Maildir-10k');
  if (!fs.existsSync(path.join(md, 'cur'))) {
    const emails: string[] = [];
    for (const f of fs.readdirSync(path.join(dir, 'contacts')).sort().slice(0, 2000)) {
      const m = /^emails: \[([^\],]+)/m.exec(fs.readFileSync(path.join(dir, 'contacts', f), 'utf8'));
      if (m) emails.push(m[1].trim().replace(/^"|"$/g, ''));
    }
    writeMaildir(md, 10_000, ctx.me, emails, ctx.today);
  }
  const node = process.execPath;
  const importArgs = ctx.tbArgs('import', 'maildir', md, '--json');
  const created: string[] = [];
  const forget = () => {
    fs.rmSync(path.join(dir, '.touchbase', 'mail'), { recursive: true, force: true });
    for (const p of created.splice(0)) fs.rmSync(path.join(dir, p), { force: true });
  };
  const tbFirst: Task = {
    name: 'tb import maildir (10,000 messages, first run)',
    before: forget,
    once: () => {
      const t = runTimed(node, importArgs, dir);
      // What it wrote is untracked: removed before the next round (not timed).
      for (const f of spawnSync('git', ['ls-files', '--others', '--exclude-standard', 'interactions'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout.split('\n')) if (f) created.push(f);
      return t;
    },
  };
  const tbNothing: Task = { name: 'tb import maildir (nothing new)', once: () => runTimed(node, importArgs, dir) };
  const notmuchEnv = { NOTMUCH_CONFIG: path.join(dataDir, 'notmuch-config') };
  fs.writeFileSync(notmuchEnv.NOTMUCH_CONFIG, `[database]\npath=${md}\n[user]\nname=Bench\nprimary_email=${ctx.me}\n[new]\ntags=new;\n`);
  const notmuch = fs.existsSync('/usr/bin/notmuch') ? '/usr/bin/notmuch' : undefined;
  const tasks: Task[] = [tbFirst, tbNothing];
  if (notmuch) {
    tasks.push(
      { name: 'notmuch new (10,000 messages, first run)', before: () => fs.rmSync(path.join(md, '.notmuch'), { recursive: true, force: true }), once: () => runTimed(notmuch, ['new', '--quiet'], md, [0], notmuchEnv) },
      { name: 'notmuch new (nothing new)', once: () => runTimed(notmuch, ['new', '--quiet'], md, [0], notmuchEnv) },
    );
  }
  const rows = rounds(Math.min(ctx.runs, 3), tasks);
  forget();
  return [
    '| operation | ms | CPU ms | peak RSS MB |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| \`${r.name}\` | ${fmt(r.ms)} | ${fmt(r.cpuMs)} | ${(r.rssKb / 1024).toFixed(0)} |`),
    ...(notmuch ? [] : ['', '(notmuch is not installed: apt-get install notmuch for its rows)']),
  ];
}
