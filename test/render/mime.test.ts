/** Campaign messages stay within RFC 5322's line lengths and carry no control characters in headers. */
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildMessage, MAX_DISPLAY_NAME } from '../../src/render/mime.js';

const base = { from: { name: 'Sam Lee', address: 'sam@example.com' }, text: 'Hi\n', html: '<p>Hi</p>', messageId: '<m.1@example.com>', date: new Date('2026-11-23T09:00:00Z') };
const headerLines = (raw: string) => raw.split('\r\n\r\n')[0].split('\r\n');
const firstTo = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)!.value[0];

describe('buildMessage header hygiene', () => {
  it('a 200,000-character name and a 5,000-character word in the subject fold to lines of at most 78 characters', async () => {
    const name = 'A'.repeat(200_000);
    const subject = `Hello ${'x'.repeat(5000)} there`;
    const raw = (await buildMessage({ ...base, to: { name, address: 'ada@example.com' }, subject })).toString('utf8');
    const lines = headerLines(raw);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(78);
    expect(Math.max(...raw.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
    expect(lines.filter((l) => /^To:/i.test(l))).toHaveLength(1);
    const mail = await simpleParser(raw);
    // Cut to MAX_DISPLAY_NAME characters (the last one …), with a space every 60 so that it folds.
    expect(MAX_DISPLAY_NAME).toBe(200);
    expect(firstTo(mail.to)).toEqual({ name: `${'A'.repeat(60)} ${'A'.repeat(60)} ${'A'.repeat(60)} ${'A'.repeat(19)}…`, address: 'ada@example.com' });
    expect(mail.subject).toBe(subject);
  });

  it('a plain-ASCII name of 150 characters without a blank gets a space every 60 so that it folds', async () => {
    const name = 'B'.repeat(150);
    const raw = (await buildMessage({ ...base, to: { name, address: 'bo@example.com' }, subject: 'Hi' })).toString('utf8');
    expect(Math.max(...headerLines(raw).map((l) => l.length))).toBeLessThanOrEqual(78);
    expect(firstTo((await simpleParser(raw)).to)).toEqual({ name: `${'B'.repeat(60)} ${'B'.repeat(60)} ${'B'.repeat(30)}`, address: 'bo@example.com' });
  });

  it('ESC, NUL and other control characters are dropped from names and the subject', async () => {
    const raw = (await buildMessage({ ...base, to: { name: 'Ann\u001b[2J Lee\u0000', address: 'ann@example.com' }, subject: 'News\u001b]0;owned\u0007 for Ann' })).toString('utf8');
    expect(raw).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const mail = await simpleParser(raw);
    expect(firstTo(mail.to).name).toBe('Ann[2J Lee');
    expect(mail.subject).toBe('News]0;owned for Ann');
  });
});

describe('buildMessage line ends', () => {
  it('every line ends CRLF, the body\'s too (RFC 5322)', async () => {
    const raw = (await buildMessage({ ...base, to: { address: 'ada@example.com' }, subject: 'Hi', text: 'line one\nline two\n\nlast', html: '<p>a</p>\n<p>b</p>' })).toString('latin1');
    expect(raw).toContain('line one\r\nline two\r\n');
    expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });
});
