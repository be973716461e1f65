// Builds the manual page dist/man/tb.1 (installed by npm through "man" in package.json) from the
// same sources as `tb help`: the command table in src/commands/registry.ts and the pages in docs/.
// Run after tsc (it reads the compiled dist/src); scripts/bundle.mjs calls it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = (rel) => pathToFileURL(path.join(root, 'dist/src', rel)).href;
const { COMMANDS } = await import(dist('commands/registry.js'));
const { markdownToRoff, roffInline } = await import(dist('render/markdown.js'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

// The page order of the README's documentation list; pages added later follow alphabetically.
const FIRST = ['commands', 'files', 'config', 'query', 'dates'];
const topics = fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
const ordered = [...FIRST.filter((t) => topics.includes(t)), ...topics.filter((t) => !FIRST.includes(t))];

const out = [
  '.\\" -*- coding: utf-8 -*-',
  `.TH TB 1 "" "touchbase ${pkg.version}" "touchbase manual"`,
  '.SH NAME',
  'tb, touchbase \\- a command\\-line CRM over plain Markdown files in git',
  '.SH SYNOPSIS',
  '.B tb',
  '[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIargs\\fR]',
  '.br',
  '.B tb help',
  '[\\fIcommand\\fR|\\fItopic\\fR]',
  '.SH DESCRIPTION',
  roffInline(pkg.description) + '.',
  'Every section below is also \\fBtb help\\fR \\fItopic\\fR.',
  '.SH COMMANDS',
];
for (const c of COMMANDS) {
  out.push('.TP', `.B tb ${c.name}${c.aliases?.length ? ` \\fR(also \\fBtb ${c.aliases.join(', tb ')}\\fR)` : ''}`, roffInline(c.summary));
}
out.push('.TP', '.B tb help', 'the commands and help topics; \\fBtb help\\fR \\fItopic\\fR prints one of the sections below');
for (const t of ordered) {
  const md = fs.readFileSync(path.join(root, 'docs', `${t}.md`), 'utf8');
  out.push(`.\\" topic: ${t}`, markdownToRoff(md).trimEnd());
}
fs.mkdirSync(path.join(root, 'dist/man'), { recursive: true });
fs.writeFileSync(path.join(root, 'dist/man/tb.1'), `${out.join('\n')}\n`);
