/**
 * Contact matching for imports: which stored (or earlier-row) contact a row is the same person as.
 *
 * Rules (docs/import-export.md, "How rows are matched"):
 * - a row is the same person as a contact when they share an identifier: tb's own id, an email,
 *   a profile URL (LinkedIn, GitHub …);
 * - sharing only a name or only a phone (core/text.ts's phone rule, as tb dedupe) is enough only
 *   when nothing conflicts (another email, profile URL, company, name or birthday).
 */
import type { FrontMatter } from '../types.js';
import { asList, asString } from '../fields.js';
import { phoneMatchKey, samePhone } from '../text.js';
import type { Working } from './plan.js';

/** Exact name comparison: case-insensitive, whitespace-normalised, accents significant. */
export function nameKey(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

export function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** Hosts whose URLs name one person: such a link is an explicit identifier, like an email. */
const PROFILE_HOSTS = /^(?:[a-z]{2,3}\.)?(?:linkedin\.com\/in|xing\.com\/profile|github\.com|twitter\.com|x\.com|facebook\.com|instagram\.com|mastodon\.[a-z]+\/@)/;

/** A profile URL in comparable form (`https://www.linkedin.com/in/joe/` → `linkedin.com/in/joe`), else undefined. */
export function profileKey(url: string): string | undefined {
  const bare = url.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/[?#].*$/, '').replace(/\/+$/, '');
  return PROFILE_HOSTS.test(bare) && bare.split('/').length >= 2 && bare.split('/')[1] !== '' ? bare : undefined;
}

function emailsOf(data: FrontMatter): string[] {
  return unique(asList(data.emails).concat(asList(data.email)).map((e) => e.trim().toLowerCase()));
}

function profilesOf(data: FrontMatter): string[] {
  return unique(asList(data.links).map(profileKey).filter((k): k is string => k !== undefined));
}

function phonesOf(data: FrontMatter): string[] {
  return unique(asList(data.phones).concat(asList(data.phone)).map(phoneMatchKey).filter((k): k is string => k !== undefined));
}

export type SameCompany = (a: unknown, b: unknown) => boolean;

/** Why two records cannot be the same person, or undefined when nothing conflicts. */
export function conflictOf(incoming: FrontMatter, target: FrontMatter, sameCompany: SameCompany): string | undefined {
  const disjoint = (a: string[], b: string[]) => a.length > 0 && b.length > 0 && !a.some((x) => b.includes(x));
  const [ea, eb] = [emailsOf(incoming), emailsOf(target)];
  if (disjoint(ea, eb)) return `different email (${ea[0]} vs ${eb[0]})`;
  const [pa, pb] = [profilesOf(incoming), profilesOf(target)];
  if (disjoint(pa, pb)) return `different profile URL (${pa[0]} vs ${pb[0]})`;
  const [na, nb] = [asString(incoming.name), asString(target.name)];
  if (na && nb && nameKey(na) !== nameKey(nb)) return `different name ('${na}' vs '${nb}')`;
  if (!isEmpty(incoming.company) && !isEmpty(target.company) && !sameCompany(incoming.company, target.company)) {
    return 'different company';
  }
  const [ba, bb] = [asString(incoming.birthday), asString(target.birthday)];
  if (ba && bb && ba !== bb && !ba.startsWith('--') && !bb.startsWith('--')) return `different birthday (${ba} vs ${bb})`;
  return undefined;
}

export class ContactIndex {
  private readonly byId = new Map<string, Working>();
  private readonly byEmail = new Map<string, Working[]>();
  private readonly byProfile = new Map<string, Working[]>();
  private readonly byPhone = new Map<string, Working[]>();
  private readonly byName = new Map<string, Working[]>();

  add(w: Working): void {
    this.byId.set(w.id, w);
    for (const e of emailsOf(w.data)) push(this.byEmail, e, w);
    for (const u of profilesOf(w.data)) push(this.byProfile, u, w);
    for (const p of phonesOf(w.data)) push(this.byPhone, p, w);
    const name = asString(w.data.name);
    if (name) push(this.byName, nameKey(name), w);
  }

  /** Records sharing an identifier with `data` (its id, an email, a profile URL): the same person. */
  strong(data: FrontMatter, ref: string | undefined): { hits: Working[]; by: string } | undefined {
    const byRef = ref ? this.byId.get(ref) : undefined;
    if (byRef) return { hits: [byRef], by: 'id' };
    const email = unique(emailsOf(data).flatMap((k) => this.byEmail.get(k) ?? []));
    const profile = unique(profilesOf(data).flatMap((k) => this.byProfile.get(k) ?? []));
    const hits = unique([...email, ...profile]);
    if (hits.length === 0) return undefined;
    return { hits, by: email.length && profile.length ? 'email and profile URL' : email.length ? 'email' : 'profile URL' };
  }

  /** Records sharing only a name or a phone: the same person only when nothing conflicts. */
  weak(data: FrontMatter): Array<{ w: Working; by: string }> {
    const out = new Map<Working, string>();
    const name = asString(data.name);
    for (const w of name ? this.byName.get(nameKey(name)) ?? [] : []) out.set(w, 'name');
    // Equal match keys are candidates: the numbers themselves must agree (core/text.ts).
    const phones = asList(data.phones).concat(asList(data.phone));
    for (const w of phonesOf(data).flatMap((k) => this.byPhone.get(k) ?? [])) {
      if (sharesPhone(w, phones)) out.set(w, out.has(w) ? 'name and phone' : 'phone');
    }
    return [...out].map(([w, by]) => ({ w, by }));
  }
}

function sharesPhone(w: Working, phones: readonly string[]): boolean {
  const stored = asList(w.data.phones).concat(asList(w.data.phone));
  return phones.some((p) => stored.some((q) => samePhone(p, q)));
}

/** What matching decided for one row: a target, a skip (ambiguous), or a new contact (maybe a duplicate). */
export type MatchResult =
  | { kind: 'match'; target: Working; by: string }
  | { kind: 'ambiguous'; ids: string[]; by: string }
  | { kind: 'new'; duplicateOf?: { w: Working; why: string } };

/** Matches one row's fields (`probe`) against the index by the rules at the top of this file. */
export function matchContact(index: ContactIndex, probe: FrontMatter, ref: string | undefined, sameCompany: SameCompany): MatchResult {
  const strong = index.strong(probe, ref);
  if (strong && strong.hits.length > 1) return { kind: 'ambiguous', ids: strong.hits.map((h) => h.id), by: strong.by };
  if (strong) return { kind: 'match', target: strong.hits[0], by: strong.by };
  const weak = index.weak(probe);
  const fitting = weak.filter(({ w }) => conflictOf(probe, w.data, sameCompany) === undefined);
  if (fitting.length > 1) return { kind: 'ambiguous', ids: fitting.map((f) => f.w.id), by: fitting[0].by };
  if (fitting.length === 1) return { kind: 'match', target: fitting[0].w, by: fitting[0].by };
  if (weak.length === 0) return { kind: 'new' };
  return { kind: 'new', duplicateOf: { w: weak[0].w, why: `same ${weak[0].by} but ${conflictOf(probe, weak[0].w.data, sameCompany)}` } };
}
