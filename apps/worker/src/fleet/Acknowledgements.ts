import type { RecipientEvent, ServerUpdateScheduler } from '@scope/scheduler';

/**
 * The events of each campaign recorded and not yet acknowledged by the main server. A fleet worker keeps them in its
 * campaign's checkpoint, so a worker that takes the campaign over records them again (the server applies an event id
 * once) and what the dead owner held in memory is not lost. Acknowledged means a 2xx answer that acknowledged the
 * batch; a batch dead-lettered is let go too (the server refused it for good, and the worker keeps it on disk).
 */
export class Acknowledgements {
  readonly #pending = new Map<string, Map<string, RecipientEvent>>();

  constructor(scheduler: ServerUpdateScheduler) {
    scheduler.on('response', ({ batch, status, error }) => {
      if (status !== undefined && status >= 200 && status < 300 && error === undefined) this.#letGo(batch.campaigns);
    });
    scheduler.on('deadletter', ({ campaignId, events }) => this.#letGo([{ campaignId, events }]));
  }

  add(campaignId: string, event: RecipientEvent & { eventId: string }): void {
    let events = this.#pending.get(campaignId);
    if (events === undefined) {
      events = new Map();
      this.#pending.set(campaignId, events);
    }
    events.set(event.eventId, event);
  }

  of(campaignId: string): RecipientEvent[] {
    return [...(this.#pending.get(campaignId)?.values() ?? [])];
  }

  forget(campaignId: string): void {
    this.#pending.delete(campaignId);
  }

  #letGo(updates: ReadonlyArray<{ campaignId: string; events: ReadonlyArray<{ eventId?: string }> }>): void {
    for (const { campaignId, events } of updates) {
      const pending = this.#pending.get(campaignId);
      if (pending === undefined) continue;
      for (const { eventId } of events) if (eventId !== undefined) pending.delete(eventId);
    }
  }
}
