/**
 * A score's breakdown for people (`tb score <contact>`, `tb show`) and for scripts (JSON): each
 * rule, whether it matched, its points and what decay left of them (docs/scoring.md).
 */
import type { RuleResult, ScoreResult, ScoringConfig } from '../core/scoring.js';

/** `+20`, `-50`, `+3.5`. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** How a decaying rule's points were reduced: `40 × 0.5 (30 days since 2026-11-01, halves every 30d)`. */
export function decayNote(r: RuleResult): string {
  if (!r.decay) return '';
  const since = r.decay.since ? ` since ${r.decay.since}` : ', never touched';
  return `${r.points} × ${r.decay.factor} (${r.decay.days} day${r.decay.days === 1 ? '' : 's'}${since}, halves every ${r.decay.every})`;
}

/** The line under the score when min/max changed it. */
export function clampNote(result: ScoreResult, scoring: ScoringConfig): string | undefined {
  if (result.score === result.raw) return undefined;
  return `${result.raw} clamped to ${result.score} (${result.score === scoring.max ? `max ${scoring.max}` : `min ${scoring.min}`})`;
}

/** The matched rules as short lines for `tb show`: `  +20  Decision maker  title:CTO,CEO`. */
export function matchedLines(result: ScoreResult, dim: (s: string) => string): string[] {
  const matched = result.rules.filter((r) => r.matched);
  const width = Math.max(0, ...matched.map((r) => signed(r.earned).length));
  return matched.map((r) => `  ${signed(r.earned).padStart(width)}  ${r.label}${r.label === r.when ? '' : dim(`  ${r.when}`)}${r.decay ? dim(`  ${decayNote(r)}`) : ''}`);
}

/** JSON of one contact's score: `{ id, name, score, raw, min?, max?, rules: [...] }`. */
export function scoreJson(id: string, name: string, result: ScoreResult, scoring: ScoringConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { id, name, score: result.score, raw: result.raw };
  if (scoring.min !== undefined) out.min = scoring.min;
  if (scoring.max !== undefined) out.max = scoring.max;
  out.rules = result.rules;
  return out;
}
