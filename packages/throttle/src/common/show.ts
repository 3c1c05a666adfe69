/**
 * Shows a value the way option and error messages quote it: `` `value` (type) ``, never throwing (an object
 * without a prototype or with a throwing `toString` still gets a description).
 */
export function show(value: unknown): string {
  return `\`${typeof value === 'function' ? 'function' : text(value)}\` (${typeof value})`;
}

/** `String(value)`, or the object's tag when that throws. */
export function text(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
