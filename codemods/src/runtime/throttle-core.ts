/**
 * The hotfix's `take`: every update goes through one `@scope/throttle` (15 s between two requests); one that comes
 * too soon is deferred and merged with the campaign's next one (events kept, the newest status), and the caller
 * goes on at once, so the mail is not slowed. A deferred request that fails is sent again, spaced, a few times.
 */
export const THROTTLE_IMPORT = "import { createThrottle, isThrottledCallError } from '@scope/throttle';";

export const THROTTLE_CORE = `const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
/** Tries of a deferred update before it is given up, as the legacy code gave up after its retries. */
const ATTEMPTS = 3;

interface Deferred {
  readonly update: Update;
  readonly events: readonly unknown[];
  readonly attempt: number;
}

const throttle = createThrottle({ minIntervalMs: 15_000 });
const sendUpdate = throttle.wrap(
  async (_url: string, call: Deferred): Promise<unknown> => {
    const { update } = call;
    const response = await update.send(update.kind === 'events' ? { ...update.body, events: call.events } : update.body);
    if (update.client === 'fetch' && isObject(response) && response.ok === false) throw new Error(\`HTTP \${String(response.status)}\`);
    return response;
  },
  {
    key: (url) => url,
    merge: ([url, previous], [, next]) => [url, next.update.kind === 'events' ? { ...next, events: [...previous.events, ...next.events] } : next],
  },
);

function later(call: Deferred): void {
  // Every call merged into a failed request is rejected with the same error, so each one sends itself again (and
  // only itself: re-sending the error's whole list from every caller would multiply the calls at each failure).
  sendUpdate(call.update.url, call).catch(() => {
    if (call.attempt + 1 < ATTEMPTS) later({ ...call, attempt: call.attempt + 1 });
    else console.warn(\`server-updates: gave up on \${call.update.url} after \${ATTEMPTS} tries\`);
  });
}

const unwrap = (error: unknown) => {
  throw isThrottledCallError(error) ? error.cause : error;
};

/**
 * At most one request every 15 s. An update that may go now is sent and answered as before; one that comes too soon
 * is deferred (merged with the campaign's next one of its kind) and answered at once. A campaign's last status
 * first delivers what is deferred, then goes out itself, answered when it has.
 */
async function take(update: Update): Promise<unknown> {
  const call: Deferred = { update, events: update.kind === 'events' ? [...(update.body.events as unknown[])] : [], attempt: 0 };
  if (update.kind === 'status' && TERMINAL.has(String(update.body.state))) {
    await throttle.flush();
    return sendUpdate(update.url, call).catch(unwrap);
  }
  if (throttle.canSendUpdate() && throttle.pending === 0) return sendUpdate(update.url, call).catch(unwrap);
  later(call);
  return answer(update.client);
}
`;
