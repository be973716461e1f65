/** `tb check` output: compiler-style problem lines, the summary, and the JSON shape. Pure. */
import type { ChalkInstance } from 'chalk';
import type { Problem } from '../core/types.js';

/** Sorted by path, then line (whole-file problems, line 0, first), keeping the given order otherwise. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.path < b.p.path ? -1 : a.p.path > b.p.path ? 1 : a.p.line - b.p.line || a.i - b.i))
    .map(({ p }) => p);
}

/** `path:line: severity: message`, or `path: severity: message` when the line is 0 (the whole file). */
export function problemLine(p: Problem, style?: ChalkInstance): string {
  const where = p.line ? `${p.path}:${p.line}` : p.path;
  const severity = style ? (p.severity === 'error' ? style.red(p.severity) : style.yellow(p.severity)) : p.severity;
  return `${style ? style.bold(where) : where}: ${severity}: ${p.message}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `3 errors, 1 warning in 412 files`, or `no problems in 412 files`. */
export function problemSummary(problems: readonly Problem[], files: number): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const where = `in ${count(files, 'file')}`;
  if (!problems.length) return `no problems ${where}`;
  return `${count(errors, 'error')}, ${count(warnings, 'warning')} ${where}`;
}

export interface ProblemJson {
  path: string;
  /** 1-based; null when the problem is about the whole file. */
  line: number | null;
  severity: 'error' | 'warning';
  message: string;
}

export function problemJson(p: Problem): ProblemJson {
  return { path: p.path, line: p.line || null, severity: p.severity, message: p.message };
}
