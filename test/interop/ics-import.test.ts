import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NotICalendarError, parseIcsMeetings } from '../../src/interop/ics-import.js';
import type { IcsStart } from '../../src/interop/ics-import.js';

const read = (name: string) => fs.readFileSync(fileURLToPath(new URL(`../fixtures/mail/${name}`, import.meta.url)), 'utf8');
const utcDay = (instant: number) => new Date(instant).toISOString().slice(0, 10);
const shown = (s: IcsStart) => ('day' in s ? s.day : new Date(s.instant).toISOString().slice(0, 16));

describe('parseIcsMeetings on a Google Calendar export', () => {
  const { occurrences, issues } = parseIcsMeetings(read('google.ics'), '2026-11-23', utcDay);

  it('expands the weekly series up to the day, without the EXDATE, with the moved occurrence', () => {
    const weekly = occurrences.filter((o) => o.uid === '4q8v2k1m9c7b5n3x0z6a@google.com');
    // 10:00 Europe/Berlin: 08:00 UTC in summer time (to 25 October), 09:00 UTC after.
    expect(weekly.map((o) => shown(o.start))).toEqual(['2026-10-06T08:00', '2026-10-13T08:00', '2026-10-27T09:00', '2026-11-04T14:00', '2026-11-10T09:00', '2026-11-17T09:00']);
    expect(weekly.map((o) => o.recurrenceId && shown(o.recurrenceId))).toEqual(['2026-10-06T08:00', '2026-10-13T08:00', '2026-10-27T09:00', '2026-11-03T09:00', '2026-11-10T09:00', '2026-11-17T09:00']);
    expect(weekly[3].summary).toBe('Weekly sync PayLane (moved)');
    expect(weekly[0].description).toBe('Agenda: integration status, open tickets\nJoin: https://meet.google.com/abc-defg-hij');
  });

  it('leaves out attendees who declined, keeps names from CN', () => {
    const first = occurrences[0];
    expect(first.organizer).toEqual({ address: 'sam@kestrelfinch.eu', name: 'Sam Lee' });
    expect(first.attendees).toEqual([{ address: 'mei.tanaka@paylane.io', name: 'Mei Tanaka' }, { address: 'sam@kestrelfinch.eu', name: 'Sam Lee' }]);
  });

  it('keeps an all-day event as a day, drops cancelled and future events', () => {
    const allDay = occurrences.find((o) => o.uid === '7h3j5k7l9m1n3p5q@google.com');
    expect(allDay?.start).toEqual({ day: '2026-11-12' });
    expect(allDay?.recurrenceId).toBeUndefined();
    expect(allDay?.location).toBe('Brot und Butter, Hauptstraße 5, 10827 Berlin');
    expect(occurrences.some((o) => o.uid.startsWith('future-') || o.uid.startsWith('cancelled-'))).toBe(false);
    expect(occurrences).toHaveLength(7);
    expect(issues).toEqual([]);
  });

  it('points each occurrence at its VEVENT line', () => {
    expect(occurrences[0].line).toBe(26);
  });
});

describe('parseIcsMeetings on an Outlook invitation', () => {
  it('converts a Windows TZID through its VTIMEZONE', () => {
    const { occurrences } = parseIcsMeetings(read('outlook.ics'), '2026-11-23', utcDay);
    expect(occurrences).toHaveLength(1);
    expect(shown(occurrences[0].start)).toBe('2026-11-19T13:00');
    expect(occurrences[0].summary).toBe('Revue étude pilote');
    expect(occurrences[0].organizer).toEqual({ address: 'e.moreau@lumenhealth.eu', name: 'Élodie Moreau' });
  });
});

describe('parseIcsMeetings on odd input', () => {
  const cal = (body: string) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${body}END:VCALENDAR\r\n`;

  it('takes a TZID without VTIMEZONE as an IANA zone name', () => {
    const { occurrences } = parseIcsMeetings(cal('BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=America/New_York:20260701T090000\r\nSUMMARY:x\r\nEND:VEVENT\r\n'), '2026-11-23', utcDay);
    expect(shown(occurrences[0].start)).toBe('2026-07-01T13:00');
  });

  it('takes a floating time (no zone) in the local zone it is given', () => {
    const ev = cal('BEGIN:VEVENT\r\nUID:f\r\nDTSTART:20261117T100000\r\nSUMMARY:x\r\nEND:VEVENT\r\n');
    expect(shown(parseIcsMeetings(ev, '2026-11-23', utcDay, 'Europe/Berlin').occurrences[0].start)).toBe('2026-11-17T09:00');
    expect(shown(parseIcsMeetings(ev, '2026-11-23', utcDay, 'America/New_York').occurrences[0].start)).toBe('2026-11-17T15:00');
  });

  it('stops a runaway rule and says so', () => {
    const { occurrences, notes } = parseIcsMeetings(cal('BEGIN:VEVENT\r\nUID:runaway\r\nDTSTART:20000101T000000Z\r\nRRULE:FREQ=MINUTELY\r\nSUMMARY:x\r\nEND:VEVENT\r\n'), '2026-11-23', utcDay);
    expect(occurrences).toHaveLength(100);
    expect(notes).toEqual([{ line: 4, message: 'recurring event runaway repeats MINUTELY (more often than daily); the most recent 100 are imported, the older ones are not' }]);
  });

  it('identifies an event without UID by its content: the same id every time', () => {
    const text = cal('BEGIN:VEVENT\r\nDTSTART:20260101T000000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\n');
    const { occurrences, issues, notes } = parseIcsMeetings(text, '2026-11-23', utcDay);
    expect(issues).toEqual([]);
    expect(occurrences[0].uid).toMatch(/^hash:[0-9a-f]{16}$/);
    expect(notes).toEqual([{ line: 4, message: `event without a UID; identified by its content as ${occurrences[0].uid}` }]);
    expect(parseIcsMeetings(text, '2026-11-23', utcDay).occurrences[0].uid).toBe(occurrences[0].uid);
  });

  it('throws for text that is not iCalendar', () => {
    expect(() => parseIcsMeetings('hello', '2026-11-23', utcDay)).toThrow();
  });

  it('refuses an e-mail (no BEGIN:VCALENDAR) before parsing, accepts a BOM and blank lines first', () => {
    expect(() => parseIcsMeetings(read('thunderbird-reply.eml'), '2026-11-23', utcDay)).toThrow(NotICalendarError);
    expect(() => parseIcsMeetings('BEGIN:VEVENT\r\nEND:VEVENT\r\n', '2026-11-23', utcDay)).toThrow(NotICalendarError);
    expect(parseIcsMeetings(`\uFEFF\r\n${cal('')}`, '2026-11-23', utcDay).occurrences).toEqual([]);
  });
});
