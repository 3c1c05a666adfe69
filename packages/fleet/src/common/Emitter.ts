/**
 * A tiny typed emitter: `on` returns a way to remove the listener. A listener that throws (or rejects) never reaches
 * the emitter's caller: its error is written once per listener to `console.error`.
 */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => unknown>>();
  readonly #failed = new WeakSet<object>();

  on<K extends keyof Events>(name: K, listener: (payload: Events[K]) => unknown): () => void {
    if (typeof listener !== 'function') {
      throw new TypeError(`Expected the listener of \`${String(name)}\` to be a function, got ${typeof listener}`);
    }
    const set = this.#listeners.get(name) ?? new Set();
    set.add(listener as (payload: never) => unknown);
    this.#listeners.set(name, set);
    return () => void set.delete(listener as (payload: never) => unknown);
  }

  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    for (const listener of this.#listeners.get(name) ?? []) {
      const fail = (error: unknown) => {
        if (this.#failed.has(listener)) return;
        this.#failed.add(listener);
        console.error(`@scope/fleet: a listener of \`${String(name)}\` threw:`, error);
      };
      try {
        const returned = (listener as (payload: Events[K]) => unknown)(payload);
        if (typeof (returned as PromiseLike<unknown> | undefined)?.then === 'function') {
          (returned as PromiseLike<unknown>).then(undefined, fail);
        }
      } catch (error) {
        fail(error);
      }
    }
  }
}
