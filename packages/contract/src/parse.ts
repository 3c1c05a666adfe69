import type { z } from 'zod';
import { ContractError, formatIssue } from './errors.js';

/** The outcome of {@link check}: the parsed value, or the problems, one line each. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Checks `value` against `schema` without throwing. */
export function check<S extends z.ZodType>(schema: S, value: unknown): Checked<z.infer<S>> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map(formatIssue) };
}

/**
 * Parses `value` against `schema`, or throws a {@link ContractError} whose message names `what`, then every bad
 * path and value.
 *
 * @example
 * ```ts
 * parse(bulkUpdateBody, body, 'POST /api/updates body');
 * // ContractError: POST /api/updates body: campaigns[2].events[17].outcome: expected one of sent|failed|bounced|skipped, got "ok"
 * ```
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = check(schema, value);
  if (result.ok) return result.value;
  throw new ContractError(what, result.problems);
}
