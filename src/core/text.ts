/**
 * The one text-folding function and the one phone-matching rule. Resolve, queries, dedupe, import
 * and slugs all compare through these, so two parts of touchbase never disagree on whether two
 * names or two phone numbers are the same (docs/architecture.md, "Comparing text and phones").
 * Callers add their own rules on top (slugs turn the rest into hyphens, dedupe drops punctuation).
 */

/** Letters that have no Unicode decomposition but an obvious plain spelling. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', ø: 'o', Ø: 'o', œ: 'oe', Œ: 'oe', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd',
  ð: 'd', þ: 'th', Þ: 'th', ı: 'i',
};
const SPECIAL_LETTER_RE = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Lower case without accents: "José Müller" → "jose muller", "Straße" → "strasse", "Søren" →
 * "soren". Compatibility forms fold too (the ligature "ﬁ" → "fi"). Whitespace and punctuation are
 * kept as they are.
 */
export function foldText(text: string): string {
  // Most text is ASCII: skip the Unicode work for it.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .replace(SPECIAL_LETTER_RE, (ch) => SPECIAL_LETTERS[ch])
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}

/** Phone numbers shorter than this are extensions or typos, never a match. */
const MIN_PHONE_DIGITS = 7;
/**
 * Numbers compare by their last 9 digits, so the national and the international spelling of one
 * number are the same (`030 21984410` and `+49 30 2198 4410`).
 */
const COMPARED_PHONE_DIGITS = 9;

/**
 * The key two phone numbers match on, or undefined when the text has too few digits to compare:
 * both `+49 30 2198 4410` and `030 21984410` give `021984410`.
 */
export function phoneMatchKey(phone: string): string | undefined {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= MIN_PHONE_DIGITS ? digits.slice(-COMPARED_PHONE_DIGITS) : undefined;
}

/** Whether two phone numbers are the same number by phoneMatchKey. */
export function samePhone(a: string, b: string): boolean {
  const key = phoneMatchKey(a);
  return key !== undefined && key === phoneMatchKey(b);
}

/**
 * A list key for a phone, so one list never holds the same number twice: its match key, or the
 * digits (and a leading +) of a number too short to match, or the text itself.
 */
export function phoneKey(phone: string): string {
  const key = phoneMatchKey(phone);
  if (key !== undefined) return key;
  const digits = phone.replace(/[^\d+]/g, '');
  return digits === '' ? phone.toLowerCase() : digits;
}
