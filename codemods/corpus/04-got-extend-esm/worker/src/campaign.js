import { mainServer } from './mainServer.js';

const EVENTS_PER_POST = 30;
const STATUS_MS = 45_000;

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

export async function processCampaign(campaign, recipients, transport) {
  const api = mainServer();
  const queue = [...recipients];
  const total = queue.length;
  const perEmailMs = Math.floor(60_000 / campaign.emailsPerMinute);
  let pending = [];
  let sent = 0;
  let failed = 0;
  let version = 0;
  let flushTimer = null;

  async function postPending() {
    flushTimer = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    try {
      await api.post(`api/campaigns/${campaign.id}/events`, { json: { events: batch } });
    } catch (err) {
      // got already retried; nothing more we can do
      console.error(`events for ${campaign.id} lost (${batch.length}):`, err.message);
    }
  }

  async function putStatus(state) {
    version += 1;
    try {
      await api.put(`api/campaigns/${campaign.id}/status`, {
        json: { state, sent, failed, total, seq: version, updatedAt: new Date().toISOString() },
      });
    } catch (err) {
      console.error(`status for ${campaign.id} lost:`, err.message);
    }
  }

  const statusLoop = setInterval(() => putStatus('running'), STATUS_MS);

  while (queue.length > 0) {
    const person = queue.shift();
    let event;
    try {
      const res = await transport.sendMail({
        from: campaign.from,
        to: person.email,
        subject: campaign.subject,
        text: campaign.body,
      });
      sent++;
      event = { recipientId: person.id, email: person.email, outcome: 'sent', at: new Date().toISOString(), messageId: res.messageId };
    } catch (err) {
      failed++;
      event = { recipientId: person.id, email: person.email, outcome: err.responseCode === 550 ? 'bounced' : 'failed', at: new Date().toISOString(), error: err.message };
    }
    pending.push(event);

    if (pending.length >= EVENTS_PER_POST) {
      if (flushTimer) clearTimeout(flushTimer);
      await postPending();
    } else if (!flushTimer) {
      flushTimer = setTimeout(postPending, 10_000 + Math.round(Math.random() * 15_000));
    }

    await sleep(perEmailMs);
  }

  clearInterval(statusLoop);
  if (flushTimer) clearTimeout(flushTimer);
  await postPending();
  await putStatus('completed');
  return { sent, failed, total };
}
