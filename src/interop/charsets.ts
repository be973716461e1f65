/**
 * The charset chain for mail text whose bytes and label may disagree (docs/mail.md, "Charsets"):
 * valid UTF-8 first, then the charsets the message declares, then the legacy code page of the
 * place the mail came from (`mail: legacy_charset:` in touchbase.yaml, default windows-1252).
 * Mail programs do the same; tb says when it guessed. Pure: bytes in, text and notes out.
 */
import { c1AsWindows1252, isUtf8 } from './decode.js';

export class CharsetChain {
  /** The message's declared charsets that a decoder knows (as written, and the decoder's name), UTF-8 left out. */
  readonly declared: { label: string; encoding: string }[] = [];

  constructor(declared: readonly string[], readonly legacy: string) {
    for (const label of declared) {
      const encoding = getDecoderLabel(label);
      if (encoding && encoding !== 'utf-8' && !this.declared.some((d) => d.encoding === encoding)) this.declared.push({ label, encoding });
    }
  }

  /**
   * Text of `bytes` labelled `label` (undefined: no label, e.g. raw 8-bit header text).
   * ASCII is ASCII; valid UTF-8 is UTF-8 (whatever the label says: us-ascii and latin1 labels on
   * UTF-8 text are common); else the label when it decodes the bytes without error, else the other
   * declared charsets, else the legacy code page. A guess is noted in `guessed` with `what`.
   */
  decode(bytes: Uint8Array, label: string | undefined, what: string, guessed: string[]): string {
    const own = label === undefined ? undefined : getDecoderLabel(label);
    const ascii = !bytes.some((b) => b >= 0x80);
    if (ascii && own && own !== 'utf-8') return strict(own, bytes) ?? latin(bytes);
    if (ascii) return latin(bytes);
    if (isUtf8(bytes)) {
      if (own !== undefined && own !== 'utf-8') guessed.push(`${what} is declared ${label} but is UTF-8; read as UTF-8`);
      return new TextDecoder('utf-8').decode(bytes);
    }
    if (own && own !== 'utf-8') {
      const text = strict(own, bytes);
      if (text !== undefined) return text;
    }
    for (const cs of this.declared) {
      if (cs.encoding === own) continue;
      const text = strict(cs.encoding, bytes);
      if (text !== undefined) {
        guessed.push(`${what} is not ${label ? `valid ${label}` : 'UTF-8'}; read as ${cs.label}, the charset the message declares`);
        return text;
      }
    }
    const tried = this.declared.filter((d) => d.encoding !== own).map((d) => d.label);
    guessed.push(`${what} is not ${label ? `valid ${label}` : 'UTF-8'}${tried.length ? ` nor ${tried.join(', ')}` : ''}; read as ${this.legacy} (mail: legacy_charset)`);
    const text = new TextDecoder(this.legacy).decode(bytes);
    return this.legacy === 'windows-1252' ? c1AsWindows1252(text) : text;
  }
}

/** The text when `label` decodes every byte, else undefined. */
function strict(label: string, bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder(label, { fatal: true }).decode(bytes);
    return label === 'windows-1252' ? c1AsWindows1252(text) : text;
  } catch {
    return undefined;
  }
}

function latin(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

const labels = new Map<string, string | undefined>();

/**
 * The WHATWG encoding a charset label names (`utf-8`, `windows-1251`, `shift_jis` …), also for
 * the spellings mail programs write (`x-cp1251`, `cp-1252`, `iso_8859_1`); undefined when no
 * decoder knows it.
 */
export function getDecoderLabel(label: string): string | undefined {
  const key = label.trim().toLowerCase();
  if (labels.has(key)) return labels.get(key);
  const candidates = [key, key.replace(/^x-/, ''), key.replace(/_/g, '-'), key.replace(/^(?:x-)?cp-?(\d+)$/, 'windows-$1'), key.replace(/^(iso)[-_]?(8859)[-_]?(\d+)$/, 'iso-8859-$3')];
  let found: string | undefined;
  for (const c of candidates) {
    try {
      found = new TextDecoder(c).encoding;
      break;
    } catch {
      // not this spelling
    }
  }
  labels.set(key, found);
  return found;
}
