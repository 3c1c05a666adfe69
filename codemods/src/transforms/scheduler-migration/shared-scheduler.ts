/** Source text of `createHttpTransport`'s options beyond the base URL: the endpoints and headers the worker used. */
export interface TransportExtras {
  readonly events?: string | undefined;
  readonly status?: string | undefined;
  readonly headers?: string | undefined;
}

/**
 * The module header the migration adds: the scheduler import and `updateScheduler(baseUrl)`, which makes one
 * scheduler per process, shared by every campaign. What could not be read of the legacy endpoints (`unread`) is
 * listed in one TODO above the transport.
 */
export function sharedSchedulerHeader(
  esm: boolean,
  typed: boolean,
  extras: TransportExtras,
  unread: readonly string[],
): string {
  const urls = [extras.events && `events: ${extras.events}`, extras.status && `status: ${extras.status}`].filter(
    Boolean,
  );
  const options = [
    'baseUrl: String(baseUrl)',
    "shape: 'legacy'",
    ...(urls.length > 0 ? [`urls: { ${urls.join(', ')} }`] : []),
    ...(extras.headers ? [`headers: ${extras.headers}`] : []),
  ];
  return [
    esm
      ? "import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';"
      : "const { createHttpTransport, ServerUpdateScheduler } = require('@scope/scheduler');",
    '',
    '// Phase 2: one scheduler per process reports every campaign: batched, spaced, retried, nothing lost.',
    typed ? 'let sharedScheduler: ServerUpdateScheduler | undefined;' : 'let sharedScheduler;',
    typed
      ? 'function updateScheduler(baseUrl: string | undefined): ServerUpdateScheduler {'
      : 'function updateScheduler(baseUrl) {',
    ...(unread.length > 0
      ? [
          "  // TODO(scheduler-migration): check the transport's endpoints; what the legacy code used could not be read:",
          ...unread.map((note) => `  //   - ${note}`),
        ]
      : []),
    `  sharedScheduler ??= new ServerUpdateScheduler({ transport: createHttpTransport({ ${options.join(', ')} }) });`,
    '  return sharedScheduler;',
    '}',
  ].join('\n');
}
