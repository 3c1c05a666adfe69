import pino from 'pino';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { type Logger, type LogLevel, type SchedulerOptions, ServerUpdateScheduler } from '../src/index.js';
import { type Behaviour, createFakeServer, event, schedulerOnFakeServer } from './fake-server.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const ok: Behaviour = { kind: 'answer', status: 200 };
const unavailable: Behaviour = { kind: 'answer', status: 503 };

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

interface Line {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps every line, called as pino is: fields first, then the message. */
function recordingLogger(): Logger & { lines: Line[]; at(level: LogLevel): Line[] } {
  const lines: Line[] = [];
  const write = (level: LogLevel) => (fields: Record<string, unknown>, message: string) =>
    void lines.push({ level, message, fields });
  return {
    lines,
    at: (level) => lines.filter((line) => line.level === level),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

function setup(options: Partial<SchedulerOptions>, behave: (index: number) => Behaviour = () => ok) {
  const { scheduler, server } = schedulerOnFakeServer(options, behave);
  scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
  return { scheduler, server };
}

describe('ServerUpdateScheduler: logger option', () => {
  it.each([
    ['a string', 'pino', /Expected `logger` to be an object, got `"pino"` \(string\)/],
    ['an object without methods', {}, /Expected `logger.debug` to be a function, got `undefined`/],
    ['an object without warn', { debug() {}, info() {}, error() {} }, /Expected `logger.warn` to be a function/],
  ])('refuses %s with a TypeError naming logger', (_what, logger, message) => {
    const server = createFakeServer();
    const make = () => new ServerUpdateScheduler({ transport: server.transport, logger: logger as never });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });

  it('logs nothing by default, not even to the console', async () => {
    const spies = (['debug', 'info', 'log', 'warn', 'error'] as const).map((m) => vi.spyOn(console, m));
    const { scheduler } = setup({ breakerThreshold: 1, maxAttempts: 2 }, () => unavailable);
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(600_000);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    for (const spy of spies) spy.mockRestore();
  });

  it('warns of each failed request and retry with its reason, and of the breaker opening; tells of it closing', async () => {
    const logger = recordingLogger();
    const { scheduler, server } = setup({ logger, breakerThreshold: 2, breakerCooldownMs: 60_000 }, (i) =>
      i < 2 ? unavailable : ok,
    );
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(300_000);
    expect(server.applied('c1')).toEqual(['1']);
    expect(logger.lines.filter((line) => line.level !== 'debug')).toEqual([
      {
        level: 'warn',
        message: 'request failed',
        fields: { batchId: 'b1', attempt: 1, status: 503, latencyMs: 0, reason: 'HTTP 503', retryAfterMs: undefined },
      },
      {
        level: 'warn',
        message: 'batch will be retried',
        fields: { batchId: 'b1', attempt: 1, delayMs: 7_500, reason: 'HTTP 503' },
      },
      // The breaker is told of the answer first, so it opens before the request's failure is logged.
      { level: 'warn', message: 'circuit breaker open: requests paused', fields: { cooldownMs: 60_000 } },
      expect.objectContaining({
        level: 'warn',
        message: 'request failed',
        fields: expect.objectContaining({ attempt: 2 }),
      }),
      expect.objectContaining({
        level: 'warn',
        message: 'batch will be retried',
        fields: expect.objectContaining({ attempt: 2 }),
      }),
      { level: 'info', message: 'circuit breaker half-open: sending a probe', fields: {} },
      { level: 'info', message: 'circuit breaker closed: the server answers again', fields: {} },
    ]);
    expect(logger.at('debug').map((line) => line.message)).toEqual([
      'request started',
      'request started',
      'request started',
      'request answered',
    ]);
  });

  it('logs a dead letter as an error, with the campaign, the count of events and the reason, not the events', async () => {
    const logger = recordingLogger();
    const { scheduler } = setup({ logger }, () => ({ kind: 'answer', status: 400, message: 'bad campaign' }));
    scheduler.record('c1', event(1));
    scheduler.record('c1', event(2));
    await scheduler.flush();
    expect(logger.at('error')).toEqual([
      {
        level: 'error',
        message: 'updates dead-lettered',
        fields: {
          batchId: 'b1',
          campaignId: 'c1',
          events: 2,
          statusSeq: undefined,
          reason: expect.stringContaining('HTTP 400'),
          httpStatus: 400,
        },
      },
    ]);
  });

  it('logs a throwing listener once as an error, instead of a process warning', async () => {
    const logger = recordingLogger();
    const warning = vi.spyOn(process, 'emitWarning');
    const { scheduler, server } = setup({ logger });
    scheduler.on('request', () => {
      throw new Error('listener bug');
    });
    for (let i = 1; i <= 3; i++) {
      scheduler.record('c1', event(i));
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(server.applied('c1')).toEqual(['1', '2', '3']);
    expect(logger.at('error')).toEqual([
      {
        level: 'error',
        message: 'a listener of "request" threw (delivery goes on)',
        fields: { source: 'listener', event: 'request', err: expect.objectContaining({ message: 'listener bug' }) },
      },
    ]);
    expect(warning).not.toHaveBeenCalled();
    warning.mockRestore();
  });

  it('logs a store that throws as an error, and delivery goes on', async () => {
    const logger = recordingLogger();
    const { MemoryStore } = await import('../src/index.js');
    const store = new MemoryStore();
    let failures = 1;
    const seal = store.seal.bind(store);
    store.seal = (sealed) => {
      if (failures-- > 0) throw new Error('disk full');
      seal(sealed);
    };
    const { scheduler, server } = setup({ logger, store });
    scheduler.record('c1', event(1));
    const flushed = scheduler.flush();
    await vi.advanceTimersByTimeAsync(15_000);
    await flushed;
    expect(server.applied('c1')).toEqual(['1']);
    expect(logger.at('error')).toEqual([
      expect.objectContaining({
        message: 'store failed (delivery goes on)',
        fields: expect.objectContaining({ source: 'store', err: expect.objectContaining({ message: 'disk full' }) }),
      }),
    ]);
  });

  it('says at close what was left, as a warning when something was', async () => {
    const logger = recordingLogger();
    const { scheduler } = setup({ logger }, () => unavailable);
    scheduler.record('c1', event(1));
    const closing = scheduler.close({ timeoutMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    await closing;
    expect(logger.lines.at(-1)).toEqual({
      level: 'warn',
      message: 'closed with updates left: see the close report',
      fields: { complete: false, eventsDelivered: 0, eventsLeft: 1, statusesLeft: 0 },
    });
  });

  it('goes on delivering when the logger throws, and reports that once', async () => {
    const failing: Logger = {
      debug: () => {
        throw new Error('log sink closed');
      },
      info: () => {},
      warn: () => {},
      error: () => {
        throw new Error('log sink closed');
      },
    };
    const { scheduler, server } = setup({ logger: failing });
    const reported: unknown[] = [];
    scheduler.on('error', (problem) => reported.push(problem));
    for (let i = 1; i <= 3; i++) {
      scheduler.record('c1', event(i));
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(server.applied('c1')).toEqual(['1', '2', '3']);
    expect(scheduler.stats().eventsDelivered).toBe(3);
    expect(reported).toEqual([
      { source: 'logger', event: undefined, error: expect.objectContaining({ message: 'log sink closed' }) },
    ]);
  });

  it('calls the logger as a method, so a logger that needs its this (pino) works', async () => {
    class ThisLogger {
      readonly lines: string[] = [];
      debug(_fields: object, message: string) {
        this.lines.push(message);
      }
      info(_fields: object, message: string) {
        this.lines.push(message);
      }
      warn(_fields: object, message: string) {
        this.lines.push(message);
      }
      error(_fields: object, message: string) {
        this.lines.push(message);
      }
    }
    const logger = new ThisLogger();
    const { scheduler } = setup({ logger });
    scheduler.record('c1', event(1));
    await scheduler.flush();
    expect(logger.lines).toEqual(['request started', 'request answered']);
  });
});

describe('ServerUpdateScheduler: logger option with pino and console', () => {
  it('takes pino and console as they are', () => {
    expectTypeOf(pino()).toExtend<Logger>();
    expectTypeOf(console).toExtend<Logger>();
  });

  it('writes pino lines with the fields as JSON and the fixed message as msg', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
    const { scheduler } = setup({ logger: pino({ level: 'info', base: null, timestamp: false }, destination) }, (i) =>
      i === 0 ? unavailable : ok,
    );
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lines).toEqual([
      { level: 40, batchId: 'b1', attempt: 1, status: 503, latencyMs: 0, reason: 'HTTP 503', msg: 'request failed' },
      { level: 40, batchId: 'b1', attempt: 1, delayMs: 7_500, reason: 'HTTP 503', msg: 'batch will be retried' },
    ]);
  });
});
