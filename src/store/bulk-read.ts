/**
 * Reading many record files for the index, as fast as this machine allows: four system calls a file
 * (open, read, fstat, close — the fstat after the read, so a change during the read is seen), and
 * above a few thousand files a second thread (read-worker.ts) that takes chunks of the same list,
 * so both cores read and parse. Results come back in the order asked, whoever read them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { FrontMatter } from '../core/types.js';
import { decodeText, oversizeError, parseRecordText, problemOf } from './frontmatter.js';
import { reportProgress } from './progress.js';

/** [size, mtimeMs, ctimeMs, ino] */
export type StatKey = [number, number, number, number];

/** A file read and parsed (data, or the problem that stopped it), with its stat after the read. */
export interface FileRead {
  data: FrontMatter | null;
  problem?: [number, string];
  /** Undefined when the file could not be stat'ed (never trusted). */
  stat?: StatKey;
}

/** 'missing': gone (or its folder is); 'special': not a regular file (a symbolic link, a folder, a FIFO). */
export type ReadOutcome = FileRead | 'missing' | 'special';

export interface ReadJob {
  root: string;
  rels: string[];
  maxSize: number;
  /** Keep only these front matter keys. */
  projection?: readonly string[];
  /** Follow symbolic links (outside git, where the walk already vetted them). */
  follow: boolean;
}

export function projectData(data: FrontMatter, keys: readonly string[]): FrontMatter {
  const out: FrontMatter = {};
  for (const k of Object.keys(data)) if (keys.includes(k)) out[k] = data[k];
  return out;
}

// O_NONBLOCK: opening a FIFO someone left in a record folder must not hang the read.
const BASE_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;
/** Most record files are a few hundred bytes: one read into this buffer, decoded at once. */
const scratch = Buffer.allocUnsafe(64 * 1024);

function isRegularFile(fd: number): boolean {
  try {
    return fs.fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Reads and parses one file, the way parseRecordFile does. */
export function readRecordFile(job: Omit<ReadJob, 'rels'>, rel: string): ReadOutcome {
  let fd: number;
  try {
    fd = fs.openSync(path.join(job.root, rel), BASE_FLAGS | (job.follow ? 0 : NO_FOLLOW));
  } catch (err) {
    const code = errno(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    if (code === 'ELOOP') return 'special';
    return { data: null, problem: problemOf(err) };
  }
  let result: FileRead = { data: null };
  let special = false;
  try {
    let n: number;
    try {
      n = fs.readSync(fd, scratch, 0, scratch.length, 0);
    } catch (err) {
      // A folder (EISDIR), a FIFO (ESPIPE, EAGAIN) …: whatever it is, it is not a record file.
      special = !isRegularFile(fd);
      throw err;
    }
    let bytes: Buffer = scratch.subarray(0, n);
    if (n === scratch.length) bytes = readRest(fd, rel, n, job.maxSize);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) special = true;
    result.stat = [st.size, st.mtimeMs, st.ctimeMs, st.ino];
    if (st.size > job.maxSize || bytes.length > job.maxSize) throw oversizeError(rel, Math.max(st.size, bytes.length), job.maxSize);
    let data = parseRecordText(decodeText(bytes, rel), rel).data;
    if (job.projection) data = projectData(data, job.projection);
    result.data = data;
  } catch (err) {
    result = { data: null, problem: problemOf(err), stat: result.stat };
  } finally {
    fs.closeSync(fd);
  }
  return special ? 'special' : result;
}

/** A file larger than the scratch buffer: its size decides, then the rest is read. */
function readRest(fd: number, rel: string, already: number, maxSize: number): Buffer {
  const size = fs.fstatSync(fd).size;
  if (size > maxSize) throw oversizeError(rel, size, maxSize);
  let buf = Buffer.allocUnsafe(Math.max(size, already) + 1);
  scratch.copy(buf, 0, 0, already);
  let off = already;
  for (;;) {
    if (off === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger);
      buf = bigger;
    }
    const n = fs.readSync(fd, buf, off, buf.length - off, off);
    if (n === 0) break;
    off += n;
    if (off > maxSize) throw oversizeError(rel, off, maxSize);
  }
  return buf.subarray(0, off);
}

/** Below this many files a second thread costs more than it saves. */
const PARALLEL_MIN = 2000;
const CHUNK = 256;
/** The worker's code, next to this file once compiled (absent when run from TypeScript sources). */
const WORKER_URL = new URL('./read-worker.js', import.meta.url);

/** Control words shared with the worker, one set per job. */
export const NEXT_CHUNK = 0;
export const CHUNKS_SENT = 1;

/** What the worker is asked to do: take chunks of `job.rels` via `ctl` until none are left. */
export interface JobMessage {
  id: number;
  job: ReadJob;
  ctl: Int32Array;
  chunk: number;
}

export interface ChunkMessage {
  id: number;
  chunk: number;
  out: ReadOutcome[];
}

export function readRecordFiles(job: ReadJob): ReadOutcome[] {
  const chunks = Math.ceil(job.rels.length / CHUNK);
  const helper = job.rels.length >= PARALLEL_MIN ? readerThread() : undefined;
  const ctl = new Int32Array(new SharedArrayBuffer(8));
  const id = ++jobs;
  helper?.port.postMessage({ id, job, ctl, chunk: CHUNK } satisfies JobMessage);
  // Filled, not sparse: every() and forEach() skip holes.
  const results: Array<ReadOutcome[] | undefined> = Array.from({ length: chunks }, () => undefined);
  const readChunk = (c: number) => {
    const out: ReadOutcome[] = [];
    for (let i = c * CHUNK; i < Math.min(job.rels.length, (c + 1) * CHUNK); i++) out.push(readRecordFile(job, job.rels[i]));
    results[c] = out;
  };
  for (;;) {
    const c = Atomics.add(ctl, NEXT_CHUNK, 1);
    if (c >= chunks) break;
    readChunk(c);
    // Chunks are taken in order by both threads: c + 1 of them have been started.
    if (chunks > 1) reportProgress('reading records', Math.min(job.rels.length, (c + 1) * CHUNK), job.rels.length);
  }
  if (helper) collect(helper, id, ctl, results, readChunk);
  // The helper may have read the last chunks: the line says all were read, not the main thread's last.
  if (chunks > 1) reportProgress('reading records', job.rels.length, job.rels.length);
  return results.flatMap((r) => r!);
}

interface ReaderThread {
  worker: Worker;
  port: MessagePort;
}

type MessagePort = import('node:worker_threads').MessagePort;

let jobs = 0;
/** One helper thread per process, started on the first large read and kept for the next ones. */
let thread: ReaderThread | null | undefined;

/** Starts the helper thread ahead of a large read, so it is ready when the read begins. */
export function startReaderThread(): void {
  readerThread();
}

function readerThread(): ReaderThread | undefined {
  if (thread !== undefined) return thread ?? undefined;
  thread = null;
  if (!fs.existsSync(WORKER_URL)) return undefined;
  try {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_URL, { workerData: { port: port2 }, transferList: [port2] });
    // Never keeps the process alive; a failure only means this thread reads everything.
    worker.unref();
    port1.unref();
    worker.on('error', () => {
      thread = null;
    });
    thread = { worker, port: port1 };
    return thread;
  } catch {
    return undefined;
  }
}

/**
 * Waits for the chunks the worker took. It reports each one as it finishes; if it stops reporting
 * (it died), the chunks still missing are read here, so a failed thread costs time, never data.
 */
function collect(w: ReaderThread, id: number, ctl: Int32Array, results: Array<ReadOutcome[] | undefined>, readChunk: (c: number) => void): void {
  const STALL_MS = 10_000;
  let seen = 0;
  let waitedSince = Date.now();
  for (;;) {
    let m;
    while ((m = receiveMessageOnPort(w.port))) {
      const msg = m.message as ChunkMessage;
      if (msg.id === id) results[msg.chunk] = msg.out;
    }
    if (results.every((r) => r !== undefined)) return;
    const sent = Atomics.load(ctl, CHUNKS_SENT);
    if (sent !== seen) {
      seen = sent;
      waitedSince = Date.now();
      continue;
    }
    // A thread that exited (threadId -1) or went quiet for long: read what it took here.
    if (w.worker.threadId === -1 || Date.now() - waitedSince > STALL_MS) {
      results.forEach((r, c) => r === undefined && readChunk(c));
      thread = null; // do not count on it again
      return;
    }
    Atomics.wait(ctl, CHUNKS_SENT, seen, 100);
  }
}
