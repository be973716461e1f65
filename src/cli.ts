/**
 * The commander program: global options, lazy command loading, and the one place that turns errors
 * into a one-line message and an exit code.
 */
import { terminalSafe } from './render/safe-text.js';
import tty from 'node:tty';
import { Command, CommanderError } from 'commander';
import { App } from './app.js';
import type { AppEnv, GlobalOptions } from './app.js';
import { beginRun } from './store/session.js';
import { readPipedStdin } from './store/terminal.js';
import { COMMANDS, findCommand } from './commands/registry.js';
import { DataError, QueryError, TbError } from './errors.js';
import { afterCommandWords, commandWord, negationsAsNot } from './args.js';
import { packageVersion } from './store/package-root.js';
import { usageHint } from './commands/usage-hints.js';


function formatError(err: TbError): string {
  let where = '';
  if (err instanceof DataError && err.path) where = ` (${err.path}${err.line ? `:${err.line}` : ''})`;
  let text = `tb: ${err.message}${where}\n`;
  if (err instanceof QueryError && err.query !== undefined && err.column !== undefined) {
    text += `  ${err.query}\n  ${' '.repeat(Math.max(0, err.column - 1))}^\n`;
  }
  if (err.hint) text += `tb: hint: ${err.hint}\n`;
  // Messages quote values from files and mail: never raw ESC or NUL on the terminal.
  return terminalSafe(text);
}

/** Set by main() once the help module is loaded: the topic list under `tb --help`. */
let helpTopicsText: (() => string) | undefined;

export function buildProgram(app: () => App): Command {
  const program = new Command('tb');
  program
    .description('touchbase: a command-line CRM over plain Markdown files in git')
    .option('--dir <path>', 'the touchbase directory (default: walk up to touchbase.yaml; env TOUCHBASE_DIR)')
    .option('--as-of <date>', 'pretend today is DATE (deterministic reports and digests)')
    .option('--format <format>', 'output format: table|json|csv|md (per command)')
    .option('--json', 'same as --format json')
    .option('--no-color', 'no colour (also NO_COLOR, and whenever stdout is not a terminal)')
    .option('--no-input', 'never prompt (also when stdin is not a terminal)')
    .option('-q, --quiet', 'print only what was asked for')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command|topic]', "a command's help, or a help topic listed below")
    .showSuggestionAfterError(true)
    .showHelpAfterError(false)
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      'after',
      `
Examples:
  $ tb init ~/crm --example          a new directory with sample data
  $ tb add contact "Ada Lovelace" --email ada@example.com --company acme --tag vip
  $ tb log ada "Call about the renewal" --channel call --follow-up "next friday"
  $ tb list contacts 'tag:vip last_contact<-90d'
  $ tb show ada
  $ tb due --within 7d

Run 'tb <command> --help' for a command's options and examples.`,
    )
    .addHelpText('afterAll', () => helpTopicsText?.() ?? '');
  void app;
  return program;
}

/**
 * Runs one command with an injected environment and returns its exit status. Nothing here touches
 * the process: tests run the CLI in-process through this, the launcher through main().
 */
export async function run(args: string[], sys: AppEnv): Promise<number> {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    sys.write(`${packageVersion()}\n`);
    return 0;
  }
  beginRun(sys.env);
  helpTopicsText = undefined;
  let exitCode = 0;
  let app: App | undefined;
  const program = buildProgram(() => app!);
  const getApp = (): App => {
    if (!app) {
      app = new App(program.opts<GlobalOptions>(), {
        ...sys,
        setExitCode: (code) => {
          exitCode = code;
          sys.setExitCode?.(code);
        },
      });
    }
    return app;
  };
  program.exitOverride();
  let wantedName: string | undefined;
  program.configureOutput({
    writeOut: (str) => sys.write(str),
    writeErr: (str) => sys.writeErr(str),
    // Commander's "(Did you mean x?)" in tb's own hint format, and a hint for usage mistakes.
    outputError: (str, write) => {
      const text = str.replace(/^error: /, '');
      const hint = /\(Did you mean/.test(text) ? undefined : usageHint(text.trim(), args, program, wantedName);
      write(`tb: ${text.replace(/\n\(Did you mean (\S+)\?\)\n?$/, "\ntb: hint: did you mean '$1'?\n")}${hint ? `tb: hint: ${hint}\n` : ''}`);
    },
  });

  const [first, second] = commandWord(args);
  const wanted = findCommand(first === 'help' && second ? second : first ?? '');
  wantedName = wanted?.name;
  if (first === 'help' || args.includes('--help') || args.includes('-h') || !first) {
    // `tb help <topic>` prints a docs/ page; `tb help` and `tb --help` list the topics too.
    const help = await import('./commands/help.js');
    helpTopicsText = wanted ? undefined : help.topicsHelpText;
    const out = { write: sys.write, writeErr: sys.writeErr, columns: sys.stdoutIsTTY ? sys.columns : undefined };
    // `tb help topic vdir`: the page of a topic that is also a command's name (tb help vdir is the command's help).
    const third = second === undefined ? undefined : args[args.indexOf(second) + 1];
    if (first === 'help' && second === 'topic' && third) return help.printHelpTopic(third, out);
    if (first === 'help' && second && !wanted) return help.printHelpTopic(second, out);
    if (wanted && help.hasTopic(wanted.name)) helpTopicsText = () => `\nThe reference page: tb help topic ${wanted.name} (docs/${wanted.name}.md, also in man tb)\n`;
  }
  for (const entry of COMMANDS) {
    if (entry === wanted) (await entry.load()).register(program, getApp);
    else program.command(entry.name).aliases(entry.aliases ?? []).description(entry.summary).allowUnknownOption().allowExcessArguments();
  }

  try {
    await program.parseAsync(queryArgs(program, args, wanted?.name), { from: 'user' });
  } catch (err) {
    return exitCodeFor(err, sys);
  }
  return exitCode;
}

/** The launcher's entry: the real process as the environment. */
export async function main(args: string[]): Promise<void> {
  // `tb list | head -1`: the reader went away; stop quietly like other Unix tools.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  process.exitCode = await run(args, {
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    // Not process.stdin: making that stream turns a piped stdin non-blocking for everyone.
    stdinIsTTY: tty.isatty(0),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    now: new Date(),
    clock: () => performance.now(),
    write: (t) => process.stdout.write(t),
    writeErr: (t) => process.stderr.write(t),
    readStdin: readPipedStdin,
    columns: process.stdout.columns,
  });
}

/** Commands whose trailing words are a query (`segment` for its `save`). */
const QUERY_COMMANDS = new Set(['list', 'pipeline', 'due', 'export', 'report', 'segment']);

/** The arguments, with a query's leading-dash negations spelled `NOT …` (see negationsAsNot). */
function queryArgs(program: Command, args: string[], name: string | undefined): string[] {
  if (!name || !QUERY_COMMANDS.has(name)) return args;
  let cmd = program.commands.find((c) => c.name() === name);
  let words = 1;
  if (name === 'segment') {
    cmd = cmd?.commands.find((c) => c.name() === 'save');
    words = 2;
    if (commandWord(args)[1] !== 'save') return args;
  }
  // `tb report attribution …` has options of its own (docs/attribution.md).
  if (name === 'report' && commandWord(args)[1] === 'attribution') {
    cmd = cmd?.commands.find((c) => c.name() === 'attribution');
    words = 2;
  }
  if (!cmd) return args;
  const shapes = [...program.options, ...cmd.options].map((o) => ({ flags: [o.short, o.long].filter((f): f is string => Boolean(f)), takesValue: o.required || o.optional }));
  return negationsAsNot(args, afterCommandWords(args, words), shapes);
}

function exitCodeFor(err: unknown, sys: AppEnv): number {
  const debug = sys.env.TOUCHBASE_DEBUG === '1';
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof TbError) {
    sys.writeErr(formatError(err));
    if (debug && err.stack) sys.writeErr(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') {
    // Ctrl-C at a prompt: nothing was written, like a shell's interrupted command.
    sys.writeErr('tb: cancelled\n');
    return 130;
  }
  sys.writeErr(`tb: ${e?.message ?? String(err)}\n`);
  if (debug && e?.stack) sys.writeErr(`${e.stack}\n`);
  else sys.writeErr('tb: hint: set TOUCHBASE_DEBUG=1 for details\n');
  return 1;
}
