/**
 * What `tb import maildir DIR` and `tb import eml DIR` have read, per machine (docs/mail.md): kept
 * under `.touchbase/mail/` (ignored by git: another machine has other folders), so a re-run reads
 * only messages it has not read. A re-run with nothing new costs a stat of each message folder (a
 * Maildir's cur/ and new/, or the .eml folder): a folder whose inode, mtime and ctime are as
 * recorded has had no file added, removed or renamed. A folder that changed is listed, and only
 * files whose names were not there before are read.
 *
 * A Maildir message keeps its unique name when it moves from new/ to cur/ or gains flags
 * (`1700000000.M1P2.host:2,S`): the part before the info is its key. The state is a speed-up only:
 * deleting it makes the next run read everything again, and messages already logged are then
 * skipped by Message-ID as always. Written only after a run that finished.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensureIndexDir, INDEX_DIR } from './index-dir.js';
import { writeFileAtomic } from './atomic.js';
import { checkMaildir, messageFileOf, shownName } from './mailbox.js';
import type { MessageFile } from './mailbox.js';

/** A folder changed this close to the scan (or later) may change again within its mtime tick: listed next time. */
const RACY_MS = 1000;
const VERSION = 1;
const STATE_DIR = 'mail';

export type MailFolderKind = 'maildir' | 'eml';

export interface MailFolderScan {
  /** Message files not read before, oldest first (shown as given: `DIR/cur/name`). */
  fresh: MessageFile[];
  /** Files in the folder read by an earlier run. */
  known: number;
  /** Records the folder as read (every file listed now); call only when the import finished. */
  save(): void;
}

interface StateFile {
  v: number;
  dir: string;
  kind: MailFolderKind;
  /** The options that decide what a run does with a message (--since, --create-contacts). */
  mode: string;
  /** Message folder (relative to dir) → signature. */
  folders: Record<string, string>;
  count: number;
  /** Names the `.names` file that goes with this state. */
  id: string;
}

/** The unique part of a Maildir name (before `:2,FLAGS`, or `;2,`/`!2,` where `:` is not allowed); an .eml's name. */
export function messageKey(name: string, kind: MailFolderKind): string {
  return kind === 'maildir' ? name.replace(/[:;!]2,[^/]*$/, '') : name;
}

function folderSig(abs: string, scanStart: number): string | undefined {
  let st: fs.BigIntStats;
  try {
    st = fs.statSync(abs, { bigint: true });
  } catch {
    return undefined;
  }
  if (!st.isDirectory()) return undefined;
  if (Number(st.mtimeMs) >= scanStart - RACY_MS || Number(st.ctimeMs) >= scanStart - RACY_MS) return 'r';
  return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
}

function statePaths(root: string, absDir: string, kind: MailFolderKind): { state: string; names: string } {
  const key = createHash('sha256').update(`${kind}\0${absDir}`).digest('hex').slice(0, 32);
  const base = path.join(root, INDEX_DIR, STATE_DIR, key);
  return { state: `${base}.json`, names: `${base}.names` };
}

function readState(file: string): StateFile | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as StateFile;
    const ok = s && s.v === VERSION && typeof s.dir === 'string' && typeof s.mode === 'string' && typeof s.id === 'string' &&
      typeof s.count === 'number' && typeof s.folders === 'object' && s.folders !== null;
    return ok ? s : undefined;
  } catch {
    return undefined;
  }
}

/** The keys read before, when the names file belongs to the state. */
function readNames(file: string, id: string): Set<string> | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const nl = text.indexOf('\n');
    if (nl < 0 || text.slice(0, nl) !== id) return undefined;
    return new Set(nl + 1 === text.length ? [] : text.slice(nl + 1).split('\0'));
  } catch {
    return undefined;
  }
}

/** The message files of each folder (plain files, not hidden; .eml only in an eml folder), as bytes: a name need not be UTF-8. */
function listFolder(absFolder: string, kind: MailFolderKind): Buffer[] {
  const out: Buffer[] = [];
  for (const e of fs.readdirSync(absFolder, { withFileTypes: true, encoding: 'buffer' })) {
    if (!e.isFile() || e.name[0] === 0x2e) continue;
    if (kind === 'eml' && !/\.eml$/i.test(e.name.toString('latin1'))) continue;
    out.push(e.name);
  }
  return out;
}

/** Oldest first: Maildir names start with the delivery time in seconds; then by name. */
export function byDelivery(a: string, b: string): number {
  const stamp = (f: string) => Number(/^(\d+)/.exec(path.basename(f))?.[1] ?? Infinity);
  return stamp(a) - stamp(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * What of `dir` (a Maildir, or a folder of .eml files; `shown` as the user gave it) was not read
 * before by a run with the same `mode`. `rescan`: every file counts as new.
 */
export function scanMailFolder(root: string, absDir: string, shown: string, kind: MailFolderKind, opts: { mode: string; rescan?: boolean; now: () => number }): MailFolderScan {
  const folders = kind === 'maildir' ? ['cur', 'new'].filter((s) => fs.existsSync(path.join(absDir, s))) : ['.'];
  const files = statePaths(root, absDir, kind);
  const scanStart = opts.now();
  // Signatures first, so a message delivered while the folders are listed changes them for next time.
  const sigs: Record<string, string> = {};
  for (const f of folders) sigs[f] = folderSig(path.join(absDir, f), scanStart) ?? 'r';
  const old = opts.rescan ? undefined : readState(files.state);
  const usable = old !== undefined && old.dir === absDir && old.kind === kind && old.mode === opts.mode;
  const same = usable && folders.length === Object.keys(old.folders).length && folders.every((f) => sigs[f] !== 'r' && old.folders[f] === sigs[f]);
  if (same) return { fresh: [], known: old.count, save: () => undefined };
  const known = usable ? readNames(files.names, old.id) : undefined;
  const keys: string[] = [];
  const fresh: MessageFile[] = [];
  for (const f of folders) {
    for (const name of listFolder(path.join(absDir, f), kind)) {
      // A name that is not UTF-8 is known by its shown form (bad bytes as \xNN).
      const key = messageKey(shownName(name), kind);
      keys.push(key);
      if (!known?.has(key)) fresh.push(messageFileOf(shown, f, path.join(absDir, f), name));
    }
  }
  fresh.sort((a, b) => byDelivery(a.shown, b.shown));
  const save = () => saveState(root, files, { v: VERSION, dir: absDir, kind, mode: opts.mode, folders: sigs, count: keys.length, id: '' }, keys);
  return { fresh, known: keys.length - fresh.length, save };
}

function saveState(root: string, files: { state: string; names: string }, state: StateFile, keys: string[]): void {
  if (keys.some((k) => k.includes('\0') || k.includes('\n'))) return; // not storable: read every time
  if (!ensureIndexDir(root, STATE_DIR)) return;
  state.id = `${Date.now().toString(36)}${process.pid.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  try {
    // The names first: a state naming an id whose names are not written is never used.
    writeFileAtomic(files.names, `${state.id}\n${keys.join('\0')}`, { durable: false });
    writeFileAtomic(files.state, JSON.stringify(state), { durable: false });
  } catch {
    // A speed-up only: the next run reads the folder again.
  }
}

/**
 * The folder an import reads incrementally, scanned: a Maildir (`tb import maildir DIR`) or a
 * folder of .eml files (`tb import eml DIR`); undefined for files, an mbox, stdin or a calendar.
 */
export function folderToScan(root: string, cwd: string, format: string, inputs: readonly string[], opts: { mode: string; rescan?: boolean; now: () => number }): MailFolderScan | undefined {
  if (inputs.length !== 1 || inputs[0] === '-' || (format !== 'maildir' && format !== 'eml')) return undefined;
  const abs = path.resolve(cwd, inputs[0]);
  if (format === 'eml' && !fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  if (format === 'maildir') checkMaildir(cwd, inputs[0]); // the errors of a plain run
  return scanMailFolder(root, fs.realpathSync(abs), inputs[0], format, opts);
}
