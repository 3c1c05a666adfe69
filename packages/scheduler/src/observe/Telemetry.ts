import type { EmitterTap } from '../common/Emitter.js';
import type { SchedulerEvents } from '../events.js';
import { subscribedChannel } from './channels.js';
import type { LogLine } from './Logger.js';
import { logEntryOf } from './logEntries.js';

/**
 * What sees every event of a scheduler besides its listeners: the diagnostics channels (while subscribed) and the
 * logger (when given). Neither may disturb delivery: the logger is wrapped by `safeLogLine`, and a channel's
 * subscriber is Node's to isolate.
 */
export class Telemetry implements EmitterTap<SchedulerEvents> {
  readonly #workerId: string;
  readonly #log: LogLine | undefined;

  constructor(workerId: string, log: LogLine | undefined) {
    this.#workerId = workerId;
    this.#log = log;
  }

  wants(name: keyof SchedulerEvents): boolean {
    if (name === 'error') return false;
    return this.#log !== undefined || subscribedChannel(name) !== undefined;
  }

  see<K extends keyof SchedulerEvents>(name: K, payload: SchedulerEvents[K]): void {
    if (name === 'error') return;
    const event = name as Exclude<K, 'error'>;
    subscribedChannel(event)?.publish({ workerId: this.#workerId, ...payload });
    if (this.#log === undefined) return;
    const { level, fields, message } = logEntryOf(event, payload as SchedulerEvents[typeof event]);
    this.#log(level, fields, message);
  }
}
