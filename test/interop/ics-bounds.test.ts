/** Calendar expansion under attack (issue #27): budgets, impossible rules, sub-daily rules, years, ids. */
import { describe, expect, it } from 'vitest';
import { parseIcsMeetings } from '../../src/interop/ics-import.js';
import type { IcsStart } from '../../src/interop/ics-import.js';

const utcDay = (instant: number) => new Date(instant).toISOString().slice(0, 10);
const cal = (...events: string[]) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${events.join('')}END:VCALENDAR\r\n`;
const ev = (uid: string, ...lines: string[]) => `BEGIN:VEVENT\r\nUID:${uid}\r\n${lines.map((l) => `${l}\r\n`).join('')}SUMMARY:x\r\nEND:VEVENT\r\n`;
const shown = (s: IcsStart) => ('day' in s ? s.day : new Date(s.instant).toISOString().slice(0, 19));
/** A clock that moves `step` ms each time it is read: the budget is tested without depending on speed. */
const ticking = (step: number) => {
  let t = 0;
  return () => (t += step);
};

describe('bounded expansion', () => {
  it('detects a rule that can never occur up front (Feb 31) and keeps the first occurrence', () => {
    const r = parseIcsMeetings(cal(ev('feb31', 'DTSTART:20200101T100000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31')), '2026-11-23', utcDay);
    expect(r.occurrences.map((o) => shown(o.start))).toEqual(['2020-01-01T10:00:00']);
    expect(r.notes).toEqual([{ line: 4, message: 'RRULE can never repeat (BYMONTH=2 has no day BYMONTHDAY=31); only its first occurrence is imported' }]);
  });

  it('gives up on a rule that matches too rarely, per event, and imports the other events', () => {
    // SECONDLY in December only, from January: millions of candidate seconds before the first match.
    const r = parseIcsMeetings(cal(ev('rare', 'DTSTART:20260101T000000Z', 'RRULE:FREQ=SECONDLY;BYMONTH=12;COUNT=5'), ev('ok', 'DTSTART:20261101T100000Z')), '2026-12-31', utcDay, undefined, { limits: { stepsPerEvent: 10_000 } });
    expect(r.issues).toEqual([{ line: 4, message: 'event rare cannot be read: its rule tried over 10,000 candidate times without finishing (limit per event); skipped' }]);
    expect(r.occurrences.map((o) => o.uid)).toEqual(['ok']);
  });

  it('stops the whole file at its time budget (the clock is injected) and says which events were left', () => {
    const events = ['a', 'b', 'c'].map((u) => ev(u, 'DTSTART:20200101T100000Z', 'RRULE:FREQ=DAILY'));
    const r = parseIcsMeetings(cal(...events), '2026-11-23', utcDay, undefined, { clock: ticking(1000), limits: { millisPerFile: 2500 } });
    expect(r.issues.map((i) => i.message)).toContain("event c not expanded: expanding the file's recurring events took over 2.5 s (limit per file); skipped");
    expect(r.occurrences.some((o) => o.uid === 'c')).toBe(false);
  });

  it('caps sub-daily rules hard and keeps their most recent occurrences, also from 1970', () => {
    const r = parseIcsMeetings(cal(ev('secondly', 'DTSTART:19700101T000000Z', 'RRULE:FREQ=SECONDLY')), '2026-11-23', utcDay);
    expect(r.occurrences).toHaveLength(100);
    expect(shown(r.occurrences[99].start)).toBe('2026-11-23T23:59:59');
    expect(r.notes[0].message).toBe('recurring event secondly repeats SECONDLY (more often than daily); the most recent 100 are imported, the older ones are not');
  });

  it('refuses a VTIMEZONE whose rules are not yearly (SECONDLY inside a VTIMEZONE) and still reads the event', () => {
    const vtz = 'BEGIN:VTIMEZONE\r\nTZID:Bad/Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nRRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n';
    const r = parseIcsMeetings(cal(vtz, ev('z', 'DTSTART;TZID=Bad/Zone:20261101T100000')), '2026-11-23', utcDay, 'UTC');
    expect(r.notes.map((n) => n.message)).toEqual(['VTIMEZONE Bad/Zone repeats FREQ=SECONDLY (time zone rules are yearly); not used', "unknown time zone 'Bad/Zone' (no VTIMEZONE for it); its times are read as UTC time"]);
    expect(shown(r.occurrences[0].start)).toBe('2026-11-01T10:00:00');
  });

  it('keeps a 4-event file (1970 daily series) under the per-file cap, the most recent kept', () => {
    const events = ['a', 'b', 'c', 'd'].map((u) => ev(u, 'DTSTART:19700101T100000Z', 'RRULE:FREQ=DAILY'));
    const text = cal(...events);
    expect(text.length).toBeLessThan(480);
    const r = parseIcsMeetings(text, '2026-11-23', utcDay, undefined, { limits: { perFile: 2000 } });
    expect(r.occurrences).toHaveLength(2000);
    expect(Math.min(...r.occurrences.map((o) => ('instant' in o.start ? o.start.instant : 0)))).toBe(Date.parse('2025-07-12T10:00:00Z'));
    // The file's cap is shared: 500 each.
    expect(r.notes.map((n) => n.message)).toEqual(['a', 'b', 'c', 'd'].map((u) => `recurring event ${u} has more than 500 occurrences up to 2026-11-23; the most recent 500 are imported, the older ones are not`));
  });

  it('keeps the most recent single events of a file over its cap, saying which event lost what', () => {
    const events = ['1', '2', '3', '4', '5'].map((d) => ev(`e${d}`, `DTSTART:2026110${d}T100000Z`));
    const r = parseIcsMeetings(cal(...events), '2026-11-23', utcDay, undefined, { limits: { perFile: 3 } });
    expect(r.occurrences.map((o) => o.uid)).toEqual(['e3', 'e4', 'e5']);
    expect(r.notes).toEqual([
      { line: 4, message: 'event e1: 1 older occurrence left out: the file has more than 3 meetings up to 2026-11-23 (the most recent are imported)' },
      { line: 9, message: 'event e2: 1 older occurrence left out: the file has more than 3 meetings up to 2026-11-23 (the most recent are imported)' },
    ]);
  });

  it('keeps the most recent occurrences of a long daily series (since 2006) and says so', () => {
    const r = parseIcsMeetings(cal(ev('long', 'DTSTART:20060102T090000Z', 'RRULE:FREQ=DAILY')), '2026-11-23', utcDay);
    expect(r.occurrences).toHaveLength(1000);
    expect(shown(r.occurrences[999].start)).toBe('2026-11-23T09:00:00');
    expect(shown(r.occurrences[0].start)).toBe('2024-02-28T09:00:00');
    expect(r.notes[0].message).toBe('recurring event long has more than 1,000 occurrences up to 2026-11-23; the most recent 1,000 are imported, the older ones are not');
  });

  it('counts a filtered series to the end and names the total when it keeps the most recent', () => {
    const r = parseIcsMeetings(cal(ev('weekdays', 'DTSTART:20200106T090000Z', 'RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR')), '2026-11-23', utcDay);
    expect(r.occurrences).toHaveLength(1000);
    expect(shown(r.occurrences[999].start)).toBe('2026-11-23T09:00:00');
    expect(r.notes[0].message).toBe('recurring event weekdays has 1,796 occurrences up to 2026-11-23; the most recent 1,000 are imported, the older ones are not');
  });
});

describe('years and ids', () => {
  it('refuses years outside 1000–9999 per event: a negative year, a year 0099 (not 1999)', () => {
    const r = parseIcsMeetings(cal(ev('neg', 'DTSTART:-0010101T100000Z'), ev('y99', 'DTSTART:00990101T100000Z'), ev('ok', 'DTSTART:20261101T100000Z')), '2026-11-23', utcDay);
    expect(r.occurrences.map((o) => o.uid)).toEqual(['ok']);
    expect(r.issues).toEqual([
      { line: 4, message: 'event neg: DTSTART in the year -1 (only years 1000–9999 are read); skipped' },
      { line: 9, message: 'event y99: DTSTART in the year 99 (only years 1000–9999 are read); skipped' },
    ]);
  });

  it('gives every occurrence of a SECONDLY series its own id, exact to the second', () => {
    const r = parseIcsMeetings(cal(ev('s', 'DTSTART:20261101T100000Z', 'RRULE:FREQ=SECONDLY;COUNT=90')), '2026-11-23', utcDay);
    const keys = r.occurrences.map((o) => o.recurrenceKey);
    expect(new Set(keys).size).toBe(90);
    expect(keys.slice(0, 2)).toEqual(['2026-11-01T10:00Z', '2026-11-01T10:00:01Z']);
  });

  it('ids a floating series by its wall time, the same whatever zone it is read in', () => {
    const text = cal(ev('float', 'DTSTART:20261102T100000', 'RRULE:FREQ=WEEKLY;COUNT=2'));
    const berlin = parseIcsMeetings(text, '2026-11-23', utcDay, 'Europe/Berlin').occurrences;
    const tokyo = parseIcsMeetings(text, '2026-11-23', utcDay, 'Asia/Tokyo').occurrences;
    expect(berlin.map((o) => o.recurrenceKey)).toEqual(['2026-11-02T10:00', '2026-11-09T10:00']);
    expect(tokyo.map((o) => o.recurrenceKey)).toEqual(berlin.map((o) => o.recurrenceKey));
    expect(berlin[0].legacyRecurrenceKey).toBe('2026-11-02T09:00Z');
    expect(shown(tokyo[0].start)).toBe('2026-11-02T01:00:00');
  });
});
