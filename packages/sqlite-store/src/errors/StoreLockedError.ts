/** The outbox file is open in another process: two schedulers on one outbox would send its batches twice. */
export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';
  /** The file that is in use. */
  readonly path: string;

  constructor(path: string) {
    super(
      `The outbox ${path} is in use by another process (each worker needs an outbox of its own; stop the other one, or give this one another --data-dir)`,
    );
    this.path = path;
  }
}

/** Whether `error` is a {@link StoreLockedError}. */
export function isStoreLockedError(error: unknown): error is StoreLockedError {
  return error instanceof StoreLockedError;
}
