/** `tb import ics` on real producers' files and hostile calendars (issues #27, #30). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AS_OF, REPO, diffSnapshots, exampleCopy, read, snapshot, tb, tempDir } from './helpers.js';

const fx = (name: string) => path.join(REPO, 'test', 'fixtures', 'calendar', name);
const run = async (dir: string, args: string[], env?: Record<string, string>) => await tb(['--dir', dir, '--as-of', AS_OF, ...args], env ? { env } : {});
const addedFiles = (dir: string, before: Map<string, string>) => diffSnapshots(before, snapshot(dir)).added;

function writeIcs(body: string): string {
  const file = path.join(tempDir('tb-ics-'), 'cal.ics');
  fs.writeFileSync(file, `BEGIN:VCALENDAR\r\nVERSION:2.0\r\n${body}END:VCALENDAR\r\n`);
  return file;
}

describe('tb import ics: real producers', () => {
  it('Outlook 2007: no UID, a room and a resource; --create-contacts makes no contact of them; re-import is a no-op', async () => {
    const dir = exampleCopy();
    const before = snapshot(dir);
    const r = await run(dir, ['import', 'ics', fx('outlook2007-room-no-uid.ics'), '--create-contacts']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 meeting read; 1 interaction created/);
    const files = addedFiles(dir, before);
    expect(files.filter((f) => f.startsWith('contacts/'))).toEqual([]);
    const meeting = read(dir, files.find((f) => f.startsWith('interactions/'))!);
    expect(meeting).toMatch(/^contacts: \[mei-tanaka\]$/m);
    expect(meeting).toMatch(/^uid: 'hash:[0-9a-f]{16}'$|^uid: hash:[0-9a-f]{16}$/m);
    expect(r.stdout).not.toMatch(/raum-spree|beamer2|info@paylane/);
    const again = await run(dir, ['import', 'ics', fx('outlook2007-room-no-uid.ics')]);
    expect(again.stdout).toMatch(/0 interactions created, 1 skipped \(1 already imported\)/);
    expect((await run(dir, ['check'])).code).toBe(0);
  });

  it('Lightning with a stray line after END:VCALENDAR: imports, notes the line, no internal error', async () => {
    const dir = exampleCopy();
    const r = await run(dir, ['import', 'ics', fx('lightning-mozilla-tzid-trailing.ics')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 interaction created/);
    expect(r.stderr).toMatch(/lightning-mozilla-tzid-trailing\.ics:16: note: text after END:VCALENDAR is not part of the calendar; ignored/);
    expect(r.stderr).toMatch(/note: TZID \/mozilla\.org\/20070129_1\/America\/New_York read as the time zone America\/New_York/);
  });
});

describe('tb import ics: hostile calendars', () => {
  it('a 4-event file of minutely and daily series since 1970 writes a bounded number of meetings and reports each event', async () => {
    const dir = exampleCopy();
    const att = 'ATTENDEE:mailto:a@b.io\r\n';
    const file = writeIcs(['m1', 'm2'].map((u) => `BEGIN:VEVENT\r\nUID:${u}\r\nDTSTART:19700101T000000Z\r\nRRULE:FREQ=MINUTELY\r\n${att}END:VEVENT\r\n`).join('')
      + ['d1', 'd2'].map((u) => `BEGIN:VEVENT\r\nUID:${u}\r\nDTSTART:19700101T000000Z\r\nRRULE:FREQ=DAILY\r\n${att}END:VEVENT\r\n`).join(''));
    expect(fs.statSync(file).size).toBeLessThan(480);
    const r = await run(dir, ['import', 'ics', file, '--json', '--dry-run']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.read).toBe(2 * 100 + 2 * 1000);
    expect(report.notes.map((n: { message: string }) => n.message)).toEqual([
      'recurring event m1 repeats MINUTELY (more often than daily); the most recent 100 are imported, the older ones are not',
      'recurring event m2 repeats MINUTELY (more often than daily); the most recent 100 are imported, the older ones are not',
      'recurring event d1 has more than 1,000 occurrences up to 2026-11-23; the most recent 1,000 are imported, the older ones are not',
      'recurring event d2 has more than 1,000 occurrences up to 2026-11-23; the most recent 1,000 are imported, the older ones are not',
    ]);
  });

  it('a negative year and a year 0099 are refused per event; the other event imports', async () => {
    const dir = exampleCopy();
    const att = 'ATTENDEE:mailto:mei.tanaka@paylane.io\r\n';
    const file = writeIcs(`BEGIN:VEVENT\r\nUID:neg\r\nDTSTART:-0010101T100000Z\r\n${att}END:VEVENT\r\nBEGIN:VEVENT\r\nUID:old\r\nDTSTART:00990101T100000Z\r\n${att}END:VEVENT\r\nBEGIN:VEVENT\r\nUID:ok\r\nDTSTART:20261101T100000Z\r\n${att}END:VEVENT\r\n`);
    const r = await run(dir, ['import', 'ics', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 meeting read; 1 interaction created/);
    expect(r.stderr).toMatch(/cal\.ics:8: event old: DTSTART in the year 99 \(only years 1000–9999 are read\); skipped/);
    expect((await run(dir, ['check'])).code).toBe(0);
  });

  it('a floating series gets the same ids under another TZ: no duplicates for a teammate abroad', async () => {
    const dir = exampleCopy();
    const file = writeIcs('BEGIN:VEVENT\r\nUID:float\r\nDTSTART:20261102T100000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nATTENDEE:mailto:mei.tanaka@paylane.io\r\nEND:VEVENT\r\n');
    const first = await run(dir, ['import', 'ics', file]);
    expect(first.stdout).toMatch(/3 interactions created/);
    const abroad = await run(dir, ['import', 'ics', file], { TZ: 'Asia/Tokyo' });
    expect(abroad.stdout).toMatch(/0 interactions created, 3 skipped \(3 already imported\)/);
  });

  it('timezone: in touchbase.yaml decides the zone of floating times, whatever the machine', async () => {
    const dir = exampleCopy();
    fs.appendFileSync(path.join(dir, 'touchbase.yaml'), '\ntimezone: America/New_York\n');
    const file = writeIcs('BEGIN:VEVENT\r\nUID:f1\r\nDTSTART:20261102T100000\r\nATTENDEE:mailto:mei.tanaka@paylane.io\r\nEND:VEVENT\r\n');
    const before = snapshot(dir);
    await run(dir, ['import', 'ics', file]);
    const meeting = addedFiles(dir, before).find((f) => f.startsWith('interactions/'))!;
    // 10:00 New York is 15:00 UTC, the machine's zone here.
    expect(read(dir, meeting)).toMatch(/^date: 2026-11-02T15:00$/m);
  });

  it('a timezone: that is not a zone is a config problem', async () => {
    const dir = exampleCopy();
    fs.appendFileSync(path.join(dir, 'touchbase.yaml'), '\ntimezone: Mars/Olympus\n');
    const r = await run(dir, ['check']);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/timezone must be a time zone like Europe\/Berlin, got 'Mars\/Olympus'/);
  });
});
