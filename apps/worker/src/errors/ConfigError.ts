/** A configuration problem: one line, naming where the bad value came from. The worker exits with code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
