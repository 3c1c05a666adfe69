/** Describes a value for an error message: `` `0` (number) ``. */
export function describeValue(value: unknown): string {
  let shown: string;
  if (typeof value === 'string') shown = JSON.stringify(value);
  else if (typeof value === 'function') shown = 'function';
  else if (Array.isArray(value)) shown = 'array';
  else if (value !== null && typeof value === 'object') shown = 'object';
  else shown = String(value);
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}

/**
 * Checks that `value` is a number of the given kind; throws a TypeError for a wrong type and a RangeError
 * for a value out of range, both naming `name`.
 */
export function checkNumber(
  name: string,
  value: unknown,
  { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, integer = false, infinite = false } = {},
): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`Expected \`${name}\` to be a number, got ${describeValue(value)}`);
  }
  const finiteOk = infinite || Number.isFinite(value);
  const integerOk = !integer || Number.isInteger(value) || (infinite && value === Number.POSITIVE_INFINITY);
  if (!finiteOk || !integerOk || value < min || value > max) {
    const kind = integer ? 'an integer' : infinite ? 'a number' : 'a finite number';
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `from ${min} to ${max}`;
    throw new RangeError(`Expected \`${name}\` to be ${kind} ${range}, got ${describeValue(value)}`);
  }
}

/** Throws a TypeError naming `name` unless `value` is a function. */
export function checkFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describeValue(value)}`);
  }
}

/** Throws a TypeError naming `name` unless `value` is a non-empty string. */
export function checkString(name: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`Expected \`${name}\` to be a non-empty string, got ${describeValue(value)}`);
  }
}

/** Throws a TypeError naming `name` unless `value` is a plain object. */
export function checkObject(name: string, value: unknown): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${describeValue(value)}`);
  }
}

/** Throws a TypeError for a key of `value` that is not among `known`, so a typo is not silently ignored. */
export function checkKnownKeys(name: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`Unknown option \`${name ? `${name}.` : ''}${key}\`; known: ${known.join(', ')}`);
    }
  }
}

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
