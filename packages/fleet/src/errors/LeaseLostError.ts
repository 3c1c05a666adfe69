/** A campaign's lease was lost: another worker took it over (a higher owner epoch), or its lock expired. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(
    readonly campaignId: string,
    readonly epoch: number,
    message = `The lease of campaign "${campaignId}" (owner epoch ${epoch}) was lost: another worker owns it now`,
  ) {
    super(message);
  }
}

/** Whether `error` is a {@link LeaseLostError}. */
export function isLeaseLostError(error: unknown): error is LeaseLostError {
  return error instanceof Error && error.name === 'LeaseLostError';
}
