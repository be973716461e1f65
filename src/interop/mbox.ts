/**
 * Splitting an mbox into messages, chunk by chunk, so a mailbox of any size is read in bounded
 * memory. A message starts at a `From ` line at the start of the file or after a blank line (the
 * From_ line mutt, Thunderbird, Apple Mail and Gmail's Takeout write), or at a From_ line with a
 * date anywhere (Thunderbird's `From - ` lines are not always preceded by a blank line); `>From ` lines are
 * unescaped the mboxrd way (one `>` removed). A message over the size limit is not kept: only its
 * size is counted, and it comes out as `tooLarge`. A file whose first line (after a byte order
 * mark and blank lines) is not a From_ line is not an mbox: NotMboxError. Pure: bytes in,
 * messages out.
 */

/** The input does not start with a `From ` line (after a byte order mark and blank lines). */
export class NotMboxError extends Error {
  constructor() {
    super("it does not start with a 'From ' line");
  }
}

export interface MboxMessage {
  /** 1-based position in the mailbox. */
  number: number;
  /** 1-based line of its From_ line. */
  line: number;
  /** The message, From_ line removed and `>From ` unescaped; empty when tooLarge. */
  bytes: Buffer;
  /** Size in bytes, also of a message that was not kept. */
  size: number;
  tooLarge: boolean;
  /** The delivery time the From_ line carries (ms since 1970), when it has one. */
  envelopeDate?: number;
}

const NL = 0x0a;
const FROM = Buffer.from('From ');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** `From sender Tue Nov 17 09:15:00 2026` (a zone before the year is allowed, as some MTAs write). */
const FROM_WITH_TIME = /^From \S+ .*\b\d{1,2}:\d{2}/;
const ASCTIME_FROM = /^From \S+ +[A-Z][a-z]{2} +[A-Z][a-z]{2} +\d{1,2} +\d{1,2}:\d{2}(?::\d{2})? +(?:[A-Z]{3,4} +|[+-]\d{4} +)?\d{4}\s*$/;
/** A partial line longer than this is not a From_ line: it is passed on instead of held. */
const MAX_HELD_LINE = 64 * 1024;

export class MboxSplitter {
  private carry: Buffer = Buffer.alloc(0);
  /** The carry is the middle of a line already passed on (not a line start). */
  private carryMidLine = false;
  private lineNo = 0;
  private prevBlank = true;
  private current?: { number: number; line: number; parts: Buffer[]; size: number; envelopeDate?: number };
  private count = 0;
  /** A blank line held back: it belongs to the next From_ separator when one follows. */
  private pendingBlank?: Buffer;
  /** No line has been read yet (a UTF-8 byte order mark before the first From_ line is dropped). */
  private atStart = true;

  constructor(private readonly maxBytes: number) {}

  /** Feeds the next chunk; returns the messages it completed. */
  push(chunk: Buffer): MboxMessage[] {
    const out: MboxMessage[] = [];
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let midLine = this.carryMidLine;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NL, start);
      if (nl < 0) break;
      this.line(buf.subarray(start, nl + 1), midLine, out);
      midLine = false;
      start = nl + 1;
    }
    buf = buf.subarray(start);
    if (buf.length > MAX_HELD_LINE) {
      // A huge line (an attachment without line breaks): pass it on, keep counting.
      if (!midLine) this.startLine(false);
      this.append(buf);
      this.carry = Buffer.alloc(0);
      this.carryMidLine = true;
    } else {
      this.carry = Buffer.from(buf);
      this.carryMidLine = midLine;
    }
    return out;
  }

  /** Ends the input; returns the last message. */
  end(): MboxMessage[] {
    const out: MboxMessage[] = [];
    if (this.carry.length) this.line(this.carry, this.carryMidLine, out);
    this.carry = Buffer.alloc(0);
    if (this.pendingBlank) this.append(this.pendingBlank);
    this.pendingBlank = undefined;
    this.finish(out);
    return out;
  }

  private line(line: Buffer, midLine: boolean, out: MboxMessage[]): void {
    if (midLine) {
      this.append(line);
      return;
    }
    if (this.atStart) {
      this.atStart = false;
      if (startsWith(line, BOM)) line = line.subarray(BOM.length);
    }
    const blank = line.length === 1 || (line.length === 2 && line[0] === 0x0d);
    // A From_ line has a sender and a time (mutt checks the same); after a blank line any such
    // line starts a message, elsewhere only one with a whole asctime date (Thunderbird writes
    // `From - …` without a blank line before it; Python's mailbox and mutt split there too). An
    // unescaped body line "From the start, …" is text.
    if (startsWith(line, FROM) && (this.prevBlank ? FROM_WITH_TIME : ASCTIME_FROM).test(line.toString('latin1'))) {
      this.lineNo++;
      // The blank line before a From_ line is the separator, not the end of the message.
      this.pendingBlank = undefined;
      this.finish(out);
      this.count++;
      this.current = { number: this.count, line: this.lineNo, parts: [], size: 0, envelopeDate: envelopeDate(line) };
      this.prevBlank = false;
      return;
    }
    this.startLine(blank);
    if (blank) {
      this.pendingBlank = line;
      return;
    }
    this.append(unescapeFrom(line));
  }

  /** A line other than a From_ line begins: the blank line held back is part of the message. */
  private startLine(blank: boolean): void {
    this.lineNo++;
    this.prevBlank = blank;
    if (this.pendingBlank) {
      this.append(this.pendingBlank);
      this.pendingBlank = undefined;
    }
  }

  private append(bytes: Buffer): void {
    if (!this.current) {
      // Text before the first From_ line: this is not an mbox (a CSV, a single message …).
      if (bytes.toString('latin1').trim() === '') return;
      throw new NotMboxError();
    }
    const c = this.current;
    c.size += bytes.length;
    if (c.size <= this.maxBytes) c.parts.push(bytes);
    else if (c.parts.length) c.parts = [];
  }

  private finish(out: MboxMessage[]): void {
    const c = this.current;
    this.current = undefined;
    if (!c) return;
    const tooLarge = c.size > this.maxBytes;
    out.push({ number: c.number, line: c.line, bytes: tooLarge ? Buffer.alloc(0) : Buffer.concat(c.parts), size: c.size, tooLarge, envelopeDate: c.envelopeDate });
  }
}

function startsWith(line: Buffer, prefix: Buffer): boolean {
  return line.length >= prefix.length && line.subarray(0, prefix.length).equals(prefix);
}

/** `>From ` → `From `, `>>From ` → `>From ` (mboxrd; also right for the usual mboxo case). */
function unescapeFrom(line: Buffer): Buffer {
  if (line[0] !== 0x3e) return line;
  let i = 0;
  while (line[i] === 0x3e) i++;
  return startsWith(line.subarray(i), FROM) ? line.subarray(1) : line;
}

/**
 * The date of a From_ line, `From ada@example.org Tue Nov 17 09:15:00 2026` (asctime, local time
 * of the machine that delivered it; Thunderbird writes `From - …`). Undefined when there is none.
 */
export function envelopeDate(line: Buffer): number | undefined {
  const text = line.toString('latin1').trim();
  const m = /^From \S+\s+(.+)$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(m[1]);
  return Number.isFinite(ms) ? ms : undefined;
}
