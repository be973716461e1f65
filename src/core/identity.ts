/**
 * One person, one record: the contact that already has an email or profile URL a new contact
 * would get (docs/commands.md, `tb add`). Pure.
 */
import type { CrmRecord } from './types.js';
import { asList, displayName, emailsOf } from './fields.js';

/** A profile URL as compared: no scheme, no `www.`, no query or fragment, no trailing slash, lower case. */
export function profileKey(url: string): string {
  return url.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^www\./, '').replace(/[?#].*$/, '').replace(/\/+$/, '');
}

export interface IdentityClash {
  value: string;
  what: 'email' | 'profile URL';
  holder: CrmRecord;
}

/** The first contact holding one of `emails` or `links`, with the value it shares. */
export function identityClash(contacts: readonly CrmRecord[], emails: readonly string[], links: readonly string[]): IdentityClash | undefined {
  for (const email of emails) {
    const holder = contacts.find((c) => emailsOf(c).includes(email.trim().toLowerCase()));
    if (holder) return { value: email, what: 'email', holder };
  }
  for (const link of links) {
    const key = profileKey(link);
    if (!key) continue;
    const holder = contacts.find((c) => asList(c.data.links).some((l) => profileKey(l) === key));
    if (holder) return { value: link, what: 'profile URL', holder };
  }
  return undefined;
}

/** "ada@acme.example is already the email of contact ada-lovelace (Ada Lovelace)". */
export function describeClash(clash: IdentityClash): string {
  return `${clash.value} is already the ${clash.what} of contact ${clash.holder.id} (${displayName(clash.holder)})`;
}
