/** Calendars as real programs write them (issue #30): each fixture is in its producer's shape. */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseIcsMeetings } from '../../src/interop/ics-import.js';
import type { IcsStart } from '../../src/interop/ics-import.js';

const read = (name: string) => fs.readFileSync(fileURLToPath(new URL(`../fixtures/calendar/${name}`, import.meta.url)), 'utf8');
const utcDay = (instant: number) => new Date(instant).toISOString().slice(0, 10);
const shown = (s: IcsStart) => ('day' in s ? s.day : new Date(s.instant).toISOString().slice(0, 16));
const parse = (name: string, zone = 'UTC') => parseIcsMeetings(read(name), '2026-11-23', utcDay, zone);

describe('EXDATE on the event timeline', () => {
  it('Thunderbird: a floating EXDATE on a Europe/Berlin series removes that occurrence', () => {
    const r = parse('thunderbird-floating-exdate.ics', 'America/New_York');
    expect(r.occurrences.map((o) => shown(o.start))).toEqual(['2026-10-05T07:00', '2026-10-19T07:00', '2026-10-26T08:00']);
  });

  it('Exchange 2010: a DATE-TIME EXDATE on an all-day series removes that day', () => {
    const r = parse('exchange2010-allday-exdate.ics', 'Europe/Berlin');
    expect(r.occurrences.map((o) => shown(o.start))).toEqual(['2026-11-02', '2026-11-03', '2026-11-05']);
    expect(r.occurrences[0].organizer).toEqual({ address: 'e.moreau@lumenhealth.eu', name: 'Moreau, Élodie' });
  });

  it('a DATE EXDATE on a timed series removes that day’s occurrence', () => {
    const text = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART;TZID=Europe/Berlin:20261102T233000\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEXDATE;VALUE=DATE:20261103\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    expect(parseIcsMeetings(text, '2026-11-23', utcDay).occurrences.map((o) => o.recurrenceKey)).toEqual(['2026-11-02T22:30Z', '2026-11-04T22:30Z']);
  });
});

describe('events without UID', () => {
  it('Apple iCal 2: every event gets a content id, stable across reads', () => {
    const first = parse('apple-ical2-no-uid.ics');
    expect(first.occurrences).toHaveLength(2);
    expect(first.occurrences.every((o) => /^hash:[0-9a-f]{16}$/.test(o.uid))).toBe(true);
    expect(parse('apple-ical2-no-uid.ics').occurrences.map((o) => o.uid)).toEqual(first.occurrences.map((o) => o.uid));
    expect(first.issues).toEqual([]);
  });

  it('Apple: a bogus VTIMEZONE offset (+023017) loses to the IANA zone of the same name, with a note', () => {
    const r = parse('apple-ical2-no-uid.ics');
    // 14:00 Europe/Berlin in November is 13:00 UTC (not 11:29:43 by the file's offset).
    expect(shown(r.occurrences[0].start)).toBe('2026-11-10T13:00');
    expect(r.notes.map((n) => n.message)).toContain('the file\'s VTIMEZONE Europe/Berlin gives UTC+02:30, the time zone database UTC+01:00; the time zone database is used');
  });

  it('Outlook 2007: an event with a non-ASCII TZID and no UID is read through its VTIMEZONE', () => {
    const r = parse('outlook2007-room-no-uid.ics');
    expect(r.occurrences).toHaveLength(1);
    expect(shown(r.occurrences[0].start)).toBe('2026-11-16T13:00');
  });
});

describe('attendees who are not people', () => {
  it('Outlook: rooms, resources and non-participants never become participants', () => {
    const occ = parse('outlook2007-room-no-uid.ics').occurrences[0];
    expect(occ.attendees).toEqual([{ address: 'mei.tanaka@paylane.io', name: 'Mei Tanaka' }]);
    expect(occ.organizer).toEqual({ address: 'sam@kestrelfinch.eu', name: 'Sam Lee' });
  });
});

describe('globally unique TZIDs and stray text', () => {
  it('Evolution: /freeassociation.sourceforge.net/… TZIDs are read as the IANA zone they end with', () => {
    const r = parse('evolution-global-tzid.ics');
    expect(r.occurrences.map((o) => shown(o.start))).toEqual(['2026-07-14T12:00', '2026-07-15T17:00']);
    expect(r.notes.map((n) => n.message)).toEqual([
      'TZID /freeassociation.sourceforge.net/Europe/Berlin read as the time zone Europe/Berlin',
      'TZID /freeassociation.sourceforge.net/Tzfile/America/Sao_Paulo read as the time zone America/Sao_Paulo',
    ]);
  });

  it('Lightning: /mozilla.org/… TZID; a line after END:VCALENDAR is ignored with a note', () => {
    const r = parse('lightning-mozilla-tzid-trailing.ics');
    expect(r.occurrences.map((o) => shown(o.start))).toEqual(['2026-07-16T17:00']);
    expect(r.issues).toEqual([]);
    expect(r.notes).toContainEqual({ line: 16, message: 'text after END:VCALENDAR is not part of the calendar; ignored' });
  });

  it('a broken event is one issue naming its line; the events around it import', () => {
    const text = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261101T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART:2026-11-01\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:c\r\nDTSTART:20261102T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const r = parseIcsMeetings(text, '2026-11-23', utcDay);
    expect(r.occurrences.map((o) => o.uid)).toEqual(['a', 'c']);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].line).toBe(7);
    expect(r.issues[0].message).not.toMatch(/undefined|TypeError|Cannot read/);
  });
});
