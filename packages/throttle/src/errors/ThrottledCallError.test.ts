import { describe, expect, it } from 'vitest';
import { isThrottledCallError, ThrottledCallError } from './ThrottledCallError.js';

describe('ThrottledCallError', () => {
  it('carries the cause, the merged arguments and each caller’s arguments', () => {
    const cause = new Error('server said 500');
    const error = new ThrottledCallError(
      cause,
      ['c1', [1, 2]],
      [
        ['c1', [1]],
        ['c1', [2]],
      ],
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ThrottledCallError');
    expect(error.message).toBe('A throttled call carrying the arguments of 2 call(s) failed: server said 500');
    expect(error.cause).toBe(cause);
    expect(error.args).toEqual(['c1', [1, 2]]);
    expect(error.calls).toEqual([
      ['c1', [1]],
      ['c1', [2]],
    ]);
  });

  it('describes a cause that is not an Error, even one that cannot be turned into a string', () => {
    expect(new ThrottledCallError('timeout', [], [[]]).message).toMatch(/failed: timeout$/);
    expect(new ThrottledCallError(Object.create(null), [], [[]]).message).toMatch(/failed: \[object Object\]$/);
  });
});

describe('isThrottledCallError', () => {
  it('recognises the error, also from another copy of the package, and nothing else', () => {
    expect(isThrottledCallError(new ThrottledCallError(1, [], [[]]))).toBe(true);
    expect(isThrottledCallError({ isThrottledCallError: true })).toBe(true);
    for (const other of [new Error('x'), { isThrottledCallError: 'yes' }, null, undefined, 'ThrottledCallError']) {
      expect(isThrottledCallError(other)).toBe(false);
    }
  });
});
