/**
 * The helper thread of bulk-read.ts: for each job, takes chunks of the file list from the job's
 * shared counter until none are left, posting each chunk's results as soon as it is read.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { CHUNKS_SENT, NEXT_CHUNK, readRecordFile, type ChunkMessage, type JobMessage, type ReadOutcome } from './bulk-read.js';

const { port } = workerData as { port: MessagePort };
port.on('message', ({ id, job, ctl, chunk }: JobMessage) => {
  const chunks = Math.ceil(job.rels.length / chunk);
  for (;;) {
    const c = Atomics.add(ctl, NEXT_CHUNK, 1);
    if (c >= chunks) break;
    const out: ReadOutcome[] = [];
    for (let i = c * chunk; i < Math.min(job.rels.length, (c + 1) * chunk); i++) out.push(readRecordFile(job, job.rels[i]));
    port.postMessage({ id, chunk: c, out } satisfies ChunkMessage);
    Atomics.add(ctl, CHUNKS_SENT, 1);
    Atomics.notify(ctl, CHUNKS_SENT);
  }
});
