/** Standard input and $EDITOR: the interactive edges. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TbError } from '../errors.js';

/**
 * Reads stdin only when it is a pipe from a shell (FIFO) or a redirected file: never from a
 * terminal, /dev/null or a socket a parent left open, so cron and scripts never hang waiting.
 */
export function readPipedStdin(): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(0);
  } catch {
    return undefined;
  }
  if (!st.isFIFO() && !st.isFile()) return undefined;
  try {
    const text = fs.readFileSync(0, 'utf8');
    return text.trim() ? text : undefined;
  } catch {
    return undefined;
  }
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
