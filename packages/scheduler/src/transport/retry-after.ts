import { parseHttpDate } from './http-date.js';

/** The longest wait a `Retry-After` is read as: 2^31 − 1 ms (about 24.8 days), the most a timer can wait. */
export const MAX_RETRY_AFTER_MS = 2_147_483_647;

/**
 * Reads a `Retry-After` header as milliseconds from `now`: delay-seconds (`120`, also `1.5`) or an HTTP-date
 * (`Wed, 21 Oct 2026 07:28:00 GMT`, or the obsolete RFC 850 and asctime forms). A date in the past is 0; a wait
 * above 2^31 − 1 ms (about 24.8 days) is clamped to it. Anything else is undefined and ignored: a negative number,
 * an exponent (`1e9`), digits other than ASCII `0`–`9`, several values, a date that does not exist
 * (`31 Feb`) or that is not in one of the three HTTP forms. The scheduler applies its own cap on top.
 *
 * @example
 * ```ts
 * parseRetryAfter('120', Date.now()); // 120000
 * parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.now()); // ms until then, or 0
 * parseRetryAfter('-5', Date.now()); // undefined
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/^[ \t]+|[ \t]+$/g, '');
  let ms: number;
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) {
    ms = Math.round(Number(text) * 1000);
  } else {
    const date = parseHttpDate(text, now);
    if (date === undefined) return undefined;
    ms = date - now;
  }
  if (Number.isNaN(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
