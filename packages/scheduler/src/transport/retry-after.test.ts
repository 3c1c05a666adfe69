import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T10:00:00Z');

  it.each([
    ['120', 120_000],
    ['0', 0],
    ['007', 7_000],
    ['1.5', 1_500],
    [' \t30 ', 30_000],
    ['Sat, 28 Nov 2026 10:01:00 GMT', 60_000],
    ['sat, 28 nov 2026 10:01:00 gmt', 60_000],
    ['Saturday, 28-Nov-26 10:01:00 GMT', 60_000],
    ['Sat Nov 28 10:01:00 2026', 60_000],
    ['Tue Dec  1 10:00:00 2026', 3 * 86_400_000],
    ['Sat, 28 Nov 2026 09:00:00 GMT', 0],
    ['Sunday, 06-Nov-94 08:49:37 GMT', 0],
  ])('reads %j as %s ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([
    ['a huge number of seconds', '99999999999999999999999'],
    ['more seconds than a timer can wait', '2147484'],
    ['a date far ahead', 'Fri, 31 Dec 9999 23:59:59 GMT'],
  ])('clamps %s to 2^31 − 1 ms', (_, value) => {
    expect(parseRetryAfter(value, now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it.each([
    ['nothing', null],
    ['undefined', undefined],
    ['empty', ''],
    ['a word', 'soon'],
    ['negative', '-5'],
    ['an exponent', '1e9'],
    ['hex', '0x10'],
    ['a dot alone', '1.'],
    ['a leading dot', '.5'],
    ['Arabic-Indic digits', '١٢٠'],
    ['full-width digits', '１２０'],
    ['a non-breaking space', '\u00a0120'],
    ['two values', '120, 60'],
    ['a date Date.parse would take', 'Nov 28 2026 10:01'],
    ['an ISO date', '2026-11-28T10:01:00Z'],
    ['a day that does not exist', 'Tue, 31 Feb 2026 10:00:00 GMT'],
    ['an hour that does not exist', 'Sat, 28 Nov 2026 25:00:00 GMT'],
    ['another zone', 'Sat, 28 Nov 2026 10:01:00 PST'],
    ['a month it does not know', 'Sat, 28 Nox 2026 10:01:00 GMT'],
  ])('ignores %s', (_, value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
