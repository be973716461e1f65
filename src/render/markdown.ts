/**
 * The help pages in docs/*.md, turned into plain terminal text (`tb help <topic>`) and into roff
 * for the manual page (scripts/man.mjs), so README links, help and `man tb` share one source.
 * Only the Markdown the pages use: headings, paragraphs, fenced code, lists, tables, inline code,
 * emphasis and links. Pure.
 */

import { displayWidth } from './width.js';

export type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'code'; lines: string[] }
  | { kind: 'item'; text: string; indent: number }
  | { kind: 'table'; rows: string[][] };

/** Splits a page into blocks; a list item's continuation lines join its text. */
export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (/^\s*```/.test(line)) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i])) code.push(lines[i++]);
      i++;
      blocks.push({ kind: 'code', lines: code });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1].length, text: heading[2].trim() });
      i++;
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows: string[][] = [];
      while (i < lines.length && /^\s*\|/.test(lines[i])) {
        const cells = splitRow(lines[i++]);
        if (!cells.every((c) => /^:?-{2,}:?$/.test(c))) rows.push(cells);
      }
      blocks.push({ kind: 'table', rows });
      continue;
    }
    const item = /^(\s*)(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const parts = [item[2]];
      i++;
      while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !/^\s*(?:[-*]|\d+\.)\s/.test(lines[i])) parts.push(lines[i++].trim());
      blocks.push({ kind: 'item', text: parts.join(' '), indent: item[1].length });
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const parts: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && !/^(#{1,6}\s|\s*```|\s*\||\s*(?:[-*]|\d+\.)\s)/.test(lines[i])) parts.push(lines[i++].trim());
    blocks.push({ kind: 'paragraph', text: parts.join(' ') });
  }
  return blocks;
}

/** Table cells; `\|` inside a cell is a literal bar. */
function splitRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** Inline Markdown to plain text: links keep their text, code and emphasis lose their marks. */
export function plainInline(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, t: string, url: string) => (/^https?:/.test(url) ? `${t} (${url})` : t))
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[\s(])_([^_]+)_(?=[\s).,;:]|$)/g, '$1$2');
}

function wrap(text: string, width: number, indent: string, first = indent): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      out.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : ' ') + w;
    empty = false;
  }
  if (!empty) out.push(line);
  return out;
}

/** The page as plain text for a terminal or a pipe, wrapped at `width` columns. */
export function markdownToPlain(markdown: string, width = 80): string {
  const out: string[] = [];
  for (const b of parseBlocks(markdown)) {
    switch (b.kind) {
      case 'heading': {
        const text = plainInline(b.text);
        // A page title in capitals, a section underlined, anything deeper plain.
        if (b.level === 1) out.push(text.toUpperCase());
        else if (b.level === 2) out.push(text, '-'.repeat(Math.min(width, displayWidth(text))));
        else out.push(text);
        break;
      }
      case 'paragraph':
        out.push(...wrap(plainInline(b.text), width, ''));
        break;
      case 'item':
        out.push(...wrap(plainInline(b.text), width, ' '.repeat(b.indent + 4), `${' '.repeat(b.indent + 2)}- `));
        break;
      case 'code':
        out.push(...b.lines.map((l) => (l ? `    ${l}` : '')));
        break;
      case 'table': {
        const rows = b.rows.map((r) => r.map(plainInline));
        const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => displayWidth(r[c] ?? ''))));
        for (const r of rows) out.push(`  ${r.map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c] - displayWidth(cell)))).join('  ')}`.trimEnd());
        break;
      }
    }
    out.push('');
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** Escapes text for roff: backslashes, and a leading dot or quote that would start a request. */
function roffEscape(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/-/g, '\\-');
}

function roffLine(text: string): string {
  return /^[.']/.test(text) ? `\\&${text}` : text;
}

/** Inline Markdown to roff: code in bold, emphasis in italics, links as their text. */
export function roffInline(text: string): string {
  const parts = text.replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, t: string, url: string) => (/^https?:/.test(url) ? `${t} <${url}>` : t)).split(/(`[^`]+`|\*\*[^*]+\*\*)/);
  return parts
    .map((p) => {
      if (/^`[^`]+`$/.test(p)) return `\\fB${roffEscape(p.slice(1, -1))}\\fR`;
      if (/^\*\*[^*]+\*\*$/.test(p)) return `\\fB${roffEscape(p.slice(2, -2))}\\fR`;
      return roffEscape(p);
    })
    .join('');
}

/** A page's blocks as roff (man(7)); its level-1 heading becomes a section. */
export function markdownToRoff(markdown: string): string {
  const out: string[] = [];
  for (const b of parseBlocks(markdown)) {
    switch (b.kind) {
      case 'heading':
        out.push(b.level === 1 ? `.SH ${roffInline(plainInline(b.text).toUpperCase())}` : `.SS ${roffInline(b.text)}`);
        break;
      case 'paragraph':
        out.push('.PP', roffLine(roffInline(b.text)));
        break;
      case 'item':
        out.push(`.IP \\(bu ${b.indent + 2}`, roffLine(roffInline(b.text)));
        break;
      case 'code':
        out.push('.PP', '.RS 4', '.nf', ...b.lines.map((l) => roffLine(roffEscape(l))), '.fi', '.RE');
        break;
      case 'table':
        out.push('.PP', '.RS 4', '.nf', ...b.rows.map((r) => roffLine(roffEscape(r.map(plainInline).join('  |  ')))), '.fi', '.RE');
        break;
    }
  }
  return `${out.join('\n')}\n`;
}
