import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { toIcs, type IcsItem } from '../../src/interop/ics.js';

const tricky = 'Call Zoë Ångström, re: Q4; bring "notes" \\ 🎉\nsecond line';
const long = `Send the proposal to Société Générale — ${'très long résumé 🚀 '.repeat(12)}`.trim();

const items: IcsItem[] = [
  { uid: 'send-proposal-q7p2@touchbase', kind: 'todo', date: '2026-11-27', summary: tricky, description: long, status: 'open', url: 'https://crm.example/r?a=1,b=2', categories: ['vip', 'a,b'] },
  { uid: 'done-thing-k3x9@touchbase', kind: 'todo', date: '2026-11-20', summary: 'Done thing', status: 'done', completed: '2026-11-21' },
  { uid: 'dropped-a1b2@touchbase', kind: 'todo', date: '2026-11-22', summary: 'Dropped', status: 'cancelled' },
  { uid: 'renewal-close@touchbase', kind: 'event', date: '2026-12-31', summary: 'Acme renewal closes, €12,500' },
];

function parse(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text));
}

describe('toIcs', () => {
  const out = toIcs(items, { calName: 'touchbase: Zoë', stamp: '2026-11-23' });
  const cal = parse(out);

  it('writes a calendar with VERSION, PRODID and CALSCALE', () => {
    expect(cal.name).toBe('vcalendar');
    expect(cal.getFirstPropertyValue('version')).toBe('2.0');
    expect(cal.getFirstPropertyValue('prodid')).toBe('-//touchbase//touchbase//EN');
    expect(cal.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('touchbase: Zoë');
  });

  it('writes one component per item, todos and events', () => {
    expect(cal.getAllSubcomponents('vtodo')).toHaveLength(3);
    expect(cal.getAllSubcomponents('vevent')).toHaveLength(1);
  });

  it('round-trips text with commas, semicolons, backslashes, newlines, accents and emoji', () => {
    const todo = cal.getAllSubcomponents('vtodo')[0];
    expect(todo.getFirstPropertyValue('summary')).toBe(tricky);
    expect(todo.getFirstPropertyValue('description')).toBe(long);
    expect(todo.getFirstPropertyValue('uid')).toBe('send-proposal-q7p2@touchbase');
    expect(todo.getFirstPropertyValue('url')).toBe('https://crm.example/r?a=1,b=2');
    expect(todo.getFirstProperty('categories')?.getValues()).toEqual(['vip', 'a,b']);
  });

  it('writes all-day DUE dates and maps statuses', () => {
    const [open, done, cancelled] = cal.getAllSubcomponents('vtodo');
    const due = open.getFirstPropertyValue('due') as ICAL.Time;
    expect(due.isDate).toBe(true);
    expect(due.toString()).toBe('2026-11-27');
    expect(open.getFirstPropertyValue('status')).toBe('NEEDS-ACTION');
    expect(done.getFirstPropertyValue('status')).toBe('COMPLETED');
    expect((done.getFirstPropertyValue('completed') as ICAL.Time).toString()).toBe('2026-11-21T00:00:00Z');
    expect(cancelled.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('writes events as all-day with an exclusive DTEND on the next day', () => {
    const event = new ICAL.Event(cal.getFirstSubcomponent('vevent') ?? undefined);
    expect(event.summary).toBe('Acme renewal closes, €12,500');
    expect(event.startDate.isDate).toBe(true);
    expect(event.startDate.toString()).toBe('2026-12-31');
    expect(event.endDate.toString()).toBe('2027-01-01');
  });

  it('derives DTSTAMP from the stamp date, so output is deterministic', () => {
    for (const c of cal.getAllSubcomponents()) {
      expect((c.getFirstPropertyValue('dtstamp') as ICAL.Time).toString()).toBe('2026-11-23T00:00:00Z');
    }
    expect(toIcs(items, { calName: 'touchbase: Zoë', stamp: '2026-11-23' })).toBe(out);
  });

  it('uses CRLF and folds at 75 octets without splitting UTF-8', () => {
    expect(out.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const physical = out.split('\r\n');
    expect(physical.some((l) => l.startsWith(' '))).toBe(true);
    for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(out).not.toContain('\uFFFD');
  });

  it('writes an empty calendar for no items', () => {
    const empty = parse(toIcs([], { stamp: '2026-11-23', prodId: '-//me//x//EN' }));
    expect(empty.getAllSubcomponents()).toEqual([]);
    expect(empty.getFirstPropertyValue('prodid')).toBe('-//me//x//EN');
  });

  it.each([
    ['a bad item date', [{ ...items[3], date: '2026-02-30' }], '2026-11-23'],
    ['a bad stamp', [], 'today'],
  ])('rejects %s with a DataError', (_label, list, stamp) => {
    expect(() => toIcs(list, { stamp })).toThrow(DataError);
  });
});
