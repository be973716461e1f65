/**
 * Hints under commander's own usage errors (a missing argument, an option in the wrong place), so
 * they read like tb's other errors: what went wrong, then how to write it.
 */
import type { Command } from 'commander';

/** Examples for a command's missing required argument. */
const MISSING_ARGUMENT: Readonly<Record<string, string>> = {
  add: 'say what to add: tb add contact "Ada Lovelace" (or company, deal; the name is asked on a terminal)',
};

/** Examples for an option given without its value. */
const MISSING_VALUE: Readonly<Record<string, string>> = {
  '--html': 'give the file to write: tb report --html report.html (then open it in a browser)',
};

/** The hint for commander's message `text` (without "error: "), or undefined. */
export function usageHint(text: string, args: readonly string[], program: Command, commandName: string | undefined): string | undefined {
  const missingValue = /^option '(-[-\w]+)(?:, (--[\w-]+))?[^']*' argument missing/.exec(text);
  if (missingValue) {
    const flag = missingValue[2] ?? missingValue[1];
    return MISSING_VALUE[flag] ?? `${flag} needs a value; see tb ${commandName ?? ''} --help`.replace('  ', ' ');
  }
  if (/^missing required argument/.test(text) && commandName) {
    return MISSING_ARGUMENT[commandName] ?? `see tb ${commandName} --help for its arguments and examples`;
  }
  const unknown = /^unknown option '([^'=]+)/.exec(text);
  if (unknown && commandName) {
    // An option of the command written before it: `tb --exit-code due` for `tb due --exit-code`.
    const flag = unknown[1];
    const cmd = program.commands.find((c) => c.name() === commandName);
    const at = args.indexOf(flag);
    const commandAt = args.findIndex((a) => a === commandName || cmd?.aliases().includes(a));
    if (cmd?.options.some((o) => o.long === flag || o.short === flag) && at >= 0 && commandAt > at) {
      return `${flag} is an option of tb ${commandName}: put it after the command, e.g. tb ${commandName} ${flag}`;
    }
    // An option of a sibling subcommand: `tb case close x --satisfaction 3` is `tb case resolve`'s.
    const used = cmd?.commands.find((c) => args.slice(commandAt + 1).some((a) => a === c.name() || c.aliases().includes(a)));
    const owners = (cmd?.commands ?? []).filter((c) => c !== used && c.options.some((o) => o.long === flag || o.short === flag));
    if (used && owners.length) {
      const names = owners.map((c) => `tb ${commandName} ${c.name()}`);
      return `${flag} goes with ${names.join(' or ')}, not tb ${commandName} ${used.name()}; see ${names[0]} --help`;
    }
  }
  return undefined;
}
