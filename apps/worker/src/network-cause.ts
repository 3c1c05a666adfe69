/**
 * Why a connection or a request failed, in a few words that name the cause: `connect ECONNREFUSED 127.0.0.1:4000`,
 * `getaddrinfo ENOTFOUND main.example`, `DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate`, `no answer within
 * 30s (timeout)`. fetch says only `fetch failed` and keeps the reason in its `cause`: the innermost one is told.
 */
export function networkCause(error: unknown, timeoutMs?: number): string {
  let inner = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  if (!(inner instanceof Error)) return String(inner);
  if (inner.name === 'TimeoutError') {
    return timeoutMs === undefined ? 'no answer in time (timeout)' : `no answer within ${timeoutMs / 1000}s (timeout)`;
  }
  // fetch refuses a few well-known ports (1, 7, 9, 25, ...) without trying them, and says only this.
  if (inner.message === 'bad port') return 'bad port (fetch never connects to this port)';
  const code = (inner as NodeJS.ErrnoException).code;
  return code === undefined || inner.message.includes(code) ? inner.message : `${code}: ${inner.message}`;
}
