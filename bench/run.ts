/**
 * The benchmark (docs/performance.md): generates scale S once into bench/.data/S (a git repository, as a
 * team's CRM would be), then times tb against `grep -rl` over the same tree and `node -e 0`, all in
 * one run so the ratios hold on a busy machine: each command runs in rounds with its baseline, so
 * both see the same machine. Prints a Markdown table.
 *
 *   npm run bench                      # scale S, 5 runs each
 *   npm run bench -- --scale XS --runs 3
 *   npm run bench -- --help            # every option (bench/lib/args.ts)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, GEN_OWNERS, GEN_TODAY, SCALES, type Scale } from './gen.js';
import { BENCH_USAGE, parseBenchArgs } from './lib/args.js';
import { generateMbox } from './lib/mbox.js';
import { measureParser } from './lib/parser.js';
import { measureMailbox } from './mailbox.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TB = path.join(REPO, 'bin', 'tb.js');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Timing {
  ms: number;
  rssKb?: number;
}

function git(cwd: string, args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
}

/** The data set (bench/.data/SCALE, or --data DIR), generated and committed once; reused by later runs. */
function prepare(scale: Scale, data?: string): string {
  const dir = data ?? path.join(REPO, 'bench', '.data', scale);
  if (!fs.existsSync(path.join(dir, 'touchbase.yaml'))) {
    if (data && fs.existsSync(data) && fs.readdirSync(data).length > 0) throw new Error(`--data ${data} is neither empty nor a generated tree (no touchbase.yaml)`);
    fs.rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`bench: generating scale ${scale} into ${dir} …\n`);
    generate(dir, { scale, seed: 1 });
  }
  if (!fs.existsSync(path.join(dir, '.git'))) {
    process.stderr.write('bench: committing it to git …\n');
    git(dir, ['init', '-q']);
    git(dir, ['config', 'core.untrackedCache', 'true']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'generated']);
  }
  return dir;
}

/** Runs a command once; wall time and (with /usr/bin/time) peak RSS. */
function runOnce(cmd: string, args: string[], cwd: string): Timing {
  const rssFile = path.join(os.tmpdir(), `tb-bench-rss-${process.pid}`);
  const [file, argv] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const t = performance.now();
  const r = spawnSync(file, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t;
  if (r.status !== 0 && !(cmd === 'grep' && r.status === 1)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  let rssKb: number | undefined;
  if (TIME) {
    rssKb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    fs.rmSync(rssFile, { force: true });
  }
  return { ms, rssKb };
}

/** A 10,000-message mailbox between the first owner and contacts of the data set (made once). */
function prepareMbox(dir: string, scale: Scale): string {
  const file = path.join(REPO, 'bench', '.data', `mail-10k-${scale}.mbox`);
  if (fs.existsSync(file)) return file;
  const emails: string[] = [];
  for (const f of fs.readdirSync(path.join(dir, 'contacts')).sort().slice(0, 2000)) {
    const m = /^emails: \[([^\],]+)/m.exec(fs.readFileSync(path.join(dir, 'contacts', f), 'utf8'));
    if (m) emails.push(m[1].trim().replace(/^"|"$/g, ''));
  }
  fs.writeFileSync(file, generateMbox(10_000, `${GEN_OWNERS[0][0]}@example.com`, emails, GEN_TODAY));
  return file;
}

/** `tb import mbox` once, timed; the interactions it created are removed again (not timed). */
function importMboxOnce(mbox: string, cwd: string): Timing {
  const rssFile = path.join(os.tmpdir(), `tb-bench-rss-${process.pid}`);
  const args = [TB, '--as-of', GEN_TODAY, 'import', 'mbox', mbox, '--json'];
  const [file, argv] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, process.execPath, ...args]] : [process.execPath, args];
  const t = performance.now();
  const r = spawnSync(file, argv, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`tb import mbox exited ${r.status}: ${r.stderr}`);
  for (const rec of (JSON.parse(r.stdout) as { records: Array<{ path: string }> }).records) fs.rmSync(path.join(cwd, rec.path), { force: true });
  let rssKb: number | undefined;
  if (TIME) {
    rssKb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    fs.rmSync(rssFile, { force: true });
  }
  return { ms, rssKb };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Row {
  name: string;
  ms: number;
  rssKb: number;
}

interface Task {
  name: string;
  once: () => Timing;
  before?: () => void;
}

/**
 * Runs the tasks in rounds (each once per round, in order) and takes each one's median: a
 * baseline and the commands compared with it then see the same machine, even a busy one.
 */
function measureRounds(runs: number, tasks: Task[]): Row[] {
  const times = tasks.map(() => [] as number[]);
  const rss = tasks.map(() => 0);
  for (let i = 0; i < runs; i++) {
    tasks.forEach((task, k) => {
      task.before?.();
      const t = task.once();
      times[k].push(t.ms);
      rss[k] = Math.max(rss[k], t.rssKb ?? 0);
    });
  }
  return tasks.map((task, k) => {
    const row = { name: task.name, ms: median(times[k]), rssKb: rss[k] };
    process.stderr.write(`bench: ${row.name}: ${row.ms.toFixed(0)} ms\n`);
    return row;
  });
}

function main(): void {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.help) return void process.stdout.write(BENCH_USAGE);
  const { scale, runs, only } = args;
  const dir = prepare(scale, args.data);
  if (only === 'mailbox') return void process.stdout.write(`${mailboxTable(scale, dir, runs, args.maildir).join('\n')}\n`);
  const hasCommand = (name: string) => fs.existsSync(path.join(REPO, 'dist', 'src', 'commands', `${name}.js`));
  const tb = (...args: string[]) => () => runOnce(process.execPath, [TB, '--as-of', GEN_TODAY, ...args], dir);
  const dropIndex = () => fs.rmSync(path.join(dir, '.touchbase'), { recursive: true, force: true });
  const query = ['list', 'contacts', 'tag:vip last_contact<-90d'];
  const dueArgs = hasCommand('due') ? ['due'] : ['list', 'reminders'];
  const pipelineArgs = hasCommand('pipeline') ? ['pipeline'] : ['list', 'deals'];
  const contact = fs.readdirSync(path.join(dir, 'contacts')).sort()[0].replace(/\.md$/, '');

  const nodeTask: Task = { name: 'node -e 0', once: () => runOnce(process.execPath, ['-e', '0'], dir) };
  const grepTask: Task = { name: 'grep -rl vip', once: () => runOnce('grep', ['-rl', '--exclude-dir=.git', '--exclude-dir=.touchbase', 'vip', '.'], dir) };
  const [cold] = measureRounds(runs, [{ name: `tb ${query.join(' ')} (cold)`, once: tb(...query), before: dropIndex }]);
  tb(...query)(); // leaves the index warm
  tb(...dueArgs)();
  tb(...pipelineArgs)();
  const [node, grep, warm, due, pipeline, version] = measureRounds(runs, [
    nodeTask,
    grepTask,
    { name: `tb ${query.join(' ')} (warm)`, once: tb(...query) },
    { name: `tb ${dueArgs.join(' ')} (warm)`, once: tb(...dueArgs) },
    { name: `tb ${pipelineArgs.join(' ')} (warm)`, once: tb(...pipelineArgs) },
    { name: 'tb --version', once: () => runOnce(process.execPath, [TB, '--version'], dir) },
  ]);
  // Mail capture: a 10,000-message mbox imported (and its interactions removed again), 3 runs at most.
  const mbox = prepareMbox(dir, scale);
  const [mboxImport] = measureRounds(Math.min(runs, 3), [{ name: 'tb import mbox (10,000 messages)', once: () => importMboxOnce(mbox, dir) }]);
  tb(...dueArgs)(); // the index sees the tree as generated again

  // tb log writes a touchpoint; each one is removed again so the tree stays as generated.
  const logDir = path.join(dir, 'interactions', GEN_TODAY.slice(0, 4), GEN_TODAY.slice(5, 7));
  const existing = new Set(fs.existsSync(logDir) ? fs.readdirSync(logDir) : []);
  const undoLog = () => {
    if (!fs.existsSync(logDir)) return;
    for (const f of fs.readdirSync(logDir)) if (!existing.has(f)) fs.rmSync(path.join(logDir, f));
  };
  const logOnce = tb('log', contact, 'Benchmark touchpoint', '--channel', 'note', '--date', GEN_TODAY, '--no-input');
  // Last: a write changes the interactions folder, so the next read would rebuild the summary.
  const [nodeAtLog, log, dueAfterLog] = measureRounds(runs, [
    nodeTask,
    {
      name: 'tb log',
      once: () => {
        const t = logOnce();
        undoLog();
        return t;
      },
    },
    {
      // The first read after a write: the new file is read and folded into the stored summary.
      name: `tb ${dueArgs.join(' ')} (right after tb log)`,
      before: () => void logOnce(),
      once: () => {
        const t = tb(...dueArgs)();
        undoLog();
        tb(...dueArgs)(); // warm again for the next round
        return t;
      },
    },
  ]);

  const [listPlain, listScored] = measureScoring(runs, dir, tb);
  const campaign = hasCommand('campaign') ? measureCampaign(dir, runs, tb) : undefined;

  const peak = Math.max(cold.rssKb, warm.rssKb, due.rssKb, pipeline.rssKb, log.rssKb, dueAfterLog.rssKb, campaign?.rssKb ?? 0);
  const counts = SCALES[scale];
  const lines = [
    `Scale ${scale} (${counts.contacts.toLocaleString('en')} contacts, ${counts.interactions.toLocaleString('en')} interactions, ${(counts.contacts + counts.companies + counts.deals + counts.interactions + counts.reminders).toLocaleString('en')} files, in git), median of ${runs} runs:`,
    '',
    '| operation | ms | ratio | goal | met |',
    '|---|---:|---:|---|---|',
    row(node, undefined, '', ''),
    row(grep, undefined, '', ''),
    row(cold, undefined, '< 2,000 ms', cold.ms < 2000 ? 'yes' : 'no'),
    row(warm, grep, '< 1× grep', warm.ms < grep.ms ? 'yes' : 'no'),
    row(due, grep, '< 1× grep', due.ms < grep.ms ? 'yes' : 'no'),
    row(pipeline, grep, '', ''),
    row(mboxImport, undefined, `< 60,000 ms${mboxImport.rssKb ? ` (peak RSS ${(mboxImport.rssKb / 1024).toFixed(0)} MB)` : ''}`, mboxImport.ms < 60_000 ? 'yes' : 'no'),
    row(log, nodeAtLog, '< 3× node', log.ms < 3 * nodeAtLog.ms ? 'yes' : 'no'),
    row(dueAfterLog, grep, '', ''),
    row(version, node, '< 1.5× node', version.ms < 1.5 * node.ms ? 'yes' : 'no'),
    row(listPlain, undefined, '', ''),
    row(listScored, listPlain, '< 1.2× without scoring', listScored.ms < 1.2 * listPlain.ms ? 'yes' : 'no'),
    ...(campaign ? [row(campaign, undefined, '< 30,000 ms', campaign.ms < 30_000 ? 'yes' : 'no')] : []),
    TIME
      ? `| peak RSS of tb (MB) | ${(peak / 1024).toFixed(0)} | | < 400 MB | ${peak / 1024 < 400 ? 'yes' : 'no'} |`
      : '| peak RSS | (no /usr/bin/time) | | | |',
    ...measureParser(runs),
  ];
  process.stdout.write(`${[...lines, '', ...mailboxTable(scale, dir, runs, args.maildir)].join('\n')}\n`);
}

/** The mailbox rows (bench/mailbox.ts): ratios to git status and grep, peak RSS, Maildir against notmuch. */
function mailboxTable(scale: Scale, dir: string, runs: number, maildir: boolean): string[] {
  const contact = fs.readdirSync(path.join(dir, 'contacts')).sort()[0].replace(/\.md$/, '');
  const logDir = path.join(dir, 'interactions', GEN_TODAY.slice(0, 4), GEN_TODAY.slice(5, 7));
  const existing = new Set(fs.existsSync(logDir) ? fs.readdirSync(logDir) : []);
  const counts = SCALES[scale];
  const rows = measureMailbox({
    dir,
    runs,
    contact,
    tbArgs: (...args) => [TB, '--as-of', GEN_TODAY, ...args],
    logArgs: ['log', contact, 'Benchmark touchpoint', '--channel', 'note', '--date', GEN_TODAY, '--no-input'],
    undoLog: () => {
      if (fs.existsSync(logDir)) for (const f of fs.readdirSync(logDir)) if (!existing.has(f)) fs.rmSync(path.join(logDir, f));
    },
    dataDir: path.join(REPO, 'bench', '.data'),
    me: `${GEN_OWNERS[0][0]}@example.com`,
    today: GEN_TODAY,
    maildir,
  });
  return [`Mailbox rows at scale ${scale} (${counts.interactions.toLocaleString('en')} interactions, committed), median of ${runs} runs (Maildir rows: ${Math.min(runs, 3)}):`, '', ...rows];
}

/**
 * Lead scoring rules for the scoring row (docs/scoring.md): a reference, a derived field with
 * decay, tags, a wildcard over titles and a negative rule — what a team would configure.
 */
export const BENCH_SCORING = `
scoring:
  rules:
    - { when: "company.size:201-500,501-1000,1000+", points: 20, label: Larger company }
    - { when: "title:CEO,CTO,CFO,COO,Founder,head*", points: 25, label: Decision maker }
    - { when: "interactions>=5", points: 40, label: Engaged, decay: 60d }
    - { when: "tag:vip", points: 15, label: VIP }
    - { when: "stage:churned", points: -50, label: Churned }
  min: 0
  max: 100
`;

/**
 * Times a warm \`tb list contacts 'score>=50'\` against the same kind of list (a derived-field query)
 * with scoring not configured; the config is swapped before each run and restored afterwards.
 */
function measureScoring(runs: number, dir: string, tb: (...args: string[]) => () => Timing): [Row, Row] {
  const file = path.join(dir, 'touchbase.yaml');
  const plain = fs.readFileSync(file, 'utf8');
  const use = (text: string) => () => fs.writeFileSync(file, text);
  try {
    const [base, scored] = measureRounds(runs, [
      { name: "tb list contacts 'interactions>=5' (no scoring)", before: use(plain), once: tb('list', 'contacts', 'interactions>=5') },
      { name: "tb list contacts 'score>=50' (scoring)", before: use(plain + BENCH_SCORING), once: tb('list', 'contacts', 'score>=50') },
    ]);
    return [base, scored];
  } finally {
    fs.writeFileSync(file, plain);
  }
}

/**
 * A campaign to every contact with an email (10,000 at scale S): `tb campaign send --out`, which
 * renders each message, writes its .eml and records its interaction (docs/campaigns.md). Each round
 * starts from a fresh draft and removes what it wrote, so the tree stays as generated.
 */
function measureCampaign(dir: string, runs: number, tb: (...args: string[]) => () => Timing): Row {
  const file = path.join(dir, 'campaigns', 'bench-campaign.md');
  const outbox = path.join(os.tmpdir(), `tb-bench-outbox-${process.pid}`);
  const logDir = path.join(dir, 'interactions', GEN_TODAY.slice(0, 4), GEN_TODAY.slice(5, 7));
  const existing = new Set(fs.existsSync(logDir) ? fs.readdirSync(logDir) : []);
  const draft = [
    '---', 'name: Bench campaign', 'subject: "News for {{first_name|you}}"', 'segment: "has:email"', 'channel: email', 'status: draft',
    'from: "Bench <bench@example.com>"', '---', '', 'Hi {{first_name|there}},', '', 'A **short** note about {{company|your company}}.', '',
  ].join('\n');
  const undo = () => {
    fs.rmSync(outbox, { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'campaigns'), { recursive: true, force: true });
    if (fs.existsSync(logDir)) for (const f of fs.readdirSync(logDir)) if (!existing.has(f)) fs.rmSync(path.join(logDir, f));
  };
  const [r] = measureRounds(runs, [
    {
      name: 'tb campaign send (every contact with an email, --out)',
      before: () => {
        undo();
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, draft);
      },
      once: () => {
        const t = tb('campaign', 'send', 'bench-campaign', '--out', outbox)();
        undo();
        return t;
      },
    },
  ]);
  return r;
}

function row(r: Row, base: Row | undefined, goal: string, met: string): string {
  const ratio = base ? `${(r.ms / base.ms).toFixed(2)}× ${base.name.split(' ')[0]}` : '';
  return `| \`${r.name}\` | ${Math.round(r.ms).toLocaleString('en')} | ${ratio} | ${goal} | ${met} |`;
}

main();
