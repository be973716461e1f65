import type { Command } from 'commander';
import type { GetApp } from './registry.js';
import type { App } from '../app.js';
import { action } from './common.js';
import { DataError } from '../errors.js';
import { allRecords, type Dataset, type Problem } from '../core/types.js';
import { CONFIG_FILE } from '../core/config.js';
import { segmentProblems } from '../core/query/index.js';
import { validateDataset } from '../core/validate.js';
import { buildDerived } from '../core/derived.js';
import { scoringProblems } from '../core/scoring.js';
import { assignmentProblems } from '../core/assign.js';
import { fixRecordText } from '../store/fix.js';
import { configLine } from '../store/config-file.js';
import { loadDataset } from '../store/load.js';
import { fixFile, indexInGitProblems, removeDeadTempFiles, misnamedRecordFiles, resolveProblemLines, strayTempFiles } from '../store/check.js';
import { problemJson, problemLine, problemSummary, sortProblems } from '../render/problems.js';
import { makeStyle } from '../render/style.js';

export function register(program: Command, getApp: GetApp): void {
  program
    .command('check')
    .description('validate the whole directory; exit 1 when there is any error')
    .option('--fix', 'repair what is mechanical ([[links]] → ids, trailing blanks) and say what changed, then check again')
    .addHelpText('after', `
Prints one line per problem, like a compiler: path:line: error|warning: message, sorted by
path and line, then a summary. Exit 0 when there are no errors (warnings alone pass), 1 when
there is at least one error. Nothing in a file is ever executed.

Formats: --format text (default) | json (an array of {path, line, severity, message}).

Examples:
  $ tb check
  $ tb check --fix
  $ tb check --format json | jq '.[] | select(.severity == "error")'
`)
    .action(action(getApp, checkCommand));
}

function load(app: App): { ds?: Dataset; fatal?: Problem } {
  try {
    return { ds: loadDataset(app.root, { cache: false }) };
  } catch (err) {
    // Only an unreadable touchbase.yaml stops the load; every record problem is collected.
    if (err instanceof DataError && err.path === CONFIG_FILE) {
      return { fatal: { path: CONFIG_FILE, line: err.line ?? 0, severity: 'error', message: err.message } };
    }
    throw err;
  }
}

/** Every problem in the directory and the number of files looked at. */
function collect(app: App): { problems: Problem[]; files: number } {
  const { ds, fatal } = load(app);
  if (!ds) return { problems: [fatal!], files: 1 };
  // Every type of the schema (cases and campaigns were once left out of the count).
  const files = new Set(allRecords(ds).map((r) => r.path));
  for (const p of ds.problems) if (p.path !== CONFIG_FILE) files.add(p.path);
  const extra: Problem[] = [
    ...strayTempFiles(app.root).map((rel): Problem => ({
      path: rel, line: 0, severity: 'warning',
      message: 'temporary file left by an interrupted write; delete it once no tb command is running',
    })),
    ...segmentProblems(ds.config.segments).map(({ name, message }): Problem => ({
      path: CONFIG_FILE, line: configLine(app.root, new RegExp(`^\\s+["']?${name.replace(/[^A-Za-z0-9_-]/g, '')}["']?\\s*:`)), severity: 'error', message,
    })),
    ...leadRuleProblems(app, ds),
    ...indexInGitProblems(app.root),
    ...misnamedRecordFiles(app.root).map((rel): Problem => ({
      path: rel, line: 0, severity: 'warning', message: 'not read as a record: record files must end in .md (lowercase)',
    })),
  ];
  const unreadable = ds.problems.map((p) => p.path).filter((p) => p !== CONFIG_FILE);
  const problems = resolveProblemLines(app.root, [...ds.problems, ...validateDataset(ds, { unreadable }), ...extra]);
  return { problems: sortProblems(problems), files: files.size + 1 };
}

/** `scoring:` and `assignment:` rules: shapes, queries (with did-you-mean), score cycles (docs/scoring.md). */
function leadRuleProblems(app: App, ds: Dataset): Problem[] {
  if (ds.config.raw.scoring == null && ds.config.raw.assignment == null) return [];
  const ctx = app.ctx();
  const env = { dataset: ds, ctx, derived: buildDerived(ds, ctx), type: 'contact' as const };
  return [...scoringProblems(env), ...assignmentProblems(env)];
}

function fixAll(app: App, tell: (line: string) => void): number {
  const { ds } = load(app);
  if (!ds) return 0;
  let fixed = 0;
  for (const rec of [ds.contacts, ds.companies, ds.deals, ds.interactions, ds.reminders].flat()) {
    const changes = fixFile(app.root, rec.path, fixRecordText);
    if (!changes.length) continue;
    fixed++;
    app.wrote(rec.path, 'check --fix: normalise links and whitespace');
    for (const change of changes) tell(`${rec.path}: fixed: ${change}`);
  }
  return fixed;
}

function checkCommand(app: App, opts: { fix?: boolean }): void {
  const format = app.format(['text', 'json'], 'text');
  const style = makeStyle(app.color);
  if (opts.fix) {
    // JSON keeps stdout one parseable array, so the repairs are told on stderr there.
    const tell = format === 'json' ? (line: string) => app.sys.writeErr(`${line}\n`) : (line: string) => app.say(line);
    for (const rel of removeDeadTempFiles(app.root)) tell(`${rel}: removed: temporary file of an interrupted write`);
    const fixed = fixAll(app, tell);
    tell(fixed ? `fixed ${fixed} file${fixed === 1 ? '' : 's'}; checking again` : 'nothing to fix');
  }
  const { problems, files } = collect(app);
  const summary = problemSummary(problems, files);
  if (format === 'json') app.out(JSON.stringify(problems.map(problemJson), null, 2));
  else for (const p of problems) app.out(problemLine(p, style));
  if (problems.some((p) => p.severity === 'error')) {
    // A finding, not a failure of the command: report it like an error and exit 1, but return
    // normally so the fixes already written (--fix) are committed like any other write.
    app.sys.writeErr(`tb: ${summary}\n`);
    app.setExitCode(1);
    return;
  }
  if (format === 'text') app.say(summary);
}
