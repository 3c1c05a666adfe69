import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toIsoTime } from './time.js';

describe('toIsoTime', () => {
  it('sends a Date, epoch milliseconds and an ISO string with a zone as ISO UTC', () => {
    expect(toIsoTime('at', new Date(Date.UTC(2026, 10, 28, 18)))).toBe('2026-11-28T18:00:00.000Z');
    expect(toIsoTime('at', Date.UTC(2026, 10, 28, 18))).toBe('2026-11-28T18:00:00.000Z');
    expect(toIsoTime('at', '2026-11-28T18:00:00Z')).toBe('2026-11-28T18:00:00.000Z');
    expect(toIsoTime('at', '2026-11-28T19:30:00.5+01:30')).toBe('2026-11-28T18:00:00.500Z');
    expect(toIsoTime('at', '2024-02-29T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000Z');
  });

  it.each([
    ['2026-13-45T99:99:99Z'],
    ['2026-02-29T00:00:00.000Z'],
    ['2026-04-31T00:00:00Z'],
    ['2026-11-28T18:00:00'],
    ['2026-11-28 18:00:00Z'],
    ['2026-11-28T24:00:00.000Z'],
    ['yesterday'],
    [''],
  ])('refuses %j, naming the field', (value) => {
    expect(() => toIsoTime('event.at', value)).toThrow(/`event.at`/);
  });

  it('refuses an invalid Date, a number out of range and other types', () => {
    expect(() => toIsoTime('at', new Date(Number.NaN))).toThrow(TypeError);
    expect(() => toIsoTime('at', Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => toIsoTime('at', 9e15)).toThrow(RangeError);
    // Microseconds by mistake: a Date can hold it, the contract's ISO string cannot (+058888-…).
    expect(() => toIsoTime('at', Date.UTC(2026, 10, 28) * 1000)).toThrow(/from year 0000 to 9999/);
    expect(() => toIsoTime('at', new Date(8.64e15))).toThrow(/from year 0000 to 9999/);
    expect(toIsoTime('at', Date.parse('9999-12-31T23:59:59.999Z'))).toBe('9999-12-31T23:59:59.999Z');
    expect(() => toIsoTime('at', null)).toThrow(TypeError);
    expect(() => toIsoTime('at', 10n)).toThrow(TypeError);
  });

  it('keeps what toISOString() writes, and agrees with Date on every instant (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString();
          expect(toIsoTime('at', iso)).toBe(iso);
          expect(toIsoTime('at', date.getTime())).toBe(iso);
        },
      ),
    );
  });
});
