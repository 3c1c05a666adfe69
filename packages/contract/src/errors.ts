import type { z } from 'zod';

/** A value that does not match the contract; `message` names each bad path and value. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  readonly isContractError = true;

  constructor(
    readonly what: string,
    readonly problems: readonly string[],
  ) {
    super(`${what}: ${problems.join('; ')}`);
  }
}

export const isContractError = (error: unknown): error is ContractError =>
  typeof error === 'object' && error !== null && (error as ContractError).isContractError === true;

/** `campaigns[2].events[17].outcome` */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text || '(root)';
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** One line per issue: `campaigns[2].events[17].outcome: expected one of sent|failed|bounced|skipped, got "ok"`. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  const got = `got ${show(issue.input)}`;
  switch (issue.code) {
    case 'invalid_value':
      return `${path}: expected one of ${issue.values.map(String).join('|')}, ${got}`;
    case 'invalid_type':
      return `${path}: expected ${issue.expected}, ${got}`;
    case 'unrecognized_keys':
      return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `${path}: expected at least ${String(issue.minimum)} item(s), ${got}`;
      if (issue.origin === 'string') return `${path}: expected at least ${String(issue.minimum)} character(s), ${got}`;
      return `${path}: expected ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}, ${got}`;
    case 'too_big':
      return `${path}: expected at most ${String(issue.maximum)}, ${got}`;
    case 'invalid_format':
      return `${path}: expected ${issue.format === 'datetime' ? 'an ISO 8601 date-time' : issue.format}, ${got}`;
    case 'custom':
      // A custom check whose message already names the value (params.namesValue) says it all.
      return issue.params?.namesValue === true ? `${path}: ${issue.message}` : `${path}: ${issue.message}, ${got}`;
    default:
      return `${path}: ${issue.message}, ${got}`;
  }
}
