/**
 * Runs once before the suite: rebuilds dist/ when it was not built from the sources as they are
 * now (see scripts/source-hash.mjs). The subprocess tests run the built launcher; a stale build
 * would test old code.
 */
import { execFileSync } from 'node:child_process';
import { ROOT, builtStamp, sourceHash } from '../scripts/source-hash.mjs';

export default function setup(): void {
  if (builtStamp() === sourceHash()) return;
  process.stderr.write('test setup: dist/ is older than the sources; building it (npm run build)\n');
  execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(process.execPath, [`${ROOT}scripts/bundle.mjs`], { cwd: ROOT, stdio: 'inherit' });
}
