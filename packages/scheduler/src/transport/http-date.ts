const DAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '([0-9]{2}):([0-9]{2}):([0-9]{2})';

/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(`^${DAY}, ([0-9]{2}) ${MONTH} ([0-9]{4}) ${TIME} GMT$`, 'i');
/** `Sunday, 06-Nov-94 08:49:37 GMT` */
const RFC_850 = new RegExp(`^${LONG_DAY}, ([0-9]{2})-${MONTH}-([0-9]{2}) ${TIME} GMT$`, 'i');
/** `Sun Nov  6 08:49:37 1994` */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( [0-9]|[0-9]{2}) ${TIME} ([0-9]{4})$`, 'i');

/**
 * Reads an HTTP-date (RFC 9110 §5.6.7) in any of its three forms, as milliseconds since the epoch; undefined for
 * any other text and for a date or time that does not exist. Names are matched without regard to case; the
 * weekday is not checked against the date. A two-digit RFC 850 year more than 50 years after `now` is read in the
 * century before.
 */
export function parseHttpDate(text: string, now: number): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match) return dateOf(Number(match[4]), match[3], Number(match[2]), match.slice(5, 8));
  match = ASCTIME.exec(text);
  if (match) return dateOf(Number(match[7]), match[2], Number(match[3]), match.slice(4, 7));
  match = RFC_850.exec(text);
  if (!match) return undefined;
  const nowYear = new Date(now).getUTCFullYear();
  let year = Math.floor(nowYear / 100) * 100 + Number(match[4]);
  if (year > nowYear + 50) year -= 100;
  return dateOf(year, match[3], Number(match[2]), match.slice(5, 8));
}

function dateOf(year: number, monthName: string | undefined, day: number, time: readonly (string | undefined)[]) {
  const month = MONTHS.findIndex((name) => name.toLowerCase() === monthName?.toLowerCase());
  const [hours, minutes, seconds] = time.map(Number) as [number, number, number];
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hours, minutes, seconds, 0);
  return date.getTime();
}
