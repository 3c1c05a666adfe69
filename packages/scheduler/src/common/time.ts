import { describeValue } from './check.js';

// An RFC 3339 date-time: a date, a time and a zone (Z or ±hh:mm); fractions of a second are allowed.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
// The range of a JavaScript Date.
const MAX_EPOCH_MS = 8.64e15;

/**
 * A time as the wire carries it, an ISO 8601 string in UTC, from a `Date`, epoch milliseconds or an RFC 3339
 * string with a time zone. Refuses, naming the field, an invalid calendar date (`2026-13-45T99:99:99Z`), a string
 * without a zone (which the server would read in its own), or a number out of a Date's range.
 */
export function toIsoTime(name: string, value: unknown): string {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new TypeError(`Expected \`${name}\` to be a valid Date, got an invalid Date`);
    return value.toISOString();
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > MAX_EPOCH_MS) {
      throw new RangeError(
        `Expected \`${name}\` to be epoch milliseconds within a Date's range, got ${describeValue(value)}`,
      );
    }
    return new Date(value).toISOString();
  }
  if (typeof value === 'string') {
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
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const zoneOk = match[9] === undefined || (Number(match[9]) <= 23 && Number(match[10]) <= 59);
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 60 && zoneOk
  );
}
