/**
 * Turning the bytes of an import file into text. Exporters write UTF-8 (with or without a byte
 * order mark), UTF-16 (old Google CSV exports, some vCard writers; with or without BOM) and legacy
 * 8-bit code pages (Outlook on Windows: windows-1252). See docs/import-export.md, "Encodings".
 * Pure: bytes in, text and warnings out.
 */
import { UsageError } from '../errors.js';

export interface Decoded {
  text: string;
  /** The encoding the text was read as (a WHATWG label, e.g. `utf-8`, `utf-16le`, `windows-1252`). */
  encoding: string;
  /** Said once on stderr: e.g. the file was not UTF-8 and a fallback was used. */
  warnings: string[];
}

/** The code page most 8-bit contact exports use (Outlook, Excel on Windows). */
export const LEGACY_FALLBACK = 'windows-1252';

/** A TextDecoder for `label`, or a usage error naming the label when Node does not know it. */
export function decoderFor(label: string, fatal = false): TextDecoder {
  try {
    return new TextDecoder(label.trim().toLowerCase(), { fatal });
  } catch {
    throw new UsageError(`unknown encoding '${label}'`, 'use e.g. utf-8, utf-16le, utf-16be, windows-1252, latin1, macintosh, shift_jis');
  }
}

// Windows-1252 characters for the bytes 0x80-0x9F (the WHATWG table; five unassigned bytes stay C1).
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Decodes with `label`. Node 20's TextDecoder reads windows-1252 (and its aliases latin1,
 * iso-8859-1) as ISO-8859-1, turning `–` (0x96) into a C1 control; the 32 bytes that differ are
 * mapped here by the WHATWG table.
 */
export function decodeWith(label: string, bytes: Uint8Array): string {
  const decoder = decoderFor(label);
  const text = decoder.decode(bytes);
  return decoder.encoding === 'windows-1252' ? c1AsWindows1252(text) : text;
}

/**
 * C1 controls (U+0080–U+009F) as the windows-1252 characters of the same bytes. Real text never
 * holds C1 controls: where it does, a decoder (Node 20's for windows-1252 and iso-8859-1) read
 * windows-1252 as Latin-1.
 */
export function c1AsWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80]);
}

/**
 * The encoding the bytes announce or show: a BOM, else the NUL pattern of UTF-16 text in the
 * first bytes (ASCII characters have a zero high byte), else undefined (8-bit or UTF-8).
 */
export function sniffEncoding(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  // Mostly-ASCII UTF-16: nearly every other byte is zero, the rest almost never.
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/**
 * Decodes an import file. With `encoding` given it is used as is (a BOM is still skipped).
 * Otherwise a BOM or UTF-16 NUL pattern decides; else the bytes must be valid UTF-8, and when
 * they are not they are read as windows-1252 with a warning, never as silent U+FFFD.
 */
export function decodeInput(bytes: Uint8Array, encoding?: string): Decoded {
  if (encoding) {
    return { text: stripBom(decodeWith(encoding, bytes)), encoding: decoderFor(encoding).encoding, warnings: [] };
  }
  const sniffed = sniffEncoding(bytes);
  if (sniffed && sniffed !== 'utf-8') {
    return { text: stripBom(new TextDecoder(sniffed).decode(bytes)), encoding: sniffed, warnings: [] };
  }
  try {
    return { text: stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), encoding: 'utf-8', warnings: [] };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return {
      text: stripBom(decodeWith(LEGACY_FALLBACK, bytes)),
      encoding: LEGACY_FALLBACK,
      warnings: [
        `the file is not valid UTF-8 (first bad byte 0x${bytes[at]?.toString(16).padStart(2, '0')} on line ${lineAt(bytes, at)}); ` +
        `read it as ${LEGACY_FALLBACK}. If accents look wrong, re-run with --encoding (e.g. --encoding latin1 or --encoding macintosh)`,
      ],
    };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) if ((bytes[i + k] ?? 0) >> 6 !== 2) return i;
    i += len;
  }
  return -1;
}

/** Whether the bytes are valid UTF-8 (used for per-value vCard decoding). */
export function isUtf8(bytes: Uint8Array): boolean {
  return firstInvalidUtf8(bytes) < 0;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
