#!/usr/bin/env node
// Tiny launcher: the compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import('../dist/src/cli.js').then((cli) => cli.main(process.argv.slice(2))).catch((err) => {
  process.stderr.write(`tb: cannot start: ${err && err.message ? err.message : err}\n`);
  process.stderr.write("tb: hint: run 'npm run build' (or 'npm ci') in the touchbase folder\n");
  process.exit(1);
});
