/**
 * Text charts for the terminal: horizontal bars in eighth-block steps and sparklines. No colour,
 * so the output reads the same piped into a mail or a file.
 */

/** Eighths of a cell, index 1 = one eighth … 8 = a full block. */
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A bar `eighths` eighth-cells long. */
function bar(eighths: number): string {
  const full = Math.floor(eighths / 8);
  return '█'.repeat(full) + EIGHTHS[eighths % 8];
}

/**
 * One line per row: label (padded), a bar scaled so the largest value fills `width` cells, and the
 * formatted value. Negative and non-finite values draw no bar; a positive value too small for an
 * eighth still gets one, so "some" never looks like "none".
 */
export function barChart(rows: Array<{ label: string; value: number }>, opts: { width: number; format?: (n: number) => string }): string[] {
  if (!rows.length) return [];
  const width = Math.max(1, Math.floor(opts.width));
  const format = opts.format ?? ((n: number) => String(n));
  const drawable = (v: number) => (Number.isFinite(v) && v > 0 ? v : 0);
  const max = Math.max(...rows.map((r) => drawable(r.value)));
  const labelWidth = Math.max(...rows.map((r) => r.label.length));
  return rows.map((r) => {
    const v = drawable(r.value);
    const eighths = max > 0 ? Math.max(v > 0 ? 1 : 0, Math.round((v / max) * width * 8)) : 0;
    return `${r.label.padEnd(labelWidth)} ${bar(eighths).padEnd(width)} ${format(r.value)}`;
  });
}

/**
 * One character per value, scaled from 0 (or the smallest value when some are negative) to the
 * largest, so a steady 5 a week reads as busy rather than as nothing. All zeros draw the lowest
 * block; non-finite values draw a space.
 */
export function sparkline(values: number[]): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (!finite.length) return values.map(() => ' ').join('');
  const lo = Math.min(0, ...finite);
  const hi = Math.max(...finite);
  return values
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      if (hi === lo) return SPARKS[0];
      return SPARKS[Math.round(((v - lo) / (hi - lo)) * (SPARKS.length - 1))];
    })
    .join('');
}

/** Groups the integer digits in threes: 1234567 → 1,234,567. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Money for people or for machines. Amounts are rounded to cents (float sums such as
 * 0.1 + 0.2 must not leak out).
 * - pretty: `EUR 12,500`, `EUR 1,234.50`, `EUR -300` — whole amounts without decimals;
 * - not pretty: the plain number, `12500` or `1234.5`, for csv/json and scripts.
 */
export function formatMoney(n: number, currency: string, opts: { pretty: boolean }): string {
  const cents = Math.round(n * 100);
  const rounded = cents / 100;
  if (!opts.pretty) return String(Object.is(rounded, -0) ? 0 : rounded);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const whole = groupThousands(String(Math.floor(abs / 100)));
  const fraction = abs % 100 ? `.${String(abs % 100).padStart(2, '0')}` : '';
  return `${currency} ${negative ? '-' : ''}${whole}${fraction}`;
}
