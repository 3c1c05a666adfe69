import { createHash } from 'node:crypto';

/**
 * A stable fingerprint of a request: the SHA-256 of its canonical JSON (object keys sorted at every level, arrays
 * in order), so the same content gives the same fingerprint whatever its key order or spacing.
 *
 * @example
 * ```ts
 * fingerprint({ a: 1, b: [2, 3] }) === fingerprint({ b: [2, 3], a: 1 }); // true
 * ```
 */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

/** JSON with the keys of every object sorted; `undefined` members are left out, as `JSON.stringify` does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const members = Object.keys(value)
      .sort()
      .flatMap((key) => {
        const member = (value as Record<string, unknown>)[key];
        return member === undefined ? [] : [`${JSON.stringify(key)}:${canonicalJson(member)}`];
      });
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
