/**
 * The commander program: global options, lazy command loading, and the one place that turns errors
 * into a one-line message and an exit code.
 */
import tty from 'node:tty';
import { Command, CommanderError } from 'commander';
import { App } from './app.js';
import type { GlobalOptions } from './app.js';
import { COMMANDS, findCommand } from './commands/registry.js';
import { DataError, QueryError, TbError } from './errors.js';
import { didYouMean } from './core/suggest.js';
import { afterCommandWords, commandWord, negationsAsNot } from './args.js';
import { packageVersion } from './store/package-root.js';


function formatError(err: TbError): string {
  let where = '';
  if (err instanceof DataError && err.path) where = ` (${err.path}${err.line ? `:${err.line}` : ''})`;
  let text = `tb: ${err.message}${where}\n`;
  if (err instanceof QueryError && err.query !== undefined && err.column !== undefined) {
    text += `  ${err.query}\n  ${' '.repeat(Math.max(0, err.column - 1))}^\n`;
  }
  if (err.hint) text += `tb: hint: ${err.hint}\n`;
  return text;
}

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
    );
  void app;
  return program;
}

export async function main(args: string[]): Promise<void> {
  // `tb list | head -1`: the reader went away; stop quietly like other Unix tools.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  let app: App | undefined;
  const program = buildProgram(() => app!);
  const getApp = (): App => {
    if (!app) {
      app = new App(program.opts<GlobalOptions>(), {
        cwd: process.cwd(),
        env: process.env,
        stdoutIsTTY: Boolean(process.stdout.isTTY),
        // Not process.stdin: making that stream turns a piped stdin non-blocking for everyone.
        stdinIsTTY: tty.isatty(0),
        stderrIsTTY: Boolean(process.stderr.isTTY),
        now: new Date(),
        write: (t) => process.stdout.write(t),
        writeErr: (t) => process.stderr.write(t),
        columns: process.stdout.columns,
        setExitCode: (code) => {
          process.exitCode = code;
        },
      });
    }
    return app;
  };
  program.exitOverride();
  program.configureOutput({
    // Commander's "(Did you mean x?)" in tb's own hint format.
    outputError: (str, write) => write(`tb: ${str.replace(/^error: /, '').replace(/\n\(Did you mean (\S+)\?\)\n?$/, "\ntb: hint: did you mean '$1'?\n")}`),
  });

  const [first, second] = commandWord(args);
  const wanted = findCommand(first === 'help' && second ? second : first ?? '');
  if (first === 'help' && second && !wanted) {
    const hint = didYouMean(second, COMMANDS.map((c) => c.name));
    process.stderr.write(`tb: unknown command '${second}'\n${hint ? `tb: hint: ${hint}\n` : ''}`);
    process.exitCode = 2;
    return;
  }
  for (const entry of COMMANDS) {
    if (entry === wanted) (await entry.load()).register(program, getApp);
    else program.command(entry.name).description(entry.summary).allowUnknownOption().allowExcessArguments();
  }

  try {
    await program.parseAsync(queryArgs(program, args, wanted?.name), { from: 'user' });
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
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
  if (!cmd) return args;
  const shapes = [...program.options, ...cmd.options].map((o) => ({ flags: [o.short, o.long].filter((f): f is string => Boolean(f)), takesValue: o.required || o.optional }));
  return negationsAsNot(args, afterCommandWords(args, words), shapes);
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof TbError) {
    process.stderr.write(formatError(err));
    if (process.env.TOUCHBASE_DEBUG === '1' && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') {
    // Ctrl-C at a prompt: nothing was written, like a shell's interrupted command.
    process.stderr.write('tb: cancelled\n');
    return 130;
  }
  process.stderr.write(`tb: ${e?.message ?? String(err)}\n`);
  if (process.env.TOUCHBASE_DEBUG === '1' && e?.stack) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('tb: hint: set TOUCHBASE_DEBUG=1 for details\n');
  return 1;
}
