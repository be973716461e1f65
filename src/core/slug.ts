/**
 * Ids are lowercase slugs `[a-z0-9]+(-[a-z0-9]+)*` made from names. They can never contain a path
 * separator or `..`, so a record can never be written outside its folder.
 */
import { foldText } from './text.js';

export const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Windows reserved device names: a file called `con.md` is unusable there. */
const RESERVED = new Set(['con', 'prn', 'aux', 'nul', ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`), ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`)]);

const MAX_SLUG = 60;

/** "José Müller" → "jose-muller". Returns '' when nothing usable remains (e.g. emoji only). */
export function slugify(text: string): string {
  // On top of the shared folding (core/text.ts): `&` reads as "and", the rest become hyphens.
  let slug = foldText(text.replace(/&/g, ' and '))
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > MAX_SLUG) slug = slug.slice(0, MAX_SLUG).replace(/-+$/, '');
  if (RESERVED.has(slug)) slug = `${slug}-1`;
  return slug;
}

export function isValidSlug(id: string): boolean {
  return SLUG_RE.test(id) && !RESERVED.has(id);
}

/** First free id among base, base-2, base-3 … given a predicate for taken ids. */
export function uniqueSlug(base: string, taken: (id: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!taken(id)) return id;
  }
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A short random suffix (k3x9) so two clones never create the same interaction path. */
export function randomSuffix(random: () => number = Math.random, length = 4): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return s;
}

/**
 * A suffix like randomSuffix's, but the same for the same seed: the next occurrence of a repeating
 * reminder gets the same file name in every clone, so git merges two completions into one file.
 */
/** FNV-1a of the text's UTF-16 code units: a small, stable, non-cryptographic hash. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function stableSuffix(seed: string, length = 4): string {
  // FNV-1a of the seed, then a small PRNG (mulberry32) drawing the characters.
  let h = fnv1a(seed);
  const random = (): number => {
    h = (h + 0x6d2b79f5) >>> 0;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return randomSuffix(random, length);
}
