/**
 * Many new files at once (a mailbox import): each is still created exclusively and atomically,
 * but without its own fsync (4 ms each on this kind of machine: 40 s for 10,000 messages); one
 * flush of the file system at the end makes them all durable before the command reports success.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Makes the files (root-relative) durable: `sync -f` (syncfs), else an fsync per file. */
export function flushWritten(root: string, rels: readonly string[]): void {
  if (rels.length === 0) return;
  const r = spawnSync('sync', ['-f', root], { stdio: 'ignore' });
  if (!r.error && r.status === 0) return;
  for (const rel of rels) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(path.join(root, rel), 'r');
      fs.fsyncSync(fd);
    } catch {
      // A file someone removed meanwhile needs no flushing.
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }
}
