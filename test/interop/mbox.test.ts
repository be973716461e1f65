import { describe, expect, it } from 'vitest';
import { MboxSplitter, NotMboxError, envelopeDate } from '../../src/interop/mbox.js';
import type { MboxMessage } from '../../src/interop/mbox.js';

const MBOX = [
  'From ada@example.org Tue Nov 17 09:15:00 2026',
  'Subject: one',
  '',
  'first body',
  '>From the start, escaped',
  '>>From twice escaped',
  '> From not an escape',
  'From inside a paragraph is not a separator',
  '',
  'From bob@example.org Wed Nov 18 10:00:00 2026',
  'Subject: two',
  '',
  'second',
  '',
  '',
  'From - Thu Nov 19 11:30:00 2026',
  'Subject: three',
  '',
  'third',
  '',
].join('\n');

/** Splits with the given chunk size, so every boundary position is exercised. */
function split(text: string | Buffer, chunk: number, max = 1024 * 1024): MboxMessage[] {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const s = new MboxSplitter(max);
  const out: MboxMessage[] = [];
  for (let i = 0; i < buf.length; i += chunk) out.push(...s.push(buf.subarray(i, i + chunk)));
  out.push(...s.end());
  return out;
}

describe('MboxSplitter', () => {
  for (const chunk of [1, 2, 3, 7, 64, 100_000]) {
    it(`splits at From_ lines after a blank line (chunks of ${chunk} bytes)`, () => {
      const msgs = split(MBOX, chunk);
      expect(msgs.map((m) => m.number)).toEqual([1, 2, 3]);
      expect(msgs.map((m) => m.line)).toEqual([1, 10, 16]);
      expect(msgs[0].bytes.toString()).toBe('Subject: one\n\nfirst body\nFrom the start, escaped\n>From twice escaped\n> From not an escape\nFrom inside a paragraph is not a separator\n');
      // The second message keeps its own trailing blank line; the separator's is dropped.
      expect(msgs[1].bytes.toString()).toBe('Subject: two\n\nsecond\n\n');
      expect(msgs[2].bytes.toString()).toBe('Subject: three\n\nthird\n');
      expect(msgs.every((m) => !m.tooLarge)).toBe(true);
    });
  }

  it('keeps CRLF line ends', () => {
    const msgs = split(MBOX.replace(/\n/g, '\r\n'), 5);
    expect(msgs).toHaveLength(3);
    expect(msgs[1].bytes.toString()).toBe('Subject: two\r\n\r\nsecond\r\n\r\n');
  });

  it('reads the From_ line date (asctime) as the envelope date', () => {
    const msgs = split(MBOX, 4096);
    expect(msgs[0].envelopeDate).toBe(new Date(2026, 10, 17, 9, 15, 0).getTime());
    expect(msgs[2].envelopeDate).toBe(new Date(2026, 10, 19, 11, 30, 0).getTime());
    expect(envelopeDate(Buffer.from('From nobody'))).toBeUndefined();
  });

  it('counts a message over the limit without keeping it, and goes on', () => {
    const big = `From a@x Tue Nov 17 09:15:00 2026\nSubject: big\n\n${'x'.repeat(5000)}\n\nFrom b@x Tue Nov 17 09:16:00 2026\nSubject: small\n\nok\n`;
    const msgs = split(big, 100, 1000);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toMatchObject({ number: 1, tooLarge: true, size: 5015 });
    expect(msgs[0].bytes.length).toBe(0);
    expect(msgs[1]).toMatchObject({ number: 2, tooLarge: false, line: 6 });
    expect(msgs[1].bytes.toString()).toBe('Subject: small\n\nok\n');
  });

  it('passes on a line longer than it holds (an attachment without line breaks)', () => {
    const long = 'y'.repeat(200_000);
    const msgs = split(`From a@x Tue Nov 17 09:15:00 2026\nSubject: long\n\n${long}\nFrom not a separator\n\nFrom b@x Tue Nov 17 09:16:00 2026\nSubject: next\n\nok\n`, 30_000);
    expect(msgs).toHaveLength(2);
    expect(msgs[0].bytes.toString()).toBe(`Subject: long\n\n${long}\nFrom not a separator\n`);
    expect(msgs[1].line).toBe(7);
  });

  it('refuses text that does not start with a From_ line (a lone .eml, a CSV given as mbox)', () => {
    expect(() => split('Subject: lone\n\nbody\n', 3)).toThrow(NotMboxError);
    expect(() => split('First Name,Last Name\nAda,Lovelace\n', 1024)).toThrow(NotMboxError);
    expect(() => split(`${'x'.repeat(200_000)}\nFrom a@x Tue Nov 17 09:15:00 2026\n`, 30_000)).toThrow(NotMboxError);
  });

  it('allows blank lines and a UTF-8 byte order mark before the first From_ line', () => {
    for (const chunk of [1, 2, 5, 1024]) {
      const msgs = split(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`\n\r\n${MBOX}`)]), chunk);
      expect(msgs.map((m) => m.line)).toEqual([3, 12, 18]);
      expect(msgs[0].bytes.toString()).toMatch(/^Subject: one\n/);
    }
  });

  it('gives nothing for an empty file', () => {
    expect(split('', 10)).toEqual([]);
  });
});
