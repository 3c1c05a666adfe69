import { describeValue } from '@scope/scheduler/check';

// The scheduler's option checks, so the two refuse a bad option with the same message (bundled at build: the fleet
// does not depend on the scheduler at run time).
export {
  checkFunction,
  checkKnownKeys,
  checkNumber,
  checkObject,
  checkString,
  describeValue,
} from '@scope/scheduler/check';

/** Throws a TypeError naming `name` unless `value` looks like an ioredis client (it has `defineCommand` and `status`). */
export function checkRedis(name: string, value: unknown): void {
  const client = value as { defineCommand?: unknown; status?: unknown } | null | undefined;
  if (typeof client !== 'object' || client === null || typeof client.defineCommand !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be an ioredis client (new Redis(...)), got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is a fleet name: 1-100 letters, digits, `.`, `_`, `-` or `:` (it goes into Redis keys). */
export function checkName(name: string, value: unknown): void {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be 1-100 letters, digits, ".", "_", "-" or ":", got ${describeValue(value)}`,
    );
  }
}
