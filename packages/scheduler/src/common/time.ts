import { describeValue } from './check.js';

// An RFC 3339 date-time: a date, a time and a zone (Z or ±hh:mm); fractions of a second are allowed.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
// The times an ISO 8601 string of the contract can write: years 0000 to 9999 (a Date goes further, as +058888-…).
const MIN_WIRE_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_WIRE_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * A time as the wire carries it, an ISO 8601 string in UTC, from a `Date`, epoch milliseconds or an RFC 3339
 * string with a time zone. Refuses, naming the field, an invalid calendar date (`2026-13-45T99:99:99Z`), a string
 * without a zone (which the server would read in its own), or a number out of a Date's range.
 */
export function toIsoTime(name: string, value: unknown): string {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new TypeError(`Expected \`${name}\` to be a valid Date, got an invalid Date`);
    if (ms < MIN_WIRE_MS || ms > MAX_WIRE_MS) {
      throw new RangeError(`Expected \`${name}\` to be a Date from year 0000 to 9999, got ${value.toISOString()}`);
    }
    return value.toISOString();
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < MIN_WIRE_MS || value > MAX_WIRE_MS) {
      throw new RangeError(
        `Expected \`${name}\` to be epoch milliseconds from year 0000 to 9999 (as an ISO string can write them), got ${describeValue(value)}`,
      );
    }
    return new Date(value).toISOString();
  }
  if (typeof value === 'string') {
    // What `toISOString()` writes, the common case, is checked digit by digit and kept as it is.
    if (isCanonicalIso(value)) return value;
    const match = RFC3339.exec(value);
    if (match !== null && isCalendarTime(match)) {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return new Date(ms).toISOString();
    }
    throw new TypeError(
      `Expected \`${name}\` to be an ISO 8601 date-time with a time zone (e.g. "2026-11-28T18:00:00Z"), got ${describeValue(value)}`,
    );
  }
  throw new TypeError(
    `Expected \`${name}\` to be a Date, epoch milliseconds or an ISO 8601 string, got ${describeValue(value)}`,
  );
}

function isCalendarTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zoneOk = match[9] === undefined || (Number(match[9]) <= 23 && Number(match[10]) <= 59);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 60 &&
    zoneOk
  );
}

/** Whether `value` is a valid `YYYY-MM-DDTHH:MM:SS.sssZ`, as `toISOString()` writes it, without allocating. */
function isCanonicalIso(value: string): boolean {
  if (value.length !== 24 || value.charCodeAt(23) !== 90) return false;
  for (let i = 0; i < 23; i++) {
    const code = value.charCodeAt(i);
    const separator = i === 4 || i === 7 ? 45 : i === 10 ? 84 : i === 13 || i === 16 ? 58 : i === 19 ? 46 : -1;
    if (separator === -1 ? code < 48 || code > 57 : code !== separator) return false;
  }
  const digits = (from: number, length: number) => {
    let n = 0;
    for (let i = from; i < from + length; i++) n = n * 10 + value.charCodeAt(i) - 48;
    return n;
  };
  const year = digits(0, 4);
  const month = digits(5, 2);
  const day = digits(8, 2);
  if (month < 1 || month > 12 || day < 1 || digits(11, 2) > 23 || digits(14, 2) > 59 || digits(17, 2) > 59)
    return false;
  return day <= daysIn(year, month);
}

/** Days in a month (1–12) of the proleptic Gregorian calendar, as ISO 8601 counts them. */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
