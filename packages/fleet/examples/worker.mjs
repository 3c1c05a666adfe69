// One worker of the fleet demo (started by demo.mjs, one process each): a ServerUpdateScheduler whose requests go
// through the fleet budget, taking campaigns from the distributor. Before each send it checks its lease and writes a
// fenced intent checkpoint, so a campaign taken over is resumed where its last owner stopped and no recipient is
// mailed twice (one whose send was not checkpointed as done is reported in doubt). Mail is simulated.
import { createHttpTransport, ServerUpdateScheduler } from '@scope/scheduler';
import { Redis } from 'ioredis';
import { createCampaignDistributor, createFleetBudget, fleetRedisOptions } from '../dist/index.js';

const env = process.env;
const say = (line) => process.stdout.write(`${JSON.stringify({ worker: env.WORKER_ID, ...line })}\n`);
const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

const redis = new Redis(env.REDIS_URL, { ...fleetRedisOptions });
redis.on('error', () => undefined);
const budget = createFleetBudget({
  redis,
  name: env.FLEET_NAME,
  budget: Number(env.FLEET_BUDGET),
  windowMs: Number(env.WINDOW_MS),
  workerId: env.WORKER_ID,
});
budget.on('mode', ({ mode, reason }) => say({ mode, reason }));
const scheduler = new ServerUpdateScheduler({
  transport: createHttpTransport({ baseUrl: env.SERVER_URL, shape: 'bulk' }),
  workerId: env.WORKER_ID,
  requestGate: budget.gate,
});
budget.watch(scheduler);
scheduler.on('deadletter', (letter) => say({ deadletter: letter.campaignId, reason: letter.reason }));

const distributor = createCampaignDistributor({
  redis,
  name: env.FLEET_NAME,
  membership: budget.membership,
  run: async ({ campaignId, data }, lease) => {
    const { recipients, emailsPerMinute } = data;
    scheduler.registerCampaign(campaignId, { emailsPerMinute, total: recipients.length, ownerEpoch: lease.epoch });
    const from = lease.checkpointed ?? { next: 0, sent: 0 };
    say({ took: campaignId, epoch: lease.epoch, resumeAt: from.next });
    let next = from.next;
    let sent = from.sent;
    if (from.sending !== undefined) {
      say({ inDoubt: recipients[from.sending], campaignId });
      next = from.sending + 1;
    }
    const owns = (check) => check.catch(() => false);
    for (let i = next; i < recipients.length; i++) {
      if (!(await owns(lease.stillOwner())) || !(await owns(lease.checkpoint({ next: i, sent, sending: i })))) {
        say({ lost: campaignId, epoch: lease.epoch });
        return;
      }
      await scheduler.record(campaignId, { recipientId: recipients[i], outcome: 'sent', at: new Date() });
      sent++;
      scheduler.setStatus(campaignId, { state: 'running', sent, failed: 0, total: recipients.length });
      await owns(lease.checkpoint({ next: i + 1, sent }));
      await sleep(60_000 / emailsPerMinute, lease.signal);
    }
    if (lease.signal.aborted) return;
    scheduler.setStatus(campaignId, { state: 'completed', sent, failed: 0, total: recipients.length });
    say({ done: campaignId, epoch: lease.epoch });
  },
});
distributor.on('error', () => undefined);
await distributor.start();
say({ ready: true });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await distributor.close({ timeoutMs: 2_000 });
  const report = await scheduler.close({ timeoutMs: 20_000 });
  say({ closed: report.complete, stats: budget.localStats() });
  await budget.close();
  redis.disconnect();
  process.exit(0);
};
process.on('SIGTERM', stop);
// The demo holds our stdin: when it goes away (stopped with Ctrl-C), so do we.
process.stdin.on('end', stop).resume();
