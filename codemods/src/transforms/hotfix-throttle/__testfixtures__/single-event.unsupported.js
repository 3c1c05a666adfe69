'use strict';
const { sendOutcome, updateStatus } = require('./api');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients } = deps;
  const queue = [];
  let sent = 0;
  let failed = 0;
  // Each outcome leaves the queue only once the server has it.
  async function drain() {
    while (queue.length > 0) {
      const ok = await sendOutcome(serverUrl, campaign.id, queue[0]);
      if (!ok) break;
      queue.shift();
    }
  }
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      queue.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      queue.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (queue.length >= 20) await drain();
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await drain();
  await updateStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total: recipients.length });
}

module.exports = { processCampaign };
