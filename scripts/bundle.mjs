// Bundles the compiled CLI (dist/src, from tsc) into dist/bundle: a few files instead of ~60
// modules, which saves every command the ESM loader's per-module resolution (about 60 ms at
// start-up on the 2-core machine). Commands stay lazy: each is its own chunk, loaded on use.
// The reader thread (read-worker) is an entry of its own, next to the chunks that load it.
import { build } from 'esbuild';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const outdir = `${root}dist/bundle`;
fs.rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli.js', 'dist/src/prefetch.js', 'dist/src/store/read-worker.js'],
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies (commander, cli-table3) call require() for Node's own modules.
  banner: { js: "import { createRequire as __tbRequire } from 'node:module'; const require = __tbRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The manual page, from the same docs/ pages as `tb help <topic>`.
await import('./man.mjs');

// What this build was made from (see scripts/source-hash.mjs).
const { sourceHash, STAMP } = await import('./source-hash.mjs');
fs.writeFileSync(STAMP, `${sourceHash()}\n`);
