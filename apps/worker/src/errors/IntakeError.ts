/** The main server's intake endpoints could not be read (after their retries). The worker exits with code 5. */
export class IntakeError extends Error {
  override readonly name = 'IntakeError';
}

export function isIntakeError(error: unknown): error is IntakeError {
  return error instanceof IntakeError;
}
