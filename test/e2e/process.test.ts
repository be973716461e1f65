/**
 * What only a real process shows: the launcher (bin/tb.js → dist/), exit statuses as the shell
 * sees them, stdout and stderr kept apart, pipes (a reader that goes away, a piped body) and a
 * missing build. Everything else runs in-process (helpers.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AS_OF, EXAMPLE, REPO, TB, exampleCopy, tbProcess } from './helpers.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('the tb launcher as a process', () => {
  it('prints the version without loading the CLI', () => {
    const r = tbProcess(['--version']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
  });

  it('exits 0 on success, 1 on a user error, 2 on wrong usage; errors on stderr only', () => {
    const ok = tbProcess(['--dir', EXAMPLE, '--as-of', AS_OF, 'list', 'companies', '--ids']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    expect(ok.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(3);
    const missing = tbProcess(['--dir', EXAMPLE, 'show', 'nobody-by-this-name']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^tb: /);
    const usage = tbProcess(['--dir', EXAMPLE, 'lst']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("did you mean 'list'");
  });

  it('tb due --exit-code exits 3 when something is due', () => {
    expect(tbProcess(['--dir', EXAMPLE, '--as-of', AS_OF, 'due', '--exit-code', '--quiet']).code).toBe(3);
  });

  it('stops quietly when the reader of its output goes away (EPIPE)', () => {
    const r = spawnSync('sh', ['-c', `node "$TB" --dir "$DIR" --as-of ${AS_OF} list interactions | head -c 10`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', TB, DIR: EXAMPLE },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toHaveLength(10);
    expect(r.stderr).toBe('');
  });

  it('takes a body piped from a shell for tb log', () => {
    const dir = exampleCopy();
    dirs.push(dir);
    const r = spawnSync('sh', ['-c', `echo 'From the pipe' | node "$TB" --dir "$DIR" --as-of ${AS_OF} log amara-okafor 'Piped notes'`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', TB, DIR: dir },
    });
    expect(r.status).toBe(0);
    const folder = path.join(dir, 'interactions', '2026', '11');
    const file = fs.readdirSync(folder).find((f) => f.startsWith(`${AS_OF}-amara-okafor`) && fs.readFileSync(path.join(folder, f), 'utf8').includes('Piped notes'));
    expect(file).toBeDefined();
    expect(fs.readFileSync(path.join(folder, file!), 'utf8')).toContain('From the pipe');
  });

  it('names the missing build and how to make it', () => {
    // A copy of the launcher beside an empty dist/: what a clone without `npm ci` looks like.
    const dir = exampleCopy();
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.copyFileSync(TB, path.join(dir, 'bin', 'tb.js'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"version":"0.0.0","type":"module"}');
    const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'tb.js'), 'list'], { encoding: 'utf8', cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('tb: cannot start');
    expect(r.stderr).toContain("npm run build");
  });
});
