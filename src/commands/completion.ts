import { Command } from 'commander';
import type { GetApp } from './registry.js';
import { COMMANDS, findCommand } from './registry.js';
import { action } from './common.js';
import { UsageError } from '../errors.js';
import { idFromPath, listRecordFiles, loadConfig } from '../store/load.js';
import type { Config } from '../core/types.js';
import type { RecordType } from '../core/types.js';
import { NAMED_TYPES, SCHEMA } from '../core/schema.js';
import { ADD_TYPES } from './add.js';
import { FORMATS as EXPORT_FORMATS } from './export.js';
import { FORMATS as IMPORT_FORMATS } from './import.js';

const SCRIPTS: Record<string, string> = {
  bash: `# tb bash completion. Install: tb completion bash > ~/.local/share/bash-completion/completions/tb
_tb_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(tb completion --complete "$COMP_CWORD" -- "\${COMP_WORDS[@]}" 2>/dev/null))
}
complete -o default -F _tb_complete tb touchbase
`,
  zsh: `#compdef tb touchbase
# tb zsh completion. Install: tb completion zsh > "\${fpath[1]}/_tb"
_tb() {
  local -a candidates
  candidates=("\${(@f)$(tb completion --complete $((CURRENT-1)) -- "\${words[@]}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _tb tb touchbase
`,
  fish: `# tb fish completion. Install: tb completion fish > ~/.config/fish/completions/tb.fish
function __tb_complete
  set -l words (commandline -opc) (commandline -ct)
  tb completion --complete (math (count $words) - 1) -- $words 2>/dev/null
end
complete -c tb -f -a '(__tb_complete)'
complete -c touchbase -f -a '(__tb_complete)'
`,
};

/**
 * Commands whose positional arguments are records, and which kinds (`case reply`: a subcommand).
 * Everything else completion offers is read from the command tree (subcommands, options) and the
 * schema (type words), so it cannot fall behind them.
 */
const REF_KINDS: Record<string, readonly RecordType[]> = {
  show: NAMED_TYPES, set: NAMED_TYPES, edit: NAMED_TYPES, history: NAMED_TYPES, rm: NAMED_TYPES,
  log: ['contact'], remind: ['contact', 'deal'], done: ['reminder'], snooze: ['reminder'], cancel: ['reminder'],
  deal: ['deal'], merge: ['contact', 'company'],
  case: ['case'], 'case open': ['contact'], 'case list': [],
  campaign: ['campaign'], 'campaign new': [], 'campaign list': [],
};
/** The type words of `tb list` and `tb export`: every folder of the schema. */
const TYPE_ARGS: readonly string[] = SCHEMA.map((t) => t.folder);
/** What the first positional argument of a command without subcommands takes. */
const FIRST_ARGUMENT: Record<string, () => readonly string[]> = {
  list: () => TYPE_ARGS,
  add: () => ADD_TYPES,
  import: () => IMPORT_FORMATS,
  export: () => EXPORT_FORMATS,
  completion: () => Object.keys(SCRIPTS),
};
const VALUE_OPTIONS = new Set(['--dir', '--as-of', '--format', '--channel', '-c', '--stage', '--owner', '--by', '--direction', '--repeat', '--repeat-from', '--type', '--within']);

/** Completions for the value of an option, from touchbase.yaml where it has them. */
function optionValues(option: string, config: Config | undefined): string[] {
  switch (option) {
    case '--channel':
    case '-c':
      return config?.channels ?? [];
    case '--stage':
      return [...new Set([...(config?.pipeline.map((s) => s.id) ?? []), ...(config?.lifecycle ?? [])])];
    case '--owner':
      return ['me', 'all', ...Object.keys(config?.owners ?? {})];
    case '--format':
      return ['table', 'json', 'csv', 'md', 'text', 'ics'];
    case '--by':
      return ['stage', 'owner', 'month', 'company', 'channel'];
    case '--direction':
      return ['in', 'out'];
    case '--repeat':
      return ['1w', '2w', '1m', '3m', '1y'];
    case '--repeat-from':
      return ['due', 'done'];
    case '--type':
      return [...TYPE_ARGS];
    default:
      return [];
  }
}

export function register(program: Command, getApp: GetApp): void {
  program
    .command('completion')
    .description('print a shell completion script that completes commands, options and record ids')
    .argument('[shell]', 'bash, zsh or fish')
    .argument('[words...]')
    .option('--complete <index>', 'internal: print candidates for the word at <index>')
    .addHelpText('after', `
Examples:
  $ tb completion bash > ~/.local/share/bash-completion/completions/tb
  $ tb completion zsh > "\${fpath[1]}/_tb"
  $ tb completion fish > ~/.config/fish/completions/tb.fish
`)
    .action(
      action(getApp, async (app, shell: string | undefined, words: string[], opts: { complete?: string }) => {
        if (opts.complete !== undefined) {
          const all = [shell ?? '', ...words].filter((w, i) => i > 0 || w !== '');
          const candidates = await complete(all, Number(opts.complete), () => app.root);
          if (candidates.length) app.out(candidates.join('\n'));
          return;
        }
        if (!shell || !SCRIPTS[shell]) throw new UsageError(`unknown shell '${shell ?? ''}'`, 'use bash, zsh or fish');
        app.raw(SCRIPTS[shell]);
      }),
    );
}

function recordIds(root: string, kinds: readonly RecordType[]): string[] {
  return kinds.flatMap((k) => listRecordFiles(root, k, []).map((f) => idFromPath(f.rel))).sort();
}

/** The command `name` as commander builds it (its options and subcommands), or undefined. */
async function commandTree(name: string): Promise<Command | undefined> {
  const entry = findCommand(name);
  if (!entry) return undefined;
  const program = new Command('tb');
  (await entry.load()).register(program, () => {
    throw new Error('not used');
  });
  return program.commands.find((c) => c.name() === entry.name);
}

const GLOBAL_OPTIONS = ['--dir', '--as-of', '--format', '--json', '--no-color', '--no-input', '--quiet', '--help'];

/** Candidates for words[index] where words[0] is the program name. */
export async function complete(words: string[], index: number, root: () => string): Promise<string[]> {
  const current = words[index] ?? '';
  const before = words.slice(1, index);
  // Words that are values of options (`--channel call`) are not positional arguments.
  const positional = before.filter((w, i) => !w.startsWith('-') && !(i > 0 && VALUE_OPTIONS.has(before[i - 1])));
  const match = (list: readonly string[]) => list.filter((c) => c.startsWith(current));
  const config = () => {
    try {
      return loadConfig(root()).config;
    } catch {
      return undefined;
    }
  };
  const previous = before[before.length - 1];
  if (previous && VALUE_OPTIONS.has(previous)) return match(optionValues(previous, config()));
  if (positional.length === 0 && !current.startsWith('-')) return match(COMMANDS.map((c) => c.name));
  const cmd = await commandTree(positional[0] ?? '');
  const sub = cmd?.commands.find((c) => c.name() === positional[1]);
  if (current.startsWith('-')) {
    const own = [...(sub?.options ?? []), ...(cmd?.options ?? [])].map((o) => o.long ?? '').filter(Boolean);
    return match([...new Set([...own, ...GLOBAL_OPTIONS])]);
  }
  if (!cmd) return [];
  const name = cmd.name();
  if (positional.length === 1) {
    if (cmd.commands.length) return match(cmd.commands.map((c) => c.name()));
    if (FIRST_ARGUMENT[name]) return match(FIRST_ARGUMENT[name]());
  }
  if (name === 'export' && positional.length === 2) return match(TYPE_ARGS);
  // `tb deal move <deal> <stage>`, `tb deal reopen <deal> <stage>`
  if (name === 'deal' && positional.length === 3 && ['move', 'reopen'].includes(positional[1])) return match(config()?.pipeline.map((s) => s.id) ?? []);
  const kinds = REF_KINDS[sub ? `${name} ${sub.name()}` : name] ?? REF_KINDS[name];
  if (!kinds) return [];
  try {
    return match(recordIds(root(), kinds));
  } catch {
    return [];
  }
}
