import { MailQueue } from './mailQueue.js';
import { post } from './server.js';

const MAX_EVENTS = 20;
const MAX_AGE_MS = 12_000;

export async function processCampaign(campaign, recipients, { transport, mainServerUrl }) {
  const queue = new MailQueue(transport);
  const url = `${mainServerUrl}/api/campaigns/${campaign.id}`;
  let batch = [];
  let oldest = 0;
  let sent = 0;
  let failed = 0;
  let seq = 0;
  let inflight = Promise.resolve();

  const flush = () => {
    if (batch.length === 0) return inflight;
    const events = batch;
    batch = [];
    oldest = 0;
    inflight = inflight.then(() => post(`${url}/events`, { events }));
    return inflight;
  };

  const collect = (event) => {
    if (batch.length === 0) oldest = Date.now();
    batch.push(event);
    if (batch.length >= MAX_EVENTS || Date.now() - oldest >= MAX_AGE_MS) flush();
  };

  const onDelivered = (r, info) => {
    sent++;
    collect({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
  };
  const onRejected = (r, err) => {
    failed++;
    collect({ recipientId: r.id, email: r.email, outcome: 'bounced', at: new Date().toISOString(), error: err.message });
  };
  queue.on('delivered', onDelivered);
  queue.on('rejected', onRejected);

  const status = (state) =>
    post(`${url}/status`, { state, sent, failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() }, 'PUT');
  const ticker = setInterval(() => status('running'), 30_000);

  for (const recipient of recipients) {
    await queue.deliver(campaign, recipient);
    await new Promise((r) => setTimeout(r, 60_000 / campaign.emailsPerMinute));
  }

  clearInterval(ticker);
  queue.off('delivered', onDelivered);
  queue.off('rejected', onRejected);
  await flush();
  await status('completed');
  return { sent, failed };
}
