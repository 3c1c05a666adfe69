import { checkFunction, checkObject } from '../common/check.js';

/** How much a log line matters, from detail to trouble. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where the scheduler writes what an operator needs to know: any object with `debug`, `info`, `warn` and `error`
 * methods. Each is called as pino calls it, `logger.warn(fields, message)`: fields first, then a fixed message, so
 * pino and bunyan-like loggers keep the fields as structured data and `console` prints both.
 *
 * @example
 * ```ts
 * new ServerUpdateScheduler({ transport, logger: pino().child({ component: 'scheduler' }) });
 * new ServerUpdateScheduler({ transport, logger: console });
 * ```
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): unknown;
  info(fields: Record<string, unknown>, message: string): unknown;
  warn(fields: Record<string, unknown>, message: string): unknown;
  error(fields: Record<string, unknown>, message: string): unknown;
}

/** Writes one line; never throws. */
export type LogLine = (level: LogLevel, fields: Record<string, unknown>, message: string) => void;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Throws a TypeError naming `logger` (or its method) unless it has the four methods. */
export function checkLogger(logger: unknown): asserts logger is Logger {
  checkObject('logger', logger);
  for (const level of LEVELS) checkFunction(`logger.${level}`, logger[level]);
}

/**
 * A writer over `logger` that never throws: a logger that fails must not stop delivery. Its first failure goes to
 * `onError` (once: reporting it may go through the same logger).
 */
export function safeLogLine(logger: Logger, onError: (error: unknown) => void): LogLine {
  let failed = false;
  return (level, fields, message) => {
    try {
      logger[level](fields, message);
    } catch (error) {
      if (failed) return;
      failed = true;
      onError(error);
    }
  };
}
