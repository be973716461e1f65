import { describe, expect, it } from 'vitest';
import { isOffsetDateTime, parseInstant } from '../../src/core/instants.js';

describe('isOffsetDateTime', () => {
  it('takes the shape tb writes instants in: a T, minutes, optional seconds, an offset or Z', () => {
    for (const v of ['2026-11-20T16:30+01:00', '2026-11-20T16:30-0530', '2026-11-20T16:30:05.25Z', '2026-11-20T16:30z']) expect(isOffsetDateTime(v)).toBe(true);
  });

  it('refuses a date-time without an offset, a space for the T, and a day or minute that does not exist', () => {
    for (const v of ['2026-11-20T16:30', '2026-11-20 16:30+01:00', '2026-02-30T10:00Z', '2026-11-20T24:00Z', '2026-11-20T10:60Z', '0999-11-20T10:00Z']) expect(isOffsetDateTime(v)).toBe(false);
  });

  it('agrees with parseInstant on the moment it names', () => {
    expect(parseInstant('2026-11-20T16:30+01:00')).toBe(Date.UTC(2026, 10, 20, 15, 30));
  });
});
