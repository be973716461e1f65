/**
 * Pure helpers for `tb sync` and `tb history`: parsing git's output and deciding what to tell the
 * user. No git calls here (those are in src/store/git.ts).
 */

/** One entry of `git status --porcelain=v1 -z`. */
export interface StatusEntry {
  /** Two status letters, e.g. ' M', 'A ', '??', 'UU'. */
  code: string;
  path: string;
}

/** Parses `git status --porcelain=v1 -z` (renames carry a second, NUL-separated original path). */
export function parsePorcelainZ(text: string): StatusEntry[] {
  const parts = text.split('\0');
  const out: StatusEntry[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.length < 4) continue;
    const code = p.slice(0, 2);
    out.push({ code, path: p.slice(3) });
    if (code[0] === 'R' || code[0] === 'C') i++; // skip the original path of a rename/copy
  }
  return out;
}

/** Parses `git rev-list --left-right --count A...B` → how far A is ahead of and behind B. */
export function parseAheadBehind(text: string): { ahead: number; behind: number } {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return { ahead: 0, behind: 0 };
  return { ahead: Number(m[1]), behind: Number(m[2]) };
}

export type RemoteFailure = 'unreachable' | 'rejected' | 'auth' | 'no-remote-branch' | 'other';

/** Classifies a failed fetch or push from git's stderr. */
export function classifyRemoteError(stderr: string): RemoteFailure {
  const s = stderr.toLowerCase();
  if (/\[rejected\]|non-fast-forward|fetch first|failed to push some refs/.test(s) && !/could not read from remote/.test(s)) return 'rejected';
  if (/authentication failed|permission denied|access denied|403/.test(s)) return 'auth';
  if (/couldn't find remote ref|could not find remote ref/.test(s)) return 'no-remote-branch';
  if (
    /could not resolve host|unable to access|connection refused|connection timed out|network is unreachable|could not read from remote repository|does not appear to be a git repository|no such file or directory|operation timed out|failed to connect/.test(s)
  ) return 'unreachable';
  return 'other';
}

/** The first meaningful line of git's error output, without git's "fatal: " prefix. */
export function firstGitLine(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('hint:'));
  return (line ?? 'git failed').replace(/^(fatal|error):\s*/, '');
}

/** What to say when a remote could not be reached or refused us. */
export function remoteFailureMessage(op: 'fetch' | 'push', remote: string, url: string | undefined, stderr: string): { message: string; hint?: string } {
  const kind = classifyRemoteError(stderr);
  const where = url ? `'${remote}' (${url})` : `'${remote}'`;
  switch (kind) {
    case 'unreachable':
      return {
        message: `cannot reach remote ${where}: ${firstGitLine(stderr)}`,
        hint: op === 'fetch' ? 'you seem to be offline or the remote is down; your commits are safe locally, run tb sync again later' : 'your commits are safe locally; run tb sync again when the remote is reachable',
      };
    case 'auth':
      return { message: `remote ${where} refused access: ${firstGitLine(stderr)}`, hint: 'check your credentials with git fetch' };
    case 'rejected':
      return { message: `push to ${where} was rejected: someone pushed while you were syncing`, hint: 'run tb sync again' };
    default:
      return { message: `git ${op} ${remote} failed: ${firstGitLine(stderr)}` };
  }
}

/** Files with uncommitted changes that stop a sync, and the message. */
export function dirtyMessage(files: string[]): { message: string; hint: string } {
  const shown = files.slice(0, 5).map((f) => `  ${f}`);
  if (files.length > 5) shown.push(`  … and ${files.length - 5} more`);
  return {
    message: `cannot sync: ${files.length} uncommitted ${files.length === 1 ? 'change' : 'changes'}:\n${shown.join('\n')}`,
    hint: 'commit them first (git add … && git commit), or set git: { autocommit: true } in touchbase.yaml so every tb write is committed',
  };
}

/** The explanation printed when the rebase stopped on a conflict. Nothing is resolved for the user. */
/**
 * How a file conflicts, from its `git status` code: both changed (markers in the file), or deleted
 * on one side and changed on the other (no markers: the choice is keep or delete).
 */
export type ConflictKind = 'content' | 'deleted-upstream' | 'deleted-here';

/** The conflict kind of a porcelain status code (during a rebase "us" is the upstream). */
export function conflictKind(code: string): ConflictKind {
  if (code === 'DU') return 'deleted-upstream';
  if (code === 'UD') return 'deleted-here';
  return 'content';
}

export function conflictMessage(upstream: string, files: string[], kinds: Readonly<Record<string, ConflictKind>> = {}): string {
  const n = files.length;
  const kindOf = (f: string): ConflictKind => kinds[f] ?? 'content';
  const label = (f: string): string => {
    const k = kindOf(f);
    if (k === 'deleted-upstream') return `  ${f}   (deleted in ${upstream}, changed by you)`;
    if (k === 'deleted-here') return `  ${f}   (deleted by you, changed in ${upstream})`;
    return `  ${f}`;
  };
  const withMarkers = files.filter((f) => kindOf(f) === 'content');
  const deletions = files.filter((f) => kindOf(f) !== 'content');
  const steps: string[] = [];
  if (withMarkers.length) steps.push(`edit ${deletions.length ? 'each file changed on both sides' : 'each file above'}, keep what is right and remove the conflict markers`);
  if (deletions.length) steps.push('a file deleted on one side has no conflict markers: keep it (git add <file>) or delete it (git rm <file>)');
  if (withMarkers.length) steps.push(deletions.length ? 'git add each edited file' : 'git add <file>');
  return [
    `sync stopped: your commits conflict with ${upstream} in ${n} ${n === 1 ? 'file' : 'files'}:`,
    ...files.map(label),
    `Nothing is lost: the repository is in git's normal rebase-conflict state. ${upstream}'s version is in HEAD,`,
    withMarkers.length ? "yours is in the commit being replayed (git status; git diff shows both sides between <<<<<<< and >>>>>>>)." : 'yours is in the commit being replayed (git status shows both sides).',
    'Next:',
    ...steps.map((t, i) => `  ${i + 1}. ${t}`),
    `  ${steps.length + 1}. git rebase --continue   (or git rebase --abort to go back to where you were)`,
    `  ${steps.length + 2}. tb check, then tb sync to push`,
  ].join('\n');
}

/** One commit in a record's history. */
export interface HistoryEntry {
  commit: string;
  date: string;
  author: string;
  email: string;
  /** The configured owner whose email matches the author's, when there is one. */
  owner?: string;
  subject: string;
  /** The path of the record in that commit (differs before a rename). */
  path?: string;
  patch?: string;
}

/** Field separator and record separator used in the `git log --format` of history. */
export const LOG_FORMAT = '%x1e%H%x1f%aI%x1f%an%x1f%ae%x1f%s%x1f';

/**
 * Parses `git log --format=LOG_FORMAT [--patch] [--name-only]`: each commit starts with \x1e; the
 * text after the last field is the patch (or the names, with --name-status).
 */
export function parseHistory(text: string, owners: Record<string, { email?: string }>, withPatch: boolean): HistoryEntry[] {
  const byEmail = new Map<string, string>();
  for (const [id, o] of Object.entries(owners)) if (o.email) byEmail.set(o.email.toLowerCase(), id);
  const out: HistoryEntry[] = [];
  for (const chunk of text.split('\x1e')) {
    if (!chunk.trim()) continue;
    const f = chunk.split('\x1f');
    if (f.length < 6) continue;
    const [commit, date, author, email, subject] = f;
    const rest = f.slice(5).join('\x1f').replace(/^\n+/, '');
    const entry: HistoryEntry = { commit, date, author, email, subject };
    const owner = byEmail.get(email.toLowerCase());
    if (owner) entry.owner = owner;
    if (withPatch) {
      entry.patch = rest.replace(/\s+$/, '') + '\n';
      const m = /^diff --git a\/\S+ b\/(\S+)/m.exec(rest);
      if (m) entry.path = m[1];
    } else {
      const name = rest.split('\n').map((l) => l.trim()).filter(Boolean).pop();
      if (name) entry.path = name;
    }
    out.push(entry);
  }
  return out;
}

/** A commit subject for a deal's stage change; other changes in the same command follow in brackets. */
export function stageMessage(id: string, stage: string, others: string[]): string {
  return `deal: ${id} → ${stage}${others.length ? ` (${others.join(' ')})` : ''}`;
}
