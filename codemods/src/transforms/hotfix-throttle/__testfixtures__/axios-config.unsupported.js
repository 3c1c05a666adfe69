'use strict';
const axios = require('axios');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, { serverUrl, transporter, recipients }) {
  let buffer = [];
  let sent = 0;
  let failed = 0;
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email });
      sent++;
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
    } catch (err) {
      failed++;
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
    }
    if (buffer.length >= 50) {
      await axios({ method: 'post', url: `${serverUrl}/api/campaigns/${campaign.id}/events`, data: { events: buffer } });
      buffer = [];
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await axios({ method: 'post', url: `${serverUrl}/api/campaigns/${campaign.id}/events`, data: { events: buffer } });
  await axios({ method: 'put', url: `${serverUrl}/api/campaigns/${campaign.id}/status`, data: { state: 'completed', sent, failed, total: recipients.length } });
}

module.exports = { processCampaign };
