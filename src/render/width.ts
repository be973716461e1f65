/**
 * Terminal display width, measured by string-width (the library cli-table3 lays out tables with,
 * so hand-made columns and tables agree): East Asian wide characters and emoji take two columns,
 * combining marks and zero-width joiners none, an emoji ZWJ sequence (👩‍💻) two in all.
 */
import stringWidth from 'string-width';

export function displayWidth(text: string): number {
  return stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` cut to `width` columns with an ellipsis (which takes one), never inside a character. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  let first = '';
  for (const { segment } of graphemes.segment(text)) {
    first ||= segment;
    const w = stringWidth(segment);
    if (used + w > Math.max(1, width - 1)) break;
    out += segment;
    used += w;
  }
  return `${out || first}…`;
}
