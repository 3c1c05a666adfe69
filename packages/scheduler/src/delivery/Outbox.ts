import type { DeadLetter } from '../events.js';
import type { PendingStore, SealedBatch } from '../store/PendingStore.js';
import type { Unacknowledged } from './UnacknowledgedBatches.js';

/**
 * Tells a durable store each step of a batch's life (see the optional methods of {@link PendingStore}). A store
 * that throws is reported and delivery goes on: a batch it could not seal waits (it is never sent unsealed);
 * any other step it missed is safe to lose, since a batch found again after a restart is re-sent under its id.
 */
export class Outbox {
  readonly #store: PendingStore;
  readonly #onError: (error: unknown) => void;

  constructor(store: PendingStore, onError: (error: unknown) => void) {
    this.#store = store;
    this.#onError = onError;
  }

  /** Seals the batch before its first request; false if the store failed (then it must not go yet). */
  seal(entry: Unacknowledged): boolean {
    if (this.#store.seal === undefined) entry.sealed = true;
    else entry.sealed = this.#try(() => this.#store.seal?.(sealedOf(entry)));
    return entry.sealed;
  }

  reschedule(entry: Unacknowledged): void {
    if (!entry.sealed) return;
    this.#try(() =>
      this.#store.reschedule?.(entry.batch.batchId, entry.attempt, entry.invalidAnswers, entry.notBefore),
    );
  }

  /** Puts `parts` in the store where `entry` was; they are sealed if that worked, else sealed before they go. */
  replace(entry: Unacknowledged, parts: readonly Unacknowledged[], letters?: readonly DeadLetter[]): void {
    const done =
      entry.sealed && this.#try(() => this.#store.replace?.(entry.batch.batchId, parts.map(sealedOf), letters));
    for (const part of parts) part.sealed = done;
  }

  settle(entry: Unacknowledged, letters?: readonly DeadLetter[]): void {
    if (entry.sealed) this.#try(() => this.#store.settle?.(entry.batch.batchId, letters));
  }

  quiet(until: number): void {
    this.#try(() => this.#store.quiet?.(until));
  }

  #try(step: () => void): boolean {
    try {
      step();
      return true;
    } catch (error) {
      this.#onError(error);
      return false;
    }
  }
}

function sealedOf(entry: Unacknowledged): SealedBatch {
  const { batch, attempt, invalidAnswers, notBefore } = entry;
  return { batch, attempt, invalidAnswers, notBefore };
}
