#!/usr/bin/env node
/**
 * Renders the example report to HTML, opens it in headless Chromium at a phone width, fails on any
 * console error or any network request, and leaves a screenshot to look at.
 *
 *   npx tsc -p . && node scripts/check-report-html.mjs [--out DIR]
 *
 * Needs Debian's `chromium` package (/usr/bin/chromium, or set CHROMIUM=path). Not part of
 * `npm test`: it needs a browser and takes a few seconds.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : fs.mkdtempSync(path.join(os.tmpdir(), 'tb-report-html-'));

if (!fs.existsSync(CHROMIUM)) {
  console.error(`check-report-html: ${CHROMIUM} is missing. Install it with: apt-get update && apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)`);
  process.exit(2);
}
if (!fs.existsSync(path.join(REPO, 'dist', 'src', 'cli.js'))) {
  console.error('check-report-html: dist/ is missing; build first with: npx tsc -p .');
  process.exit(2);
}

fs.mkdirSync(outDir, { recursive: true });
const html = path.join(outDir, 'report.html');
const png = path.join(outDir, 'report.png');

// 1. The report of the example CRM over a whole year, by owner, so every section has content.
const tb = spawnSync(process.execPath, [path.join(REPO, 'bin', 'tb.js'), '--dir', path.join(REPO, 'examples', 'consultancy'), '--as-of', '2026-11-23',
  'report', '--since', '2025-06-01', '--by', 'owner', '--html', html], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
if (tb.status !== 0) {
  console.error(`check-report-html: tb report failed:\n${tb.stderr}`);
  process.exit(1);
}
const page = fs.readFileSync(html, 'utf8');
const problems = [];
if (/https?:\/\//.test(page)) problems.push('the page references an http(s):// address');
if (!page.includes('<svg')) problems.push('the page has no <svg> chart');

// 2. Headless Chromium: screenshot at a phone width, console messages on stderr.
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-chromium-'));
const chrome = spawnSync(CHROMIUM, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
  '--hide-scrollbars', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0',
  `--screenshot=${png}`, '--window-size=412,2000', `file://${html}`,
], { encoding: 'utf8', timeout: 60_000 });
fs.rmSync(profile, { recursive: true, force: true });
if (chrome.error) {
  console.error(`check-report-html: could not run ${CHROMIUM}: ${chrome.error.message}`);
  process.exit(1);
}
const log = `${chrome.stdout}\n${chrome.stderr}`;
// Page console output is logged as `…:INFO:CONSOLE(line)] "message", source: …`; errors and
// failed loads (a network fetch from a file:// page) show up as CONSOLE lines or net errors.
const consoleLines = log.split('\n').filter((l) => /CONSOLE/.test(l));
for (const l of consoleLines) problems.push(`console: ${l.trim()}`);
for (const l of log.split('\n').filter((l) => /ERR_(NAME|CONNECTION|INTERNET|FILE)/.test(l))) problems.push(`network: ${l.trim()}`);
if (!fs.existsSync(png) || fs.statSync(png).size < 1000) problems.push(`no screenshot was written (chromium exit ${chrome.status})\n${chrome.stderr.slice(-2000)}`);

console.log(`html:       ${html} (${page.length} bytes)`);
console.log(`screenshot: ${png}${fs.existsSync(png) ? ` (${fs.statSync(png).size} bytes)` : ''}`);
if (problems.length) {
  console.log(`FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('ok: rendered without console errors or network requests');
