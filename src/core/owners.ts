/** Who "me" is: TOUCHBASE_USER, else the owner whose email equals git's user.email, else the OS user. Pure. */
import type { Config } from './types.js';

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

/** `--owner me|all|NAME` → an owner id, or undefined for all. */
export function ownerFilter(value: string | undefined, me: string | undefined): string | undefined {
  if (value === undefined || value === 'all') return undefined;
  if (value === 'me') return me ?? '\u0000nobody';
  return value;
}
