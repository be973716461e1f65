/**
 * Reading mail from disk for `tb import eml|mbox|maildir`: single message files (or stdin), an
 * mbox streamed in chunks, a Maildir's cur/ and new/. Every source yields the same RawMail, one
 * message at a time, so memory stays bounded by the largest message (itself bounded).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DataError, NotFoundError, TbError, UsageError } from '../errors.js';
import { MboxSplitter, NotMboxError } from '../interop/mbox.js';
import { isUtf8 } from '../interop/decode.js';

export interface RawMail {
  /** Where the report points: `inbox.mbox:1234`, `Maildir/cur/1700…:2,S`, `note.eml`, `-`. */
  where: string;
  /** 1-based position in the source (message number in an mbox or Maildir). */
  number: number;
  /** 1-based line of the message's From_ line in an mbox. */
  line?: number;
  /** Null when the message is over the size limit (then only `size` is known). */
  bytes: Buffer | null;
  size: number;
  /** When the message itself has no usable Date: the From_ line's time, the Maildir name's, the file's. */
  fallbackDate?: number;
  /** What fallbackDate is, for the note that says so. */
  fallbackWhat?: string;
}

const CHUNK = 1024 * 1024;

function statInput(abs: string | Buffer, shown: string): fs.Stats {
  try {
    return fs.statSync(abs);
  } catch {
    throw new NotFoundError(`no such file: ${shown}`);
  }
}

/** An mbox, message by message, read in 1 MB chunks. `onBytes` reports progress. */
export async function* readMbox(cwd: string, file: string, maxBytes: number, onBytes?: (done: number, total: number) => void): AsyncGenerator<RawMail> {
  const abs = path.resolve(cwd, file);
  const st = statInput(abs, file);
  if (st.isDirectory()) throw new DataError(`${file} is a directory`, undefined, 'for a Maildir use: tb import maildir DIR');
  const splitter = new MboxSplitter(maxBytes);
  const stream = fs.createReadStream(abs, { highWaterMark: CHUNK });
  let done = 0;
  const split = (f: () => ReturnType<MboxSplitter['end']>) => {
    try {
      return f();
    } catch (err) {
      if (err instanceof NotMboxError) throw new DataError(`${file}: not an mbox (${err.message})`, undefined, 'for one message use: tb import eml FILE');
      throw err;
    }
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      done += chunk.length;
      onBytes?.(done, st.size);
      for (const m of split(() => splitter.push(chunk))) yield fromMbox(file, m);
    }
    for (const m of split(() => splitter.end())) yield fromMbox(file, m);
  } finally {
    stream.destroy();
  }
}

function fromMbox(file: string, m: ReturnType<MboxSplitter['end']>[number]): RawMail {
  return {
    where: `${file}:${m.line}`,
    number: m.number,
    line: m.line,
    bytes: m.tooLarge ? null : m.bytes,
    size: m.size,
    fallbackDate: m.envelopeDate,
    fallbackWhat: m.envelopeDate === undefined ? undefined : "the mbox From_ line's time",
  };
}

/**
 * A message file: the name shown in reports and the path to open. File names are bytes on Linux;
 * one that is not UTF-8 (an old mail tool, a Latin-1 locale) is opened by its bytes and shown with
 * the bad bytes as `\xNN`.
 */
export interface MessageFile {
  shown: string;
  /** Relative to the working directory, or (a name that is not UTF-8) the absolute path's bytes. */
  path: string | Buffer;
}

/** The message files of a Maildir (cur/ and new/), oldest first by their delivery-time names. */
export function listMaildir(cwd: string, dir: string): MessageFile[] {
  const { abs, sub } = checkMaildir(cwd, dir);
  const files: MessageFile[] = [];
  for (const s of sub) {
    for (const e of fs.readdirSync(path.join(abs, s), { withFileTypes: true, encoding: 'buffer' })) {
      if (e.isFile() && e.name[0] !== 0x2e) files.push(messageFileOf(dir, s, path.join(abs, s), e.name));
    }
  }
  const stamp = (f: MessageFile) => Number(/^(\d+)/.exec(path.basename(f.shown))?.[1] ?? Infinity);
  return files.sort((a, b) => stamp(a) - stamp(b) || (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
}

/** The message file `name` (bytes) of the folder `sub` of `dir` (as given; `absSub` its real path). */
export function messageFileOf(dir: string, sub: string, absSub: string, name: Buffer): MessageFile {
  const shown = path.join(dir, sub, shownName(name));
  return { shown, path: isUtf8(name) ? path.join(dir, sub, name.toString('utf8')) : Buffer.concat([Buffer.from(absSub + path.sep), name]) };
}

/** A file name's bytes as text: UTF-8 as is, any other byte as `\xNN`. */
export function shownName(name: Buffer): string {
  if (isUtf8(name)) return name.toString('utf8');
  return [...name.toString('latin1')].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch : `\\x${ch.charCodeAt(0).toString(16).toUpperCase()}`)).join('');
}

/** A Maildir's absolute path and which of cur/ and new/ it has; a clear error when it is not one. */
export function checkMaildir(cwd: string, dir: string): { abs: string; sub: string[] } {
  const abs = path.resolve(cwd, dir);
  const st = statInput(abs, dir);
  if (!st.isDirectory()) throw new DataError(`${dir} is not a directory`, undefined, 'for an mbox file use: tb import mbox FILE');
  const sub = ['cur', 'new'].filter((s) => fs.existsSync(path.join(abs, s)));
  if (sub.length === 0) throw new DataError(`${dir} is not a Maildir (it has no cur/ or new/ folder)`);
  return { abs, sub };
}

/** One message file (an .eml, a Maildir entry); a file over the limit is not read. */
export function readMessageFile(cwd: string, file: string | MessageFile, number: number, maxBytes: number): RawMail {
  const { shown, path: name } = typeof file === 'string' ? { shown: file, path: file } : file;
  const abs = typeof name === 'string' ? path.resolve(cwd, name) : name;
  const st = statInput(abs, shown);
  if (st.isDirectory()) throw new DataError(`${shown} is a directory`, undefined, 'for a Maildir use: tb import maildir DIR');
  const dated = fallbackDateOf(shown, st);
  if (st.size > maxBytes) return { where: shown, number, bytes: null, size: st.size, ...dated };
  const bytes = fs.readFileSync(abs);
  return { where: shown, number, bytes, size: bytes.length, ...dated };
}

/** Files up to this size are read ahead of their turn; a larger one only when it is handled. */
const READ_AHEAD_MAX_BYTES = 1024 * 1024;

/** One message file as readMessageFiles hands it over: the message, or why it could not be read. */
export type ReadResult = { file: string | MessageFile; raw: RawMail } | { file: string | MessageFile; error: unknown };

/**
 * The message files in order, each read up to `ahead` files before its turn, so the disk works
 * while the previous message is parsed and written (a first import of a Maildir waits on 10,000
 * small reads otherwise). Memory stays bounded: only files under 1 MB are read ahead.
 */
export async function* readMessageFiles(cwd: string, files: ReadonlyArray<string | MessageFile>, maxBytes: number, ahead = 8): AsyncGenerator<ReadResult> {
  const pending: Array<Promise<ReadResult>> = [];
  let next = 0;
  const start = () => {
    const i = next++;
    const file = files[i];
    pending.push(readAhead(cwd, file, i + 1, maxBytes).then((raw) => ({ file, raw }), (error: unknown) => ({ file, error })));
  };
  while (next < files.length && pending.length < ahead) start();
  while (pending.length > 0) {
    const done = await pending.shift()!;
    if (next < files.length) start();
    // A file too big to read ahead is read now, in its turn.
    yield 'raw' in done && done.raw.bytes === null && done.raw.size <= maxBytes ? readNow(cwd, done.file, done.raw.number, maxBytes) : done;
  }
}

function readNow(cwd: string, file: string | MessageFile, number: number, maxBytes: number): ReadResult {
  try {
    return { file, raw: readMessageFile(cwd, file, number, maxBytes) };
  } catch (error) {
    return { file, error };
  }
}

/** readMessageFile through the thread pool; a file over 1 MB comes back unread (bytes null, size known). */
async function readAhead(cwd: string, file: string | MessageFile, number: number, maxBytes: number): Promise<RawMail> {
  const { shown, path: name } = typeof file === 'string' ? { shown: file, path: file } : file;
  const abs = typeof name === 'string' ? path.resolve(cwd, name) : name;
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(abs);
  } catch {
    throw new NotFoundError(`no such file: ${shown}`);
  }
  if (st.isDirectory()) throw new DataError(`${shown} is a directory`, undefined, 'for a Maildir use: tb import maildir DIR');
  const dated = fallbackDateOf(shown, st);
  if (st.size > Math.min(maxBytes, READ_AHEAD_MAX_BYTES)) return { where: shown, number, bytes: null, size: st.size, ...dated };
  const bytes = await fs.promises.readFile(abs);
  return { where: shown, number, bytes, size: bytes.length, ...dated };
}

/** The time a message without a usable Date is dated by: its Maildir name's delivery time, else the file's mtime. */
function fallbackDateOf(shown: string, st: fs.Stats): { fallbackDate: number; fallbackWhat: string } {
  // Maildir names start with the delivery time in seconds; it beats the file's mtime.
  const named = /^(\d{9,11})\./.exec(path.basename(shown));
  return named
    ? { fallbackDate: Number(named[1]) * 1000, fallbackWhat: "the Maildir file name's delivery time" }
    : { fallbackDate: st.mtimeMs, fallbackWhat: "the file's modification time" };
}

/** A message piped on stdin (`| tb import eml -`); `now` stands in for a missing Date. */
export function readStdinMessage(maxBytes: number, now: Date): RawMail {
  const bytes = readStdinBytes(maxBytes);
  if (bytes === undefined) throw new UsageError('tb import eml - reads a message from stdin, which is a terminal here', 'pipe one in: tb import eml - < message.eml');
  if (bytes.length === 0) throw new DataError('no message on stdin (it was empty)');
  return { where: '-', number: 1, bytes, size: bytes.length, fallbackDate: now.getTime(), fallbackWhat: 'the time of the import' };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * All of stdin as bytes, for `tb import eml -`: a pipe, a socket (as programs that spawn tb give)
 * or a redirected file, read until it ends (a mail client writes the message at once); undefined
 * from a terminal. More than `maxBytes` is refused, naming the limit.
 */
function readStdinBytes(maxBytes: number): Buffer | undefined {
  try {
    if (fs.fstatSync(0).isCharacterDevice()) return undefined;
  } catch {
    return undefined;
  }
  const chunks: Buffer[] = [];
  const buf = Buffer.allocUnsafe(CHUNK);
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A non-blocking stdin with nothing yet: wait a little, it is coming.
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      if (code === 'EOF') break;
      throw new TbError(`cannot read the message on stdin: ${(err as Error).message}`, 1);
    }
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw new DataError(`the message on stdin is over ${maxBytes} bytes (the message size limit); nothing written`);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}
