// The fingerprint of what dist/ is built from: every source file, the docs the man page is made
// of, the compiler settings, the bundler and the package manifest. scripts/bundle.mjs stamps dist/ with it; the test suite's
// global setup rebuilds when the stamp differs, so tests never run a stale build.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const STAMP = path.join(ROOT, 'dist', '.source-hash');

function filesUnder(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

export function sourceHash() {
  const h = crypto.createHash('sha256');
  const files = [...filesUnder(path.join(ROOT, 'src')), ...filesUnder(path.join(ROOT, 'bench')).filter((f) => f.endsWith('.ts'))];
  // The man page is built from docs/ (scripts/man.mjs).
  files.push(...filesUnder(path.join(ROOT, 'docs')));
  for (const f of ['tsconfig.json', 'package.json', 'scripts/bundle.mjs', 'scripts/man.mjs']) files.push(path.join(ROOT, f));
  for (const f of files.sort()) {
    h.update(path.relative(ROOT, f));
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

export function builtStamp() {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim();
  } catch {
    return undefined;
  }
}
