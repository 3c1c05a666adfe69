/** Thrown by `record`, `setStatus` and `registerCampaign` once `close()` has been called. */
export class SchedulerClosedError extends Error {
  override readonly name = 'SchedulerClosedError';
  /** Marks the error across package copies, for {@link isSchedulerClosedError}. */
  readonly isSchedulerClosedError = true;

  constructor(message = 'The scheduler is closed: it takes no more updates') {
    super(message);
  }
}

/** Whether `error` is a {@link SchedulerClosedError}. */
export const isSchedulerClosedError = (error: unknown): error is SchedulerClosedError =>
  typeof error === 'object' && error !== null && (error as SchedulerClosedError).isSchedulerClosedError === true;
