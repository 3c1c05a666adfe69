/**
 * Thrown by a transport when a batch cannot be written for the wire (a value `JSON.stringify` refuses). Nothing was
 * sent, so the scheduler splits the batch down to what cannot be encoded and dead-letters that part alone.
 */
export class BatchEncodingError extends Error {
  override readonly name = 'BatchEncodingError';
  /** Marks the error across package copies, for {@link isBatchEncodingError}. */
  readonly isBatchEncodingError = true;

  /**
   * @param campaignIds the campaigns of the batch whose updates could not be encoded
   * @param cause what the encoder threw
   */
  constructor(
    readonly campaignIds: readonly string[],
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot encode the updates of campaign ${campaignIds.map((id) => JSON.stringify(id)).join(', ')}: ${why}`, {
      cause,
    });
  }
}

/** Whether `error` is a {@link BatchEncodingError}. */
export const isBatchEncodingError = (error: unknown): error is BatchEncodingError =>
  typeof error === 'object' && error !== null && (error as BatchEncodingError).isBatchEncodingError === true;
