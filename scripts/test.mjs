// Runs the test suite (vitest; its global setup rebuilds dist/ when stale) and ends with how long
// it took and one plain summary line, "N passed, N failed", that CI and humans can read.
// Arguments are passed to vitest (`node scripts/test.mjs test/core` runs just those files).
// Exit status is vitest's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const started = process.hrtime.bigint();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-vitest-'));
const out = path.join(tmp, 'results.json');
const vitest = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'node_modules', 'vitest', 'vitest.mjs');
const args = [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
let summary = '';
let peersSkipped = [];
try {
  const res = JSON.parse(fs.readFileSync(out, 'utf8'));
  summary = `${res.numPassedTests} passed, ${res.numFailedTests} failed` + (res.numPendingTests ? `, ${res.numPendingTests} skipped` : '');
  // Tests with real peers (Radicale, vdirsyncer, notmuch) skip when the program is missing: say so.
  peersSkipped = (res.testResults ?? [])
    .filter((f) => /test\/peers\//.test(f.name) && f.assertionResults.length > 0 && f.assertionResults.every((a) => a.status === 'skipped' || a.status === 'pending'))
    .map((f) => path.relative(process.cwd(), f.name));
} catch {
  summary = '';
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`\ntest suite took ${seconds.toFixed(1)} s`);
if (peersSkipped.length) console.log(`peer tests skipped (program not installed; .ci/run installs radicale, vdirsyncer, notmuch): ${peersSkipped.join(', ')}`);
if (summary) console.log(`tests: ${summary}`);
process.exit(r.status ?? 1);
