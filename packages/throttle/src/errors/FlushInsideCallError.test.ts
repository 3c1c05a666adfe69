import { describe, expect, it } from 'vitest';
import { FlushInsideCallError, isFlushInsideCallError } from './FlushInsideCallError.js';

describe('FlushInsideCallError', () => {
  it('names the problem and what to do by default', () => {
    const error = new FlushInsideCallError();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FlushInsideCallError');
    expect(error.message).toContain('deadlock');
    expect(error.message).toContain('Flush after the wrapped function returns');
    expect(new FlushInsideCallError('custom').message).toBe('custom');
  });
});

describe('isFlushInsideCallError', () => {
  it('recognises the error, also from another copy of the package, and nothing else', () => {
    expect(isFlushInsideCallError(new FlushInsideCallError())).toBe(true);
    expect(isFlushInsideCallError({ isFlushInsideCallError: true })).toBe(true);
    for (const other of [new Error('deadlock'), null, 0]) expect(isFlushInsideCallError(other)).toBe(false);
  });
});
