/**
 * RFC 5322 dates as mail programs write them (section 3.3 and the obsolete forms of 4.3): comments
 * and folding anywhere CFWS is allowed (`Mon, 3 Jul 1995 00:19:00 (EDT) -0400`), a missing day of
 * the week, two- and three-digit years, zone names (UT, GMT, EST … PDT) and military letters.
 * ISO 8601, which a few tools write, is accepted too. Pure: text in, an instant or undefined out.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = { ut: 0, utc: 0, gmt: 0, z: 0, edt: -240, est: -300, cdt: -300, cst: -360, mdt: -360, mst: -420, pdt: -420, pst: -480 };

/** Comments (nested, with quoted-pairs) removed, as RFC 5322 CFWS allows them between any tokens. */
function withoutComments(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && depth > 0) i++;
    else if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) {
      depth--;
      out += ' ';
    } else if (depth === 0) out += ch;
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Minutes east of UTC for a zone token; undefined for one that is not a zone. */
function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined) return 0; // no zone: RFC 5322 -0000, the time is UTC
  const num = /^([+-])(\d{2})(\d{2})$/.exec(zone);
  if (num) return (num[1] === '-' ? -1 : 1) * (Number(num[2]) * 60 + Number(num[3]));
  const named = ZONES[zone.toLowerCase()];
  if (named !== undefined) return named;
  // Military letters are ambiguous in practice (RFC 5322 4.3): read as -0000.
  return /^[a-ik-z]$/i.test(zone) ? 0 : undefined;
}

/** The instant a Date header names (ms since 1970), or undefined when it is not a date. */
export function parseMailDate(raw: string): number | undefined {
  const text = withoutComments(raw);
  const iso = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (iso) {
    const ms = Date.parse(text.replace(' ', 'T'));
    return Number.isFinite(ms) ? ms : undefined;
  }
  const m = /^(?:[A-Za-z]{3}\s*,?\s*)?(\d{1,2})\s*([A-Za-z]{3})[a-z]*\.?\s*(\d{2,4})\s+(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2}))?(?:\s*([+-]\d{4}|[A-Za-z]{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2].toLowerCase());
  const offset = zoneOffset(m[7]);
  if (month < 0 || offset === undefined) return undefined;
  let year = Number(m[3]);
  if (m[3].length === 2) year += year < 50 ? 2000 : 1900;
  else if (m[3].length === 3) year += 1900;
  const [day, hour, minute, second] = [Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const utc = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  // 31 Feb rolls into March with Date.UTC: not a date.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  return utc - offset * 60_000;
}
