/** Sees every event before the listeners (diagnostics channels, a logger); `wants` says whether to build it. */
export interface EmitterTap<Events> {
  wants(name: keyof Events): boolean;
  see<K extends keyof Events>(name: K, payload: Events[K]): void;
}

/**
 * A small typed event emitter. `on` returns a function that removes the listener. A listener that throws never
 * disturbs the emitter's caller: its error goes to `onListenerError` the first time that listener throws (later
 * throws of the same listener are only counted), so one faulty listener cannot flood the logs either.
 */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  readonly #failed = new WeakSet<object>();
  readonly #onListenerError: (error: unknown, name: keyof Events) => void;
  /** Throws of listeners so far. */
  listenerErrors = 0;

  readonly #tap: EmitterTap<Events> | undefined;

  constructor(onListenerError: (error: unknown, name: keyof Events) => void, tap?: EmitterTap<Events>) {
    this.#onListenerError = onListenerError;
    this.#tap = tap;
  }

  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => unknown): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError(`Expected the listener of \`${String(name)}\` to be a function, got ${typeof listener}`);
    }
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Whether anyone listens or the tap wants it, so payloads need not be built for nobody. */
  has(name: keyof Events): boolean {
    return this.listens(name) || this.#tap?.wants(name) === true;
  }

  /** Whether a listener listens (the tap aside). */
  listens(name: keyof Events): boolean {
    return (this.#listeners.get(name)?.size ?? 0) > 0;
  }

  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    if (this.#tap?.wants(name)) this.#tap.see(name, payload);
    const set = this.#listeners.get(name);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        const returned: unknown = (listener as (payload: Events[K]) => unknown)(payload);
        // An async listener fails later: its rejection is caught and reported the same way.
        if (typeof (returned as PromiseLike<unknown> | undefined)?.then === 'function') {
          (returned as PromiseLike<unknown>).then(undefined, (error: unknown) =>
            this.#failedWith(listener, error, name),
          );
        }
      } catch (error) {
        this.#failedWith(listener, error, name);
      }
    }
  }

  #failedWith(listener: object, error: unknown, name: keyof Events): void {
    this.listenerErrors++;
    if (this.#failed.has(listener)) return;
    this.#failed.add(listener);
    try {
      this.#onListenerError(error, name);
    } catch {
      // The report itself failed: nothing is left to tell, and the caller must not be disturbed.
    }
  }
}
