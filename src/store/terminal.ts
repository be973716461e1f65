/** Standard input and $EDITOR: the interactive edges. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TbError } from '../errors.js';

/**
 * Reads stdin only when it is a pipe from a shell (FIFO) or a redirected file: never from a
 * terminal, /dev/null or a socket a parent left open, so cron and scripts never hang waiting.
 * A pipe is read to its end, however slowly it comes once it has started (a producer that pauses,
 * 1 MB of notes); more than `maxBytes` is refused rather than cut. A pipe that stays open with
 * nothing in it (a program that started tb and never closed its stdin) is given FIRST_BYTE_MS,
 * then taken as no body, with a note on stderr.
 */
export function readPipedStdin(maxBytes: number, note: (text: string) => void = () => undefined): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(0);
  } catch {
    return undefined;
  }
  if (!st.isFIFO() && !st.isFile()) return undefined;
  const bytes = readToEnd(maxBytes, st.isFIFO(), note);
  if (!bytes) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TbError('the body piped on stdin is not valid UTF-8 text; nothing written', 1);
  }
  return text.trim() ? text : undefined;
}

/** How long an open pipe may stay empty before tb takes it as "no body". */
const FIRST_BYTE_MS = 2000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Stdin opened again, non-blocking, so a wait can time out (Linux gives a pipe reopened through
 * /dev/stdin its own flags); fd 0 itself where that is not possible. Node may have made fd 0
 * non-blocking anyway: either way EAGAIN means "nothing yet", never "done".
 */
function openStdin(pipe: boolean): number {
  if (!pipe) return 0;
  try {
    return fs.openSync('/dev/stdin', fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return 0;
  }
}

/** All of stdin, or undefined when an open pipe brought nothing within FIRST_BYTE_MS. */
function readToEnd(maxBytes: number, pipe: boolean, note: (text: string) => void): Buffer | undefined {
  const fd = openStdin(pipe);
  const chunks: Buffer[] = [];
  const buf = Buffer.allocUnsafe(64 * 1024);
  const started = Date.now();
  let total = 0;
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          if (total === 0 && Date.now() - started > FIRST_BYTE_MS) {
            note('stdin is an open pipe with nothing in it; logging without a body (pass --body, or --no-input to skip stdin)');
            return undefined;
          }
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
  } finally {
    if (fd !== 0) fs.closeSync(fd);
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
