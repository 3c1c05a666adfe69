/** The SMTP server cannot be used: unreachable, refusing, or failing most sends. The worker exits with code 4. */
export class SmtpUnavailableError extends Error {
  override readonly name = 'SmtpUnavailableError';
}

export function isSmtpUnavailableError(error: unknown): error is SmtpUnavailableError {
  return error instanceof SmtpUnavailableError;
}
