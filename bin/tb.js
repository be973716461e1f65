#!/usr/bin/env node
// Tiny launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
// `tb --version` alone is answered here, before the CLI and its libraries load, so it stays as
// fast as starting node. Commands that read the whole directory first start git's look at the
// work tree, so it runs while the CLI loads (src/prefetch.ts). dist/bundle is the compiled CLI
// bundled by scripts/bundle.mjs.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  import('../dist/bundle/prefetch.js')
    .then((p) => p.prefetch(args, process.cwd(), process.env))
    .catch(() => undefined) // only a speed-up; the CLI reports a missing build itself
    .then(() => import('../dist/bundle/cli.js'))
    .then((cli) => cli.main(args))
    .catch((err) => {
      process.stderr.write(`tb: cannot start: ${err && err.message ? err.message : err}\n`);
      process.stderr.write("tb: hint: run 'npm run build' (or 'npm ci') in the touchbase folder\n");
      process.exit(1);
    });
}
