/**
 * The promise a wrapped function returns to one caller. It tells the throttle when someone waits on it (`await`,
 * `then`, `catch`, `Promise.all`): from then on the throttle's timer holds the process open until the call has
 * run, and a failure of the call counts as seen by this caller. A promise nobody waits on never holds the process.
 */
export class Awaitable<T> extends Promise<T> {
  static override get [Symbol.species]() {
    return Promise;
  }

  onAwaited: (() => void) | undefined;

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass overrides then, to learn it is awaited.
  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const awaited = this.onAwaited;
    this.onAwaited = undefined;
    awaited?.();
    return super.then(onFulfilled, onRejected);
  }
}

/** Marks `promise` handled without counting as a wait on it: its rejection never becomes an unhandled one. */
export function markHandled(promise: Promise<unknown>): void {
  Promise.prototype.then.call(promise, undefined, () => undefined);
}
