/**
 * How fast the front matter reader refuses hostile input (the contract of
 * test/store/frontmatter.test.ts, which asserts only the outcome): each input is parsed in this
 * process, its slowest of `runs` taken, and compared with the time it may take.
 */
import { parseRecordText } from '../../src/store/frontmatter.js';
import { mulberry32 } from './prng.js';

interface ParserCase {
  name: string;
  text: () => string[];
  goalMs: number;
}

const VALID = '---\nname: José Müller\nemails: [jose@example.com]\ncompany: "[[acme]]"\ntags:\n  - vip\nvalue: 12000.50\ncreated: 2026-11-20\n---\n\nMet at the fintech meetup.\n';

function aliasBomb(): string {
  const names = 'abcdefghij';
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < names.length; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]`);
  return `---\n${lines.join('\n')}\n---\n`;
}

/** A thousand copies of a valid record, each with a few random bytes replaced, inserted or cut. */
function mutations(): string[] {
  const random = mulberry32(1);
  const chars = '-:[]{}&*!|>\'"#%@`\n ,?';
  return Array.from({ length: 1000 }, () => {
    let text = VALID;
    for (let k = 1 + Math.floor(random() * 8); k > 0; k--) {
      const at = Math.floor(random() * text.length);
      const c = chars[Math.floor(random() * chars.length)];
      text = random() < 0.5 ? text.slice(0, at) + c + text.slice(at + 1) : text.slice(0, at) + c.repeat(1 + Math.floor(random() * 50)) + text.slice(at);
    }
    return text;
  });
}

const CASES: ParserCase[] = [
  { name: 'billion-laughs alias bomb', text: () => [aliasBomb()], goalMs: 200 },
  { name: '10,000 nested [', text: () => [`---\nname: x\nlist: ${'['.repeat(10_000)}\n---\n`], goalMs: 100 },
  { name: '10,000 nested block sequences', text: () => [`---\na:\n  ${'- '.repeat(10_000)}x\n---\n`], goalMs: 100 },
  { name: 'a 1 MB single line', text: () => [`---\nname: ${'x'.repeat(1_000_000)}\n---\nbody`], goalMs: 1000 },
  { name: 'mutations of a valid record (slowest of 1,000)', text: mutations, goalMs: 100 },
];

function parseMs(text: string): number {
  const t = performance.now();
  try {
    parseRecordText(text, 'contacts/x.md');
  } catch {
    /* refused: what the contract allows */
  }
  return performance.now() - t;
}

/** Markdown table rows: each case's slowest parse over `runs` rounds, against its goal. */
export function measureParser(runs: number): string[] {
  return CASES.map((c) => {
    const texts = c.text();
    for (const text of texts) parseMs(text); // warm up: the first parse also compiles the parser
    let slowest = 0;
    for (let i = 0; i < runs; i++) for (const text of texts) slowest = Math.max(slowest, parseMs(text));
    process.stderr.write(`bench: parse ${c.name}: ${slowest.toFixed(1)} ms\n`);
    return `| parse: ${c.name} | ${slowest.toFixed(1)} | | < ${c.goalMs} ms | ${slowest < c.goalMs ? 'yes' : 'no'} |`;
  });
}
