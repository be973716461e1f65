/** `tb import ics <dir>`: a calendar folder as vdirsyncer and khal keep it (issue #32). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSnapshots, exampleCopy, read, snapshot, tb, tempDir } from './helpers.js';

/** One event per file, as vdirsyncer writes a CalDAV collection (events made by DAVx5 on Android). */
function eventFile(uid: string, start: string, attendee: string, extra = ''): string {
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:+//IDN bitfire.at//DAVx5/4.3.13-ose ical4j/3.2.14', 'CALSCALE:GREGORIAN',
    'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261101T090000Z', `DTSTART:${start}`, 'SUMMARY:Sync call',
    'ORGANIZER;CN=Sam Lee:mailto:sam@kestrelfinch.eu', `ATTENDEE;CN=Guest;PARTSTAT=ACCEPTED:mailto:${attendee}`,
    ...(extra ? [extra] : []), 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
}

const run = async (dir: string, asOf: string, args: string[]) => await tb(['--dir', dir, '--as-of', asOf, ...args]);
const meetings = (dir: string) => {
  const out: Record<string, string> = {};
  for (const rel of snapshot(dir).keys()) if (rel.startsWith('interactions/') && /^uid: /m.test(read(dir, rel))) out[rel] = read(dir, rel);
  return out;
};

describe('tb import ics <calendar folder>', () => {
  it('imports, skips unchanged files, follows moved, cancelled and deleted events, and picks up meetings once they happen', async () => {
    const crm = exampleCopy();
    const cal = tempDir('tb-vdir-');
    const w = (name: string, text: string) => fs.writeFileSync(path.join(cal, name), text);
    w('a.ics', eventFile('a@nc', '20261110T100000Z', 'mei.tanaka@paylane.io'));
    w('b.ics', eventFile('b@nc', '20261111T100000Z', 'chiara.rossi@brotundbutter.de'));
    w('c.ics', eventFile('c@nc', '20261127T100000Z', 'mei.tanaka@paylane.io'));
    w('d.ics', eventFile('d@nc', '20261112T100000Z', 'e.moreau@lumenhealth.eu'));
    fs.writeFileSync(path.join(cal, 'color'), '#ff0000');

    const first = await run(crm, '2026-11-23', ['import', 'ics', cal]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/3 meetings read; 3 interactions created/);
    expect(Object.keys(meetings(crm))).toHaveLength(3);
    const state = fs.readdirSync(path.join(crm, '.touchbase', 'vdir'));
    expect(state).toHaveLength(1);
    expect(read(crm, '.touchbase/.gitignore')).toMatch(/^\*$/m);

    // Unchanged: not even read. Same size, same mtime, same inode, different bytes: still not read.
    const a = path.join(cal, 'a.ics');
    const st = fs.statSync(a);
    fs.writeFileSync(a, 'X'.repeat(st.size));
    // Seconds as a fraction keep the sub-millisecond part (a Date would round it).
    fs.utimesSync(a, st.atimeMs / 1000, st.mtimeMs / 1000);
    const quiet = await run(crm, '2026-11-23', ['import', 'ics', cal, '--json']);
    expect(JSON.parse(quiet.stdout)).toMatchObject({ read: 0, created: 0, unchanged_files: 4 });
    expect(quiet.stderr).toBe('');

    // Moved to October (another month folder), cancelled, deleted.
    w('a.ics', eventFile('a@nc', '20261029T150000Z', 'mei.tanaka@paylane.io'));
    w('b.ics', eventFile('b@nc', '20261111T100000Z', 'chiara.rossi@brotundbutter.de', 'STATUS:CANCELLED'));
    fs.unlinkSync(path.join(cal, 'd.ics'));
    const before = snapshot(crm);
    const second = await run(crm, '2026-11-23', ['import', 'ics', cal, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 0, moved: 1, cancelled: 2 });
    const diff = diffSnapshots(before, snapshot(crm));
    expect(diff.added).toHaveLength(1);
    expect(diff.added[0]).toMatch(/^interactions\/2026\/10\//);
    expect(read(crm, diff.added[0])).toMatch(/^date: 2026-10-29T15:00$/m);
    const all = Object.values(meetings(crm));
    expect(all.filter((t) => /^status: cancelled$/m.test(t)).map((t) => /^uid: (.*)$/m.exec(t)?.[1]).sort()).toEqual(['b@nc', 'd@nc']);
    expect(second.stderr).toMatch(/d\.ics: note: deleted from the calendar folder; 1 meeting marked cancelled/);

    // A week later the meeting of the 27th has happened: its file is read again.
    const later = await run(crm, '2026-11-30', ['import', 'ics', cal]);
    expect(later.stdout).toMatch(/1 interaction created/);
    expect(Object.values(meetings(crm)).filter((t) => /^uid: c@nc$/m.test(t))).toHaveLength(1);
    expect((await run(crm, '2026-11-30', ['check'])).code).toBe(0);
  });

  it('METHOD:CANCEL withdraws a logged meeting; a folder without .ics files is a usage error', async () => {
    const crm = exampleCopy();
    const cal = tempDir('tb-vdir-');
    fs.writeFileSync(path.join(cal, 'x.ics'), eventFile('x@nc', '20261110T100000Z', 'mei.tanaka@paylane.io'));
    await run(crm, '2026-11-23', ['import', 'ics', cal]);
    fs.writeFileSync(path.join(cal, 'x.ics'), eventFile('x@nc', '20261110T100000Z', 'mei.tanaka@paylane.io').replace('CALSCALE:GREGORIAN', 'METHOD:CANCEL'));
    const r = await run(crm, '2026-11-23', ['import', 'ics', cal, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ cancelled: 1 });
    const empty = await run(crm, '2026-11-23', ['import', 'ics', tempDir('tb-empty-')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/has no \.ics files/);
  });
});

describe('tb import ics <calendar folder>: a meeting moved to a day still to come', () => {
  it('is marked postponed (not a touch, marked in tb show) until its new day, then takes that date', async () => {
    const crm = exampleCopy();
    const cal = tempDir('tb-vdir-');
    const w = (text: string) => fs.writeFileSync(path.join(cal, 'p.ics'), text);
    w(eventFile('p@nc', '20261120T100000Z', 'mei.tanaka@paylane.io'));
    expect((await run(crm, '2026-11-23', ['import', 'ics', cal])).stdout).toMatch(/1 interaction created/);
    const logged = () => Object.entries(meetings(crm)).filter(([, t]) => /^uid: p@nc$/m.test(t));
    expect(logged()).toHaveLength(1);
    const lastContact = async () => JSON.parse((await run(crm, '2026-11-23', ['list', 'contacts', 'id:mei-tanaka', '--json'])).stdout)[0].derived.last_contact as string;
    expect(await lastContact()).toMatch(/^2026-11-20/);

    // The organiser moves it to December: it did not happen on the 20th.
    w(eventFile('p@nc', '20261203T100000Z', 'mei.tanaka@paylane.io'));
    const moved = await run(crm, '2026-11-23', ['import', 'ics', cal, '--json']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ created: 0, postponed: 1, moved: 0, cancelled: 0 });
    let [[rel, text]] = logged();
    expect(text).toMatch(/^status: postponed$/m);
    expect(text).toMatch(/^date: 2026-11-20T10:00$/m);
    const show = await run(crm, '2026-11-23', ['show', 'mei-tanaka']);
    expect(show.stdout).toMatch(/2026-11-20 10:00 .*Sync call {2}\(moved to a later day; not happened yet\)/);
    // Not a touch while postponed: last_contact is what it was before the meeting was logged.
    expect(await lastContact()).not.toMatch(/^2026-11-20/);
    expect((await run(crm, '2026-11-23', ['check'])).code).toBe(0);
    // Read again: nothing more to do.
    expect(JSON.parse((await run(crm, '2026-11-24', ['import', 'ics', cal, '--json'])).stdout)).toMatchObject({ postponed: 0, updated: 0 });

    // Its day came: it happened then, once — the same record, its new date, the mark gone.
    const happened = await run(crm, '2026-12-04', ['import', 'ics', cal, '--json']);
    expect(JSON.parse(happened.stdout)).toMatchObject({ created: 0, moved: 1 });
    expect(logged()).toHaveLength(1);
    [[rel, text]] = logged();
    expect(rel).toMatch(/^interactions\/2026\/12\//);
    expect(text).toMatch(/^date: 2026-12-03T10:00$/m);
    expect(text).not.toMatch(/^status:/m);
  });

  it('a cancelled meeting is marked in tb show; moved to a later day and cancelled there, it is cancelled', async () => {
    const crm = exampleCopy();
    const cal = tempDir('tb-vdir-');
    const w = (name: string, text: string) => fs.writeFileSync(path.join(cal, name), text);
    w('a.ics', eventFile('a@nc', '20261120T100000Z', 'mei.tanaka@paylane.io'));
    w('b.ics', eventFile('b@nc', '20261121T100000Z', 'mei.tanaka@paylane.io'));
    await run(crm, '2026-11-23', ['import', 'ics', cal]);
    w('a.ics', eventFile('a@nc', '20261120T100000Z', 'mei.tanaka@paylane.io', 'STATUS:CANCELLED'));
    w('b.ics', eventFile('b@nc', '20261209T100000Z', 'mei.tanaka@paylane.io', 'STATUS:CANCELLED'));
    expect(JSON.parse((await run(crm, '2026-11-23', ['import', 'ics', cal, '--json'])).stdout)).toMatchObject({ cancelled: 2, postponed: 0 });
    const show = await run(crm, '2026-11-23', ['show', 'mei-tanaka']);
    expect(show.stdout).toMatch(/2026-11-20 10:00 .*Sync call {2}\(cancelled\)/);
    expect(show.stdout).toMatch(/2026-11-21 10:00 .*Sync call {2}\(cancelled\)/);
  });
});
