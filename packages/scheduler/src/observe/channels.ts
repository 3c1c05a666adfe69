import { type Channel, channel } from 'node:diagnostics_channel';
import type { SchedulerEvents } from '../events.js';

/** The events published on a diagnostics channel: every event of `on()` but `error` (a fault of the caller's). */
export type ChannelEvent = Exclude<keyof SchedulerEvents, 'error'>;

/** What a channel publishes: the event's payload, and the worker of the scheduler that published it. */
export type ChannelMessage<K extends ChannelEvent> = SchedulerEvents[K] & { readonly workerId: string };

/** The prefix of every channel's name: `scope:scheduler:request`, `scope:scheduler:retry`, … */
export const CHANNEL_PREFIX = 'scope:scheduler:';

/**
 * The names of the `node:diagnostics_channel` channels every scheduler publishes on, one per event. A channel
 * publishes only while it has subscribers, so an idle one costs a property read.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(schedulerChannels.retry, (message) => console.warn('retry', message.batch.batchId, message.reason));
 * ```
 */
export const schedulerChannels: { readonly [K in ChannelEvent]: `scope:scheduler:${K}` } = {
  request: 'scope:scheduler:request',
  response: 'scope:scheduler:response',
  retry: 'scope:scheduler:retry',
  breaker: 'scope:scheduler:breaker',
  backpressure: 'scope:scheduler:backpressure',
  deadletter: 'scope:scheduler:deadletter',
  control: 'scope:scheduler:control',
};

// Looked up once: a channel object is what a subscriber's `subscribe(name)` finds by name.
const channels = new Map<string, Channel>(
  Object.entries(schedulerChannels).map(([event, name]) => [event, channel(name)]),
);

/** The channel of an event, if it has one and someone subscribes to it. */
export function subscribedChannel(event: keyof SchedulerEvents): Channel | undefined {
  const found = channels.get(event);
  return found?.hasSubscribers ? found : undefined;
}
