/** Edit distance counting a swap of two neighbours as one edit ("emial" → "email"), for "did you mean" hints. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest candidates to `word`, best first; only those close enough to be a plausible typo. */
export function suggest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  const scored: Array<[string, number]> = [];
  for (const c of new Set(candidates)) {
    const d = levenshtein(w, c.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(w.length, c.length) / 3));
    if (d <= limit || (w.length >= 3 && c.toLowerCase().startsWith(w))) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, max).map(([c]) => c);
}

/** "did you mean 'x'?" or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const s = suggest(word, candidates);
  if (!s.length) return undefined;
  return `did you mean ${s.map((x) => `'${x}'`).join(' or ')}?`;
}
