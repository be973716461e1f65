/**
 * Records removed from the CRM, as git's history knows them (docs/removing.md): `tb history` of a
 * removed record, `tb restore`, and imports that would re-create a removed contact. One
 * `git log --diff-filter=D` finds every removal on the current branch; `git cat-file --batch`
 * reads the removed files' last text, all in one process. Outside git nothing was kept.
 */
import { AmbiguousError, TbError } from '../errors.js';
import { FOLDER_OF, RECORD_TYPES } from '../core/types.js';
import type { RecordType } from '../core/types.js';
import { createFileExclusive } from './atomic.js';
import { assertNoGitOperation } from './git-guard.js';
import { git, hasCommits, isInsideWorkTree } from './git.js';
import { recordPath } from './write.js';
import { parseRecordText } from './frontmatter.js';
import { slugify } from '../core/slug.js';

export interface RemovedRecord {
  type: RecordType;
  id: string;
  /** Root-relative path the record had. */
  path: string;
  /** The commit that deleted it; its parent holds the last text. */
  commit: string;
  /** ISO date of that commit. */
  date: string;
}

const TYPE_OF_FOLDER = new Map<string, RecordType>(RECORD_TYPES.map((t) => [FOLDER_OF[t], t]));

/** The record a root-relative path is (`contacts/ada.md`, `interactions/2026/11/x.md`), if any. */
function recordOfPath(rel: string): { type: RecordType; id: string } | undefined {
  const m = /^([a-z]+)\/(?:\d{4}\/\d{2}\/)?([^/]+)\.md$/.exec(rel);
  const type = m ? TYPE_OF_FOLDER.get(m[1]) : undefined;
  return m && type ? { type, id: m[2] } : undefined;
}

/**
 * The removed record `ref` names, as commands name records: its id, else a unique id prefix (or
 * the prefix of the ref as a slug: `ada` or `Ada Lovelace` for `ada-lovelace`). Several: an error
 * listing them; none: undefined.
 */
export function findRemoved(removed: readonly RemovedRecord[], ref: string): RemovedRecord | undefined {
  const id = ref.trim().toLowerCase();
  const exact = removed.find((r) => r.id === id);
  if (exact) return exact;
  const slug = slugify(ref);
  const hits = removed.filter((r) => r.id.startsWith(id) || (slug !== '' && r.id.startsWith(slug)));
  if (hits.length > 1) throw new AmbiguousError(`'${ref}' matches ${hits.length} removed records`, hits.slice(0, 10).map((r) => `${r.id} (${r.type})`));
  return hits[0];
}

/**
 * Every record file deleted on the current branch, newest deletion first, one entry per path (a
 * path deleted, re-created and deleted again counts once, at its latest deletion).
 */
export function removedRecords(root: string): RemovedRecord[] {
  if (!isInsideWorkTree(root) || !hasCommits(root)) return [];
  const r = git(root, ['log', '--diff-filter=D', '--no-renames', '--relative', '--name-only', '-z', '--format=%x01%H %cI']);
  if (!r.ok) return [];
  const out: RemovedRecord[] = [];
  const seen = new Set<string>();
  for (const block of r.stdout.split('\x01').filter(Boolean)) {
    // "<commit> <date>\0\n<path>\0<path>\0…" (-z ends the header with NUL too).
    const end = block.indexOf('\0');
    const [commit, date] = block.slice(0, end).split(' ');
    for (const rel of block.slice(end + 1).split('\0').map((p) => p.replace(/^\n/, '')).filter(Boolean)) {
      const rec = recordOfPath(rel);
      if (!rec || seen.has(rel)) continue;
      seen.add(rel);
      out.push({ ...rec, path: rel, commit, date });
    }
  }
  return out;
}

/** The text each removed record had in the last commit that had it (one git process for all). */
export function lastTexts(root: string, removed: readonly RemovedRecord[]): Map<string, string> {
  const texts = new Map<string, string>();
  if (!removed.length) return texts;
  const input = removed.map((r) => `${r.commit}^:./${r.path}`).join('\n') + '\n';
  const res = git(root, ['cat-file', '--batch'], input);
  if (!res.ok) return texts;
  // Parsed by byte counts: "<sha> blob <size>\n<content>\n", or "<name> missing\n".
  const buf = Buffer.from(res.stdout, 'utf8');
  let at = 0;
  for (const r of removed) {
    const nl = buf.indexOf(10, at);
    if (nl < 0) break;
    const header = buf.subarray(at, nl).toString('utf8').split(' ');
    at = nl + 1;
    if (header[1] !== 'blob') continue;
    const size = Number(header[2]);
    texts.set(r.path, buf.subarray(at, at + size).toString('utf8'));
    at += size + 1;
  }
  return texts;
}

/** Writes a removed record's text back at its path, never over an existing file. */
export function restoreRecordFile(root: string, rec: RemovedRecord, text: string): void {
  const subdir = rec.path.split('/').slice(1, -1).join('/');
  const { abs, rel } = recordPath(root, rec.type, subdir, rec.id);
  assertNoGitOperation(root);
  if (!createFileExclusive(abs, text)) throw new TbError(`${rel} exists already; nothing restored`, 1);
}

/** Contacts removed in git's history, with the emails their last text had (for imports). */
export function removedContacts(root: string): Array<{ id: string; emails: string[]; commit: string }> {
  const contacts = removedRecords(root).filter((r) => r.type === 'contact');
  const texts = lastTexts(root, contacts);
  return contacts.map((r) => {
    let emails: string[] = [];
    try {
      const data = parseRecordText(texts.get(r.path) ?? '', r.path).data;
      emails = (Array.isArray(data.emails) ? data.emails : [data.emails ?? data.email]).filter((e): e is string => typeof e === 'string');
    } catch {
      // A removed file tb could not read: its id still counts.
    }
    return { id: r.id, emails, commit: r.commit.slice(0, 7) };
  });
}
