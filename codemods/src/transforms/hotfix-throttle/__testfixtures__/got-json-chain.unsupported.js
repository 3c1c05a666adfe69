'use strict';
const got = require('got');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processCampaign(campaign, deps) {
  const { transporter, serverUrl, recipients, log } = deps;
  let buffer = [];
  let sent = 0;
  let failed = 0;
  const total = recipients.length;
  for (const recipient of recipients) {
    try {
      await transporter.sendMail({ to: recipient.email, subject: campaign.subject });
      buffer.push({ recipientId: recipient.id, outcome: 'sent', at: new Date().toISOString() });
      sent++;
    } catch (err) {
      buffer.push({ recipientId: recipient.id, outcome: 'failed', at: new Date().toISOString() });
      failed++;
    }
    if (buffer.length >= 5) {
      await got.post(`${serverUrl}/api/campaigns/${campaign.id}/events`, { json: { events: buffer } }).json();
      buffer = [];
      await got.put(`${serverUrl}/api/campaigns/${campaign.id}/status`, { json: { state: 'running', sent, failed, total } }).json();
    }
    await sleep(60000 / campaign.emailsPerMinute);
  }
  await got.post(`${serverUrl}/api/campaigns/${campaign.id}/events`, { json: { events: buffer } }).json();
  buffer = [];
  await got.put(`${serverUrl}/api/campaigns/${campaign.id}/status`, { json: { state: 'completed', sent, failed, total } }).json();
}
module.exports = { processCampaign };
