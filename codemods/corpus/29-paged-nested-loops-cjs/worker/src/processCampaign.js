'use strict';

const { MainServer } = require('./MainServer');

const FLUSH_SIZE = 50;

async function processCampaign(campaign, { serverUrl, transport }) {
  const server = new MainServer(serverUrl);
  const pace = 60000 / campaign.emailsPerMinute;
  let events = [];
  let sent = 0;
  let failed = 0;
  let seq = 0;
  let flushTimer = null;

  const flush = async () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (events.length === 0) return;
    const batch = events;
    events = [];
    await server.postEvents(campaign.id, batch);
  };
  const status = (state) =>
    server.putStatus(campaign.id, { state, sent, failed, total: campaign.total, seq: ++seq, updatedAt: new Date().toISOString() });

  const statusTimer = setInterval(() => status('running'), 60000);

  let cursor = '';
  while (cursor !== null) {
    const page = await server.recipientsPage(campaign.id, cursor);
    if (!page) throw new Error(`could not load recipients of ${campaign.id}`);
    for (const person of page.recipients) {
      try {
        const info = await transport.sendMail({ from: campaign.from, to: person.email, subject: campaign.subject, text: campaign.body });
        sent++;
        events.push({ recipientId: person.id, email: person.email, outcome: 'sent', at: new Date().toISOString(), messageId: info.messageId });
      } catch (err) {
        failed++;
        events.push({ recipientId: person.id, email: person.email, outcome: 'failed', at: new Date().toISOString(), error: err.message });
      }
      if (events.length >= FLUSH_SIZE) await flush();
      else if (!flushTimer) flushTimer = setTimeout(flush, 10000 + Math.random() * 15000);
      await new Promise((resolve) => setTimeout(resolve, pace));
    }
    cursor = page.nextCursor;
    await status('running');
  }

  clearInterval(statusTimer);
  await flush();
  await status('completed');
  return { sent, failed };
}

module.exports = { processCampaign };
