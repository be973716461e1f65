/** Reading the command line before commander does (the launcher's prefetch, lazy command loading). */

const OPTIONS_WITH_VALUE = new Set(['--dir', '--as-of', '--format']);

/** The command the user is running (first two positional words), skipping global options. */
export function commandWord(args: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('-')) {
      if (OPTIONS_WITH_VALUE.has(a)) i++;
      continue;
    }
    words.push(a);
    if (words.length === 2) break;
  }
  return words;
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
