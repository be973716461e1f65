import { describe, expect, it } from 'vitest';
import {
  addSlaTime,
  caseSla,
  parseBusinessDays,
  parseSlaSpan,
  readSlaSettings,
  slaTimeBetween,
} from '../../src/core/sla.js';
import { formatInstant, parseInstant } from '../../src/core/instants.js';
import { zonedInstant } from '../../src/core/zones.js';
import type { BusinessHours, SlaSettings } from '../../src/core/sla.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const span = (text: string) => parseSlaSpan(text)!;

// Mon–Fri 09:00–17:00 in Berlin: the usual office.
const office: BusinessHours = { days: [1, 2, 3, 4, 5], start: 9 * 60, end: 17 * 60, timezone: 'Europe/Berlin' };
// Every day 09:00–17:00 in Berlin, so a DST Sunday is a working day.
const everyDay: BusinessHours = { ...office, days: [0, 1, 2, 3, 4, 5, 6] };
// The whole day every day: a business day is as long as the civil day (23 h or 25 h on DST days).
const roundTheClock: BusinessHours = { days: [0, 1, 2, 3, 4, 5, 6], start: 0, end: 24 * 60, timezone: 'Europe/Berlin' };

describe('parseInstant / formatInstant', () => {
  it.each([
    ['2026-11-20T09:00Z', 'UTC', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T10:30-05:00', 'UTC', '2026-11-20T15:30:00.000Z'],
    ['2026-11-20T16:30+0100', 'UTC', '2026-11-20T15:30:00.000Z'],
    // No offset: the wall clock of the SLA zone (CET in November, CEST in July).
    ['2026-11-20T09:00', 'Europe/Berlin', '2026-11-20T08:00:00.000Z'],
    ['2026-07-01 09:00', 'Europe/Berlin', '2026-07-01T07:00:00.000Z'],
    ['2026-07-01', 'Europe/Berlin', '2026-06-30T22:00:00.000Z'],
    ['2026-07-01T09:00:30', 'UTC', '2026-07-01T09:00:30.000Z'],
  ])('%s in %s is %s', (text, zone, iso) => {
    expect(new Date(parseInstant(text, zone)!).toISOString()).toBe(iso);
  });

  it.each([['2026-02-30T09:00'], ['2026-11-20T25:00'], ['yesterday'], [''], [42]])('rejects %s', (value) => {
    expect(parseInstant(value)).toBeUndefined();
  });

  it.each([
    ['2026-03-30T08:00:00Z', 'Europe/Berlin', '2026-03-30T10:00+02:00'],
    ['2026-03-27T15:00:00Z', 'Europe/Berlin', '2026-03-27T16:00+01:00'],
    ['2026-11-20T15:30:00Z', 'America/New_York', '2026-11-20T10:30-05:00'],
    ['2026-11-20T15:30:00Z', 'UTC', '2026-11-20T15:30Z'],
    ['2026-11-20T15:30:00Z', 'Asia/Kathmandu', '2026-11-20T21:15+05:45'],
    // Either side of Berlin's autumn change (01:00Z): the cached offsets switch exactly there.
    ['2026-10-25T00:59:00Z', 'Europe/Berlin', '2026-10-25T02:59+02:00'],
    ['2026-10-25T01:00:00Z', 'Europe/Berlin', '2026-10-25T02:00+01:00'],
  ])('formats %s in %s as %s', (iso, zone, text) => {
    expect(formatInstant(at(iso), zone)).toBe(text);
  });

  it('reads a DST-gap wall time after the gap and a repeated hour as its first occurrence', () => {
    // 2026-03-29 02:30 does not exist in Berlin: clocks jump from 02:00 CET to 03:00 CEST.
    expect(new Date(zonedInstant('2026-03-29', 150, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 2026-10-25 02:30 happens twice: first in CEST (00:30Z), then in CET (01:30Z).
    expect(new Date(zonedInstant('2026-10-25', 150, 'Europe/Berlin')).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('parseSlaSpan / parseBusinessDays', () => {
  it.each([
    ['30min', 30, 0],
    ['2h', 120, 0],
    ['1.5h', 90, 0],
    ['1d', 0, 1],
    ['2w', 0, 14],
  ])('%s', (text, minutes, days) => {
    expect(parseSlaSpan(text)).toMatchObject({ minutes, days });
  });
  it.each([['1m'], ['soon'], ['0h'], ['-2h']])('rejects %s', (text) => expect(parseSlaSpan(text)).toBeUndefined());
  it.each([
    ['mon-fri', [1, 2, 3, 4, 5]],
    [['mon', 'wed', 'Friday'], [1, 3, 5]],
    ['sat-mon', [0, 1, 6]],
  ])('%j', (value, days) => expect(parseBusinessDays(value)).toEqual(days));
  it('rejects an unknown day', () => expect(parseBusinessDays('mon-funday')).toBeUndefined());
});

describe('addSlaTime: calendar clock', () => {
  it.each([
    ['2h', '2026-11-20T09:00Z', '2026-11-20T11:00:00.000Z'],
    ['1d', '2026-11-20T09:00Z', '2026-11-21T09:00:00.000Z'],
    // Without business hours a day is 24 hours, also across Berlin's DST change.
    ['1d', '2026-10-24T12:00+02:00', '2026-10-25T10:00:00.000Z'],
  ])('%s after %s', (len, from, due) => {
    expect(new Date(addSlaTime(parseInstant(from)!, span(len), undefined)).toISOString()).toBe(due);
  });
});

describe('addSlaTime: business hours', () => {
  it.each([
    // Friday 16:00 CET + 2h: one hour Friday, one hour Monday 09–10, Monday already in CEST.
    ['office', '2h', '2026-03-27T16:00+01:00', '2026-03-30T10:00+02:00'],
    // 1 business day = 8 business hours: 1 h Friday + 7 h Monday → Monday 16:00 CEST.
    ['office', '1d', '2026-03-27T16:00+01:00', '2026-03-30T16:00+02:00'],
    // Opened on a Saturday: the clock starts Monday 09:00 (CET after the October change).
    ['office', '4h', '2026-10-24T12:00+02:00', '2026-10-26T13:00+01:00'],
    // Opened before hours: starts at 09:00 the same day.
    ['office', '30min', '2026-11-23T07:10+01:00', '2026-11-23T09:30+01:00'],
    // Opened after hours on Friday: 1 week = 5 business days from Monday 09:00 → Friday 17:00.
    ['office', '1w', '2026-11-20T18:00+01:00', '2026-11-27T17:00+01:00'],
    // A week-end-working desk: Saturday 16:00 CEST + 2h = 1 h Saturday + 1 h Sunday 09–10 CET.
    ['everyDay', '2h', '2026-10-24T16:00+02:00', '2026-10-25T10:00+01:00'],
    // Spring: Saturday 16:30 CET + 8h = 0.5 h Saturday + 7.5 h Sunday → 16:30 CEST.
    ['everyDay', '1d', '2026-03-28T16:30+01:00', '2026-03-29T16:30+02:00'],
  ])('%s: %s after %s is %s', (name, len, from, due) => {
    const bh = name === 'office' ? office : everyDay;
    expect(formatInstant(addSlaTime(parseInstant(from)!, span(len), bh), 'Europe/Berlin')).toBe(due);
  });
});

describe('slaTimeBetween', () => {
  it.each([
    // Friday 16:00 CET to Monday 10:00 CEST: 1 h + 1 h of office time, 65 h of calendar time.
    ['office', '2026-03-27T16:00+01:00', '2026-03-30T10:00+02:00', 2],
    ['none', '2026-03-27T16:00+01:00', '2026-03-30T10:00+02:00', 65],
    // The spring-forward Sunday has 23 hours, the autumn one 25.
    ['roundTheClock', '2026-03-29T00:00+01:00', '2026-03-30T00:00+02:00', 23],
    ['roundTheClock', '2026-10-25T00:00+02:00', '2026-10-26T00:00+01:00', 25],
    // Across a weekend: Thursday 15:00 to Tuesday 11:00 = 2 + 8 + 8 + 2 hours.
    ['office', '2026-11-19T15:00+01:00', '2026-11-24T11:00+01:00', 20],
    ['office', '2026-11-24T11:00+01:00', '2026-11-19T15:00+01:00', 0],
  ])('%s: %s → %s is %s h', (name, a, b, hours) => {
    const bh = name === 'office' ? office : name === 'roundTheClock' ? roundTheClock : undefined;
    expect(slaTimeBetween(parseInstant(a)!, parseInstant(b)!, bh) / H).toBe(hours);
  });
});

describe('readSlaSettings', () => {
  it('reads targets per priority and business hours', () => {
    const { settings, problems } = readSlaSettings({
      sla: { urgent: { first_response: '2h', resolve: '1d' }, Normal: { first_response: '1d', resolve: '5d' } },
      business_hours: { days: 'mon-fri', start: '09:00', end: '17:00', timezone: 'Europe/Berlin' },
    });
    expect(problems).toEqual([]);
    expect(settings.targets.urgent.first_response?.minutes).toBe(120);
    expect(settings.targets.normal.resolve?.days).toBe(5);
    expect(settings.businessHours).toEqual(office);
  });
  it('reports bad lengths, zones and hours', () => {
    const { problems } = readSlaSettings({
      sla: { high: { first_response: '1m', answer: '2h' }, low: 'fast' },
      business_hours: { timezone: 'Mars/Olympus' },
    });
    expect(problems.map((p) => p.message)).toEqual([
      "sla.high.first_response '1m' is not a length like 30min, 4h, 2d, 1w",
      "sla.high: unknown key 'answer' (use first_response and resolve)",
      'sla.low must be a mapping like { first_response: 4h, resolve: 2d }',
      "business_hours.timezone 'Mars/Olympus' is not a time zone like Europe/Berlin",
    ]);
    expect(readSlaSettings({ business_hours: { start: '17:00', end: '09:00' } }).problems[0].message).toBe(
      'business_hours.end must be later than business_hours.start',
    );
  });
});

describe('caseSla', () => {
  const calendar: SlaSettings = readSlaSettings({
    sla: { urgent: { first_response: '2h', resolve: '1d' }, normal: { first_response: '1d', resolve: '5d' } },
  }).settings;
  const berlin: SlaSettings = { ...calendar, businessHours: office };

  it('computes deadlines, age and breaches on the calendar clock', () => {
    const open = { priority: 'urgent', opened: '2026-11-20T09:00Z', active: true };
    expect(caseSla(open, calendar, at('2026-11-20T10:59:00Z'))).toEqual({
      age: 0,
      first_response_due: '2026-11-20T11:00Z',
      resolve_due: '2026-11-21T09:00Z',
      breached: [],
    });
    expect(caseSla(open, calendar, at('2026-11-20T11:01:00Z')).breached).toEqual(['first_response']);
    expect(caseSla(open, calendar, at('2026-11-23T08:00:00Z'))).toMatchObject({ age: 3, breached: ['first_response', 'resolve'] });
  });

  it('stops the clocks at first_response and resolved', () => {
    const answered = { priority: 'urgent', opened: '2026-11-20T09:00Z', first_response: '2026-11-20T10:30Z', resolved: '2026-11-21T10:00Z', active: false };
    expect(caseSla(answered, calendar, at('2026-12-01T00:00:00Z'))).toMatchObject({
      time_to_first_response: 1.5,
      time_to_resolve: 25,
      breached: ['resolve'],
    });
    // Solved without a reply: the first-response clock stops at resolved, in time.
    const silent = { priority: 'urgent', opened: '2026-11-20T09:00Z', resolved: '2026-11-20T10:00Z', active: false };
    expect(caseSla(silent, calendar, at('2026-12-01T00:00:00Z')).breached).toEqual([]);
    // Closed with no dates: nothing says when the clock stopped, so it is not breached.
    expect(caseSla({ priority: 'urgent', opened: '2026-11-20T09:00Z', active: false }, calendar, at('2026-12-01T00:00:00Z')).breached).toEqual([]);
  });

  it('uses normal when the priority has no SLA name, and no deadline for an unknown priority', () => {
    expect(caseSla({ opened: '2026-11-20T09:00Z', active: true }, calendar, at('2026-11-20T09:00:00Z')).first_response_due).toBe('2026-11-21T09:00Z');
    expect(caseSla({ priority: 'low', opened: '2026-11-20T09:00Z', active: true }, calendar, at('2026-12-20T09:00:00Z'))).toEqual({ age: 30, breached: [] });
  });

  it('counts a case opened in New York and answered in Berlin on the Berlin office clock', () => {
    // The New York clone wrote 10:30-05:00 (16:30 in Berlin, Friday); the Berlin clone replied
    // Monday 09:15+01:00: 0.5 h Friday + 0.25 h Monday of office time; 64.75 h of calendar time.
    const c = { priority: 'urgent', opened: '2026-11-20T10:30-05:00', first_response: '2026-11-23T09:15+01:00', active: true };
    const now = at('2026-11-23T09:00:00Z');
    expect(caseSla(c, berlin, now)).toEqual({
      age: 3,
      first_response_due: '2026-11-23T10:30+01:00',
      resolve_due: '2026-11-23T16:30+01:00',
      breached: [],
      time_to_first_response: 0.75,
    });
    expect(caseSla(c, calendar, now)).toMatchObject({ time_to_first_response: 64.75, first_response_due: '2026-11-20T17:30Z', breached: ['first_response', 'resolve'] });
  });
});
