/** Reading the command line before commander does (the launcher's prefetch, lazy command loading). */

const OPTIONS_WITH_VALUE = new Set(['--dir', '--as-of', '--format']);

/** The positional words before `--` with their places in `args`, skipping global options and their values. */
function positionals(args: string[]): Array<{ word: string; at: number }> {
  const out: Array<{ word: string; at: number }> = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (OPTIONS_WITH_VALUE.has(a)) i++;
      continue;
    }
    out.push({ word: a, at: i });
  }
  return out;
}

/** The command the user is running (first two positional words), skipping global options. */
export function commandWord(args: string[]): string[] {
  return positionals(args).slice(0, 2).map((p) => p.word);
}

/** The value of a global option (`--dir x` or `--dir=x`, before or after the command), if any. */
export function globalOptionValue(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return undefined;
    if (a === name) return args[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
    if (OPTIONS_WITH_VALUE.has(a)) i++;
  }
  return undefined;
}

/** An option as the rewrite below needs it: its flags, and whether a value follows it. */
export interface OptionShape {
  flags: string[];
  takesValue: boolean;
}

const QUERY_CHARS = /[:<>=~(@"*]/;

/**
 * Query words that start with `-` (a negation: `-tag:churned`, `-vip`, `-(a OR b)`) become
 * `NOT …` before commander sees them: it would take them for options, or for a short option with
 * its value glued on (`-owner:sam` as `-o wner:sam`). Values of options that take one
 * (`--sort -name`, `--as-of -3d`) and everything after `--` stay; `-x` alone is still an option.
 * `from` is where the command's own words start.
 */
export function negationsAsNot(args: string[], from: number, options: OptionShape[]): string[] {
  const byFlag = new Map<string, OptionShape>();
  for (const o of options) for (const f of o.flags) byFlag.set(f, o);
  const out = args.slice(0, from);
  for (let i = from; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    const known = byFlag.get(a.split('=')[0]);
    if (known) {
      out.push(a);
      if (known.takesValue && !a.includes('=') && i + 1 < args.length) out.push(args[++i]);
      continue;
    }
    if (a.length >= 3 && a[0] === '-' && a[1] !== '-' && isNegation(a, byFlag)) out.push(`NOT ${a.slice(1)}`);
    else out.push(a);
  }
  return out;
}

function isNegation(word: string, byFlag: Map<string, OptionShape>): boolean {
  if (QUERY_CHARS.test(word)) return true;
  // `-ofile.csv` is `-o file.csv` when -o takes a value; `-vip` is a negated word.
  if (byFlag.get(word.slice(0, 2))?.takesValue) return false;
  return /^-[\p{L}_][\p{L}\p{N}_.-]*$/u.test(word);
}

/** Index in `args` just after the first `n` positional words (the command), skipping global options. */
export function afterCommandWords(args: string[], n: number): number {
  const word = positionals(args)[n - 1];
  if (word) return word.at + 1;
  const dashes = args.indexOf('--');
  return dashes < 0 ? args.length : dashes;
}
