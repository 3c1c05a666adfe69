import { check, identifier } from '@scope/contract';
import { z } from 'zod';

/**
 * What the mock takes as a campaign id: 1–200 characters from the URL's unreserved set (letters, digits, `.`,
 * `_`, `~`, `-`), starting with a letter or a digit. Such an id is one path segment as it stands (no `/`, no `..`,
 * nothing to escape), and safe in a header, a log line, a file name and a database key.
 */
export const campaignId = z
  .string()
  .min(1)
  .max(200)
  // A refinement, not .regex(): its message then reaches the error as written.
  .refine((id) => /^[A-Za-z0-9][A-Za-z0-9._~-]*$/.test(id), {
    message: 'expected letters, digits, ".", "_", "~" or "-", starting with a letter or digit',
  });

/** An `Idempotency-Key`: the contract's identifier rule (that of batch ids). */
export const idempotencyKey = identifier;

/**
 * Checks one id; returns the problem as `<field>: <what was expected>, got <value>`, or undefined when it is fine.
 *
 * @example
 * ```ts
 * problemOf(campaignId, '../../etc/passwd', 'campaignId (path)');
 * // 'campaignId (path): expected letters, digits, ".", "_", "~" or "-", starting with a letter or digit, got "../../etc/passwd"'
 * ```
 */
export function problemOf(schema: z.ZodType, value: unknown, field: string): string | undefined {
  const checked = check(schema, value);
  if (checked.ok) return undefined;
  const [first = '(root): invalid'] = checked.problems;
  return `${field}${first.slice(first.indexOf(':'))}`;
}
