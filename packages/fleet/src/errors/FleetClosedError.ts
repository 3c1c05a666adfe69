/** An `acquire()` refused (or ended) because its budget was closed. */
export class FleetClosedError extends Error {
  override readonly name = 'FleetClosedError';
  constructor(message = 'The fleet budget is closed') {
    super(message);
  }
}

/** Whether `error` is a {@link FleetClosedError}. */
export function isFleetClosedError(error: unknown): error is FleetClosedError {
  return error instanceof Error && error.name === 'FleetClosedError';
}
