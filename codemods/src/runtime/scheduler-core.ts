/** The migration's `take`: every update goes to one `ServerUpdateScheduler` per main server and process. */
export const SCHEDULER_IMPORT =
  "import { createHttpTransport, type RecipientEventInput, ServerUpdateScheduler, type StatusUpdate } from '@scope/scheduler';";

export const SCHEDULER_CORE = `const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const schedulers = new Map<string, ServerUpdateScheduler>();
const lastSeq = new Map<string, number>();

/** One scheduler per main server, shared by every campaign of the process: it spaces and batches their updates. */
function schedulerFor(update: Update): ServerUpdateScheduler {
  let scheduler = schedulers.get(update.baseUrl);
  if (scheduler === undefined) {
    const transport = createHttpTransport({ baseUrl: update.baseUrl, shape: 'legacy', headers: update.headers });
    scheduler = new ServerUpdateScheduler({ transport });
    schedulers.set(update.baseUrl, scheduler);
  }
  return scheduler;
}

/**
 * Events go to \`scheduler.record\` one by one, a status to \`scheduler.setStatus\` (its \`seq\` kept rising); the
 * scheduler delivers them, spaced, batched and retried. A campaign's last status resolves once everything it
 * recorded has reached the server, so a worker that ends there loses nothing.
 */
async function take(update: Update): Promise<unknown> {
  const scheduler = schedulerFor(update);
  const id = update.campaignId;
  scheduler.registerCampaign(id, registrations.get(id) ?? {});
  if (update.kind === 'events') {
    for (const event of update.body.events as RecipientEventInput[]) await scheduler.record(id, event);
  } else {
    const status = update.body as unknown as StatusUpdate;
    const seq = Math.max((lastSeq.get(id) ?? 0) + 1, typeof status.seq === 'number' ? status.seq : 0);
    lastSeq.set(id, seq);
    scheduler.setStatus(id, { ...status, seq });
    if (TERMINAL.has(String(status.state))) await scheduler.flush(id);
  }
  return answer(update.client);
}
`;
