'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl } = deps;
  const pending = [];
  let sent = 0;
  let failed = 0;
  const total = campaign.recipients.length;

  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0, pending.length);
    await sendOutcomes(serverUrl, campaign.id, batch);
  };
  let flushTimer;
  const tick = async () => {
    await flush();
    flushTimer = setTimeout(tick, 15000);
  };
  flushTimer = setTimeout(tick, 15000);

  for (const recipient of campaign.recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      pending.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      pending.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (pending.length >= 50) await flush();
    await sleep(60000 / campaign.emailsPerMinute);
  }
  clearTimeout(flushTimer);
  await flush();
  await reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
}

module.exports = { processCampaign };
