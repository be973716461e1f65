/**
 * The vdir side of `tb vdir sync` (docs/vdir.md): reading the card files of one folder, writing and
 * deleting them as vdirsyncer does (a temporary file renamed into place), and the last-synced
 * state of that folder on this machine, kept in `.touchbase/contacts-vdir/` (never in git; calendar folders keep theirs in `vdir/`).
 *
 * Nothing outside the folder is written: card names come from the folder's own listing or from
 * tb (a UID of safe characters), links are never followed, and a name with a slash is refused.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataError, UsageError } from '../errors.js';
import type { SyncPlan, SyncState } from '../core/vdir-sync.js';
import { createRecord, deleteRecord, flushToDisk, updateRecord } from './write.js';
import { recordExistsAnywhere } from './lookup.js';
import { withRecordLock } from './lock.js';
import { ensureIndexDir, INDEX_DIR } from './index-dir.js';
import { writeFileAtomic } from './atomic.js';
import { faultPoint } from './fault.js';

/** A card larger than this (a huge PHOTO) is left alone. */
const MAX_CARD_BYTES = 16 * 1024 * 1024;

export interface CardFile {
  file: string;
  bytes: Buffer;
}

export interface VdirListing {
  /** The folder's real path (links in the path the user gave resolved once). */
  dir: string;
  cards: CardFile[];
  /** Every entry's name, cards or not: a new card never takes a name that is there. */
  names: string[];
  /** Files that are not readable cards, with why; their UIDs are unknown. */
  skipped: Array<{ file: string; reason: string }>;
}

/** The folder as the user named it: it must exist and be a directory. */
export function vdirPath(cwd: string, dir: string): string {
  const abs = path.resolve(cwd, dir);
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    throw new UsageError(`no such folder: ${dir}`, 'name the vdir folder of your address book (one .vcf file per contact), e.g. ~/.contacts/work');
  }
  if (!fs.statSync(real).isDirectory()) throw new UsageError(`not a folder: ${dir}`, 'tb vdir sync takes the folder of .vcf files, not one file (tb import vcard reads one file)');
  return real;
}

/** The names in the folder, without reading any card (what the state's cards are checked against). */
export function vdirNames(dir: string): Set<string> {
  return new Set(fs.readdirSync(dir));
}

/** The folder's `.vcf` files; links, folders and other files are not cards. */
export function readVdir(dir: string): VdirListing {
  const listing: VdirListing = { dir, cards: [], names: [], skipped: [] };
  for (const raw of fs.readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare)) {
    const file = raw.toString('utf8');
    listing.names.push(file);
    if (!/\.vcf$/i.test(file) || file.startsWith('.')) continue;
    if (!Buffer.from(file, 'utf8').equals(raw)) {
      listing.skipped.push({ file, reason: 'the file name is not UTF-8; rename it to sync it' });
      continue;
    }
    const abs = path.join(dir, file);
    const st = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (!st) continue;
    if (!st.isFile()) {
      listing.skipped.push({ file, reason: st.isSymbolicLink() ? 'a symbolic link, not a card file' : 'not a regular file' });
    } else if (st.size > MAX_CARD_BYTES) {
      listing.skipped.push({ file, reason: `larger than ${MAX_CARD_BYTES / 1024 / 1024} MB` });
    } else {
      try {
        listing.cards.push({ file, bytes: fs.readFileSync(abs) });
      } catch (err) {
        listing.skipped.push({ file, reason: (err as Error).message });
      }
    }
  }
  return listing;
}

function cardPath(dir: string, file: string): string {
  if (file !== path.basename(file) || file.startsWith('.') || !/\.vcf$/i.test(file)) throw new DataError(`refusing to write card '${file}' (not a plain .vcf name in the folder)`);
  return path.join(dir, file);
}

/**
 * Writes a card as vdirsyncer does: a temporary file in the folder, renamed over the card. A new
 * card (`original` undefined) never replaces a file; an edited one only the bytes tb read (a card
 * changed meanwhile by vdirsyncer or khard is left for the next sync). Returns false when left.
 */
export function writeCard(dir: string, file: string, bytes: Buffer, original: Buffer | undefined): boolean {
  const abs = cardPath(dir, file);
  // A short temporary name: the card's own name may be near the file system's limit.
  const tmp = path.join(dir, `.tb-card-${process.pid}-${crypto.randomBytes(6).toString('hex')}.tmp`);
  // O_EXCL|O_NOFOLLOW: never through a link someone put there.
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o644);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (original === undefined) {
      // Exclusive: link fails when the name is taken.
      try {
        fs.linkSync(tmp, abs);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      }
      return true;
    }
    if (!sameBytes(abs, original)) return false;
    fs.renameSync(tmp, abs);
    return true;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function sameBytes(abs: string, expected: Buffer): boolean {
  try {
    return fs.readFileSync(abs).equals(expected);
  } catch {
    return false;
  }
}

/** Removes a card file (a link is removed itself, never what it points to). */
export function deleteCard(dir: string, file: string): void {
  fs.rmSync(cardPath(dir, file), { force: true });
}

const STATE_SUB = 'contacts-vdir';

/** The state file of one vdir on this machine, relative to the CRM root (also the sync's lock name). */
export function stateRel(dir: string): string {
  const key = crypto.createHash('sha256').update(dir).digest('hex').slice(0, 16);
  return `${INDEX_DIR}/${STATE_SUB}/${key}.json`;
}

function statePath(root: string, dir: string): string {
  return path.join(root, stateRel(dir));
}

export function readSyncState(root: string, dir: string): SyncState {
  let text: string;
  try {
    text = fs.readFileSync(statePath(root, dir), 'utf8');
  } catch {
    return { cards: {} };
  }
  try {
    const parsed = JSON.parse(text) as { dir?: string; cards?: SyncState['cards']; where?: unknown };
    if (parsed.dir !== dir || typeof parsed.cards !== 'object' || parsed.cards === null) return { cards: {} };
    return typeof parsed.where === 'string' && parsed.where.trim() ? { cards: parsed.cards, where: parsed.where } : { cards: parsed.cards };
  } catch {
    // A damaged state file (the machine crashed while writing it is ruled out by the rename): as
    // after a fresh clone, every card pairs by UID again, so nothing is duplicated or deleted.
    return { cards: {} };
  }
}

export function writeSyncState(root: string, dir: string, state: SyncState): void {
  faultPoint('vdir-before-state');
  if (!ensureIndexDir(root, STATE_SUB)) throw new DataError(`cannot write ${INDEX_DIR}/${STATE_SUB}/ (the last-synced state of ${dir})`);
  writeFileAtomic(statePath(root, dir), JSON.stringify({ dir, ...(state.where ? { where: state.where } : {}), cards: state.cards }, null, 1) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Carrying out a plan

export interface CardBytes {
  /** The bytes to write for each planned card (patched or new), by file name. */
  get(file: string): Buffer;
  /** The bytes of the card as read (undefined for a new card). */
  original(file: string): Buffer | undefined;
}

/**
 * Writes a plan in the order that makes a crash at any point safe (docs/vdir.md, "Crashes"):
 * records first (a new contact carries its card's UID, so the next run pairs instead of
 * duplicating), then cards, then deletions, and the state last; `wrote` hears every record path.
 */
export function applyVdirPlan(root: string, dir: string, plan: SyncPlan, cards: CardBytes, wrote: (rel: string) => void, willWrite: (rel: string) => void = () => undefined): void {
  const renamed = new Map<string, string>();
  const created: string[] = [];
  for (const step of plan.steps) {
    if (step.op === 'create') {
      const data = { ...step.data };
      if (typeof data.company === 'string' && renamed.has(data.company)) data.company = renamed.get(data.company);
      const rec = createRecord(root, { type: step.type, baseId: step.id, data, body: step.body, durable: false, beforeCreate: willWrite }, (id) => recordExistsAnywhere(root, id, step.type));
      if (rec.id !== step.id) renamed.set(step.id, rec.id);
      created.push(rec.path);
      wrote(rec.path);
    } else {
      updateRecord(root, step.path, step.edits.map((e) => (e.value === undefined ? { key: e.key, remove: true as const } : e)));
      wrote(step.path);
    }
    faultPoint('vdir-record');
  }
  flushToDisk(root, created);
  for (const entry of Object.values(plan.state.cards)) entry.contact = renamed.get(entry.contact) ?? entry.contact;
  faultPoint('vdir-after-records');
  for (const w of plan.cardWrites) {
    const written = writeCard(dir, w.file, cards.get(w.file), w.created ? undefined : cards.original(w.file));
    faultPoint('vdir-card');
    if (written) continue;
    // Changed meanwhile (or the name taken): its state is forgotten, so the next run merges it afresh.
    delete plan.state.cards[w.uid];
    plan.notes.push({ uid: w.uid, file: w.file, contact: w.contact, message: 'the card changed while tb synced it; left for the next sync' });
  }
  faultPoint('vdir-after-cards');
  for (const d of plan.contactDeletes) {
    withRecordLock(root, d.path, () => deleteRecord(root, d.path));
    wrote(d.path);
  }
  for (const d of plan.cardDeletes) deleteCard(dir, d.file);
  writeSyncState(root, dir, plan.state);
}
