import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, fromDayNumber, hasIsoDateShape, isIsoDate, isIsoDay, parseDuration, parseWhen, toDayNumber, tryParseWhen } from '../../src/core/dates.js';
import { UsageError } from '../../src/errors.js';

// 2026-11-23 is a Monday.
const TODAY = '2026-11-23';

describe('tryParseWhen', () => {
  it.each([
    ['2026-12-01', '2026-12-01'],
    ['2026-12-01T14:30', '2026-12-01'],
    ['today', TODAY],
    ['Tomorrow', '2026-11-24'],
    ['yesterday', '2026-11-22'],
    ['+3d', '2026-11-26'],
    ['-2w', '2026-11-09'],
    ['+1m', '2026-12-23'],
    ['-90d', '2026-08-25'],
    ['in 2 weeks', '2026-12-07'],
    ['in 3 days', '2026-11-26'],
    ['3 days ago', '2026-11-20'],
    ['next friday', '2026-11-27'],
    ['friday', '2026-11-27'],
    ['monday', '2026-11-30'],
    ['next monday', '2026-11-30'],
    ['last friday', '2026-11-20'],
    ['end of month', '2026-11-30'],
    ['end of week', '2026-11-29'],
    ['next week', '2026-11-30'],
    ['next month', '2026-12-23'],
  ])('%s → %s', (input, expected) => {
    expect(tryParseWhen(input, TODAY)).toBe(expected);
  });

  it.each(['', 'someday', '2026-13-01', '2026-02-30', '+3x', 'next fooday', 'in weeks'])('rejects %j', (input) => {
    expect(tryParseWhen(input, TODAY)).toBeUndefined();
  });

  it('parseWhen throws a usage error that lists accepted forms', () => {
    expect(() => parseWhen('someday', TODAY, '--date')).toThrow(UsageError);
    try {
      parseWhen('someday', TODAY, '--date');
    } catch (err) {
      expect((err as UsageError).message).toBe("cannot understand --date 'someday'");
      expect((err as UsageError).hint).toContain('next friday');
    }
  });
});

describe('date arithmetic', () => {
  it.each([
    ['2027-01-31', 1, '2027-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-11-23', 12, '2027-11-23'],
  ])('addMonths(%s, %i) = %s', (d, n, expected) => {
    expect(addMonths(d, n)).toBe(expected);
  });

  it('daysBetween counts calendar days across DST and leap years', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-11-23', '2026-11-20')).toBe(-3);
  });

  it('isIsoDate checks real calendar days and times', () => {
    expect(isIsoDate('2026-11-20T14:30')).toBe(true);
    expect(isIsoDate('2026-11-20T25:30')).toBe(false);
    expect(isIsoDate('2026-9-1')).toBe(false);
    expect(isIsoDate(20261120)).toBe(false);
  });

  it('parseDuration', () => {
    expect(parseDuration('30d')).toEqual({ n: 30, unit: 'd' });
    expect(parseDuration('2 weeks')).toEqual({ n: 2, unit: 'w' });
    expect(parseDuration('1y')).toEqual({ n: 1, unit: 'y' });
    expect(parseDuration('soon')).toBeUndefined();
  });
});

describe('overflow', () => {
  it('huge offsets are not understood rather than crashing', () => {
    expect(tryParseWhen('-99999999999d', TODAY)).toBeUndefined();
    expect(tryParseWhen('+999999y', TODAY)).toBeUndefined();
    expect(() => parseWhen('+99999999999w', TODAY)).toThrow(UsageError);
  });
});

describe('parseWhen on the command line', () => {
  it('a bare interval counts forward from today', () => {
    expect(parseWhen('2w', TODAY)).toBe('2026-12-07');
    expect(parseWhen('3d', TODAY)).toBe('2026-11-26');
    expect(tryParseWhen('2w', TODAY)).toBeUndefined();
  });
});

describe('years 1000–9999', () => {
  it.each([
    ['0099-06-15', false], ['0999-12-31', false], ['1000-01-01', true], ['9999-12-31', true], ['0026-01-01T10:00', false],
  ])('isIsoDate(%s) is %s', (text, ok) => {
    expect(isIsoDate(text)).toBe(ok);
  });

  it.each([
    () => addDays('9999-12-31', 1),
    () => addDays('1000-01-01', -1),
    () => addMonths('9999-12-15', 1),
    () => fromDayNumber(Number.NaN),
  ])('arithmetic leaving the range is a clear error, not a wrong year (%#)', (f) => {
    expect(f).toThrow(/outside the years 1000–9999/);
  });

  it('an --as-of year below 1000 or a step past 9999 says why', () => {
    expect(() => parseWhen('0099-06-15', '2026-11-23', '--as-of date')).toThrow(/--as-of date '0099-06-15' is outside the years 1000–9999/);
    expect(() => parseWhen('+1d', '9999-12-31', 'date')).toThrow(/outside the years 1000–9999/);
    expect(parseWhen('+1d', '1000-01-01')).toBe('1000-01-02');
  });
});

describe('day numbers', () => {
  it('fromDayNumber is the inverse of toDayNumber and agrees with Date (property)', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      // Dates are limited to the years 1000–9999 (docs/reliability.md).
      fc.property(fc.integer({ min: -354_285, max: 2_932_896 }), (day) => {
        const viaDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(fromDayNumber(day)).toBe(viaDate);
        expect(toDayNumber(fromDayNumber(day))).toBe(day);
      }),
      { numRuns: 5000 },
    );
    for (const [day, date] of [[0, '1970-01-01'], [-1, '1969-12-31'], [20_513, '2026-03-01'], [20_512, '2026-02-28'], [11_016, '2000-02-29']] as const) {
      expect(fromDayNumber(day)).toBe(date);
    }
  });

  it('parseDuration gives each caller its own object', () => {
    const a = parseDuration('90d')!;
    a.n = 1;
    expect(parseDuration('90d')).toEqual({ n: 90, unit: 'd' });
    expect(parseDuration('90 fortnights')).toBeUndefined();
    expect(parseDuration('90 fortnights')).toBeUndefined();
    expect(parseDuration('5 constructor')).toBeUndefined();
    expect(parseDuration('5 toString')).toBeUndefined();
  });
});

describe('isIsoDay and hasIsoDateShape', () => {
  it('isIsoDay: a real YYYY-MM-DD without a time', () => {
    expect(['2026-11-20', '2024-02-29'].map(isIsoDay)).toEqual([true, true]);
    expect(['2026-02-29', '2026-11-20T10:00', '2026-1-20', '0999-01-01', 20261120, undefined].map(isIsoDay)).toEqual([false, false, false, false, false, false]);
  });

  it('hasIsoDateShape: the written shape only, so tb check can tell a wrong shape from a day that does not exist', () => {
    expect(hasIsoDateShape('2026-02-30', false)).toBe(true);
    expect(hasIsoDateShape('2026-11-20T10:00', false)).toBe(false);
    expect(['2026-11-20T10:00', '2026-11-20 10:00:30', '2026-13-45T99:99'].map((v) => hasIsoDateShape(v, true))).toEqual([true, true, true]);
    expect(['2026-11-20T10:00Z', '2026-11-20T10', '26-11-20'].map((v) => hasIsoDateShape(v, true))).toEqual([false, false, false]);
  });
});

describe('parseWhen: a mistyped date word (a newcomer pass)', () => {
  it('names the word that was meant', () => {
    const hintOf = (text: string) => {
      try {
        parseWhen(text, '2026-11-23', 'when');
      } catch (err) {
        return (err as UsageError).hint;
      }
      return undefined;
    };
    expect(hintOf('tomorow')).toMatch(/^did you mean 'tomorrow'\? try one of: /);
    expect(hintOf('next fridy')).toMatch(/^did you mean 'next friday'\? try one of: /);
    expect(hintOf('someday')).toMatch(/^try one of: /);
  });
});
