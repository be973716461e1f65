/**
 * The benchmark's arguments (bench/run.ts, docs/performance.md):
 *
 *   --scale XS|S|M|mailbox   the data set (default S)
 *   --runs N                 rounds per row (default 5)
 *   --only mailbox           just the mailbox rows (the default at scale mailbox)
 *   --data DIR               the generated tree to use instead of bench/.data/SCALE: generated
 *                            there (and committed) when DIR is empty or missing, reused as it is
 *                            when it already holds one — a million-interaction tree takes longer
 *                            to generate and commit than all its rows take to measure
 *   --no-maildir             leave out the Maildir rows (import against notmuch)
 */
import path from 'node:path';
import { SCALES, type Scale } from '../gen.js';

export interface BenchArgs {
  scale: Scale;
  runs: number;
  only?: 'mailbox';
  /** Absolute path of the tree given by --data. */
  data?: string;
  maildir: boolean;
  help?: boolean;
}

export const BENCH_USAGE = `usage: npm run bench -- [--scale XS|S|M|mailbox] [--runs N] [--only mailbox] [--data DIR] [--no-maildir]

  npm run bench                                   # scale S, 5 runs each
  npm run bench -- --scale XS --runs 3            # a quick check
  npm run bench -- --scale mailbox --data /big/bench-1m --runs 3 --no-maildir
`;

export function parseBenchArgs(argv: string[], cwd = process.cwd()): BenchArgs {
  let scale = 'S';
  let runs = 5;
  let only: string | undefined;
  let data: string | undefined;
  let maildir = true;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--scale') scale = value();
    else if (flag === '--runs') runs = Number(value());
    else if (flag === '--only') only = value();
    else if (flag === '--data') data = path.resolve(cwd, value());
    else if (flag === '--no-maildir') maildir = false;
    else if (flag === '--help' || flag === '-h') return { scale: 'S', runs, maildir, help: true };
    else throw new Error(`unknown option '${flag}' (--scale, --runs, --only, --data, --no-maildir)`);
  }
  if (only !== undefined && only !== 'mailbox') throw new Error(`--only takes mailbox, got '${only}'`);
  if (!(scale in SCALES)) throw new Error(`unknown scale '${scale}' (XS, S, M, mailbox)`);
  if (!(Number.isInteger(runs) && runs > 0)) throw new Error('--runs must be a positive whole number');
  // At a million interactions only the mailbox rows are run (the S table's cold runs alone take minutes).
  const rowsOnly = only ?? (scale === 'mailbox' ? 'mailbox' : undefined);
  return { scale: scale as Scale, runs, only: rowsOnly, data, maildir };
}
