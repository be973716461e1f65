/**
 * Real peers for the end-to-end tests of test/peers/: programs from the operating system (Radicale,
 * vdirsyncer, notmuch), found on PATH. `.ci/run` installs them; where one is missing its tests are
 * skipped and say so (scripts/test.mjs repeats it in the closing lines).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, program)));
}

/** The programs of `names` that are not installed, for a skip message. */
export function missing(...names: string[]): string[] {
  return names.filter((n) => !onPath(n));
}

export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input ?? '', env: { ...process.env, ...opts.env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A port nobody listens on now (the kernel's pick). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Waits until something accepts connections on the port, or the process has died. Not bounded
 * here: a busy machine is slow, never wrong (the suite's test timeout stops a hung start).
 */
async function listening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`radicale exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Radicale {
  url: string;
  user: string;
  stop(): Promise<void>;
  /** An HTTP request to the server as `user`. */
  request(method: string, rel: string, body?: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
}

/** A Radicale CardDAV/CalDAV server on 127.0.0.1, its storage in `dir`, any password accepted. */
export async function startRadicale(dir: string): Promise<Radicale> {
  // The port was free a moment ago; another program may have taken it since: then another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRadicaleOn(dir, await freePort());
    } catch (err) {
      if (attempt >= 5 || !/address already in use|errno 98/i.test((err as Error).message)) throw err;
    }
  }
}

async function startRadicaleOn(dir: string, port: number): Promise<Radicale> {
  const logFile = path.join(dir, 'radicale.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn('radicale', [
    '--server-hosts', `127.0.0.1:${port}`, '--storage-filesystem-folder', path.join(dir, 'storage'),
    '--auth-type', 'none', '--rights-type', 'owner_only', '--web-type', 'none', '--logging-level', 'warning',
  ], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  await listening(port, child, () => fs.readFileSync(logFile, 'utf8'));
  const url = `http://127.0.0.1:${port}`;
  const user = 'user';
  const auth = `Basic ${Buffer.from(`${user}:secret`).toString('base64')}`;
  return {
    url, user,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
    async request(method, rel, body, headers = {}) {
      const res = await fetch(`${url}${rel}`, { method, body, headers: { Authorization: auth, ...headers } });
      return { status: res.status, text: await res.text() };
    },
  };
}

/** The body of an address book's MKCOL (RFC 6352 §6.3.1). */
export const MKCOL_ADDRESSBOOK = `<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>
<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype><D:displayname>Contacts</D:displayname>
</D:prop></D:set></D:mkcol>`;
