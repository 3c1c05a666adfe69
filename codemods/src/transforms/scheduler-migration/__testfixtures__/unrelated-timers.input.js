'use strict';
const { sendOutcomes, reportStatus } = require('./api');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, heartbeat } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = campaign.recipients.length;
  const alive = setInterval(() => heartbeat.touch(campaign.id), 5000);
  for (const recipient of campaign.recipients) {
    let timer;
    try {
      await Promise.race([
        transporter.sendMail({ to: recipient.email }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('SMTP timeout')), 30000);
        }),
      ]);
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString(), error: err.message });
    } finally {
      clearTimeout(timer);
    }
    if (buffer.length >= 50) {
      await sendOutcomes(serverUrl, campaign.id, buffer);
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  clearInterval(alive);
  await sendOutcomes(serverUrl, campaign.id, buffer);
  await reportStatus(serverUrl, campaign.id, { state: 'completed', sent, failed, total });
}

module.exports = { processCampaign };
