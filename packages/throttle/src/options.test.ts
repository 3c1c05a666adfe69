import { describe, expect, it } from 'vitest';
import { createThrottle } from './index.js';

const range = (got: string) => `Expected \`minIntervalMs\` to be a finite number from 0 to 2147483647, got ${got}`;

describe('createThrottle options', () => {
  it.each([
    [-1, RangeError, range('`-1` (number)')],
    [Number.NaN, RangeError, range('`NaN` (number)')],
    [Number.POSITIVE_INFINITY, RangeError, range('`Infinity` (number)')],
    [2 ** 31, RangeError, range('`2147483648` (number)')],
    ['15000', TypeError, range('`15000` (string)')],
    [15_000n, TypeError, range('`15000` (bigint)')],
    [null, TypeError, range('`null` (object)')],
    [[100], TypeError, range('`100` (object)')],
  ])('refuses minIntervalMs %o with a %o naming it', (minIntervalMs, type, message) => {
    expect(() => createThrottle({ minIntervalMs } as never)).toThrow(type);
    expect(() => createThrottle({ minIntervalMs } as never)).toThrow(message);
  });

  it.each([0, 0.5, 15_000, 2 ** 31 - 1])('accepts minIntervalMs %o', (minIntervalMs) => {
    expect(createThrottle({ minIntervalMs }).canSendUpdate()).toBe(true);
  });

  it('takes the default for an option given as undefined', () => {
    const throttle = createThrottle({ minIntervalMs: undefined, onUnawaitedError: undefined });
    throttle.markSent();
    expect(throttle.canSendUpdate()).toBe(false);
  });

  it.each([
    [{ minInterval: 100 }, TypeError, 'Unknown option `minInterval`; known: minIntervalMs, onUnawaitedError'],
    [{ toString: 100 }, TypeError, 'Unknown option `toString`'],
    [{ onUnawaitedError: 'log' }, TypeError, 'Expected `onUnawaitedError` to be a function, got `log` (string)'],
    [42, TypeError, 'Expected `options` to be an object, got `42` (number)'],
    [null, TypeError, 'Expected `options` to be an object, got `null` (object)'],
    [[], TypeError, 'Expected `options` to be an object'],
  ])('refuses bad options %o', (options, type, message) => {
    expect(() => createThrottle(options as never)).toThrow(type);
    expect(() => createThrottle(options as never)).toThrow(message);
  });
});

describe('wrap arguments', () => {
  const throttle = createThrottle();

  it.each([
    [['post'], 'Expected `fn` to be a function, got `post` (string)'],
    [[undefined], 'Expected `fn` to be a function, got `undefined` (undefined)'],
    [[Object.create(null)], 'Expected `fn` to be a function, got `[object Object]` (object)'],
    [[() => 1, { key: 'id' }], 'Expected wrap option `key` to be a function, got `id` (string)'],
    [[() => 1, { merge: 1 }], 'Expected wrap option `merge` to be a function, got `1` (number)'],
    [[() => 1, { keys: () => 1 }], 'Unknown wrap option `keys`; known: key, merge'],
    [[() => 1, 'id'], 'Expected wrap `options` to be an object, got `id` (string)'],
    [[() => 1, null], 'Expected wrap `options` to be an object, got `null` (object)'],
  ])('refuses wrap(%o) with a TypeError naming the argument', (args, message) => {
    const wrap = throttle.wrap as (...args: unknown[]) => unknown;
    expect(() => wrap(...args)).toThrow(TypeError);
    expect(() => wrap(...args)).toThrow(message);
  });

  it('accepts key and merge given as undefined', () => {
    expect(typeof throttle.wrap(() => 1, { key: undefined, merge: undefined })).toBe('function');
  });
});
