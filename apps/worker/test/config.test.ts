import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseFaults } from '../src/config.js';
import { tempDir } from './helpers.js';

const defaults = { dataDir: '/data' };

describe('loadConfig', () => {
  it('has the seed’s defaults and runs embedded without a server or SMTP URL', () => {
    expect(loadConfig({}, {}, defaults)).toEqual({
      serverUrl: undefined,
      shape: 'bulk',
      smtpUrl: undefined,
      minIntervalMs: 15_000,
      maxConcurrent: 2,
      campaignsFile: undefined,
      faults: {},
      closeTimeoutMs: undefined,
      dataDir: '/data',
      json: false,
      progress: 'auto',
      redisUrl: undefined,
      fleetBudget: 4,
      fleetWindowMs: 15_000,
      fleetName: 'turtle-workers',
      maxFailureRate: 0.5,
      failureWindow: 10,
    });
  });

  it('checks the fleet options where they came from', () => {
    const fleet = loadConfig(
      { redisUrl: 'redis://127.0.0.1:6379', fleetBudget: '40' },
      { WORKER_FLEET_NAME: 'mail-eu' },
      defaults,
    );
    expect(fleet).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', fleetBudget: 40, fleetName: 'mail-eu' });
    expect(() => loadConfig({ redisUrl: 'http://127.0.0.1:6379' }, {}, defaults)).toThrow(
      '--redis-url: expected a redis:// or rediss:// URL',
    );
    expect(() => loadConfig({ fleetBudget: '0x10' }, {}, defaults)).toThrow('--fleet-budget: expected a whole number');
    expect(() => loadConfig({}, { WORKER_FLEET_NAME: 'a b' }, defaults)).toThrow('WORKER_FLEET_NAME: expected 1-100');
  });

  it('takes a file, then the environment, then flags, each over the one before', () => {
    const file = join(tempDir(), 'worker.json');
    writeFileSync(
      file,
      JSON.stringify({ minIntervalMs: 1000, maxConcurrent: 3, shape: 'legacy', faults: { errorRate: 0.1 } }),
    );
    const config = loadConfig(
      { config: file, minInterval: '5000' },
      { WORKER_MAX_CONCURRENT: '4', WORKER_MIN_INTERVAL: '2000', WORKER_JSON: 'true' },
      defaults,
    );
    expect(config).toMatchObject({
      minIntervalMs: 5000,
      maxConcurrent: 4,
      shape: 'legacy',
      json: true,
      faults: { errorRate: 0.1 },
    });
  });

  it('names the variable of a bad environment value', () => {
    expect(() => loadConfig({}, { WORKER_PROGRESS: 'fancy' }, defaults)).toThrow(
      'WORKER_PROGRESS: expected one of auto|live|plain|off, got "fancy"',
    );
  });
});

describe('parseFaults', () => {
  it('reads the short list and JSON alike', () => {
    expect(
      parseFaults('outage=20-40,outage=90-95,latency=100-800,error-rate=0.1,throttle-rate=0.2,retry-after=10'),
    ).toEqual({
      outages: [
        { fromMs: 20_000, toMs: 40_000 },
        { fromMs: 90_000, toMs: 95_000 },
      ],
      latencyMs: { min: 100, max: 800 },
      errorRate: 0.1,
      throttleRate: 0.2,
      retryAfterSeconds: 10,
    });
    expect(parseFaults('{"hangRate":0.5}')).toEqual({ hangRate: 0.5 });
    expect(() => parseFaults('flood=1')).toThrow('unknown fault "flood"');
  });
});
