import type { SchedulerOptions, ServerUpdateScheduler } from '@scope/scheduler';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  createCampaignDistributor,
  createFleetBudget,
  type FleetBudget,
  type FleetBudgetOptions,
  type ResponseSource,
} from './index.js';

// A client that never connects: option checks come before any I/O.
const redis = new Redis({ lazyConnect: true });
afterAll(() => redis.disconnect());
const base: FleetBudgetOptions = { redis, name: 'fleet-a', budget: 10 };

describe('createFleetBudget options', () => {
  it.each([
    [{ budget: 0 }, RangeError, 'Expected `budget` to be an integer >= 1, got `0` (number)'],
    [{ budget: 2.5 }, RangeError, 'Expected `budget` to be an integer >= 1, got `2.5` (number)'],
    [{ budget: '10' }, TypeError, 'Expected `budget` to be a number, got `"10"` (string)'],
    [{ windowMs: -1 }, RangeError, 'Expected `windowMs` to be an integer >= 1, got `-1` (number)'],
    [{ heartbeatMs: 0 }, RangeError, 'Expected `heartbeatMs` to be an integer >= 1, got `0` (number)'],
    [{ memberTtlMs: 10 }, RangeError, 'Expected `memberTtlMs` to be an integer >= 1000, got `10` (number)'],
    [{ redisTimeoutMs: 0 }, RangeError, 'Expected `redisTimeoutMs` to be an integer >= 1, got `0` (number)'],
    [
      { name: 'a b' },
      TypeError,
      'Expected `name` to be 1-100 letters, digits, ".", "_", "-" or ":", got `"a b"` (string)',
    ],
    [{ redis: {} }, TypeError, 'Expected `redis` to be an ioredis client (new Redis(...)), got `object` (object)'],
    [{ clock: { now: 1 } }, TypeError, 'Expected `clock.now` to be a function, got `1` (number)'],
    [{ budgett: 3 }, TypeError, 'Unknown option `budgett`'],
  ])('refuses %o, naming the field', (override, type, message) => {
    const attempt = () => createFleetBudget({ ...base, ...(override as object) } as FleetBudgetOptions);
    expect(attempt).toThrow(type);
    expect(attempt).toThrow(message);
  });

  it('refuses a missing redis, name or budget with what to pass', () => {
    expect(() => createFleetBudget({ name: 'a', budget: 1 } as never)).toThrow('Missing option `redis`');
    expect(() => createFleetBudget({ redis, budget: 1 } as never)).toThrow('Missing option `name`');
    expect(() => createFleetBudget({ redis, name: 'a' } as never)).toThrow('Missing option `budget`');
  });
});

describe('createCampaignDistributor options', () => {
  const membership = { workerId: 'w1' } as never;
  const run = async () => undefined;
  it('refuses a bad option, naming it', () => {
    expect(() => createCampaignDistributor({ redis, name: 'a', membership, run, lockDurationMs: 5 })).toThrow(
      'Expected `lockDurationMs` to be an integer >= 100, got `5` (number)',
    );
    expect(() => createCampaignDistributor({ redis, name: 'a', membership, run: 1 as never })).toThrow(
      'Expected `run` to be a function, got `1` (number)',
    );
    expect(() => createCampaignDistributor({ redis, name: 'a', run } as never)).toThrow('Missing option `membership`');
  });
});

describe('types', () => {
  it('budget.gate fits a scheduler’s requestGate, and a scheduler fits budget.watch', () => {
    expectTypeOf<FleetBudget['gate']>().toExtend<NonNullable<SchedulerOptions['requestGate']>>();
    expectTypeOf<ServerUpdateScheduler>().toExtend<ResponseSource>();
  });
});
