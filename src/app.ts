/**
 * The runtime context of one command: global options, "today", the root, "me", output helpers.
 * cli.ts builds it from process state; nothing below reads process.* directly.
 */
import { terminalSafe } from './render/safe-text.js';
import os from 'node:os';
import type { Ctx, Dataset } from './core/types.js';
import { isIsoDate, parseWhen } from './core/dates.js';
import { UsageError } from './errors.js';
import { findRoot } from './store/root.js';
import { treeProblems } from './store/safety.js';
import { loadConfig, loadDatasetAsync } from './store/load.js';
import type { LoadOptions } from './store/load.js';
import { resolveMe, resolveOwnerForWrite } from './core/owners.js';
import type { Me } from './core/owners.js';
import { gitUserEmail } from './store/git.js';
import type { Config } from './core/types.js';
import { ProgressLine } from './core/progress.js';
import { setProgressReporter } from './store/progress.js';
import { notePending } from './store/autocommit.js';

export type OutputFormat = 'table' | 'json' | 'csv' | 'md' | 'text' | 'ics';

export interface GlobalOptions {
  dir?: string;
  asOf?: string;
  format?: string;
  json?: boolean;
  color?: boolean;
  input?: boolean;
  quiet?: boolean;
}

export interface AppEnv {
  cwd: string;
  env: Record<string, string | undefined>;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Progress lines go to stderr only when it is a terminal. */
  stderrIsTTY?: boolean;
  now: Date;
  write: (text: string) => void;
  writeErr: (text: string) => void;
  columns?: number;
  /** Milliseconds of a monotonic clock, for progress lines (cli.ts: performance.now). */
  clock?: () => number;
  /** Sets the exit status of a command that succeeded (e.g. `tb due --exit-code` → 3). */
  setExitCode?: (code: number) => void;
  /** A body piped on stdin (at most maxBytes), or undefined when there is none. */
  readStdin?: (maxBytes: number, note: (text: string) => void) => string | undefined;
}

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export class App {
  private rootCache?: string;
  private meCache?: Me | null;
  private configCache?: Config;
  private warned = new Set<string>();
  /** Files written by this command (root-relative), for autocommit. */
  readonly written: string[] = [];
  private readonly writtenSet = new Set<string>();
  /** One-line description of what this command changed, for the autocommit message. */
  commitMessage?: string;

  constructor(
    readonly opts: GlobalOptions,
    readonly sys: AppEnv,
  ) {}

  get env(): Record<string, string | undefined> {
    return this.sys.env;
  }

  /** The real date, or --as-of resolved against it. */
  get today(): string {
    const real = localDate(this.sys.now);
    if (this.opts.asOf === undefined) return real;
    if (!this.opts.asOf.trim()) throw new UsageError('--as-of needs a date, e.g. --as-of 2026-11-23');
    if (isIsoDate(this.opts.asOf)) return this.opts.asOf.slice(0, 10);
    return parseWhen(this.opts.asOf, real, '--as-of date');
  }

  /** "Now" as text for SLA clocks: --as-of as given when it is a date or date-time, else the real instant. */
  get nowText(): string {
    if (this.opts.asOf === undefined) return this.sys.now.toISOString();
    return isIsoDate(this.opts.asOf) ? this.opts.asOf : this.today;
  }

  /**
   * "Now" as a local `YYYY-MM-DDTHH:MM` for records that need the time of day (a campaign message,
   * so a reply the same afternoon can be told from a meeting that morning); --as-of as given.
   */
  get nowLocal(): string {
    if (this.opts.asOf !== undefined) return isIsoDate(this.opts.asOf) ? this.opts.asOf.trim().replace(' ', 'T') : this.today;
    const d = this.sys.now;
    const p = (n: number) => String(n).padStart(2, '0');
    return `${localDate(d)}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }

  get root(): string {
    if (!this.rootCache) {
      this.rootCache = findRoot(this.sys.cwd, this.opts.dir ?? this.env.TOUCHBASE_DIR);
      // Links where tb wants real folders (a teammate's `companies -> ../..`): said once, by every command.
      for (const p of treeProblems(this.rootCache)) this.warnOnce(p.path, p.message);
    }
    return this.rootCache;
  }

  /** A warning about `where`, unless one was given already. */
  private warnOnce(where: string, message: string): void {
    if (this.warned.has(where)) return;
    this.warned.add(where);
    this.warn(`${where}: ${message}`);
  }

  get color(): boolean {
    if (this.opts.color === false) return false;
    if (this.env.NO_COLOR !== undefined && this.env.NO_COLOR !== '') return false;
    if (this.env.FORCE_COLOR && this.env.FORCE_COLOR !== '0') return true;
    return this.sys.stdoutIsTTY && this.env.TERM !== 'dumb';
  }

  /** Prompts are allowed only on a terminal and never with --no-input or in CI. */
  get interactive(): boolean {
    return this.opts.input !== false && this.sys.stdinIsTTY && this.sys.stdoutIsTTY && !this.env.CI;
  }

  get quiet(): boolean {
    return this.opts.quiet === true;
  }

  /** Terminal width for tables; unlimited when stdout is not a terminal, so pipes get whole values. */
  get columns(): number {
    if (!this.sys.stdoutIsTTY) return Number.POSITIVE_INFINITY;
    return this.sys.columns && this.sys.columns > 20 ? this.sys.columns : 100;
  }

  /** The output format the user asked for, checked against what this command supports. */
  format<F extends OutputFormat>(allowed: readonly F[], fallback: F): F {
    const asked = this.opts.json ? 'json' : this.opts.format;
    if (!asked) return fallback;
    const f = asked.toLowerCase();
    if ((allowed as readonly string[]).includes(f)) return f as F;
    // "text" and "table" are the same human format for commands that have only one of them.
    if (f === 'table' && (allowed as readonly string[]).includes('text')) return 'text' as F;
    if (f === 'text' && (allowed as readonly string[]).includes('table')) return 'table' as F;
    throw new UsageError(`unsupported --format '${asked}' for this command`, `use one of: ${allowed.join(', ')}`);
  }

  config(): Config {
    if (!this.configCache) this.configCache = loadConfig(this.root).config;
    return this.configCache;
  }

  /** Loads records through the one load path and warns once per broken file. */
  async load(opts: LoadOptions = {}): Promise<Dataset> {
    const progress = this.progressLine();
    setProgressReporter(progress && ((label, done, total) => progress.update(label, done, total)));
    let ds: Dataset;
    try {
      // The index judges files racy by the App's clock (its start), never later than the real one.
      ds = await loadDatasetAsync(this.root, { now: () => this.sys.now.getTime(), ...opts });
    } finally {
      setProgressReporter(undefined);
      progress?.finish();
    }
    this.configCache = ds.config;
    this.warnProblems(ds);
    return ds;
  }

  /**
   * A progress line on stderr for a slow run (docs/performance.md): only on a terminal, never with
   * --quiet, and only when cli.ts gave a clock.
   */
  progressLine(): ProgressLine | undefined {
    if (!this.sys.stderrIsTTY || this.quiet || !this.sys.clock) return undefined;
    return new ProgressLine({ now: this.sys.clock, write: (t) => this.sys.writeErr(t) });
  }

  warnProblems(ds: Dataset): void {
    for (const p of ds.problems) {
      const where = p.line ? `${p.path}:${p.line}` : p.path;
      if (this.warned.has(where) || p.path === 'touchbase.yaml') continue;
      this.warned.add(where);
      this.warn(`${where}: ${p.message} (skipped)`);
    }
  }

  me(): Me | undefined {
    if (this.meCache === undefined) {
      const config = this.config();
      let osUser: string | undefined;
      try {
        osUser = os.userInfo().username;
      } catch {
        osUser = this.env.USER;
      }
      const needGit = !this.env.TOUCHBASE_USER;
      this.meCache = resolveMe(config, { envUser: this.env.TOUCHBASE_USER, gitEmail: needGit ? gitUserEmail(this.root) : undefined, osUser }) ?? null;
    }
    return this.meCache ?? undefined;
  }

  /**
   * The owner stamped on new records: the explicit one, else "me" when me is a configured owner
   * or came from TOUCHBASE_USER — never a stray OS user name. An explicit `--owner` may name me or
   * an owner by id, name or email; it is stored as the owner's id.
   */
  defaultOwner(explicit?: string): string | undefined {
    if (explicit !== undefined) return resolveOwnerForWrite(explicit, this.config(), explicit.trim().toLowerCase() === 'me' ? this.me()?.id : undefined);
    const me = this.me();
    if (!me) return undefined;
    return me.source === 'TOUCHBASE_USER' || this.config().owners[me.id] ? me.id : undefined;
  }

  /** "me" is looked up (a git call) only if something reads it, e.g. an `owner:me` query. */
  ctx(): Ctx {
    const app = this;
    return {
      today: this.today,
      now: this.nowText,
      get me() {
        return app.me()?.id;
      },
    };
  }

  /** Writes a line (or lines) to stdout. */
  out(text: string): void {
    this.sys.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Raw stdout write, no newline added. */
  raw(text: string): void {
    this.sys.write(text);
  }

  /**
   * A confirmation or report for humans: stdout, suppressed by --quiet. Never styled, so control
   * characters that came from files or mail (ESC, NUL …) are shown escaped (render/safe-text.ts).
   */
  say(text: string): void {
    if (!this.quiet) this.out(terminalSafe(text));
  }

  warn(text: string): void {
    this.sys.writeErr(`tb: warning: ${terminalSafe(text)}\n`);
  }

  /**
   * A non-error exit status for a command that ran fine, such as `tb due --exit-code` (3 when
   * something is due). cli.ts supplies the hook that sets the process's exit status.
   */
  setExitCode(code: number): void {
    this.sys.setExitCode?.(code);
  }

  /** A body piped on stdin, or undefined: none, a terminal, or an environment without stdin. */
  readStdin(maxBytes: number): string | undefined {
    return this.sys.readStdin?.(maxBytes, (text) => this.warn(text));
  }

  /** Remembers a file this command wrote, for autocommit. */
  /**
   * A file this command is about to write: journaled for autocommit before it exists, so a run
   * killed between the write and wrote() leaves nothing uncommitted (store/autocommit.ts).
   */
  willWrite(rel: string): void {
    if (!this.writtenSet.has(rel) && this.config().git.autocommit) notePending(this.root, rel);
  }

  wrote(rel: string, message?: string): void {
    if (!this.writtenSet.has(rel)) {
      this.writtenSet.add(rel);
      this.written.push(rel);
      // Journaled at once: a run killed before its commit leaves the list for the next one.
      if (this.config().git.autocommit) notePending(this.root, rel);
    }
    if (message && !this.commitMessage) this.commitMessage = message;
  }
}
