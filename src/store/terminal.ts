/** Standard input and $EDITOR: the interactive edges. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TbError } from '../errors.js';

/**
 * Reads stdin only when it is a pipe from a shell (FIFO) or a redirected file: never from a
 * terminal, /dev/null or a socket a parent left open, so cron and scripts never hang waiting.
 * A pipe is read to its end, however slowly it comes (a producer that pauses, 1 MB of notes);
 * more than `maxBytes` is refused rather than cut.
 */
export function readPipedStdin(maxBytes: number): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(0);
  } catch {
    return undefined;
  }
  if (!st.isFIFO() && !st.isFile()) return undefined;
  const bytes = readToEnd(maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TbError('the body piped on stdin is not valid UTF-8 text; nothing written', 1);
  }
  return text.trim() ? text : undefined;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * All of stdin. Node may have made fd 0 non-blocking (any look at process.stdin does), and then a
 * read of a pipe that is empty for a moment fails with EAGAIN: that means "wait", never "done".
 */
function readToEnd(maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  const buf = Buffer.allocUnsafe(64 * 1024);
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      if (code === 'EOF') break; // Windows' end of a pipe
      throw new TbError(`cannot read the body piped on stdin: ${(err as Error).message}; nothing written`, 1);
    }
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw new TbError(`the body piped on stdin is over ${maxBytes} bytes (max_file_size in touchbase.yaml); nothing written`, 1);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

export function editorCommand(env: Record<string, string | undefined>): string {
  return env.VISUAL || env.EDITOR || 'vi';
}

/** Opens `file` in the user's editor and waits. The editor string may carry arguments. */
export function runEditor(file: string, env: Record<string, string | undefined>): void {
  const editor = editorCommand(env);
  const r = spawnSync('sh', ['-c', `${editor} "$1"`, 'tb-editor', file], { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) throw new TbError(`cannot start editor '${editor}': ${r.error.message}`, 1);
  if (r.status !== 0) throw new TbError(`editor '${editor}' exited with status ${r.status}; nothing saved`, 1);
}

/** Edits `initial` text in a temp file and returns the result. */
export function editText(initial: string, env: Record<string, string | undefined>, name = 'touchbase.md'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-edit-'));
  const file = path.join(dir, name);
  try {
    fs.writeFileSync(file, initial);
    runEditor(file, env);
    return fs.readFileSync(file, 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Keeps an edit that could not be saved, so the user's typing is never lost. */
export function saveRescueCopy(text: string, name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-rescue-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
