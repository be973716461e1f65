/** Who "me" is: TOUCHBASE_USER, else the owner whose email equals git's user.email, else the OS user. Pure. */
import type { Config, CrmRecord } from './types.js';
import { UsageError } from '../errors.js';
import { didYouMean } from './suggest.js';
import { slugify } from './slug.js';

export interface MeSources {
  envUser?: string;
  gitEmail?: string;
  osUser?: string;
}

export interface Me {
  id: string;
  source: 'TOUCHBASE_USER' | 'git user.email' | 'OS user';
  detail: string;
}

export function resolveMe(config: Config, src: MeSources): Me | undefined {
  if (src.envUser && src.envUser.trim()) {
    return { id: src.envUser.trim(), source: 'TOUCHBASE_USER', detail: `TOUCHBASE_USER=${src.envUser.trim()}` };
  }
  if (src.gitEmail) {
    const email = src.gitEmail.trim().toLowerCase();
    const match = Object.entries(config.owners).find(([, o]) => o.email?.toLowerCase() === email);
    if (match) return { id: match[0], source: 'git user.email', detail: `git config user.email is ${src.gitEmail.trim()}, owner '${match[0]}' in touchbase.yaml` };
  }
  if (src.osUser) return { id: src.osUser, source: 'OS user', detail: `OS user name ${src.osUser}` };
  return undefined;
}

/**
 * The id of the configured owner a value names: its id, display name or email, case-insensitive
 * (`sam`, `Sam Lee`, `sam@example.com` as in touchbase.yaml or git's user.email); else undefined.
 */
export function configuredOwnerId(config: Config, value: string): string | undefined {
  const lower = value.trim().toLowerCase();
  const match = Object.entries(config.owners).find(([id, o]) => [id, o.name, o.email].some((s) => s?.toLowerCase() === lower));
  return match?.[0];
}

/** Every spelling of a configured owner (id, name, email): what did-you-mean compares a typo with. */
export function ownerSpellings(config: Config): string[] {
  const all = Object.entries(config.owners).flatMap(([id, o]) => [id, o.name, o.email].filter((s): s is string => typeof s === 'string' && s !== ''));
  // `sam` and a name `Sam` are one suggestion, not two.
  return all.filter((s, i) => all.findIndex((t) => t.toLowerCase() === s.toLowerCase()) === i);
}

/**
 * `--owner` on commands that write a record (add, log, remind, case, campaign new): me, or a
 * configured owner by id, name or email, stored as the owner's id. With owners configured any
 * other value is a usage error with did-you-mean; without, any value goes (as `tb check` allows).
 */
export function resolveOwnerForWrite(value: string, config: Config, me: string | undefined): string {
  const asked = value.trim();
  if (asked === '') throw new UsageError('--owner needs a value: me, an owner id, name or email');
  if (asked.toLowerCase() === 'me') {
    if (!me) throw new UsageError("--owner me: cannot tell who 'me' is", "set TOUCHBASE_USER, or git config user.email to an owner's email in touchbase.yaml");
    return configuredOwnerId(config, me) ?? me;
  }
  const id = configuredOwnerId(config, asked);
  if (id) return id;
  const ids = Object.keys(config.owners);
  if (!ids.length) return asked;
  const hint = didYouMean(asked, ownerSpellings(config));
  throw new UsageError(`unknown owner '${asked}' in --owner`, `${hint ? `${hint} ` : ''}owners: ${ids.join(', ')} (or me)`);
}

export interface OwnerChoice {
  /** The owner id to keep, or undefined for everyone. */
  id?: string;
  /** A warning when the choice matches nobody: a filter that silently empties a cron digest helps no one. */
  warning?: string;
}

/**
 * `--owner me|all|ID|NAME|EMAIL` for due, pipeline and report alike: a configured owner matches by
 * id, display name or email (case-insensitive), a value some record carries is kept as typed, any other is a
 * usage error listing the owners (a warning when no owner is known at all).
 */
export function resolveOwnerOption(value: string | undefined, config: Config, me: string | undefined, ownersInData: Iterable<string>): OwnerChoice {
  const asked = value?.trim();
  if (asked === undefined || asked.toLowerCase() === 'all') return {};
  if (asked === '') throw new UsageError('--owner needs a value: me, a name, or all');
  const known = new Set([...Object.keys(config.owners), ...ownersInData].map((o) => o.toLowerCase()));
  if (asked.toLowerCase() === 'me') {
    if (!me) return { id: '\u0000nobody', warning: "--owner me: cannot tell who 'me' is (set TOUCHBASE_USER, or git config user.email to an owner's email in touchbase.yaml)" };
    return known.has(me.toLowerCase()) ? { id: me } : { id: me, warning: `--owner me: '${me}' owns nothing here (set TOUCHBASE_USER, or git config user.email to an owner's email in touchbase.yaml)` };
  }
  const configured = configuredOwnerId(config, asked);
  if (configured) return { id: configured };
  if (known.has(asked.toLowerCase())) return { id: asked };
  const hint = didYouMean(asked, [...known, ...ownerSpellings(config).filter((s) => !known.has(s.toLowerCase()))]);
  // A name that neither touchbase.yaml nor any record knows is a typo (as for tb assign --to): an
  // error listing the owners. With no owner known at all there is nothing to compare against.
  if (known.size) {
    const names = [...new Set([...Object.keys(config.owners), ...ownersInData])];
    throw new UsageError(`unknown owner '${asked}' in --owner`, `${hint ? `${hint} ` : ''}owners: ${names.join(', ')} (or me, all)`);
  }
  return { id: asked, warning: `--owner '${asked}' owns nothing here${hint ? `; ${hint}` : ''}` };
}

/** Every owner named on a record, for resolveOwnerOption. */
export function ownersOnRecords(lists: ReadonlyArray<readonly CrmRecord[]>): Set<string> {
  const out = new Set<string>();
  for (const list of lists) for (const r of list) if (typeof r.data.owner === 'string' && r.data.owner) out.add(r.data.owner);
  return out;
}

/**
 * The owner id `tb init` gives the user: the first word of the name as a slug (`Mara Schmidt` →
 * `mara`), else the part of the email before `@`, else `me`.
 */
export function ownerIdFor(name: string | undefined, email: string | undefined): string {
  const first = name?.trim().split(/\s+/)[0] ?? '';
  return slugify(first) || slugify(email?.split('@')[0] ?? '') || 'me';
}
