import { check, campaignId as contractCampaignId, identifier } from '@scope/contract';
import type { z } from 'zod';

/** What the mock takes as a campaign id: the contract's rule. */
export const campaignId = contractCampaignId;

/** An `Idempotency-Key`: the contract's identifier rule (that of batch ids). */
export const idempotencyKey = identifier;

/**
 * Checks one id; returns the problem as `<field>: <what was expected>, got <value>`, or undefined when it is fine.
 *
 * @example
 * ```ts
 * problemOf(campaignId, '../../etc/passwd', 'campaignId (path)');
 * // 'campaignId (path): expected 1-200 letters, digits, ".", "_", "~" or "-", starting with a letter or digit, got "../../etc/passwd"'
 * ```
 */
export function problemOf(schema: z.ZodType, value: unknown, field: string): string | undefined {
  const checked = check(schema, value);
  if (checked.ok) return undefined;
  const [first = '(root): invalid'] = checked.problems;
  return `${field}${first.slice(first.indexOf(':'))}`;
}
