// Runs the whole test suite (vitest) and ends with one plain summary line, "N passed, N failed",
// that CI and humans can read. Exit status is vitest's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tb-vitest-')), 'results.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit' });
let summary = '';
try {
  const res = JSON.parse(fs.readFileSync(out, 'utf8'));
  summary = `${res.numPassedTests} passed, ${res.numFailedTests} failed` + (res.numPendingTests ? `, ${res.numPendingTests} skipped` : '');
} catch {
  summary = '';
}
if (summary) console.log(`\ntests: ${summary}`);
process.exit(r.status ?? 1);
