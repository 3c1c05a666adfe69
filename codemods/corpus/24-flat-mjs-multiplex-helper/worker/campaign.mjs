import { config } from './config.mjs';
import { sendUpdate } from './mainserver.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export default async function processCampaign(campaign, recipients, transporter) {
  let events = [];
  let sent = 0, failed = 0, seq = 0;
  let flushTimer = null;
  const status = (state) => ({ state, sent, failed, total: recipients.length, seq: ++seq, updatedAt: new Date().toISOString() });

  const flush = async () => {
    clearTimeout(flushTimer);
    flushTimer = null;
    if (events.length === 0) return;
    const out = events;
    events = [];
    await sendUpdate(campaign.id, 'events', { events: out });
  };

  const statusTimer = setInterval(() => sendUpdate(campaign.id, 'status', status('running')), config.statusEveryMs);

  for (const r of recipients) {
    try {
      const info = await transporter.sendMail({ from: campaign.from, to: r.email, subject: campaign.subject, text: campaign.body });
      sent++;
      events.push({ recipientId: r.id, email: r.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
    } catch (e) {
      failed++;
      events.push({ recipientId: r.id, email: r.email, outcome: 'failed', at: new Date().toISOString(), error: e.message });
    }
    if (events.length >= config.flushEvery) await flush();
    else if (!flushTimer) flushTimer = setTimeout(flush, 10000 + Math.random() * 15000);
    await sleep(60000 / campaign.emailsPerMinute);
  }

  clearInterval(statusTimer);
  await flush();
  await sendUpdate(campaign.id, 'status', status('completed'));
  return { sent, failed };
}
