import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_PREFIX, schedulerChannels } from '../src/index.js';
import { type Behaviour, event, schedulerOnFakeServer } from './fake-server.js';

const T0 = Date.parse('2026-11-28T10:00:00Z');

beforeEach(() => void vi.useFakeTimers({ now: T0 }));
afterEach(() => void vi.useRealTimers());

/** Subscribes to every scheduler channel for the test's length; returns what was published, by channel. */
function listen(): { messages: Array<[string, Record<string, unknown>]>; stop(): void } {
  const messages: Array<[string, Record<string, unknown>]> = [];
  const handlers = Object.values(schedulerChannels).map((name) => {
    const handler = (message: unknown) => void messages.push([name, message as Record<string, unknown>]);
    subscribe(name, handler);
    return [name, handler] as const;
  });
  const stop = () => {
    for (const [name, handler] of handlers) unsubscribe(name, handler);
  };
  return { messages, stop };
}

function setup(behave: (index: number) => Behaviour) {
  const { scheduler, server } = schedulerOnFakeServer({ breakerThreshold: 1, breakerCooldownMs: 30_000 }, behave);
  scheduler.registerCampaign('c1', { emailsPerMinute: 300 });
  return { scheduler, server };
}

describe('schedulerChannels', () => {
  it('names one channel per event under one prefix', () => {
    for (const [event, name] of Object.entries(schedulerChannels)) expect(name).toBe(`${CHANNEL_PREFIX}${event}`);
    expect(Object.keys(schedulerChannels).sort()).toEqual(
      ['backpressure', 'breaker', 'control', 'deadletter', 'request', 'response', 'retry'].sort(),
    );
  });

  it('publishes each event with its payload and the workerId, in the order they happen', async () => {
    const listening = listen();
    try {
      const { scheduler } = setup((i) =>
        i === 0 ? { kind: 'answer', status: 503 } : { kind: 'answer', status: 400, message: 'no such campaign' },
      );
      scheduler.record('c1', event(1));
      await vi.advanceTimersByTimeAsync(120_000);
      const seen = listening.messages.map(([name, message]) => [name.slice(CHANNEL_PREFIX.length), message]);
      expect(seen.map(([name]) => name)).toEqual([
        'request',
        'breaker',
        'response',
        'retry',
        'breaker',
        'request',
        'breaker',
        'response',
        'deadletter',
      ]);
      expect(seen[0]?.[1]).toMatchObject({ workerId: 'w1', attempt: 1, events: 1, at: T0 + 30_000 });
      expect(seen[1]?.[1]).toEqual({ workerId: 'w1', state: 'open', cooldownMs: 30_000 });
      expect(seen[2]?.[1]).toMatchObject({ workerId: 'w1', status: 503, latencyMs: 0 });
      expect(seen[3]?.[1]).toMatchObject({ workerId: 'w1', attempt: 1, delayMs: 7_500, reason: 'HTTP 503' });
      expect(seen[4]?.[1]).toEqual({ workerId: 'w1', state: 'half-open', cooldownMs: undefined });
      expect(seen[6]?.[1]).toEqual({ workerId: 'w1', state: 'closed', cooldownMs: undefined });
      expect(seen[8]?.[1]).toMatchObject({
        workerId: 'w1',
        batchId: 'b1',
        campaignId: 'c1',
        events: [expect.objectContaining({ recipientId: '1' })],
        httpStatus: 400,
      });
    } finally {
      listening.stop();
    }
  });

  it('publishes nothing while nobody subscribes, and the scheduler needs no channel to deliver', async () => {
    const listening = listen();
    listening.stop();
    expect(Object.values(schedulerChannels).some((name) => channel(name).hasSubscribers)).toBe(false);
    const { scheduler, server } = setup(() => ({ kind: 'answer', status: 200 }));
    scheduler.record('c1', event(1));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.applied('c1')).toEqual(['1']);
    expect(listening.messages).toEqual([]);
  });
});
