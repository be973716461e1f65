/**
 * The one rule for what tb keeps as an e-mail address: `tb check` accepts it, and `tb add`,
 * every import and `--create-contacts` write nothing else. A local part, an `@`, and a domain
 * with at least one dot (`alice@intern` or `redacted@redacted` is not an address anyone outside
 * one network can write to). docs/mail.md, "Addresses".
 */
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

export function isEmailAddress(text: string): boolean {
  return EMAIL_RE.test(text.trim());
}
